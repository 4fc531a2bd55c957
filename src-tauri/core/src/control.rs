//! The Tracking stage's registers: risks (低 / 中 / 高; a high risk needs a contingency plan and goes
//! to the decision layer) and cross-department issues with the three-level ladder (interface persons →
//! department heads → decision layer) and its clocks (a meeting within 24 h, a solution within 48 h,
//! else escalation is suggested; the user confirms it).

use crate::audit::{self, Change};
use crate::clock::{now, parse_time, stamp};
use crate::error::{Error, Result};
use crate::validate::{check_text, invalid};
use chrono::{Duration, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

pub const RISK_LEVELS: &[&str] = &["low", "medium", "high"];

fn text(field: &str, value: &str, required: bool) -> Result<String> {
    let v = value.trim().to_string();
    if required && v.is_empty() {
        return Err(invalid(field, "validation.required"));
    }
    check_text(field, &v, 4000)?;
    Ok(v)
}

fn person(conn: &Connection, field: &str, id: Option<i64>) -> Result<Option<i64>> {
    if let Some(p) = id {
        crate::people::get(conn, p).map_err(|_| invalid(field, "signoff.unknown_person"))?;
    }
    Ok(id)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Risk {
    pub id: i64,
    pub description: String,
    /// `low` (no effect on the whole schedule), `medium` (needs coordination), `high` (may delay
    /// the goal).
    pub level: String,
    pub owner_id: Option<i64>,
    pub measures: String,
    /// Required for a high risk.
    pub contingency: String,
    pub raised_at: String,
    /// `open` or `closed`.
    pub status: String,
}

impl Default for Risk {
    fn default() -> Self {
        Risk {
            id: 0,
            description: String::new(),
            level: "low".into(),
            owner_id: None,
            measures: String::new(),
            contingency: String::new(),
            raised_at: String::new(),
            status: "open".into(),
        }
    }
}

impl Risk {
    /// A high risk goes to the decision layer.
    pub fn for_decision(&self) -> bool {
        self.level == "high"
    }
}

pub fn risks(conn: &Connection) -> Result<Vec<Risk>> {
    let mut stmt = conn.prepare(
        "SELECT id, description, level, owner_id, measures, contingency, raised_at, status
         FROM risk ORDER BY status DESC, CASE level WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Risk {
            id: r.get(0)?,
            description: r.get(1)?,
            level: r.get(2)?,
            owner_id: r.get(3)?,
            measures: r.get(4)?,
            contingency: r.get(5)?,
            raised_at: r.get(6)?,
            status: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds (id 0) or saves a risk. A high risk without a contingency plan is refused.
pub fn save_risk(conn: &mut Connection, actor: &str, r: &Risk) -> Result<Risk> {
    let mut r = r.clone();
    r.description = text("field.risk.description", &r.description, true)?;
    r.measures = text("field.risk.measures", &r.measures, false)?;
    r.contingency = text("field.risk.contingency", &r.contingency, false)?;
    if !RISK_LEVELS.contains(&r.level.as_str()) {
        return Err(invalid("field.risk.level", "validation.required"));
    }
    if r.level == "high" && r.contingency.is_empty() {
        return Err(invalid(
            "field.risk.contingency",
            "risk.contingency_required",
        ));
    }
    if r.status != "closed" {
        r.status = "open".into();
    }
    r.owner_id = person(conn, "field.risk.owner", r.owner_id)?;
    let before = if r.id > 0 {
        Some(
            risks(conn)?
                .into_iter()
                .find(|x| x.id == r.id)
                .ok_or_else(|| Error::refused("control.no_record", &[]))?,
        )
    } else {
        None
    };
    r.raised_at = match (&before, parse_time(&r.raised_at)) {
        (Some(b), _) => b.raised_at.clone(),
        (None, Some(t)) => stamp(t),
        (None, None) => stamp(now()),
    };
    if before.as_ref() == Some(&r) {
        return Ok(r);
    }
    let tx = conn.transaction()?;
    if r.id > 0 {
        tx.execute(
            "UPDATE risk SET description = ?1, level = ?2, owner_id = ?3, measures = ?4,
                contingency = ?5, status = ?6 WHERE id = ?7",
            params![
                r.description,
                r.level,
                r.owner_id,
                r.measures,
                r.contingency,
                r.status,
                r.id
            ],
        )?;
    } else {
        tx.execute(
            "INSERT INTO risk (description, level, owner_id, measures, contingency, raised_at, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![r.description, r.level, r.owner_id, r.measures, r.contingency, r.raised_at, r.status],
        )?;
        r.id = tx.last_insert_rowid();
    }
    let before_v = before.map(|b| serde_json::to_value(b).expect("serializes"));
    crate::audit::record_diff(
        &tx,
        actor,
        &format!("risk:{}", r.id),
        before_v.as_ref(),
        &serde_json::to_value(&r).expect("serializes"),
    )?;
    tx.commit()?;
    Ok(r)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Issue {
    pub id: i64,
    pub description: String,
    pub impact: String,
    pub expected_solution: String,
    pub raised_by: Option<i64>,
    pub raised_at: String,
    /// `minor` (inside one department) or `cross` (cross-department).
    pub scope: String,
    /// 1: interface persons, 2: department heads, 3: the decision layer (its decision is final).
    pub ladder: i64,
    /// When the issue reached its current level (the clocks run from here).
    pub ladder_since: String,
    /// A dispute between departments (纠纷), counted on the dashboard.
    pub dispute: bool,
    pub meeting_at: Option<String>,
    pub solution: String,
    pub solution_owner: Option<i64>,
    pub solution_deadline: Option<String>,
    pub solved_at: Option<String>,
    pub closed_at: Option<String>,
    /// The decision layer's decision (final).
    pub decision: String,
}

impl Default for Issue {
    fn default() -> Self {
        Issue {
            id: 0,
            description: String::new(),
            impact: String::new(),
            expected_solution: String::new(),
            raised_by: None,
            raised_at: String::new(),
            scope: "cross".into(),
            ladder: 1,
            ladder_since: String::new(),
            dispute: false,
            meeting_at: None,
            solution: String::new(),
            solution_owner: None,
            solution_deadline: None,
            solved_at: None,
            closed_at: None,
            decision: String::new(),
        }
    }
}

/// Where an issue stands against its clocks at a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Clock {
    pub meeting_due: Option<String>,
    pub solution_due: Option<String>,
    pub meeting_late: bool,
    pub solution_late: bool,
    /// Escalation to the next level is suggested (the user confirms it).
    pub suggest_escalation: bool,
}

impl Issue {
    pub fn open(&self) -> bool {
        self.solved_at.is_none() && self.closed_at.is_none()
    }

    /// The clocks of a cross-department issue at `now`: a meeting within `meeting_hours` and a
    /// solution within `solution_hours` of reaching its current level. Minor issues run no clock.
    pub fn clock(&self, now: NaiveDateTime, meeting_hours: i64, solution_hours: i64) -> Clock {
        let since = parse_time(&self.ladder_since).or_else(|| parse_time(&self.raised_at));
        let (Some(since), true, true) = (since, self.scope == "cross", self.open()) else {
            return Clock {
                meeting_due: None,
                solution_due: None,
                meeting_late: false,
                solution_late: false,
                suggest_escalation: false,
            };
        };
        let meeting_due = since + Duration::hours(meeting_hours);
        let solution_due = since + Duration::hours(solution_hours);
        // "24 h after it was raised": at the 24th hour without a meeting, the clock has run out.
        let meeting_late = self.meeting_at.is_none() && now >= meeting_due;
        let solution_late = now >= solution_due;
        Clock {
            meeting_due: Some(stamp(meeting_due)),
            solution_due: Some(stamp(solution_due)),
            meeting_late,
            solution_late,
            suggest_escalation: solution_late && self.ladder < 3,
        }
    }
}

pub fn issues(conn: &Connection) -> Result<Vec<Issue>> {
    let mut stmt = conn.prepare(
        "SELECT id, description, impact, expected_solution, raised_by, raised_at, scope, ladder,
                ladder_since, dispute, meeting_at, solution, solution_owner, solution_deadline,
                solved_at, closed_at, decision
         FROM issue ORDER BY (solved_at IS NULL AND closed_at IS NULL) DESC, ladder DESC, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Issue {
            id: r.get(0)?,
            description: r.get(1)?,
            impact: r.get(2)?,
            expected_solution: r.get(3)?,
            raised_by: r.get(4)?,
            raised_at: r.get(5)?,
            scope: r.get(6)?,
            ladder: r.get(7)?,
            ladder_since: r.get(8)?,
            dispute: r.get(9)?,
            meeting_at: r.get(10)?,
            solution: r.get(11)?,
            solution_owner: r.get(12)?,
            solution_deadline: r.get(13)?,
            solved_at: r.get(14)?,
            closed_at: r.get(15)?,
            decision: r.get(16)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn opt_time(field: &str, v: &Option<String>) -> Result<Option<String>> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => Ok(Some(stamp(
            parse_time(s).ok_or_else(|| invalid(field, "validation.date"))?,
        ))),
    }
}

/// Adds (id 0) or saves an issue. The level changes only through `escalate`. A solution names its
/// measures, owner and deadline before the issue counts as solved.
pub fn save_issue(conn: &mut Connection, actor: &str, i: &Issue) -> Result<Issue> {
    let mut i = i.clone();
    i.description = text("field.issue.description", &i.description, true)?;
    i.impact = text("field.issue.impact", &i.impact, false)?;
    i.expected_solution = text("field.issue.expected_solution", &i.expected_solution, false)?;
    i.solution = text("field.issue.solution", &i.solution, false)?;
    i.decision = text("field.issue.decision", &i.decision, false)?;
    if i.scope != "minor" {
        i.scope = "cross".into();
    }
    i.raised_by = person(conn, "field.issue.raised_by", i.raised_by)?;
    i.solution_owner = person(conn, "field.issue.solution_owner", i.solution_owner)?;
    i.meeting_at = opt_time("field.issue.meeting_at", &i.meeting_at)?;
    i.solved_at = opt_time("field.issue.solved_at", &i.solved_at)?;
    i.closed_at = opt_time("field.issue.closed_at", &i.closed_at)?;
    i.solution_deadline = match i.solution_deadline.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(
            crate::clock::parse_date(s)
                .ok_or_else(|| invalid("field.issue.solution_deadline", "validation.date"))?
                .to_string(),
        ),
    };
    if i.solved_at.is_some()
        && (i.solution.is_empty() || i.solution_owner.is_none() || i.solution_deadline.is_none())
    {
        return Err(invalid("field.issue.solution", "issue.solution_incomplete"));
    }
    let before = if i.id > 0 {
        Some(
            issues(conn)?
                .into_iter()
                .find(|x| x.id == i.id)
                .ok_or_else(|| Error::refused("control.no_record", &[]))?,
        )
    } else {
        None
    };
    match &before {
        Some(b) => {
            i.raised_at = b.raised_at.clone();
            i.ladder = b.ladder;
            i.ladder_since = b.ladder_since.clone();
        }
        None => {
            i.raised_at = stamp(parse_time(&i.raised_at).unwrap_or_else(now));
            i.ladder = 1;
            i.ladder_since = i.raised_at.clone();
        }
    }
    if before.as_ref() == Some(&i) {
        return Ok(i);
    }
    let tx = conn.transaction()?;
    if i.id > 0 {
        tx.execute(
            "UPDATE issue SET description = ?1, impact = ?2, expected_solution = ?3, raised_by = ?4,
                scope = ?5, dispute = ?6, meeting_at = ?7, solution = ?8, solution_owner = ?9,
                solution_deadline = ?10, solved_at = ?11, closed_at = ?12, decision = ?13
             WHERE id = ?14",
            params![
                i.description, i.impact, i.expected_solution, i.raised_by, i.scope, i.dispute,
                i.meeting_at, i.solution, i.solution_owner, i.solution_deadline, i.solved_at,
                i.closed_at, i.decision, i.id
            ],
        )?;
    } else {
        tx.execute(
            "INSERT INTO issue (description, impact, expected_solution, raised_by, raised_at, scope,
                ladder, ladder_since, dispute, meeting_at, solution, solution_owner,
                solution_deadline, solved_at, closed_at, decision)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?5, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                i.description, i.impact, i.expected_solution, i.raised_by, i.raised_at, i.scope,
                i.dispute, i.meeting_at, i.solution, i.solution_owner, i.solution_deadline,
                i.solved_at, i.closed_at, i.decision
            ],
        )?;
        i.id = tx.last_insert_rowid();
    }
    let before_v = before.map(|b| serde_json::to_value(b).expect("serializes"));
    crate::audit::record_diff(
        &tx,
        actor,
        &format!("issue:{}", i.id),
        before_v.as_ref(),
        &serde_json::to_value(&i).expect("serializes"),
    )?;
    tx.commit()?;
    Ok(i)
}

/// Moves an open issue one level up the ladder (the user confirms the suggestion, with a reason);
/// its clocks start again. The decision layer is the last level.
pub fn escalate(
    conn: &mut Connection,
    actor: &str,
    id: i64,
    reason: &str,
    at: NaiveDateTime,
) -> Result<Issue> {
    let issue = issues(conn)?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or_else(|| Error::refused("control.no_record", &[]))?;
    if !issue.open() {
        return Err(Error::refused("issue.closed", &[]));
    }
    if issue.ladder >= 3 {
        return Err(Error::refused("issue.top_level", &[]));
    }
    let reason = text("field.issue.escalation_reason", reason, true)?;
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE issue SET ladder = ladder + 1, ladder_since = ?1, meeting_at = NULL WHERE id = ?2",
        params![stamp(at), id],
    )?;
    let (b, a) = (issue.ladder.to_string(), (issue.ladder + 1).to_string());
    let record = format!("issue:{id}");
    audit::append(
        &tx,
        actor,
        &[
            Change {
                record: &record,
                field: "ladder",
                before: Some(&b),
                after: Some(&a),
            },
            Change {
                record: &record,
                field: "escalation_reason",
                before: None,
                after: Some(&reason),
            },
        ],
    )?;
    tx.commit()?;
    issues(conn)?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or_else(|| Error::refused("control.no_record", &[]))
}

/// How many issues were escalated at least once, and how many are disputes.
pub fn counts(list: &[Issue]) -> (usize, usize) {
    (
        list.iter().filter(|i| i.ladder > 1).count(),
        list.iter().filter(|i| i.dispute).count(),
    )
}

/// One risk by id.
pub fn risk(conn: &Connection, id: i64) -> Result<Risk> {
    risks(conn)?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or_else(|| Error::refused("control.no_record", &[]))
}

/// Whether a table of schema 5 exists (files opened read-only by `check` may be older).
pub fn has_control(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'issue'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .is_some())
}
