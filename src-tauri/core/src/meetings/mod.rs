//! Meetings, closed loop: the meeting record and its notice (`notice`), the minutes with their topics
//! and action items and confirmation by every attendee through the sign-off mechanism, after which
//! the minutes are locked (`minutes`), the follow-up ledger of all action items with its log
//! (`ledger`), action items turned into or linked to plan tasks (`tasks`) and background files
//! (`attachments`). This file holds the records and what the parts share.

mod attachments;
mod ledger;
mod minutes;
mod notice;
mod tasks;

pub use attachments::{attach, attachment_data, attachments, MAX_ATTACHMENT};
pub use ledger::{
    follow_up, follow_up_many, follow_ups, ledger, Adjust, FollowUp, LedgerQuery, LedgerRow,
};
pub use minutes::{
    action, actions, check_signers, content, contents, mark_minutes_sent, minutes_due,
    open_for_confirmation, remove_action, remove_topic, save_action, save_topic, send_minutes,
    topics, DOCUMENT,
};
pub use notice::{
    from_comm_plan, mark_notice_sent, notice_late, over_time_limit, save_meeting, send_notice,
};
pub use tasks::{link_task, to_task};

use crate::audit::{self, Change};
use crate::error::{Error, Result};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// Action item statuses (未开始 / 进行中 / 已完成 / 需支持); labels `status.<code>`.
pub const ACTION_STATUSES: &[&str] = &["not_started", "in_progress", "done", "needs_support"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Meeting {
    pub id: i64,
    pub title: String,
    /// Local time, `2023-10-09T10:00:00`.
    pub starts_at: String,
    /// Minutes.
    pub duration: i64,
    /// `online` or `onsite`.
    pub form: String,
    /// A room, or a link / meeting number (线上腾讯会议 …).
    pub place: String,
    /// `regular` (minutes due within 24 h) or `kickoff` (within 2 working days).
    pub kind: String,
    pub comm_plan_id: Option<i64>,
    pub agenda: Vec<String>,
    pub recorder_id: Option<i64>,
    pub attendees: Vec<i64>,
    pub notice_sent_at: Option<String>,
    pub minutes_sent_at: Option<String>,
    /// Resource needs and support agreed in the meeting.
    pub resources: String,
    /// The notice's revision (iCalendar SEQUENCE): grows when the time or place changes after
    /// the notice went out, so that calendars update the invitation. Kept by `save_meeting`.
    pub sequence: i64,
}

impl Default for Meeting {
    fn default() -> Self {
        Meeting {
            id: 0,
            title: String::new(),
            starts_at: String::new(),
            duration: 30,
            form: "online".into(),
            place: String::new(),
            kind: "regular".into(),
            comm_plan_id: None,
            agenda: Vec::new(),
            recorder_id: None,
            attendees: Vec::new(),
            notice_sent_at: None,
            minutes_sent_at: None,
            resources: String::new(),
            sequence: 0,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Topic {
    pub id: i64,
    pub meeting_id: i64,
    pub position: i64,
    pub title: String,
    pub discussion: String,
    /// The result or decision.
    pub result: String,
    pub disputes: String,
    /// How the disputes were settled, or by when they will be.
    pub settlement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ActionItem {
    pub id: i64,
    pub meeting_id: Option<i64>,
    pub comm_log_id: Option<i64>,
    pub person_id: Option<i64>,
    pub department: String,
    pub description: String,
    /// The completion standard.
    pub standard: String,
    /// The deadline agreed in the minutes (a date, never "ASAP").
    pub deadline: Option<String>,
    /// The deadline now (moved only through the follow-up log, with a reason).
    pub due: Option<String>,
    pub status: String,
    /// Urgent items are followed daily, routine ones weekly.
    pub urgent: bool,
    pub task_id: Option<i64>,
    pub created_at: String,
    /// Departments added by follow-ups (增加部门), besides `department`.
    pub added_departments: Vec<String>,
}

impl ActionItem {
    /// Every department of the item: the original one, then those follow-ups added.
    pub fn departments(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for d in std::iter::once(&self.department).chain(&self.added_departments) {
            if !d.is_empty() && !out.contains(d) {
                out.push(d.clone());
            }
        }
        out
    }
}

impl Default for ActionItem {
    fn default() -> Self {
        ActionItem {
            id: 0,
            meeting_id: None,
            comm_log_id: None,
            person_id: None,
            department: String::new(),
            description: String::new(),
            standard: String::new(),
            deadline: None,
            due: None,
            status: "not_started".into(),
            urgent: false,
            task_id: None,
            created_at: String::new(),
            added_departments: Vec::new(),
        }
    }
}

pub(crate) fn json_list<T: serde::de::DeserializeOwned + Default>(s: &str) -> T {
    serde_json::from_str(s).unwrap_or_default()
}

pub fn meetings(conn: &Connection) -> Result<Vec<Meeting>> {
    let mut stmt = conn.prepare(
        "SELECT id, title, starts_at, duration, form, place, kind, comm_plan_id, agenda, recorder_id,
                notice_sent_at, minutes_sent_at, resources, notice_sequence,
                (SELECT json_group_array(person_id) FROM meeting_attendee a WHERE a.meeting_id = m.id)
         FROM meeting m ORDER BY starts_at DESC, id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Meeting {
            id: r.get(0)?,
            title: r.get(1)?,
            starts_at: r.get(2)?,
            duration: r.get(3)?,
            form: r.get(4)?,
            place: r.get(5)?,
            kind: r.get(6)?,
            comm_plan_id: r.get(7)?,
            agenda: json_list(&r.get::<_, String>(8)?),
            recorder_id: r.get(9)?,
            notice_sent_at: r.get(10)?,
            minutes_sent_at: r.get(11)?,
            resources: r.get(12)?,
            sequence: r.get(13)?,
            attendees: json_list(&r.get::<_, String>(14)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn meeting(conn: &Connection, id: i64) -> Result<Meeting> {
    meetings(conn)?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or_else(|| Error::refused("control.no_record", &[]))
}

pub(super) fn record(id: i64) -> String {
    format!("minutes:{id}")
}

/// Appends one field change to the audit chain.
pub(crate) fn log(
    conn: &Connection,
    actor: &str,
    rec: &str,
    field: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<()> {
    audit::append(
        conn,
        actor,
        &[Change {
            record: rec,
            field,
            before,
            after,
        }],
    )
}

#[cfg(test)]
mod tests;
