//! Commands of the Meetings stage: thin calls into `liaison_core::{meetings, reports, comm_log, ics}`; file dialogs for
//! the .ics export and background files.

use crate::commands::with_project;
use crate::state::{AppState, ErrorPayload};
use liaison_core::comm_log::{self, CommEntry};
use liaison_core::control::{now, parse_time};
use liaison_core::i18n;
use liaison_core::meetings::{
    self, ActionItem, Adjust, FollowUp, LedgerQuery, LedgerRow, Meeting, Topic,
};
use liaison_core::output::{self, Output};
use liaison_core::reports::{self, ReportLine};
use liaison_core::signoff::{self, Panel, State as DocState};
use liaison_core::Error;
use serde::Serialize;
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

type CmdResult<T> = Result<T, ErrorPayload>;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingRow {
    #[serde(flatten)]
    meeting: Meeting,
    /// The minutes: `draft`, `in_signoff` (sent, awaiting confirmations) or `signed` (locked).
    state: DocState,
    actions: usize,
}

/// The Meetings stage's lists.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingsView {
    meetings: Vec<MeetingRow>,
    people: Vec<liaison_core::people::Person>,
    departments: Vec<String>,
    /// Communication plan entries a meeting can be created from: (id, words).
    plan: Vec<(i64, String)>,
    /// The plan's tasks an action item can be linked to: (id, "1.2 name").
    tasks: Vec<(i64, String)>,
    /// The plan is published: new tasks come only through a change request.
    published: bool,
}

