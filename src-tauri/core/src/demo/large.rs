//! The deterministic large project the benchmarks use: many milestones, tasks, meetings with
//! action items, risks and issues, each written in one transaction.

use super::example::{worked_example, worked_example_people};
use super::DEMO_ACTOR;
use crate::error::Result;
use crate::meetings;
use crate::org;
use crate::people;
use crate::plan;
use crate::registration::{self, Milestone};
use crate::storage::Project;
use rusqlite::{params, Connection};
use std::path::Path;

/// Writes a large, deterministic project for benchmarks: the worked example with many milestones.
/// Later issues add their records (10,000 tasks, 1,000 meetings, 5,000 action items, 500 risks and
/// issues) here.
pub fn write_large(path: &Path) -> Result<Project> {
    write_large_sized(path, LARGE_TASKS)
}

/// `write_large` with `tasks` tasks (the Gantt chart's benchmark uses 2,000).
pub fn write_large_sized(path: &Path, tasks: usize) -> Result<Project> {
    write_large_with(
        path,
        LargeSize {
            tasks,
            ..LargeSize::default()
        },
    )
}

/// How big `write_large_with` makes the project (the bench's cost curve runs from 1,000 to 100,000
/// tasks and 1,000 to 10,000 meetings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LargeSize {
    pub tasks: usize,
    /// Meetings, each with five action items.
    pub meetings: usize,
}

impl Default for LargeSize {
    fn default() -> Self {
        LargeSize {
            tasks: LARGE_TASKS,
            meetings: LARGE_MEETINGS,
        }
    }
}

/// `write_large` of the given size.
pub fn write_large_with(path: &Path, size: LargeSize) -> Result<Project> {
    let tasks = size.tasks;
    let mut project = Project::create(path, "新品上市项目（大型基准）")?;
    let mut reg = worked_example();
    reg.name = "新品上市项目（大型基准）".into();
    reg.start_date = "2023-01-02".into();
    reg.end_date = "2027-12-31".into();
    let start = crate::clock::parse_date(&reg.start_date).expect("valid date");
    reg.milestones = (0..1000)
        .map(|i| Milestone {
            date: (start + chrono::Days::new(i as u64 + 1))
                .format("%Y-%m-%d")
                .to_string(),
            node: format!("第{}个里程碑：完成第{}批渠道的铺货与培训", i + 1, i + 1),
        })
        .collect();
    registration::save(project.conn_mut(), DEMO_ACTOR, &reg)?;
    for p in worked_example_people() {
        people::add(project.conn_mut(), DEMO_ACTOR, &p)?;
    }
    org::import_from_registration(project.conn_mut(), DEMO_ACTOR)?;
    write_large_plan(project.conn_mut(), start, tasks)?;
    write_large_meetings(project.conn_mut(), start, size.meetings, 5)?;
    write_large_control(project.conn_mut(), start, LARGE_RISKS)?;
    Ok(project)
}

/// How many risks (and as many issues) the large project has.
pub const LARGE_RISKS: usize = 250;

