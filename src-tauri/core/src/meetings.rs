//! Meetings, closed loop: the notice, the minutes (topics and action items), confirmation by every
//! attendee through the sign-off mechanism (then the minutes are locked), and the follow-up ledger
//! of all action items with its log. Weekly progress reports and the log of communications outside
//! meetings live here too.

use crate::audit::{self, Change};
use crate::control::{now, parse_time, stamp};
use crate::error::{Error, Result};
use crate::registration::parse_date;
use crate::signoff;
use crate::validate::{check_text, invalid};
use chrono::{Duration, NaiveDate, NaiveDateTime, Weekday};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Action item statuses (未开始 / 进行中 / 已完成 / 需支持); labels `status.<code>`.
pub const ACTION_STATUSES: &[&str] = &["not_started", "in_progress", "done", "needs_support"];

/// The largest background file kept in a project (bytes).
pub const MAX_ATTACHMENT: usize = 20 * 1024 * 1024;

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

fn json_list<T: serde::de::DeserializeOwned + Default>(s: &str) -> T {
    serde_json::from_str(s).unwrap_or_default()
}

pub fn meetings(conn: &Connection) -> Result<Vec<Meeting>> {
    let mut stmt = conn.prepare(
        "SELECT id, title, starts_at, duration, form, place, kind, comm_plan_id, agenda, recorder_id,
                notice_sent_at, minutes_sent_at, resources,
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
            attendees: json_list(&r.get::<_, String>(13)?),
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

fn record(id: i64) -> String {
    format!("minutes:{id}")
}

fn log(
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

/// Adds (id 0) or saves a meeting's notice: time, duration, form, place, attendees, agenda.
pub fn save_meeting(conn: &mut Connection, actor: &str, m: &Meeting) -> Result<Meeting> {
    let mut m = m.clone();
    m.title = m.title.trim().to_string();
    if m.title.is_empty() {
        return Err(invalid("field.meeting.title", "validation.required"));
    }
    check_text("field.meeting.title", &m.title, 200)?;
    check_text("field.meeting.place", &m.place, 500)?;
    check_text("field.meeting.resources", &m.resources, 4000)?;
    let at = parse_time(&m.starts_at)
        .ok_or_else(|| invalid("field.meeting.starts_at", "validation.date"))?;
    m.starts_at = stamp(at);
    if !(1..=1440).contains(&m.duration) {
        return Err(invalid("field.meeting.duration", "validation.number"));
    }
    if m.form != "onsite" {
        m.form = "online".into();
    }
    if m.kind != "kickoff" {
        m.kind = "regular".into();
    }
    m.agenda.retain(|a| !a.trim().is_empty());
    for a in &m.agenda {
        check_text("field.meeting.agenda", a, 500)?;
    }
    let mut seen = Vec::new();
    m.attendees.retain(|p| {
        let fresh = !seen.contains(p);
        seen.push(*p);
        fresh
    });
    for p in m.attendees.iter().chain(m.recorder_id.iter()) {
        crate::people::get(conn, *p)?;
    }
    let before = if m.id > 0 {
        signoff::ensure_editable(conn, "minutes", m.id)?;
        let b = meeting(conn, m.id)?;
        m.notice_sent_at = b.notice_sent_at.clone();
        m.minutes_sent_at = b.minutes_sent_at.clone();
        Some(b)
    } else {
        m.notice_sent_at = None;
        m.minutes_sent_at = None;
        None
    };
    if before.as_ref() == Some(&m) {
        return Ok(m);
    }
    let agenda = serde_json::to_string(&m.agenda).expect("serializes");
    let tx = conn.transaction()?;
    if m.id > 0 {
        tx.execute(
            "UPDATE meeting SET title = ?1, starts_at = ?2, duration = ?3, form = ?4, place = ?5,
                kind = ?6, comm_plan_id = ?7, agenda = ?8, recorder_id = ?9, resources = ?10
             WHERE id = ?11",
            params![
                m.title,
                m.starts_at,
                m.duration,
                m.form,
                m.place,
                m.kind,
                m.comm_plan_id,
                agenda,
                m.recorder_id,
                m.resources,
                m.id
            ],
        )?;
        tx.execute("DELETE FROM meeting_attendee WHERE meeting_id = ?1", [m.id])?;
    } else {
        tx.execute(
            "INSERT INTO meeting (title, starts_at, duration, form, place, kind, comm_plan_id, agenda, recorder_id, resources)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![m.title, m.starts_at, m.duration, m.form, m.place, m.kind, m.comm_plan_id, agenda, m.recorder_id, m.resources],
        )?;
        m.id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO document_state (kind, doc_id, state) VALUES ('minutes', ?1, 'draft')",
            [m.id],
        )?;
    }
    for p in &m.attendees {
        tx.execute(
            "INSERT INTO meeting_attendee (meeting_id, person_id) VALUES (?1, ?2)",
            params![m.id, p],
        )?;
    }
    let b = before.map(|b| serde_json::to_string(&b).expect("serializes"));
    let a = serde_json::to_string(&m).expect("serializes");
    log(
        &tx,
        actor,
        &record(m.id),
        if b.is_some() { "notice" } else { "created" },
        b.as_deref(),
        Some(&a),
    )?;
    tx.commit()?;
    Ok(m)
}

/// The communication plan's time limit for a meeting longer than it allows (minutes), if any: the
/// limit of the plan entry the meeting was made from.
pub fn over_time_limit(conn: &Connection, m: &Meeting) -> Result<Option<i64>> {
    let Some(comm) = m.comm_plan_id else {
        return Ok(None);
    };
    let limit = crate::comms::list(conn)?
        .into_iter()
        .find(|c| c.id == comm)
        .map(|c| c.time_limit)
        .filter(|l| *l > 0);
    Ok(limit.filter(|l| m.duration > *l))
}

/// A meeting for the next occurrence (from `after`) of a communication plan entry: its channel,
/// participants and time limit.
pub fn from_comm_plan(
    conn: &mut Connection,
    actor: &str,
    comm_id: i64,
    after: NaiveDateTime,
    lang: crate::Lang,
) -> Result<Meeting> {
    let item = crate::comms::list(conn)?
        .into_iter()
        .find(|c| c.id == comm_id)
        .ok_or_else(|| Error::refused("comms.no_entry", &[]))?;
    let anchor = crate::comms::anchor(conn)?;
    let at = item
        .recurrence
        .next(anchor, after, 1)
        .first()
        .copied()
        .unwrap_or(after);
    let scenario = crate::i18n::text(lang, &format!("comms.scenario.{}", item.scenario));
    save_meeting(
        conn,
        actor,
        &Meeting {
            title: if item.channel.is_empty() {
                scenario
            } else {
                format!("{scenario} · {}", item.channel)
            },
            starts_at: stamp(at),
            duration: item.time_limit.max(1),
            place: item.channel.clone(),
            comm_plan_id: Some(comm_id),
            attendees: item.participants.clone(),
            ..Default::default()
        },
    )
}

/// Records that the notice went out at `at`. Returns whether it was late: less than one working
/// day before the meeting (the guides ask for at least one).
pub fn send_notice(conn: &mut Connection, actor: &str, id: i64, at: NaiveDateTime) -> Result<bool> {
    let m = meeting(conn, id)?;
    if m.attendees.is_empty() {
        return Err(Error::refused("meeting.no_attendees", &[]));
    }
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE meeting SET notice_sent_at = ?1 WHERE id = ?2",
        params![stamp(at), id],
    )?;
    log(
        &tx,
        actor,
        &record(id),
        "notice_sent",
        None,
        Some(&stamp(at)),
    )?;
    tx.commit()?;
    let cal = crate::plan::load_calendar(conn)?;
    Ok(notice_late(&cal, &m, at))
}

/// A notice is late when fewer than one full working day lies between it and the meeting.
pub fn notice_late(
    cal: &crate::plan::calendar::Calendar,
    m: &Meeting,
    sent: NaiveDateTime,
) -> bool {
    let Some(start) = parse_time(&m.starts_at) else {
        return false;
    };
    // At least one working day strictly between the day it was sent and the meeting's day.
    let next = cal.add_working_days(sent.date(), 1);
    next >= start.date()
}

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
    signoff::ensure_editable(conn, "minutes", t.meeting_id)?;
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
    signoff::ensure_editable(conn, "minutes", meeting_id)?;
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
fn action_columns_of_a() -> String {
    ACTION_COLUMNS
        .split(", ")
        .map(|c| format!("a.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn action_row(r: &rusqlite::Row) -> rusqlite::Result<ActionItem> {
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
        signoff::ensure_editable(conn, "minutes", m)?;
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
        signoff::ensure_editable(conn, "minutes", m)?;
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
pub fn send_minutes(
    conn: &mut Connection,
    actor: &str,
    id: i64,
    at: NaiveDateTime,
) -> Result<signoff::Panel> {
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
    conn.execute(
        "UPDATE meeting SET minutes_sent_at = ?1 WHERE id = ?2",
        params![stamp(at), id],
    )?;
    signoff::start(conn, actor, "minutes", id, &m.attendees)
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

/// A line of the follow-up log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FollowUp {
    pub id: i64,
    pub action_id: i64,
    pub at: String,
    pub progress: String,
    pub problem: String,
    /// The adjustment and its reason (e.g. "截止日顺延至 11-20：物流排期").
    pub adjustment: String,
    /// When it was recorded (`at` is when the follow-up happened, possibly earlier).
    pub recorded_at: Option<String>,
    /// The entry this line belongs to when one follow-up covered several items (its first line's id).
    pub entry: Option<i64>,
}

pub fn follow_ups(conn: &Connection, action_id: i64) -> Result<Vec<FollowUp>> {
    let mut stmt = conn.prepare("SELECT id, action_id, at, progress, problem, adjustment, recorded_at, entry FROM follow_up WHERE action_id = ?1 ORDER BY at, id")?;
    let rows = stmt.query_map([action_id], |r| {
        Ok(FollowUp {
            id: r.get(0)?,
            action_id: r.get(1)?,
            at: r.get(2)?,
            progress: r.get(3)?,
            problem: r.get(4)?,
            adjustment: r.get(5)?,
            recorded_at: r.get(6)?,
            entry: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What a follow-up changes besides its note.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Adjust {
    pub status: Option<String>,
    /// A new deadline (needs the reason in `adjustment`).
    pub due: Option<String>,
    /// A department added (needs the reason in `adjustment`).
    pub add_department: Option<String>,
}

/// Records a follow-up of an action item; moving the deadline or adding a department requires the
/// reason in `adjustment`, and both are logged.
pub fn follow_up(
    conn: &mut Connection,
    actor: &str,
    f: &FollowUp,
    adjust: &Adjust,
) -> Result<FollowUp> {
    let mut out = follow_up_many(conn, actor, &[f.action_id], f, adjust)?;
    Ok(out.remove(0))
}

/// The earliest moment a follow-up of `a` may be dated: its meeting's start, or when it was
/// recorded (an item of the communication log).
fn earliest_follow_up(conn: &Connection, a: &ActionItem) -> Result<Option<NaiveDateTime>> {
    let created = parse_time(&a.created_at);
    let met = match a.meeting_id {
        Some(m) => parse_time(&meeting(conn, m)?.starts_at),
        None => None,
    };
    Ok(match (created, met) {
        (Some(c), Some(m)) => Some(c.min(m)),
        (c, m) => c.or(m),
    })
}

/// Records one follow-up entry covering every item of `ids` (the note, status, deadline and
/// department apply to each). `f.at` is when it happened: it may lie in the past but not in the
/// future, nor before any of the items existed (refused, naming the item); the time it was
/// recorded is kept apart. One line per item, all sharing the entry's id.
pub fn follow_up_many(
    conn: &mut Connection,
    actor: &str,
    ids: &[i64],
    f: &FollowUp,
    adjust: &Adjust,
) -> Result<Vec<FollowUp>> {
    let mut ids = ids.to_vec();
    ids.dedup();
    if ids.is_empty() {
        return Err(Error::refused("meeting.follow_none", &[]));
    }
    let items = ids
        .iter()
        .map(|id| action(conn, *id))
        .collect::<Result<Vec<_>>>()?;
    let mut f = f.clone();
    for (k, v) in [
        ("field.follow.progress", &f.progress),
        ("field.follow.problem", &f.problem),
        ("field.follow.adjustment", &f.adjustment),
    ] {
        check_text(k, v, 4000)?;
    }
    let due = match adjust
        .due
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(d) => Some(
            parse_date(d)
                .ok_or_else(|| invalid("field.action.deadline", "meeting.deadline_date"))?
                .to_string(),
        ),
        None => None,
    };
    let dept = adjust
        .add_department
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if (due.is_some() || dept.is_some()) && f.adjustment.trim().is_empty() {
        return Err(invalid(
            "field.follow.adjustment",
            "meeting.reason_required",
        ));
    }
    if let Some(s) = &adjust.status {
        if !ACTION_STATUSES.contains(&s.as_str()) {
            return Err(invalid("field.action.status", "validation.required"));
        }
    }
    let recorded = now();
    let at = match f.at.trim() {
        "" => recorded,
        t => parse_time(t).ok_or_else(|| invalid("field.follow.at", "validation.date"))?,
    };
    // A date alone means that day; today's date means now.
    let at = if at.time() == chrono::NaiveTime::MIN && at.date() == recorded.date() {
        recorded
    } else {
        at
    };
    if at > recorded {
        return Err(Error::refused("meeting.follow_future", &[]));
    }
    for a in &items {
        if let Some(first) = earliest_follow_up(conn, a)? {
            if at.date() < first.date() {
                return Err(Error::refused(
                    "meeting.follow_before_item",
                    &[
                        ("item", a.description.clone()),
                        ("date", first.date().to_string()),
                    ],
                ));
            }
        }
    }
    f.at = stamp(at);
    f.recorded_at = Some(stamp(recorded));
    let first: i64 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM follow_up", [], |r| {
        r.get(0)
    })?;
    f.entry = (items.len() > 1).then_some(first);
    let tx = conn.transaction()?;
    let mut out = Vec::new();
    for (n, a) in items.iter().enumerate() {
        let mut line = f.clone();
        line.id = first + n as i64;
        line.action_id = a.id;
        tx.execute(
            "INSERT INTO follow_up (id, action_id, at, progress, problem, adjustment, recorded_at, entry)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![line.id, line.action_id, line.at, line.progress, line.problem, line.adjustment, line.recorded_at, line.entry],
        )?;
        let rec = format!("action:{}", a.id);
        if let Some(s) = adjust.status.as_ref().filter(|s| **s != a.status) {
            tx.execute(
                "UPDATE action_item SET status = ?1 WHERE id = ?2",
                params![s, a.id],
            )?;
            log(&tx, actor, &rec, "status", Some(&a.status), Some(s))?;
        }
        if let Some(d) = &due {
            tx.execute(
                "UPDATE action_item SET due = ?1 WHERE id = ?2",
                params![d, a.id],
            )?;
            log(
                &tx,
                actor,
                &rec,
                "due",
                a.due.as_deref(),
                Some(&format!("{d} — {}", f.adjustment)),
            )?;
        }
        if let Some(d) = dept.filter(|d| !a.departments().iter().any(|x| x == d)) {
            let mut added = a.added_departments.clone();
            added.push(d.to_string());
            tx.execute(
                "UPDATE action_item SET departments = ?1 WHERE id = ?2",
                params![serde_json::to_string(&added).expect("serializes"), a.id],
            )?;
            log(
                &tx,
                actor,
                &rec,
                "department_added",
                None,
                Some(&format!("{d} — {}", f.adjustment)),
            )?;
        }
        log(
            &tx,
            actor,
            &rec,
            "follow_up",
            None,
            Some(&serde_json::to_string(&line).expect("serializes")),
        )?;
        out.push(line);
    }
    tx.commit()?;
    Ok(out)
}

/// Turns an action item into a WBS task (top level, led by its person's department, from today for
/// the days left to its deadline), linking the two. A published plan takes new tasks only through a
/// change request.
pub fn to_task(conn: &mut Connection, actor: &str, id: i64) -> Result<i64> {
    let a = action(conn, id)?;
    if let Some(t) = a.task_id {
        return Ok(t);
    }
    if crate::plan::baseline(conn)?.is_some() {
        return Err(Error::refused("meeting.task_published", &[]));
    }
    let task = crate::plan::add_task(
        conn,
        actor,
        &crate::plan::NewTask {
            name: a.description.chars().take(200).collect(),
            ..Default::default()
        },
    )?;
    let cal = crate::plan::load_calendar(conn)?;
    let start = now().date();
    let due = a.due.as_deref().and_then(parse_date).unwrap_or(start);
    let dept = crate::org::list(conn)?
        .into_iter()
        .find(|d| d.name == a.department)
        .map(|d| d.id);
    crate::plan::update_task(
        conn,
        actor,
        &crate::plan::Task {
            start_date: Some(start.to_string()),
            duration: cal.working_days(start, due).max(1),
            lead_department: dept,
            owner_id: a.person_id,
            delivery_standard: a.standard.clone(),
            ..task.clone()
        },
    )?;
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE action_item SET task_id = ?1 WHERE id = ?2",
        params![task.id, id],
    )?;
    log(
        &tx,
        actor,
        &format!("action:{id}"),
        "task",
        None,
        Some(&format!("task:{}", task.id)),
    )?;
    tx.commit()?;
    Ok(task.id)
}

/// Links an action item to an existing task of the plan (or unlinks it with `None`), at any time,
/// also after the plan is published. An item linked to a task already done is done too.
pub fn link_task(
    conn: &mut Connection,
    actor: &str,
    id: i64,
    task_id: Option<i64>,
) -> Result<ActionItem> {
    let a = action(conn, id)?;
    let task = match task_id {
        Some(t) => Some(
            crate::plan::load(conn)?
                .task(t)
                .cloned()
                .ok_or_else(|| Error::refused("plan.no_task", &[]))?,
        ),
        None => None,
    };
    if a.task_id == task_id {
        return Ok(a);
    }
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE action_item SET task_id = ?1 WHERE id = ?2",
        params![task_id, id],
    )?;
    log(
        &tx,
        actor,
        &format!("action:{id}"),
        "task",
        a.task_id.map(|t| format!("task:{t}")).as_deref(),
        task_id.map(|t| format!("task:{t}")).as_deref(),
    )?;
    if let Some(t) = task.filter(|t| t.status == "done") {
        close_linked(&tx, actor, t.id)?;
    }
    tx.commit()?;
    action(conn, id)
}

/// Marks done every open action item linked to `task_id` (the task was just marked done), each
/// change audited. Runs inside the caller's transaction.
pub fn close_linked(conn: &Connection, actor: &str, task_id: i64) -> Result<()> {
    let open: Vec<(i64, String)> = conn
        .prepare("SELECT id, status FROM action_item WHERE task_id = ?1 AND status <> 'done'")?
        .query_map([task_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, status) in open {
        conn.execute("UPDATE action_item SET status = 'done' WHERE id = ?1", [id])?;
        log(
            conn,
            actor,
            &format!("action:{id}"),
            "status",
            Some(&status),
            Some(&format!("done — task:{task_id}")),
        )?;
    }
    Ok(())
}

/// One line of the follow-up ledger.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerRow {
    #[serde(flatten)]
    pub action: ActionItem,
    pub meeting: String,
    pub person: String,
    pub overdue: bool,
    pub due_soon: bool,
    pub follow_ups: i64,
    pub last_follow_up: Option<String>,
    /// `daily` for urgent items, `weekly` for routine ones; `late` when the last follow-up is older.
    pub cadence: &'static str,
    pub follow_up_late: bool,
    /// The name and status of the plan task the item is linked to.
    pub task: Option<String>,
    pub task_status: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LedgerQuery {
    pub department: String,
    pub person: Option<i64>,
    pub status: Option<String>,
    pub meeting: Option<i64>,
    pub overdue: bool,
    pub text: String,
}

/// All action items of all meetings (and of the communication log), filtered.
pub fn ledger(conn: &Connection, q: &LedgerQuery, at: NaiveDateTime) -> Result<Vec<LedgerRow>> {
    let columns = action_columns_of_a();
    let mut stmt = conn.prepare(&format!(
        "SELECT {columns}, coalesce(m.title, c.topic, ''), coalesce(p.name, ''),
                (SELECT count(*) FROM follow_up f WHERE f.action_id = a.id),
                (SELECT max(at) FROM follow_up f WHERE f.action_id = a.id),
                t.name, t.status
         FROM action_item a
         LEFT JOIN task t ON t.id = a.task_id
         LEFT JOIN meeting m ON m.id = a.meeting_id
         LEFT JOIN comm_log c ON c.id = a.comm_log_id
         LEFT JOIN person p ON p.id = a.person_id
         ORDER BY coalesce(a.due, a.deadline), a.id"
    ))?;
    let text = q.text.trim().to_lowercase();
    let rows = stmt.query_map([], |r| {
        Ok((
            action_row(r)?,
            r.get::<_, String>(14)?,
            r.get::<_, String>(15)?,
            r.get::<_, i64>(16)?,
            r.get::<_, Option<String>>(17)?,
            r.get::<_, Option<String>>(18)?,
            r.get::<_, Option<String>>(19)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (a, meeting, person, count, last, task, task_status) = row?;
        let due = a.due.as_deref().and_then(parse_date);
        let deadline = due.map(crate::warnings::deadline);
        let open = a.status != "done";
        let overdue = open && deadline.is_some_and(|d| at >= d);
        let due_soon = open && !overdue && deadline.is_some_and(|d| d - at <= Duration::hours(48));
        if (!q.department.is_empty() && !a.departments().contains(&q.department))
            || q.person.is_some_and(|p| a.person_id != Some(p))
            || q.status
                .as_deref()
                .is_some_and(|s| !s.is_empty() && s != a.status)
            || q.meeting.is_some_and(|m| a.meeting_id != Some(m))
            || (q.overdue && !overdue)
            || (!text.is_empty()
                && !a.description.to_lowercase().contains(&text)
                && !meeting.to_lowercase().contains(&text)
                && !a.standard.to_lowercase().contains(&text))
        {
            continue;
        }
        let since = last
            .as_deref()
            .and_then(parse_time)
            .or_else(|| parse_time(&a.created_at));
        let every = if a.urgent {
            Duration::days(1)
        } else {
            Duration::days(7)
        };
        out.push(LedgerRow {
            follow_up_late: open && since.is_some_and(|s| at - s > every),
            cadence: if a.urgent { "daily" } else { "weekly" },
            action: a,
            meeting,
            person,
            overdue,
            due_soon,
            follow_ups: count,
            last_follow_up: last,
            task,
            task_status,
        });
    }
    Ok(out)
}

/// The Monday of the week of `d`.
pub fn week_of(d: NaiveDate) -> NaiveDate {
    d.week(Weekday::Mon).first_day()
}

/// One task's line in a weekly progress report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReportLine {
    pub task_id: i64,
    pub percent: i64,
    pub problems: String,
    pub resources: String,
}

/// Records a person's weekly report (per task: percent, problems, resources needed); the task's
/// percent done follows it. A second report for the same week replaces the first.
pub fn submit_report(
    conn: &mut Connection,
    actor: &str,
    person: i64,
    week: NaiveDate,
    lines: &[ReportLine],
) -> Result<()> {
    crate::people::get(conn, person)?;
    let week = week_of(week).to_string();
    let plan = crate::plan::load(conn)?;
    let tx = conn.transaction()?;
    for l in lines {
        let task = plan
            .task(l.task_id)
            .ok_or_else(|| Error::refused("plan.no_task", &[]))?;
        if !(0..=100).contains(&l.percent) {
            return Err(invalid("field.task.percent", "validation.percent"));
        }
        check_text("field.report.problems", &l.problems, 4000)?;
        check_text("field.report.resources", &l.resources, 4000)?;
        tx.execute(
            "INSERT INTO weekly_report (person_id, week, task_id, percent, problems, resources, sent_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (person_id, week, task_id) DO UPDATE SET percent = excluded.percent,
                problems = excluded.problems, resources = excluded.resources, sent_at = excluded.sent_at",
            params![person, week, l.task_id, l.percent, l.problems, l.resources, stamp(now())],
        )?;
        if task.percent_done != l.percent {
            let status = if l.percent == 100 {
                "done"
            } else if task.status == "not_started" && l.percent > 0 {
                "in_progress"
            } else {
                task.status.as_str()
            };
            tx.execute(
                "UPDATE task SET percent_done = ?1, status = ?2 WHERE id = ?3",
                params![l.percent, status, l.task_id],
            )?;
            crate::plan::audit_task(
                &tx,
                actor,
                l.task_id,
                &[(
                    "percentDone".into(),
                    task.percent_done.to_string(),
                    format!("{} ({week})", l.percent),
                )],
            )?;
            if status == "done" && task.status != "done" {
                close_linked(&tx, actor, l.task_id)?;
            }
        }
    }
    log(
        &tx,
        actor,
        &format!("report:{person}"),
        &week,
        None,
        Some(&serde_json::to_string(lines).expect("serializes")),
    )?;
    tx.commit()?;
    Ok(())
}

/// The weekly reports of `week`: (person, task, line).
pub fn reports(conn: &Connection, week: NaiveDate) -> Result<Vec<(i64, ReportLine)>> {
    let mut stmt = conn.prepare("SELECT person_id, task_id, percent, problems, resources FROM weekly_report WHERE week = ?1 ORDER BY person_id, task_id")?;
    let rows = stmt.query_map([week_of(week).to_string()], |r| {
        Ok((
            r.get(0)?,
            ReportLine {
                task_id: r.get(1)?,
                percent: r.get(2)?,
                problems: r.get(3)?,
                resources: r.get(4)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Owners of open tasks running in the week of `day` who have not reported for it yet.
pub fn missing_reports(conn: &Connection, day: NaiveDate) -> Result<Vec<i64>> {
    let plan = crate::plan::load(conn)?;
    let week = week_of(day);
    let sent: Vec<i64> = reports(conn, week)?.into_iter().map(|(p, _)| p).collect();
    let mut out: Vec<i64> = Vec::new();
    for (t, r) in plan.tasks.iter().zip(&plan.rows) {
        let running = r.start.is_some_and(|s| s <= week + Duration::days(6))
            && r.finish.is_some_and(|f| f >= week);
        if let Some(o) = t.owner_id {
            if !r.summary
                && t.status != "done"
                && running
                && !sent.contains(&o)
                && !out.contains(&o)
            {
                out.push(o);
            }
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CommEntry {
    pub id: i64,
    pub day: String,
    pub participants: Vec<i64>,
    pub topic: String,
    pub summary: String,
}

pub fn comm_log(conn: &Connection) -> Result<Vec<CommEntry>> {
    let mut stmt = conn.prepare(
        "SELECT id, day, participants, topic, summary FROM comm_log ORDER BY day DESC, id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(CommEntry {
            id: r.get(0)?,
            day: r.get(1)?,
            participants: json_list(&r.get::<_, String>(2)?),
            topic: r.get(3)?,
            summary: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds (id 0) or saves an entry of the communication log (date, participants, topic, summary);
/// its action items are ordinary action items pointing to it.
pub fn save_comm(conn: &mut Connection, actor: &str, c: &CommEntry) -> Result<CommEntry> {
    let mut c = c.clone();
    c.topic = c.topic.trim().to_string();
    if c.topic.is_empty() {
        return Err(invalid("field.comm.topic", "validation.required"));
    }
    check_text("field.comm.topic", &c.topic, 200)?;
    check_text("field.comm.summary", &c.summary, 8000)?;
    c.day = parse_date(&c.day)
        .ok_or_else(|| invalid("field.comm.day", "validation.date"))?
        .to_string();
    for p in &c.participants {
        crate::people::get(conn, *p)?;
    }
    let participants = serde_json::to_string(&c.participants).expect("serializes");
    let tx = conn.transaction()?;
    if c.id > 0 {
        tx.execute("UPDATE comm_log SET day = ?1, participants = ?2, topic = ?3, summary = ?4 WHERE id = ?5", params![c.day, participants, c.topic, c.summary, c.id])?;
    } else {
        tx.execute(
            "INSERT INTO comm_log (day, participants, topic, summary) VALUES (?1, ?2, ?3, ?4)",
            params![c.day, participants, c.topic, c.summary],
        )?;
        c.id = tx.last_insert_rowid();
    }
    log(
        &tx,
        actor,
        &format!("comm_log:{}", c.id),
        "saved",
        None,
        Some(&serde_json::to_string(&c).expect("serializes")),
    )?;
    tx.commit()?;
    Ok(c)
}

/// Keeps a background file in the project (at most `MAX_ATTACHMENT` bytes).
pub fn attach(
    conn: &mut Connection,
    actor: &str,
    meeting_id: i64,
    name: &str,
    data: &[u8],
) -> Result<i64> {
    meeting(conn, meeting_id)?;
    let name = name.trim();
    if name.is_empty() || data.len() > MAX_ATTACHMENT {
        return Err(Error::refused(
            "meeting.attachment_too_big",
            &[("mb", (MAX_ATTACHMENT / 1024 / 1024).to_string())],
        ));
    }
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO attachment (meeting_id, name, data, added_at) VALUES (?1, ?2, ?3, ?4)",
        params![meeting_id, name, data, stamp(now())],
    )?;
    let id = tx.last_insert_rowid();
    log(
        &tx,
        actor,
        &record(meeting_id),
        "attachment",
        None,
        Some(&format!("{name} ({} bytes)", data.len())),
    )?;
    tx.commit()?;
    Ok(id)
}

/// The background files of a meeting: (id, name, bytes).
pub fn attachments(conn: &Connection, meeting_id: i64) -> Result<Vec<(i64, String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT id, name, length(data) FROM attachment WHERE meeting_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([meeting_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn attachment_data(conn: &Connection, id: i64) -> Result<(String, Vec<u8>)> {
    conn.query_row(
        "SELECT name, data FROM attachment WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| Error::refused("control.no_record", &[]))
}

#[cfg(test)]
mod tests;
