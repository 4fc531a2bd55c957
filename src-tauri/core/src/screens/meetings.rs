//! The Meetings stage's screens: the meeting list, one meeting, a page of the follow-up ledger and
//! a week's progress reports.

use crate::clock::parse_time;
use crate::comms::Recurrence;
use crate::i18n::{self, Lang};
use crate::meetings::{self, ActionItem, LedgerQuery, LedgerRow, Meeting, Topic};
use crate::reports::{self, ReportLine};
use crate::signoff::State as DocState;
use crate::{Error, Result};
use chrono::NaiveDateTime;
use rusqlite::Connection;
use serde::Serialize;

/// A meeting in the list, with where its minutes stand.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingRow {
    #[serde(flatten)]
    pub meeting: Meeting,
    /// The minutes: `draft`, `in_signoff` (sent, awaiting confirmations) or `signed` (locked).
    pub state: DocState,
    pub actions: usize,
}

/// The Meetings stage's lists.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingsView {
    pub meetings: Vec<MeetingRow>,
    pub people: Vec<crate::people::Person>,
    pub departments: Vec<String>,
    /// Communication plan entries a meeting can be created from: (id, words).
    pub plan: Vec<(i64, String)>,
    /// The plan's tasks an action item can be linked to: (id, "1.2 name").
    pub tasks: Vec<(i64, String)>,
    /// The plan is published: new tasks come only through a change request.
    pub published: bool,
}

/// The Meetings stage, with the communication plan in `lang`.
pub fn view(c: &Connection, lang: Lang) -> Result<MeetingsView> {
    let actions = meetings::actions(c)?;
    let plan = crate::plan::load(c)?;
    let rows = meetings::meetings(c)?
        .into_iter()
        .map(|m| {
            Ok(MeetingRow {
                state: crate::doc_state::state(c, crate::kind::DocKind::Minutes, m.id)?,
                actions: actions
                    .iter()
                    .filter(|a| a.meeting_id == Some(m.id))
                    .count(),
                meeting: m,
            })
        })
        .collect::<Result<_>>()?;
    Ok(MeetingsView {
        meetings: rows,
        people: crate::people::list(c)?,
        departments: super::department_names(c)?
            .into_iter()
            .map(|(_, name)| name)
            .collect(),
        plan: crate::comms::list(c)?
            .into_iter()
            .filter(|i| i.recurrence != Recurrence::AsNeeded)
            .map(|i| {
                let scenario = i18n::text(lang, &format!("comms.scenario.{}", i.scenario));
                (
                    i.id,
                    format!("{scenario} · {}", i.recurrence.describe(lang)),
                )
            })
            .collect(),
        tasks: super::leaf_labels(&plan),
        published: crate::plan::baseline(c)?.is_some(),
    })
}

/// One meeting with its topics, action items, background files and time checks.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingDetail {
    pub meeting: Meeting,
    pub state: DocState,
    pub topics: Vec<Topic>,
    pub actions: Vec<ActionItem>,
    pub attachments: Vec<(i64, String, i64)>,
    pub notice_late: bool,
    pub minutes_due: Option<String>,
    /// The communication plan's time limit when the meeting runs longer (minutes).
    pub over_limit: Option<i64>,
}

/// Meeting `id`; a notice not sent yet is judged as if it went out at `now`.
pub fn detail(c: &Connection, id: i64, now: NaiveDateTime) -> Result<MeetingDetail> {
    let m = meetings::meeting(c, id)?;
    let cal = crate::plan::load_calendar(c)?;
    let sent = m
        .notice_sent_at
        .as_deref()
        .and_then(parse_time)
        .unwrap_or(now);
    Ok(MeetingDetail {
        state: crate::doc_state::state(c, crate::kind::DocKind::Minutes, id)?,
        topics: meetings::topics(c, id)?,
        actions: meetings::actions(c)?
            .into_iter()
            .filter(|a| a.meeting_id == Some(id))
            .collect(),
        attachments: meetings::attachments(c, id)?,
        notice_late: meetings::notice_late(&cal, &m, sent),
        minutes_due: meetings::minutes_due(&cal, &m).map(crate::clock::stamp),
        over_limit: meetings::over_time_limit(c, &m)?,
        meeting: m,
    })
}

/// A page of the ledger and how many items match in all.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerPage {
    pub rows: Vec<LedgerRow>,
    pub total: usize,
}

/// The first `limit` items matching `query` at `now` (the screen draws a page at a time) and the
/// count of all.
pub fn ledger(
    c: &Connection,
    query: &LedgerQuery,
    limit: usize,
    now: NaiveDateTime,
) -> Result<LedgerPage> {
    let mut rows = meetings::ledger(c, query, now)?;
    let total = rows.len();
    rows.truncate(limit);
    Ok(LedgerPage { rows, total })
}

/// A week's reports: who owns running tasks, what they reported, and who is missing.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportsView {
    pub week: String,
    /// (owner, task id, "1.2 name", percent now) of the tasks running that week.
    pub tasks: Vec<(i64, i64, String, i64)>,
    pub reports: Vec<(i64, ReportLine)>,
    pub missing: Vec<i64>,
}

/// The reports of the week holding `day` (a date as typed; the week of `now` when absent or not
/// a date).
pub fn reports(c: &Connection, day: Option<&str>, now: NaiveDateTime) -> Result<ReportsView> {
    let day = day
        .and_then(crate::clock::parse_date)
        .unwrap_or_else(|| now.date());
    let week = reports::week_of(day);
    let plan = crate::plan::load(c)?;
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
}

/// Submits `person`'s report for the week starting on `week` (a date as typed).
pub fn submit_report(
    c: &mut Connection,
    actor: &str,
    person: i64,
    week: &str,
    lines: &[ReportLine],
) -> Result<()> {
    let week = crate::clock::parse_date(week).ok_or_else(|| Error::Invalid {
        field: "field.report.problems".into(),
        detail: "validation.date".into(),
    })?;
    reports::submit_report(c, actor, person, week, lines)
}
