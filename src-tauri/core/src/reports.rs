//! Weekly progress reports: each person's line per task (percent, problems, resources needed),
//! the task's percent done following it, and who has not reported yet.

use crate::clock::{now, stamp};
use crate::error::{Error, Result};
use crate::meetings::log;
use crate::plan::close_linked;
use crate::validate::{check_text, invalid};
use chrono::{Duration, NaiveDate, Weekday};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

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