#[tauri::command]
pub fn meetings_view(state: State<'_, AppState>) -> CmdResult<MeetingsView> {
    let lang = state.lang();
    with_project(&state, |c, _| {
        let actions = meetings::actions(c)?;
        let plan = liaison_core::plan::load(c)?;
        let tasks = plan
            .tasks
            .iter()
            .zip(&plan.rows)
            .filter(|(_, r)| !r.summary)
            .map(|(t, r)| (t.id, format!("{} {}", r.outline, t.name)))
            .collect();
        let published = liaison_core::plan::baseline(c)?.is_some();
        let rows = meetings::meetings(c)?
            .into_iter()
            .map(|m| {
                Ok(MeetingRow {
                    state: signoff::state(c, "minutes", m.id)?,
                    actions: actions
                        .iter()
                        .filter(|a| a.meeting_id == Some(m.id))
                        .count(),
                    meeting: m,
                })
            })
            .collect::<Result<_, Error>>()?;
        Ok(MeetingsView {
            meetings: rows,
            people: liaison_core::people::list(c)?,
            departments: liaison_core::org::list(c)?
                .into_iter()
                .map(|d| d.name)
                .collect(),
            plan: liaison_core::comms::list(c)?
                .into_iter()
                .filter(|i| i.recurrence != liaison_core::comms::Recurrence::AsNeeded)
                .map(|i| {
                    let scenario = i18n::text(lang, &format!("comms.scenario.{}", i.scenario));
                    (
                        i.id,
                        format!("{scenario} · {}", i.recurrence.describe(lang)),
                    )
                })
                .collect(),
            tasks,
            published,
        })
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingDetail {
    meeting: Meeting,
    state: DocState,
    topics: Vec<Topic>,
    actions: Vec<ActionItem>,
    attachments: Vec<(i64, String, i64)>,
    notice_late: bool,
    minutes_due: Option<String>,
    /// The communication plan's time limit when the meeting runs longer (minutes).
    over_limit: Option<i64>,
}

#[tauri::command]
pub fn meeting_detail(state: State<'_, AppState>, id: i64) -> CmdResult<MeetingDetail> {
    with_project(&state, |c, _| {
        let m = meetings::meeting(c, id)?;
        let cal = liaison_core::plan::load_calendar(c)?;
        let sent = m
            .notice_sent_at
            .as_deref()
            .and_then(parse_time)
            .unwrap_or_else(now);
        Ok(MeetingDetail {
            state: signoff::state(c, "minutes", id)?,
            topics: meetings::topics(c, id)?,
            actions: meetings::actions(c)?
                .into_iter()
                .filter(|a| a.meeting_id == Some(id))
                .collect(),
            attachments: meetings::attachments(c, id)?,
            notice_late: meetings::notice_late(&cal, &m, sent),
            minutes_due: meetings::minutes_due(&cal, &m).map(liaison_core::control::stamp),
            over_limit: meetings::over_time_limit(c, &m)?,
            meeting: m,
        })
    })
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

/// A page of the ledger and how many items match in all.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerPage {
    rows: Vec<LedgerRow>,
    total: usize,
}

/// The first `limit` matching items (the screen draws a page at a time) and the count of all.
#[tauri::command]
pub fn ledger(
    state: State<'_, AppState>,
    query: LedgerQuery,
    limit: usize,
) -> CmdResult<LedgerPage> {
    with_project(&state, |c, _| {
        let mut rows = meetings::ledger(c, &query, now())?;
        let total = rows.len();
        rows.truncate(limit);
        Ok(LedgerPage { rows, total })
    })
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
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportsView {
    week: String,
    /// (owner, task id, "1.2 name", percent now) of the tasks running that week.
    tasks: Vec<(i64, i64, String, i64)>,
    reports: Vec<(i64, ReportLine)>,
    missing: Vec<i64>,
}

#[tauri::command]
pub fn reports_view(state: State<'_, AppState>, day: Option<String>) -> CmdResult<ReportsView> {
    with_project(&state, |c, _| {
        let day = day
            .as_deref()
            .and_then(liaison_core::registration::parse_date)
            .unwrap_or_else(|| now().date());
        let week = reports::week_of(day);
        let plan = liaison_core::plan::load(c)?;
        let tasks = plan
            .tasks
            .iter()
            .zip(&plan.rows)
            .filter(|(t, r)| {
                !r.summary
                    && t.owner_id.is_some()
                    && r.start
                        .is_some_and(|s| s <= week + chrono::Duration::days(6))
                    && r.finish.is_some_and(|f| f >= week)
            })
            .map(|(t, r)| {
                (
                    t.owner_id.unwrap_or_default(),
                    t.id,
                    plan.label(r.id),
                    t.percent_done,
                )
            })
            .collect();
        Ok(ReportsView {
            week: week.to_string(),
            tasks,
            reports: reports::reports(c, week)?,
            missing: reports::missing_reports(c, day)?,
        })
    })
}

#[tauri::command]
pub fn report_submit(
    state: State<'_, AppState>,
    person: i64,
    week: String,
    lines: Vec<ReportLine>,
) -> CmdResult<()> {
    with_project(&state, |c, actor| {
        let week = liaison_core::registration::parse_date(&week).ok_or_else(|| Error::Invalid {
            field: "field.report.problems".into(),
            detail: "validation.date".into(),
        })?;
        reports::submit_report(c, actor, person, week, &lines)
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
    let safe = liaison_core::documents::safe_file_name(&title);
    let Some(path) = app
        .dialog()
        .file()
        .add_filter(i18n::text(lang, "meeting.ics_filter"), &["ics"])
        .set_file_name(format!("{safe}.ics"))
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    output::write_file(&path, ics.as_ref(), Output::Document, true).map_err(|e| state.err(e))?;
    crate::desktop::offer(&state, &path);
    Ok(Some(path))
}

/// Keeps a file the user picks as background material of the meeting.
#[tauri::command]
pub async fn attachment_add<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    meeting_id: i64,
) -> CmdResult<bool> {
    let Some(path) = app
        .dialog()
        .file()
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(false);
    };
    let data = std::fs::read(&path).map_err(|e| {
        state.err(Error::Read {
            path: path.clone(),
            source: e,
        })
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    with_project(&state, |c, actor| {
        meetings::attach(c, actor, meeting_id, &name, &data)
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
    save_file_as(&app, &state, &name, &data)
}

/// Asks where to save a file kept in the project (proposing its name) and writes it there.
/// Returns where it went (None: cancelled).
pub(crate) fn save_file_as<R: Runtime>(
    app: &AppHandle<R>,
    state: &State<'_, AppState>,
    name: &str,
    data: &[u8],
) -> CmdResult<Option<PathBuf>> {
    let Some(path) = app
        .dialog()
        .file()
        .set_file_name(name)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    output::write_file(&path, data, Output::Document, true).map_err(|e| state.err(e))?;
    Ok(Some(path))
}