/// `n` risks and `n` issues, in one transaction.
fn write_large_control(conn: &mut Connection, start: chrono::NaiveDate, n: usize) -> Result<()> {
    let everyone: Vec<i64> = people::list(conn)?.into_iter().map(|p| p.id).collect();
    let levels = ["low", "medium", "high"];
    let tx = conn.transaction()?;
    for i in 0..n {
        let day = start + chrono::Days::new((i * 7) as u64);
        tx.execute(
            "INSERT INTO risk (description, level, owner_id, measures, contingency, raised_at, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                format!("第{}批渠道的物流与库存风险：城市{}的仓储容量不足", i + 1, i % 30 + 1),
                levels[i % 3],
                everyone[i % everyone.len()],
                format!("与第{}家物流商签订备用运力协议", i % 5 + 1),
                if i % 3 == 2 { "启用备选仓库，优先保障核心城市" } else { "" },
                format!("{day}T09:00:00"),
                if i % 4 == 0 { "closed" } else { "open" },
            ],
        )?;
        tx.execute(
            "INSERT INTO issue (description, impact, expected_solution, raised_by, raised_at,
                                scope, ladder, ladder_since, dispute, solution)
             VALUES (?1, ?2, ?3, ?4, ?5, 'cross', ?6, ?5, ?7, ?8)",
            params![
                format!("第{}批铺货的结算口径在销售部与财务部之间不一致", i + 1),
                format!("城市{}的首批铺货", i % 30 + 1),
                "按合同价结算，差额由市场部预算承担",
                everyone[(i + 1) % everyone.len()],
                format!("{day}T14:00:00"),
                1 + (i % 3) as i64,
                (i % 10 == 0) as i64,
                if i % 2 == 0 {
                    "双方确认按合同价结算"
                } else {
                    ""
                },
            ],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// How many meetings the large project has (each with five action items).
pub const LARGE_MEETINGS: usize = 1_000;

/// `n` weekly meetings with `per` action items each, in one transaction (the benchmark's ledger).
fn write_large_meetings(
    conn: &mut Connection,
    start: chrono::NaiveDate,
    n: usize,
    per: usize,
) -> Result<()> {
    let everyone: Vec<(i64, String)> = people::list(conn)?
        .into_iter()
        .map(|p| (p.id, p.department))
        .collect();
    let statuses = meetings::ACTION_STATUSES;
    let tx = conn.transaction()?;
    for i in 0..n {
        let day = start + chrono::Days::new((i * 2) as u64);
        tx.execute(
            "INSERT INTO meeting (title, starts_at, duration, agenda) VALUES (?1, ?2, 30, '[\"进度同步\"]')",
            params![format!("第{}次协调会：渠道批次{}", i + 1, i / 5 + 1), format!("{day}T10:00:00")],
        )?;
        let m = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO document_state (kind, doc_id, state) VALUES ('minutes', ?1, 'draft')",
            [m],
        )?;
        for j in 0..per {
            let (person, dept) = &everyone[(i + j) % everyone.len()];
            let due = day + chrono::Days::new((3 + j * 2) as u64);
            tx.execute(
                "INSERT INTO action_item (meeting_id, person_id, department, description, standard, deadline, due, status, urgent, created_at)
                 VALUES (?1, ?2, ?3, ?4, '书面确认', ?5, ?5, ?6, ?7, ?8)",
                params![m, person, dept, format!("行动项{}-{}：落实第{}城市的铺货与培训", i + 1, j + 1, j + 1), due.to_string(), statuses[(i + j) % statuses.len()], (i + j) % 7 == 0, format!("{day}T11:00:00")],
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// How many tasks the large project has (the figure the plan's benchmarks are set for).
pub const LARGE_TASKS: usize = 10_000;

/// `n` tasks in phases of 50 (a summary with 49 subtasks), each subtask after the previous one,
/// written in one transaction: the benchmark's plan, not an audited history.
fn write_large_plan(conn: &mut Connection, start: chrono::NaiveDate, n: usize) -> Result<()> {
    let depts: Vec<i64> = org::list(conn)?.iter().map(|d| d.id).collect();
    let owners: Vec<i64> = people::list(conn)?.iter().map(|p| p.id).collect();
    let statuses = plan::STATUSES;
    let tx = conn.transaction()?;
    let mut parent = 0i64;
    let mut prev: Option<i64> = None;
    for i in 0..n {
        let phase = i / 50;
        if i % 50 == 0 {
            tx.execute(
                "INSERT INTO task (parent_id, position, name, duration) VALUES (NULL, ?1, ?2, 0)",
                params![
                    phase as i64,
                    format!("第{}阶段：渠道批次{}", phase + 1, phase + 1)
                ],
            )?;
            parent = tx.last_insert_rowid();
            prev = None;
            continue;
        }
        let day = start + chrono::Days::new((phase * 7 + (i % 50) / 3) as u64);
        tx.execute(
            "INSERT INTO task (parent_id, position, name, lead_department, owner_id, start_date,
                duration, buffer, status, percent_done, collab_departments)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                parent,
                (i % 50) as i64,
                format!("任务{}：第{}城市铺货与培训", i + 1, i % 50),
                depts[i % depts.len()],
                owners[i % owners.len()],
                day.to_string(),
                (i % 9) as i64 + 1,
                (i % 3) as i64,
                statuses[i % statuses.len()],
                ((i * 7) % 101) as i64,
                format!("[{}]", depts[(i + 1) % depts.len()]),
            ],
        )?;
        let id = tx.last_insert_rowid();
        if let Some(p) = prev {
            tx.execute(
                "INSERT INTO dependency (predecessor_id, successor_id, kind, lag) VALUES (?1, ?2, 'ss', 0)",
                params![p, id],
            )?;
        }
        prev = Some(id);
    }
    tx.commit()?;
    Ok(())
}
