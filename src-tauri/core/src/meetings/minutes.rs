//! The minutes: topics and action items, what the attendees confirm, and sending them for
//! confirmation (after which they are locked).

use super::{
    json_list, log, meeting, meetings, record, ActionItem, Meeting, Topic, ACTION_STATUSES,
};
use crate::clock::parse_date;
use crate::clock::{now, parse_time, stamp};
use crate::error::{Error, Result};
use crate::kind::DocKind;
use crate::people::Person;
use crate::signoff;
use crate::validate::{check_text, invalid};
use chrono::{Duration, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

pub fn topics(conn: &Connection, meeting_id: i64) -> Result<Vec<Topic>> {
    let mut stmt = conn.prepare(
        "SELECT id, meeting_id, position, title, discussion, result, disputes, settlement
         FROM topic WHERE meeting_id = ?1 ORDER BY position, id",
    )?;
    let rows = stmt.query_map([meeting_id], |r| {
        Ok(Topic {
            id: r.get(0)?,
            meeting_id: r.get(1)?,
            position: r.get(2)?,
            title: r.get(3)?,
            discussion: r.get(4)?,
            result: r.get(5)?,
            disputes: r.get(6)?,
            settlement: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn save_topic(conn: &mut Connection, actor: &str, t: &Topic) -> Result<Topic> {
    let mut t = t.clone();
    meeting(conn, t.meeting_id)?;
    crate::doc_state::ensure_editable(conn, crate::DocKind::Minutes, t.meeting_id)?;
    for (f, v) in [
        ("field.topic.title", &t.title),
        ("field.topic.discussion", &t.discussion),
        ("field.topic.result", &t.result),
        ("field.topic.disputes", &t.disputes),
        ("field.topic.settlement", &t.settlement),
    ] {
        check_text(f, v, 8000)?;
    }
    let tx = conn.transaction()?;
    if t.id > 0 {
        tx.execute(
            "UPDATE topic SET title = ?1, discussion = ?2, result = ?3, disputes = ?4, settlement = ?5 WHERE id = ?6 AND meeting_id = ?7",
            params![t.title, t.discussion, t.result, t.disputes, t.settlement, t.id, t.meeting_id],
        )?;
    } else {
        tx.execute(
            "INSERT INTO topic (meeting_id, position, title, discussion, result, disputes, settlement)
             VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM topic WHERE meeting_id = ?1), ?2, ?3, ?4, ?5, ?6)",
            params![t.meeting_id, t.title, t.discussion, t.result, t.disputes, t.settlement],
        )?;
        t.id = tx.last_insert_rowid();
    }
    log(
        &tx,
        actor,
        &record(t.meeting_id),
        "topic",
        None,
        Some(&serde_json::to_string(&t).expect("serializes")),
    )?;
    tx.commit()?;
    Ok(t)
}

pub fn remove_topic(conn: &mut Connection, actor: &str, id: i64) -> Result<()> {
    let meeting_id: i64 = conn
        .query_row("SELECT meeting_id FROM topic WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| Error::refused("control.no_record", &[]))?;
    crate::doc_state::ensure_editable(conn, crate::DocKind::Minutes, meeting_id)?;
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM topic WHERE id = ?1", [id])?;
    log(
        &tx,
        actor,
        &record(meeting_id),
        "topic_removed",
        Some(&id.to_string()),
        None,
    )?;
    tx.commit()?;
    Ok(())
}

const ACTION_COLUMNS: &str = "id, meeting_id, comm_log_id, person_id, department, description, standard, deadline, due, status, urgent, task_id, created_at, departments";

/// `ACTION_COLUMNS` of the table aliased `a`.
pub(super) fn action_columns_of_a() -> String {
    ACTION_COLUMNS
        .split(", ")
        .map(|c| format!("a.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn action_row(r: &rusqlite::Row) -> rusqlite::Result<ActionItem> {
    Ok(ActionItem {
        id: r.get(0)?,
        meeting_id: r.get(1)?,
        comm_log_id: r.get(2)?,
        person_id: r.get(3)?,
        department: r.get(4)?,
        description: r.get(5)?,
        standard: r.get(6)?,
        deadline: r.get(7)?,
        due: r.get(8)?,
        status: r.get(9)?,
        urgent: r.get(10)?,
        task_id: r.get(11)?,
        created_at: r.get(12)?,
        added_departments: json_list(&r.get::<_, String>(13)?),
    })
}

pub fn actions(conn: &Connection) -> Result<Vec<ActionItem>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {ACTION_COLUMNS} FROM action_item ORDER BY coalesce(due, deadline), id"
    ))?;
    let rows = stmt.query_map([], action_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn action(conn: &Connection, id: i64) -> Result<ActionItem> {
    conn.query_row(
        &format!("SELECT {ACTION_COLUMNS} FROM action_item WHERE id = ?1"),
        [id],
        action_row,
    )
    .optional()?
    .ok_or_else(|| Error::refused("control.no_record", &[]))
}

/// Adds (id 0) or saves an action item. It needs a description, a responsible person and a real
/// date as its deadline; its department defaults to the person's.
pub fn save_action(conn: &mut Connection, actor: &str, a: &ActionItem) -> Result<ActionItem> {
    let mut a = a.clone();
    a.description = a.description.trim().to_string();
    if a.description.is_empty() {
        return Err(invalid("field.action.description", "validation.required"));
    }
    check_text("field.action.description", &a.description, 2000)?;
    check_text("field.action.standard", &a.standard, 2000)?;
    let person = a
        .person_id
        .ok_or_else(|| invalid("field.action.person", "validation.required"))?;
    let p = crate::people::get(conn, person)?;
    if a.department.trim().is_empty() {
        a.department = p.department.clone();
    }
    let deadline = a
        .deadline
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid("field.action.deadline", "meeting.deadline_required"))?;
    a.deadline = Some(
        parse_date(deadline)
            .ok_or_else(|| invalid("field.action.deadline", "meeting.deadline_date"))?
            .to_string(),
    );
    if !ACTION_STATUSES.contains(&a.status.as_str()) {
        a.status = "not_started".into();
    }
    if let Some(m) = a.meeting_id {
        meeting(conn, m)?;
        crate::doc_state::ensure_editable(conn, crate::DocKind::Minutes, m)?;
    }
    let before = if a.id > 0 {
        Some(action(conn, a.id)?)
    } else {
        None
    };
    match &before {
        Some(b) => {
            a.created_at = b.created_at.clone();
            a.task_id = b.task_id;
            a.added_departments = b.added_departments.clone();
            // The current deadline follows the agreed one until the follow-up log moves it.
            a.due = if b.due == b.deadline {
                a.deadline.clone()
            } else {
                b.due.clone()
            };
        }
        None => {
            a.created_at = stamp(now());
            a.due = a.deadline.clone();
            a.added_departments = Vec::new();
        }
    }
    if before.as_ref() == Some(&a) {
        return Ok(a);
    }
    let tx = conn.transaction()?;
    if a.id > 0 {
        tx.execute(
            "UPDATE action_item SET person_id = ?1, department = ?2, description = ?3, standard = ?4,
                deadline = ?5, due = ?6, status = ?7, urgent = ?8 WHERE id = ?9",
            params![a.person_id, a.department, a.description, a.standard, a.deadline, a.due, a.status, a.urgent, a.id],
        )?;
    } else {
        tx.execute(
            "INSERT INTO action_item (meeting_id, comm_log_id, person_id, department, description, standard, deadline, due, status, urgent, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![a.meeting_id, a.comm_log_id, a.person_id, a.department, a.description, a.standard, a.deadline, a.due, a.status, a.urgent, a.created_at],
        )?;
        a.id = tx.last_insert_rowid();
    }
    let b = before.map(|b| serde_json::to_string(&b).expect("serializes"));
    log(
        &tx,
        actor,
        &format!("action:{}", a.id),
        if b.is_some() { "updated" } else { "created" },
        b.as_deref(),
        Some(&serde_json::to_string(&a).expect("serializes")),
    )?;
    tx.commit()?;
    Ok(a)
}

pub fn remove_action(conn: &mut Connection, actor: &str, id: i64) -> Result<()> {
    let a = action(conn, id)?;
    if let Some(m) = a.meeting_id {
        crate::doc_state::ensure_editable(conn, crate::DocKind::Minutes, m)?;
    }
    let used: i64 = conn.query_row(
        "SELECT count(*) FROM follow_up WHERE action_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    if used > 0 {
        return Err(Error::refused("meeting.action_followed", &[]));
    }
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM action_item WHERE id = ?1", [id])?;
    log(
        &tx,
        actor,
        &format!("action:{id}"),
        "deleted",
        Some(&a.description),
        None,
    )?;
    tx.commit()?;
    Ok(())
}

/// What the attendees confirm: the meeting, its topics and its action items as agreed.
pub fn content(conn: &Connection, id: i64) -> Result<Value> {
    contents(conn, Some(id))?
        .pop()
        .map(|(_, v)| v)
        .ok_or_else(|| Error::refused("control.no_record", &[]))
}

/// The minutes content of one meeting (`only`) or of every meeting, in meeting order, read in one
/// pass (the document of all minutes needs a thousand of them at once).
pub fn contents(conn: &Connection, only: Option<i64>) -> Result<Vec<(i64, Value)>> {
    let names: std::collections::HashMap<i64, String> = crate::people::list(conn)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let name = |p: Option<i64>| p.and_then(|p| names.get(&p).cloned());
    let mut items: std::collections::HashMap<i64, Vec<Value>> = std::collections::HashMap::new();
    for a in actions(conn)? {
        let Some(m) = a.meeting_id else { continue };
        if only.is_some_and(|o| o != m) {
            continue;
        }
        items.entry(m).or_default().push(json!({"person": name(a.person_id), "department": a.department, "description": a.description, "standard": a.standard, "deadline": a.deadline}));
    }
    let mut out = Vec::new();
    for m in meetings(conn)? {
        if only.is_some_and(|o| o != m.id) {
            continue;
        }
        let value = json!({
            "title": m.title,
            "startsAt": m.starts_at,
            "duration": m.duration,
            "form": m.form,
            "place": m.place,
            "recorder": name(m.recorder_id),
            "attendees": m.attendees.iter().map(|p| name(Some(*p))).collect::<Vec<_>>(),
            "agenda": m.agenda,
            "topics": topics(conn, m.id)?.into_iter().map(|t| json!({"title": t.title, "discussion": t.discussion, "result": t.result, "disputes": t.disputes, "settlement": t.settlement})).collect::<Vec<_>>(),
            "actions": items.remove(&m.id).unwrap_or_default(),
            "resources": m.resources,
        });
        out.push((m.id, value));
    }
    Ok(out)
}

/// Refuses a confirmation round unless every attendee is asked.
pub fn check_signers(conn: &Connection, id: i64, signers: &[i64]) -> Result<()> {
    let m = meeting(conn, id)?;
    if m.attendees.is_empty() {
        return Err(Error::refused("meeting.confirm_all", &[]));
    }
    signoff::require_all(conn, &m.attendees, signers, "meeting.confirm_all")
}

/// Sends the minutes: the time is recorded and every attendee is asked to confirm or to request a
/// correction (the sign-off mechanism, kind `minutes`).
/// (The user sent them another way and says so; `send::mail` sends them by e-mail.)
pub fn send_minutes(
    conn: &mut Connection,
    actor: &str,
    id: i64,
    at: NaiveDateTime,
) -> Result<signoff::Panel> {
    let m = ready_to_send(conn, id, at)?;
    conn.execute(
        "UPDATE meeting SET minutes_sent_at = ?1 WHERE id = ?2",
        params![stamp(at), id],
    )?;
    signoff::start(conn, actor, &DOCUMENT, id, &m.attendees)
}

/// The meeting, when its minutes may go out at `at`: a recorder is named and the meeting is over.
fn ready_to_send(conn: &Connection, id: i64, at: NaiveDateTime) -> Result<Meeting> {
    let m = meeting(conn, id)?;
    if m.recorder_id.is_none() {
        return Err(Error::refused("meeting.no_recorder", &[]));
    }
    if let Some(start) = parse_time(&m.starts_at) {
        let end = start + Duration::minutes(m.duration);
        if at < end {
            return Err(Error::refused(
                "meeting.minutes_before_meeting",
                &[("end", end.format("%Y-%m-%d %H:%M").to_string())],
            ));
        }
    }
    Ok(m)
}

/// Makes the minutes ready to be sent for confirmation at `at`: the round asking every attendee
/// is started unless one is open already (its frozen content is what the signing requests and the
/// PDF carry). "Sent" is not recorded here: `mark_minutes_sent` does, once the mail went out.
pub fn open_for_confirmation(
    conn: &mut Connection,
    actor: &str,
    id: i64,
    at: NaiveDateTime,
) -> Result<signoff::Panel> {
    let m = ready_to_send(conn, id, at)?;
    let open = signoff::rounds(conn, DocKind::Minutes, id)?
        .iter()
        .any(|r| r.status == "open");
    if open {
        signoff::panel(conn, &DOCUMENT, id)
    } else {
        signoff::start(conn, actor, &DOCUMENT, id, &m.attendees)
    }
}

/// Records, in the caller's transaction, that the minutes of meeting `id` went out at `at` (with
/// its audit entry).
pub fn mark_minutes_sent(tx: &Connection, actor: &str, id: i64, at: NaiveDateTime) -> Result<()> {
    tx.execute(
        "UPDATE meeting SET minutes_sent_at = ?1 WHERE id = ?2",
        params![stamp(at), id],
    )?;
    log(
        tx,
        actor,
        &record(id),
        "minutes_sent",
        None,
        Some(&stamp(at)),
    )
}

/// When minutes are due after a meeting: 24 h for a regular meeting, 2 working days for a kick-off.
pub fn minutes_due(cal: &crate::plan::calendar::Calendar, m: &Meeting) -> Option<NaiveDateTime> {
    let start = parse_time(&m.starts_at)?;
    let end = start + Duration::minutes(m.duration);
    Some(if m.kind == "kickoff" {
        cal.add_working_days(end.date(), 2).and_time(end.time())
    } else {
        end + Duration::hours(24)
    })
}

/// Minutes as a signed document (one per meeting): every attendee confirms them or asks for a
/// correction; confirmed minutes are locked.
pub struct Document;

/// The minutes' entry in `kinds`.
pub static DOCUMENT: Document = Document;

impl signoff::Document for Document {
    fn kind(&self) -> DocKind {
        DocKind::Minutes
    }

    fn rule(&self) -> signoff::Rule {
        signoff::Rule::all("signoff.who.minutes", "signed")
    }

    fn content(&self, conn: &Connection, id: i64) -> Result<Value> {
        content(conn, id)
    }

    fn suggested(&self, conn: &Connection, id: i64, _: &Value, _: &[Person]) -> Vec<i64> {
        meeting(conn, id).map(|m| m.attendees).unwrap_or_default()
    }

    fn check_signers(&self, conn: &Connection, id: i64, signers: &[i64]) -> Result<()> {
        check_signers(conn, id, signers)
    }
}
