//! What a project gives the knowledge base: its lessons, decisions, risks, issues and changes as
//! entries, and its metrics.

use super::*;

pub(super) fn has_table(conn: &Connection, name: &str) -> bool {
    conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
    .unwrap_or(false)
}

pub(super) fn collect<T>(
    conn: &Connection,
    table: &str,
    sql: &str,
    f: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    if !has_table(conn, table) {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare(sql)?;
    let out = stmt.query_map([], f)?.collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

pub(super) fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// The records of a project the knowledge base finds.
pub(super) fn documents(conn: &Connection) -> Result<Vec<Doc>> {
    let mut out = Vec::new();
    out.extend(collect(
        conn,
        "retro_entry",
        "SELECT id, text, cause FROM retro_entry ORDER BY id",
        |r| {
            let (text, cause): (String, String) = (r.get(1)?, r.get(2)?);
            Ok(Doc {
                kind: "lesson",
                record: r.get(0)?,
                title: text.chars().take(60).collect(),
                body: join(&[&text, &cause]),
                at: String::new(),
            })
        },
    )?);
    out.extend(collect(
        conn,
        "topic",
        "SELECT m.id, m.title, t.title, t.discussion, t.result, t.disputes, t.settlement, m.starts_at
         FROM topic t JOIN meeting m ON m.id = t.meeting_id ORDER BY t.id",
        |r| {
            let v: Vec<String> = (1..8).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
            Ok(Doc {
                kind: "decision",
                record: r.get(0)?,
                title: format!("{} · {}", v[0], v[1]),
                body: join(&[&v[3], &v[5], &v[2], &v[4]]),
                at: v[6].clone(),
            })
        },
    )?);
    out.extend(collect(
        conn,
        "risk",
        "SELECT id, description, measures, contingency, raised_at FROM risk ORDER BY id",
        |r| {
            let v: Vec<String> = (1..5).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
            Ok(Doc {
                kind: "risk",
                record: r.get(0)?,
                title: v[0].chars().take(60).collect(),
                body: join(&[&v[0], &v[1], &v[2]]),
                at: v[3].clone(),
            })
        },
    )?);
    out.extend(collect(
        conn,
        "issue",
        "SELECT id, description, impact, expected_solution, solution, decision, raised_at
         FROM issue ORDER BY id",
        |r| {
            let v: Vec<String> = (1..7).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
            Ok(Doc {
                kind: "issue",
                record: r.get(0)?,
                title: v[0].chars().take(60).collect(),
                body: join(&[&v[0], &v[1], &v[2], &v[3], &v[4]]),
                at: v[5].clone(),
            })
        },
    )?);
    out.extend(collect(
        conn,
        "change_request",
        "SELECT id, title, reason, impact, alternatives, created_at FROM change_request ORDER BY id",
        |r| {
            let v: Vec<String> = (1..6).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
            Ok(Doc {
                kind: "change",
                record: r.get(0)?,
                title: v[0].clone(),
                body: join(&[&v[1], &v[2], &v[3]]),
                at: v[4].clone(),
            })
        },
    )?);
    Ok(out)
}

pub(super) fn days_between(a: &str, b: &str) -> Option<i64> {
    let a = chrono::NaiveDate::parse_from_str(a.get(..10)?, "%Y-%m-%d").ok()?;
    let b = chrono::NaiveDate::parse_from_str(b.get(..10)?, "%Y-%m-%d").ok()?;
    Some((b - a).num_days())
}

pub(super) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A project's figures, read from its file (older files give what they have).
pub fn metrics(conn: &Connection) -> Result<Metrics> {
    let mut m = Metrics::default();
    let reg = crate::registration::load(conn)?.registration;
    m.name = reg.name.clone();
    let closed_at: Option<String> = conn
        .query_row(
            "SELECT value FROM project_meta WHERE key = 'closed_at'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    m.closed = closed_at.is_some();
    if !reg.start_date.is_empty() {
        m.start = Some(reg.start_date.clone());
        m.planned_days = days_between(&reg.start_date, &reg.end_date);
        let accepted: Option<String> = if has_table(conn, "signoff_round") {
            conn.query_row(
                "SELECT max(closed_at) FROM signoff_round
                 WHERE kind = 'acceptance' AND status = 'approved'",
                [],
                |r| r.get(0),
            )?
        } else {
            None
        };
        if let Some(end) = accepted.or(closed_at.clone()) {
            m.cycle_days = days_between(&reg.start_date, &end);
        }
    }
    if has_table(conn, "task") {
        let plan = crate::plan::load(conn)?;
        let reference = closed_at
            .as_deref()
            .and_then(|c| chrono::NaiveDate::parse_from_str(c.get(..10)?, "%Y-%m-%d").ok())
            .unwrap_or_else(|| crate::clock::now().date());
        let done_at: HashMap<String, String> = collect(
            conn,
            "audit_log",
            "SELECT record, max(at) FROM audit_log
             WHERE field = 'status' AND after = 'done' AND record LIKE 'task:%' GROUP BY record",
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .into_iter()
        .collect();
        for (t, r) in plan.tasks.iter().zip(&plan.rows) {
            if r.summary {
                continue;
            }
            m.tasks += 1;
            let Some(finish) = r.finish else { continue };
            if finish > reference {
                continue;
            }
            m.tasks_due += 1;
            if t.status == "done" {
                let on_time = done_at
                    .get(&format!("task:{}", t.id))
                    .and_then(|at| at.get(..10))
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .is_none_or(|d| d <= finish);
                if on_time {
                    m.tasks_on_time += 1;
                }
            }
        }
        if m.tasks_due > 0 {
            m.on_time_rate = Some(round1(100.0 * m.tasks_on_time as f64 / m.tasks_due as f64));
        }
    }
    if has_table(conn, "issue") {
        let (issues, disputes, escalations): (i64, i64, i64) = conn.query_row(
            "SELECT count(*), coalesce(sum(dispute), 0), coalesce(sum(ladder > 1), 0) FROM issue",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        m.issues = issues;
        m.disputes = disputes;
        m.escalations = escalations;
        if m.tasks > 0 {
            m.dispute_rate = Some(round1(100.0 * disputes as f64 / m.tasks as f64));
        }
    }
    if has_table(conn, "evaluation") {
        let a = crate::acceptance::averages(&crate::acceptance::evaluations(conn)?);
        m.score_goal = a.goal.map(round1);
        m.score_efficiency = a.efficiency.map(round1);
        m.score_communication = a.communication.map(round1);
        m.score = a.overall.map(round1);
        m.lessons = conn.query_row("SELECT count(*) FROM retro_entry", [], |r| r.get(0))?;
    }
    Ok(m)
}
