//! Commands of the Tracking stage: thin calls into `liaison_core::{screens::tracking, control,
//! changes, warnings}`, and the warnings' desktop notification when a project opens.

use crate::commands::with_project;
use crate::state::{now, AppState, ErrorPayload};
use liaison_core::changes::{self, ChangeRequest};
use liaison_core::control::{self, Issue, Risk};
use liaison_core::screens::tracking::{self, TrackingView};
use liaison_core::signoff::Panel;
use liaison_core::warnings::{self, Settings, Warning};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_notification::NotificationExt;

type CmdResult<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub fn tracking_view(state: State<'_, AppState>) -> CmdResult<TrackingView> {
    with_project(&state, |c, _| tracking::view(c, now()))
}

/// The warnings now, summarized once as a desktop notification when a project opens (and returned
/// for the window's own summary); empty when the project switched it off.
#[tauri::command]
pub fn warnings_on_open<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Vec<Warning>> {
    let (list, name) = with_project(&state, |c, _| tracking::warnings_on_open(c, now()))?;
    if !list.is_empty() {
        // Without a notification service (a bare X server, say) there is nothing to show it on;
        // the window shows the same summary.
        let title = liaison_core::validate::display_text(&name, 80);
        let body = tracking::warnings_summary(&list, state.lang());
        let _ = app.notification().builder().title(title).body(body).show();
    }
    Ok(list)
}

#[tauri::command]
pub fn warning_settings_save(
    state: State<'_, AppState>,
    settings: Settings,
) -> CmdResult<Settings> {
    with_project(&state, |c, actor| {
        warnings::save_settings(c, actor, &settings)
    })
}

#[tauri::command]
pub fn risk_save(state: State<'_, AppState>, risk: Risk) -> CmdResult<Risk> {
    with_project(&state, |c, actor| control::save_risk(c, actor, &risk))
}

#[tauri::command]
pub fn issue_save(state: State<'_, AppState>, issue: Issue) -> CmdResult<Issue> {
    with_project(&state, |c, actor| control::save_issue(c, actor, &issue))
}

#[tauri::command]
pub fn issue_escalate(state: State<'_, AppState>, id: i64, reason: String) -> CmdResult<Issue> {
    with_project(&state, |c, actor| {
        control::escalate(c, actor, id, &reason, now())
    })
}

#[tauri::command]
pub fn change_save(state: State<'_, AppState>, request: ChangeRequest) -> CmdResult<ChangeRequest> {
    with_project(&state, |c, actor| changes::save(c, actor, &request))
}

#[tauri::command]
pub fn change_submit(state: State<'_, AppState>, id: i64) -> CmdResult<Panel> {
    with_project(&state, |c, actor| changes::submit(c, actor, id))
}
