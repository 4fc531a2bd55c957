//! A meeting's notice: saving it (time, duration, form, place, attendees, agenda), a meeting made
//! from the communication plan, its time limit, and sending the notice in time.

use super::{log, meeting, record, Meeting};
use crate::clock::{parse_time, stamp};
use crate::error::{Error, Result};
use crate::validate::{check_text, invalid};
use chrono::NaiveDateTime;
use rusqlite::{params, Connection};

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
        crate::doc_state::ensure_editable(conn, crate::DocKind::Minutes, m.id)?;
        let b = meeting(conn, m.id)?;
        m.notice_sent_at = b.notice_sent_at.clone();
        m.minutes_sent_at = b.minutes_sent_at.clone();
        // A notice already out is revised when the time or place moves: calendars take the
        // invitation with the higher SEQUENCE as the update of the same event (RFC 5546).
        let moved = (&b.starts_at, b.duration, &b.place) != (&m.starts_at, m.duration, &m.place);
        m.sequence = b.sequence + i64::from(b.notice_sent_at.is_some() && moved);
        Some(b)
    } else {
        m.notice_sent_at = None;
        m.minutes_sent_at = None;
        m.sequence = 0;
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
                kind = ?6, comm_plan_id = ?7, agenda = ?8, recorder_id = ?9, resources = ?10,
                notice_sequence = ?12
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
                m.id,
                m.sequence
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
/// (The user sent it another way and says so; `send::mail` sends it and calls `mark_notice_sent`.)
pub fn send_notice(conn: &mut Connection, actor: &str, id: i64, at: NaiveDateTime) -> Result<bool> {
    let m = meeting(conn, id)?;
    if m.attendees.is_empty() {
        return Err(Error::refused("meeting.no_attendees", &[]));
    }
    let tx = conn.transaction()?;
    mark_notice_sent(&tx, actor, id, at)?;
    tx.commit()?;
    let cal = crate::plan::load_calendar(conn)?;
    Ok(notice_late(&cal, &m, at))
}

/// Records, in the caller's transaction, that the notice of meeting `id` went out at `at` (with
/// its audit entry).
pub fn mark_notice_sent(tx: &Connection, actor: &str, id: i64, at: NaiveDateTime) -> Result<()> {
    tx.execute(
        "UPDATE meeting SET notice_sent_at = ?1 WHERE id = ?2",
        params![stamp(at), id],
    )?;
    log(
        tx,
        actor,
        &record(id),
        "notice_sent",
        None,
        Some(&stamp(at)),
    )
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
