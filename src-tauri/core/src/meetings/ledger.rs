//! The follow-up ledger of all action items: the follow-up log, follow-ups of one or several items
//! (with their adjustments), and the ledger's rows.

use super::minutes::{action, action_columns_of_a, action_row};
use super::{log, meeting, ActionItem, ACTION_STATUSES};
use crate::clock::parse_date;
use crate::clock::{now, parse_time, stamp};
use crate::error::{Error, Result};
use crate::validate::{check_text, invalid};
use chrono::{Duration, NaiveDateTime};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

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
        let deadline = due.map(crate::clock::deadline);
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
