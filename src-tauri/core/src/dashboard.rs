//! The Tracking stage's dashboard: progress by department, the on-time rate, open issues and risks by
//! level, escalations, disputes, overdue tasks and the warnings, each with the records behind it.

use crate::control;
use crate::error::Result;
use crate::warnings::{self, Warning};
use chrono::NaiveDateTime;
use rusqlite::Connection;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DepartmentProgress {
    pub id: i64,
    pub name: String,
    /// Working-day weighted percent done of the tasks it leads.
    pub percent: i64,
    pub tasks: usize,
    pub done: usize,
    pub overdue: Vec<i64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    pub departments: Vec<DepartmentProgress>,
    /// Of the tasks whose deadline has passed, the share done (None before any deadline).
    pub on_time_rate: Option<i64>,
    pub due_tasks: usize,
    pub overdue_tasks: Vec<i64>,
    /// Open risks per level: low, medium, high (ids).
    pub risks: [Vec<i64>; 3],
    /// Open issues per ladder level 1–3 (ids).
    pub issues: [Vec<i64>; 3],
    pub escalated: Vec<i64>,
    pub disputes: Vec<i64>,
    pub warnings: Vec<Warning>,
}

pub fn build(conn: &Connection, now: NaiveDateTime) -> Result<Dashboard> {
    let snap = warnings::snapshot(conn)?;
    let settings = warnings::settings(conn)?;
    let list = warnings::evaluate(&snap, now, &settings);
    let plan = &snap.plan;
    let mut departments: Vec<DepartmentProgress> = crate::org::list(conn)?
        .into_iter()
        .map(|d| DepartmentProgress {
            id: d.id,
            name: d.name,
            percent: 0,
            tasks: 0,
            done: 0,
            overdue: Vec::new(),
        })
        .collect();
    let mut weights = vec![(0i64, 0i64); departments.len()];
    let (mut due, mut due_done, mut overdue_tasks) = (0usize, 0usize, Vec::new());
    for (t, r) in plan.tasks.iter().zip(&plan.rows) {
        if r.summary {
            continue;
        }
        let late = r.finish.is_some_and(|f| now >= warnings::deadline(f));
        if late {
            due += 1;
            if t.status == "done" {
                due_done += 1;
            } else {
                overdue_tasks.push(t.id);
            }
        }
        let Some(i) = departments
            .iter()
            .position(|d| Some(d.id) == t.lead_department)
        else {
            continue;
        };
        let w = match (r.start, r.finish) {
            (Some(s), Some(f)) => plan.calendar.working_days(s, f).max(1),
            _ => 1,
        };
        weights[i].0 += w;
        weights[i].1 += w * t.percent_done;
        let d = &mut departments[i];
        d.tasks += 1;
        if t.status == "done" {
            d.done += 1;
        }
        if late && t.status != "done" {
            d.overdue.push(t.id);
        }
    }
    for (d, (w, p)) in departments.iter_mut().zip(weights) {
        d.percent = if w > 0 { p / w } else { 0 };
    }
    let mut risks: [Vec<i64>; 3] = Default::default();
    let mut issues: [Vec<i64>; 3] = Default::default();
    let (mut escalated, mut disputes) = (Vec::new(), Vec::new());
    if control::has_control(conn)? {
        for r in control::risks(conn)?
            .into_iter()
            .filter(|r| r.status == "open")
        {
            let i = control::RISK_LEVELS
                .iter()
                .position(|l| *l == r.level)
                .unwrap_or(0);
            risks[i].push(r.id);
        }
        for i in control::issues(conn)? {
            if i.ladder > 1 {
                escalated.push(i.id);
            }
            if i.dispute {
                disputes.push(i.id);
            }
            if i.open() {
                issues[(i.ladder.clamp(1, 3) - 1) as usize].push(i.id);
            }
        }
    }
    Ok(Dashboard {
        departments,
        on_time_rate: (due > 0).then(|| (due_done * 100 / due) as i64),
        due_tasks: due,
        overdue_tasks,
        risks,
        issues,
        escalated,
        disputes,
        warnings: list,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_dashboard_counts_what_its_records_say() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.liaison");
        let project = crate::demo::write_example(&path).unwrap();
        let now = crate::clock::parse_time("2023-11-06T09:00:00").unwrap();
        let d = build(project.conn(), now).unwrap();
        // By 11-06: 1.1 (done), 1.2 and 2.2 have passed their deadlines; two are not done.
        assert_eq!(d.due_tasks, 3);
        assert_eq!(d.on_time_rate, Some(33));
        assert_eq!(d.overdue_tasks.len(), 2);
        assert_eq!(d.risks.iter().map(Vec::len).collect::<Vec<_>>(), [1, 1, 1]);
        // One open issue at level 2 (escalated, a dispute); the minor one is solved.
        assert_eq!(d.issues[1].len(), 1);
        assert_eq!((d.escalated.len(), d.disputes.len()), (1, 1));
        let sales = d.departments.iter().find(|x| x.name == "销售部").unwrap();
        assert_eq!(sales.overdue.len(), 1);
        assert!(d.warnings.iter().any(|w| w.rule == "change_waiting"));
        assert!(d.warnings.iter().any(|w| w.rule == "risk_high"));
    }
}
