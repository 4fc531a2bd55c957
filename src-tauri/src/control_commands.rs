//! Commands of the Tracking stage: thin calls into `liaison_core::{control, changes, warnings,
//! dashboard}`.

use crate::commands::with_project;
use crate::state::{AppState, ErrorPayload};
use liaison_core::changes::{self, ChangeRequest};
use liaison_core::control::{self, Clock, Issue, Risk};
use liaison_core::dashboard::{self, Dashboard};
use liaison_core::people::Person;
use liaison_core::signoff::Panel;
use liaison_core::warnings::{self, Settings, Warning};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_notification::NotificationExt;

type CmdResult<T> = Result<T, ErrorPayload>;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssueView {
    #[serde(flatten)]
    issue: Issue,
    clock: Clock,
}

/// Everything the Tracking stage draws.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingView {
    dashboard: Dashboard,
    risks: Vec<Risk>,
    issues: Vec<IssueView>,
    changes: Vec<changes::View>,
    settings: Settings,
    people: Vec<Person>,
    departments: Vec<(i64, String)>,
    /// Tasks as `(id, "1.2 name", summary)`, for the change request editor.
    tasks: Vec<(i64, String, bool)>,
    published: bool,
}

#[tauri::command]
pub fn tracking_view(state: State<'_, AppState>) -> CmdResult<TrackingView> {
    with_project(&state, |c, _| {
        let now = liaison_core::clock::now();
        let settings = warnings::settings(c)?;
        let plan = liaison_core::plan::load(c)?;
        Ok(TrackingView {
            dashboard: dashboard::build(c, now)?,
            risks: control::risks(c)?,
            issues: control::issues(c)?
                .into_iter()
                .map(|i| IssueView {
                    clock: i.clock(
                        now,
                        settings.issue_meeting_hours,
                        settings.issue_solution_hours,
                    ),
                    issue: i,
                })
                .collect(),
            changes: changes::views(c)?,
            people: liaison_core::people::list(c)?,
            departments: liaison_core::org::list(c)?
                .into_iter()
                .map(|d| (d.id, d.name))
                .collect(),
            tasks: plan
                .rows
                .iter()
                .map(|r| (r.id, plan.label(r.id), r.summary))
                .collect(),
            published: liaison_core::plan::baseline(c)?.is_some(),
            settings,
        })
    })
}

/// The warnings now, summarized once as a desktop notification when a project opens (and returned
/// for the window's own summary); empty when the project switched it off.
#[tauri::command]
pub fn warnings_on_open<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Vec<Warning>> {
    let lang = state.lang();
    let (list, name) = with_project(&state, |c, _| {
        if !warnings::settings(c)?.notify_on_open {
            return Ok((Vec::new(), String::new()));
        }
        Ok((
            warnings::for_project(c, liaison_core::clock::now())?,
            liaison_core::registration::name(c)?,
        ))
    })?;
    if !list.is_empty() {
        let n = |sev: &str| {
            list.iter()
                .filter(|w| w.severity == sev)
                .count()
                .to_string()
        };
        let body = liaison_core::i18n::format(
            lang,
            "warnings.summary",
            &[
                ("critical", &n("critical")),
                ("warning", &n("warning")),
                ("info", &n("info")),
            ],
        );
        // Without a notification service (a bare X server, say) there is nothing to show it on;
        // the window shows the same summary.
        let title = liaison_core::validate::display_text(&name, 80);
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
        control::escalate(c, actor, id, &reason, liaison_core::clock::now())
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
