//! Commands of the Meetings stage: thin calls into `liaison_core::{screens::meetings, meetings,
//! comm_log, ics}`; the .ics export and background files go through `dialogs`.

use crate::commands::with_project;
use crate::dialogs::{self, save_document, Ask};
use crate::state::{now, AppState, ErrorPayload};
use liaison_core::comm_log::{self, CommEntry};
use liaison_core::i18n;
use liaison_core::meetings::{self, ActionItem, Adjust, FollowUp, LedgerQuery, Meeting, Topic};
use liaison_core::reports::ReportLine;
use liaison_core::screens::meetings::{
    self as screen, LedgerPage, MeetingDetail, MeetingsView, ReportsView,
};
use liaison_core::signoff::Panel;
use liaison_core::Error;
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};

type CmdResult<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub fn meetings_view(state: State<'_, AppState>) -> CmdResult<MeetingsView> {
    let lang = state.lang();
    with_project(&state, |c, _| screen::view(c, lang))
}

#[tauri::command]
pub fn meeting_detail(state: State<'_, AppState>, id: i64) -> CmdResult<MeetingDetail> {
    with_project(&state, |c, _| screen::detail(c, id, now()))
}

#[tauri::command]
pub fn meeting_save(state: State<'_, AppState>, meeting: Meeting) -> CmdResult<Meeting> {
    with_project(&state, |c, actor| {
        meetings::save_meeting(c, actor, &meeting)
    })
}

#[tauri::command]
pub fn meeting_from_plan(state: State<'_, AppState>, comm_id: i64) -> CmdResult<Meeting> {
    let lang = state.lang();
    with_project(&state, |c, actor| {
        meetings::from_comm_plan(c, actor, comm_id, now(), lang)
    })
}

/// Records the notice as sent now; returns whether it went out less than a working day ahead.
#[tauri::command]
pub fn meeting_notice(state: State<'_, AppState>, id: i64) -> CmdResult<bool> {
    with_project(&state, |c, actor| {
        meetings::send_notice(c, actor, id, now())
    })
}

#[tauri::command]
pub fn topic_save(state: State<'_, AppState>, topic: Topic) -> CmdResult<Topic> {
    with_project(&state, |c, actor| meetings::save_topic(c, actor, &topic))
}

#[tauri::command]
pub fn topic_remove(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_project(&state, |c, actor| meetings::remove_topic(c, actor, id))
}

#[tauri::command]
pub fn action_save(state: State<'_, AppState>, action: ActionItem) -> CmdResult<ActionItem> {
    with_project(&state, |c, actor| meetings::save_action(c, actor, &action))
}

#[tauri::command]
pub fn action_remove(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_project(&state, |c, actor| meetings::remove_action(c, actor, id))
}

#[tauri::command]
pub fn minutes_send(state: State<'_, AppState>, id: i64) -> CmdResult<Panel> {
    with_project(&state, |c, actor| {
        meetings::send_minutes(c, actor, id, now())
    })
}

/// The first `limit` matching items (the screen draws a page at a time) and the count of all.
#[tauri::command]
pub fn ledger(
    state: State<'_, AppState>,
    query: LedgerQuery,
    limit: usize,
) -> CmdResult<LedgerPage> {
    with_project(&state, |c, _| screen::ledger(c, &query, limit, now()))
}

#[tauri::command]
pub fn follow_ups(state: State<'_, AppState>, action_id: i64) -> CmdResult<Vec<FollowUp>> {
    with_project(&state, |c, _| meetings::follow_ups(c, action_id))
}

#[tauri::command]
pub fn follow_up_add(
    state: State<'_, AppState>,
    follow_up: FollowUp,
    adjust: Adjust,
) -> CmdResult<FollowUp> {
    with_project(&state, |c, actor| {
        meetings::follow_up(c, actor, &follow_up, &adjust)
    })
}

/// One follow-up entry covering several action items.
#[tauri::command]
pub fn follow_up_entry(
    state: State<'_, AppState>,
    action_ids: Vec<i64>,
    follow_up: FollowUp,
    adjust: Adjust,
) -> CmdResult<Vec<FollowUp>> {
    with_project(&state, |c, actor| {
        meetings::follow_up_many(c, actor, &action_ids, &follow_up, &adjust)
    })
}

#[tauri::command]
pub fn action_to_task(state: State<'_, AppState>, id: i64) -> CmdResult<i64> {
    with_project(&state, |c, actor| meetings::to_task(c, actor, id))
}

/// Links an action item to a task of the plan (None: unlinks it).
#[tauri::command]
pub fn action_link_task(
    state: State<'_, AppState>,
    id: i64,
    task_id: Option<i64>,
) -> CmdResult<ActionItem> {
    with_project(&state, |c, actor| {
        meetings::link_task(c, actor, id, task_id)
    })
}

/// A week's reports: who owns running tasks, what they reported, and who is missing.
#[tauri::command]
pub fn reports_view(state: State<'_, AppState>, day: Option<String>) -> CmdResult<ReportsView> {
    with_project(&state, |c, _| screen::reports(c, day.as_deref(), now()))
}

#[tauri::command]
pub fn report_submit(
    state: State<'_, AppState>,
    person: i64,
    week: String,
    lines: Vec<ReportLine>,
) -> CmdResult<()> {
    with_project(&state, |c, actor| {
        screen::submit_report(c, actor, person, &week, &lines)
    })
}

#[tauri::command]
pub fn comm_log_list(state: State<'_, AppState>) -> CmdResult<Vec<CommEntry>> {
    with_project(&state, |c, _| comm_log::comm_log(c))
}

#[tauri::command]
pub fn comm_log_save(state: State<'_, AppState>, entry: CommEntry) -> CmdResult<CommEntry> {
    with_project(&state, |c, actor| comm_log::save_comm(c, actor, &entry))
}

/// Writes the meeting as an .ics file where the user chooses; returns the path (None: cancelled).
#[tauri::command]
pub async fn meeting_export_ics<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> CmdResult<Option<PathBuf>> {
    let lang = state.lang();
    let (ics, title) = with_project(&state, |c, _| {
        Ok((
            liaison_core::ics::meeting(c, id)?,
            meetings::meeting(c, id)?.title,
        ))
    })?;
    let name = format!("{}.ics", liaison_core::documents::safe_file_name(&title));
    let ask = Ask::document(name, &i18n::text(lang, "meeting.ics_filter"), &["ics"]);
    save_document(&app, lang, ask, || Ok(ics.into_bytes()))
}

/// Keeps a file the user picks as background material of the meeting.
#[tauri::command]
pub async fn attachment_add<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    meeting_id: i64,
) -> CmdResult<bool> {
    let Some(path) = dialogs::pick_file(&app, None) else {
        return Ok(false);
    };
    with_project(&state, |c, actor| {
        let data = read(&path)?;
        meetings::attach(c, actor, meeting_id, &dialogs::file_name(&path), &data)
    })?;
    Ok(true)
}

/// Saves a kept background file where the user chooses.
#[tauri::command]
pub async fn attachment_save<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> CmdResult<Option<PathBuf>> {
    let (name, data) = with_project(&state, |c, _| meetings::attachment_data(c, id))?;
    save_document(&app, state.lang(), Ask::file(name), || Ok(data))
}

/// The bytes of a file the user picked.
pub(crate) fn read(path: &std::path::Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    })
}
