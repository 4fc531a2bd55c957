//! The record of every message sent (table `message`, append-only): one row per recipient and
//! attempt, with the server's answer, each with its audit entry in the same transaction.

use crate::audit::{self, Change};
use crate::clock::stamp;
use crate::error::Result;
use chrono::NaiveDateTime;
use rusqlite::{params, Connection};
use serde::Serialize;

/// What was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MessageKind {
    Notice,
    Minutes,
    Request,
    Reminder,
    Robot,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Notice => "notice",
            MessageKind::Minutes => "minutes",
            MessageKind::Request => "request",
            MessageKind::Reminder => "reminder",
            MessageKind::Robot => "robot",
        }
    }
}

/// One message as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageRow {
    pub id: i64,
    /// `notice`, `minutes`, `request`, `reminder` or `robot`.
    pub kind: String,
    /// The record it is about: `meeting` (notices and minutes, and a minutes round), a signed
    /// document's kind (`change_request`, `plan` …) or `project` (warnings).
    pub record_kind: String,
    pub record_id: Option<i64>,
    pub person_id: Option<i64>,
    pub person_name: String,
    /// The e-mail address, or the robot (`dingtalk`, `feishu`, `wecom` and the webhook's host).
    pub address: String,
    pub subject: String,
    pub message_id: Option<String>,
    pub sent_at: String,
    pub sent_by: String,
    /// `ok` or `failed`.
    pub result: String,
    /// The server's answer (on failure, why).
    pub answer: String,
}

/// Records one attempt, with its audit entry, in one transaction; returns its id.
pub(super) fn record(conn: &mut Connection, row: &MessageRow) -> Result<i64> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO message (kind, record_kind, record_id, person_id, person_name, address,
            subject, message_id, sent_at, sent_by, result, answer)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            row.kind,
            row.record_kind,
            row.record_id,
            row.person_id,
            row.person_name,
            row.address,
            row.subject,
            row.message_id,
            row.sent_at,
            row.sent_by,
            row.result,
            row.answer
        ],
    )?;
    let id = tx.last_insert_rowid();
    let rec = format!("message:{id}");
    let after = format!(
        "{} {}:{} → {} <{}>: {} [{}] {}",
        row.kind,
        row.record_kind,
        row.record_id.map(|i| i.to_string()).unwrap_or_default(),
        row.person_name,
        row.address,
        row.subject,
        row.result,
        row.answer
    );
    audit::append(
        &tx,
        &row.sent_by,
        &[Change {
            record: &rec,
            field: "sent",
            before: None,
            after: Some(&after),
        }],
    )?;
    tx.commit()?;
    Ok(id)
}

/// A new row (id 0) for an attempt at `at`.
pub(super) fn row(
    kind: MessageKind,
    record: &(String, Option<i64>),
    actor: &str,
    at: NaiveDateTime,
) -> MessageRow {
    MessageRow {
        id: 0,
        kind: kind.as_str().into(),
        record_kind: record.0.clone(),
        record_id: record.1,
        person_id: None,
        person_name: String::new(),
        address: String::new(),
        subject: String::new(),
        message_id: None,
        sent_at: stamp(at),
        sent_by: actor.into(),
        result: "ok".into(),
        answer: String::new(),
    }
}

/// The messages about a record (`record_kind`, and `record_id` unless none), newest first; every
/// message when `record_kind` is empty.
pub fn messages(
    conn: &Connection,
    record_kind: &str,
    record_id: Option<i64>,
) -> Result<Vec<MessageRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, record_kind, record_id, person_id, person_name, address, subject,
                message_id, sent_at, sent_by, result, answer
         FROM message
         WHERE (?1 = '' OR record_kind = ?1) AND (?2 IS NULL OR record_id = ?2)
         ORDER BY id DESC",
    )?;
    let rows = stmt.query_map(params![record_kind, record_id], |r| {
        Ok(MessageRow {
            id: r.get(0)?,
            kind: r.get(1)?,
            record_kind: r.get(2)?,
            record_id: r.get(3)?,
            person_id: r.get(4)?,
            person_name: r.get(5)?,
            address: r.get(6)?,
            subject: r.get(7)?,
            message_id: r.get(8)?,
            sent_at: r.get(9)?,
            sent_by: r.get(10)?,
            result: r.get(11)?,
            answer: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
