//! The plan stage: the task tree (WBS, 任务分配表) with outline numbers, dependencies, the
//! working-day calendar, buffers, the baseline, and countersigned publication.
//!
//! A task stores its start and its duration in working days plus a buffer; its finish follows the
//! calendar, so a holiday entered later moves it. Tasks with children are summaries: their dates
//! and progress are rolled up from the children. The plan is signed as one document (`plan`, 1);
//! each approved round is a published version whose frozen content is the baseline.

pub mod calendar;
mod calendar_store;
pub mod holidays;
mod links;
mod publish;
pub mod schedule;
mod tasks;
pub mod view;

pub use calendar_store::{calendar_days, load_calendar, set_calendar_day, CalendarDay};
pub use links::{add_link, fix_start, load_links, remove_link, update_link};
pub use publish::{
    baseline, check_publishable, compare, content, countersigners, publish, slip, Baseline,
    Comparison, DOCUMENT,
};
pub use tasks::{
    add_task, close_linked, delete_task, load_tasks, move_task, update_task, Move, NewTask, Saved,
};
pub(crate) use tasks::{audit_task, checked, task_changes, write_task};

use crate::clock::parse_date;
use crate::error::{Error, Result};
use calendar::Calendar;
use chrono::NaiveDate;
use rusqlite::Connection;
use schedule::{Link, Node, Span, Violation};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Task statuses (未开始 / 进行中 / 已完成 / 阻塞 / 需支持); labels are `status.<code>`.
pub const STATUSES: &[&str] = &[
    "not_started",
    "in_progress",
    "done",
    "blocked",
    "needs_support",
];

/// Refuses a schedule edit while the plan is being countersigned, and once it is published (then
/// the schedule changes through a change request; progress stays editable).
pub fn ensure_schedulable(conn: &Connection) -> Result<()> {
    crate::doc_state::ensure_editable(conn, crate::DocKind::Plan, 1)?;
    if baseline(conn)?.is_some() {
        return Err(Error::refused("plan.use_change_request", &[]));
    }
    Ok(())
}

/// The fields of a task that report progress rather than plan it.
const PROGRESS: &[&str] = &["status", "statusReason", "statusSuggestion", "percentDone"];

/// The longest task the plan accepts, in working days (ten years); also the largest lag.
pub const MAX_DAYS: i64 = 2600;

/// The deepest task tree the plan accepts: a task at most this many levels down (a top-level task
/// is level 1). Real work breakdowns stop at four to six levels; twenty leaves room for any
/// genuine plan while keeping outline numbers (`1.2.3…`) and indented documents small, so that a
/// hostile file of thousands of levels cannot take gigabytes.
pub const MAX_DEPTH: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Task {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub position: i64,
    pub name: String,
    pub lead_department: Option<i64>,
    pub collab_departments: Vec<i64>,
    pub owner_id: Option<i64>,
    pub collaborators: Vec<i64>,
    pub start_date: Option<String>,
    /// Working days of work (0 for a milestone).
    pub duration: i64,
    /// Working days of buffer after the work.
    pub buffer: i64,
    pub milestone: bool,
    pub delivery_standard: String,
    pub resource_needs: String,
    pub risk_plan: String,
    pub status: String,
    pub status_reason: String,
    pub status_suggestion: String,
    pub percent_done: i64,
}

impl Default for Task {
    fn default() -> Self {
        Task {
            id: 0,
            parent_id: None,
            position: 0,
            name: String::new(),
            lead_department: None,
            collab_departments: Vec::new(),
            owner_id: None,
            collaborators: Vec::new(),
            start_date: None,
            duration: 1,
            buffer: 0,
            milestone: false,
            delivery_standard: String::new(),
            resource_needs: String::new(),
            risk_plan: String::new(),
            status: "not_started".into(),
            status_reason: String::new(),
            status_suggestion: String::new(),
            percent_done: 0,
        }
    }
}

/// A task's place in the plan as computed: outline number, depth, dates after roll-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: i64,
    pub outline: String,
    pub depth: usize,
    pub summary: bool,
    pub start: Option<NaiveDate>,
    /// The last day of work.
    pub work_finish: Option<NaiveDate>,
    /// The last day including the buffer: the task's deadline.
    pub finish: Option<NaiveDate>,
    pub percent: i64,
}

/// The plan in memory: tasks in outline order with their computed rows, links and the calendar.
#[derive(Debug, Clone)]
pub struct Plan {
    pub tasks: Vec<Task>,
    pub rows: Vec<Row>,
    pub links: Vec<Link>,
    pub calendar: Calendar,
    index: HashMap<i64, usize>,
}

/// Reads the whole plan and computes it.
pub fn load(conn: &Connection) -> Result<Plan> {
    Ok(Plan::new(
        load_tasks(conn)?,
        load_links(conn)?,
        load_calendar(conn)?,
    ))
}

impl Plan {
    /// Orders `tasks` by outline and computes every row: leaves from their start, duration and
    /// buffer on the calendar; summaries from their children.
    pub fn new(tasks: Vec<Task>, links: Vec<Link>, calendar: Calendar) -> Plan {
        let nodes: Vec<Node> = tasks
            .iter()
            .map(|t| Node {
                id: t.id,
                parent: t.parent_id,
                position: t.position,
            })
            .collect();
        let order = schedule::outline(&nodes);
        let mut by_id: HashMap<i64, Task> = tasks.into_iter().map(|t| (t.id, t)).collect();
        let mut tasks = Vec::with_capacity(order.len());
        let mut rows = Vec::with_capacity(order.len());
        let mut index = HashMap::with_capacity(order.len());
        for (i, (id, outline, depth)) in order.into_iter().enumerate() {
            let t = by_id.remove(&id).expect("every node is a task");
            index.insert(id, i);
            let start = t.start_date.as_deref().and_then(parse_date);
            let (start, work_finish, finish) = match start {
                Some(s) => {
                    let first = calendar.next_working(s);
                    let days = if t.milestone { 0 } else { t.duration };
                    let work = calendar.finish(first, days);
                    let end = if t.buffer > 0 {
                        calendar.add_working_days(work, t.buffer)
                    } else {
                        work
                    };
                    (Some(first), Some(work), Some(end))
                }
                None => (None, None, None),
            };
            rows.push(Row {
                id,
                outline,
                depth,
                summary: false,
                start,
                work_finish,
                finish,
                percent: t.percent_done,
            });
            tasks.push(t);
        }
        // Roll up: children come after their parent in outline order, so walking backwards sees
        // every child before its parent. Progress is weighted by working days.
        let mut acc: HashMap<i64, (Option<NaiveDate>, Option<NaiveDate>, i64, i64)> =
            HashMap::new();
        for i in (0..rows.len()).rev() {
            let id = rows[i].id;
            if let Some((start, finish, weight, done)) = acc.remove(&id) {
                let r = &mut rows[i];
                r.summary = true;
                r.start = start;
                r.work_finish = finish;
                r.finish = finish;
                r.percent = if weight > 0 { done / weight } else { 0 };
                r.percent = r.percent.clamp(0, 100);
            }
            let r = &rows[i];
            let Some(parent) = tasks[i].parent_id.filter(|p| index.contains_key(p)) else {
                continue;
            };
            let weight = match (r.start, r.finish) {
                (Some(s), Some(f)) => calendar.working_days(s, f).max(1),
                _ => 1,
            };
            let e = acc.entry(parent).or_insert((None, None, 0, 0));
            e.0 = min_opt(e.0, r.start);
            e.1 = max_opt(e.1, r.finish);
            e.2 = e.2.saturating_add(weight);
            e.3 =
                e.3.saturating_add(weight.saturating_mul(r.percent.clamp(0, 100)));
        }
        Plan {
            tasks,
            rows,
            links,
            calendar,
            index,
        }
    }

    /// One dependency by id.
    pub fn link(&self, id: i64) -> Result<Link> {
        self.links
            .iter()
            .find(|l| l.id == id)
            .copied()
            .ok_or_else(|| Error::refused("plan.no_link", &[]))
    }

    pub fn position(&self, id: i64) -> Option<usize> {
        self.index.get(&id).copied()
    }

    pub fn task(&self, id: i64) -> Option<&Task> {
        self.position(id).map(|i| &self.tasks[i])
    }

    pub fn row(&self, id: i64) -> Option<&Row> {
        self.position(id).map(|i| &self.rows[i])
    }

    /// Each dated task's span, work plus buffer.
    pub fn spans(&self) -> HashMap<i64, Span> {
        self.rows
            .iter()
            .filter_map(|r| {
                Some((
                    r.id,
                    Span {
                        start: r.start?,
                        finish: r.finish?,
                    },
                ))
            })
            .collect()
    }

    pub fn violations(&self) -> Vec<Violation> {
        schedule::violations(&self.calendar, &self.spans(), &self.links)
    }

    /// `1.2 销售培训材料制作` — how messages name a task.
    pub fn label(&self, id: i64) -> String {
        match (self.row(id), self.task(id)) {
            (Some(r), Some(t)) => format!("{} {}", r.outline, t.name),
            _ => format!("#{id}"),
        }
    }

    /// Refuses to put a subtree `levels` deep (1: a single task) under `parent` when its lowest
    /// task would be deeper than `MAX_DEPTH`.
    pub fn check_child_depth(&self, parent: Option<i64>, levels: usize) -> Result<()> {
        let above = parent.and_then(|p| self.row(p)).map_or(0, |r| r.depth + 1);
        if above.saturating_add(levels) > MAX_DEPTH {
            return Err(Error::refused(
                "plan.too_deep",
                &[("max", MAX_DEPTH.to_string())],
            ));
        }
        Ok(())
    }

    /// The levels of the subtree under `id`, itself included (1 for a task without children).
    pub fn height(&self, id: i64) -> usize {
        let Some(top) = self.row(id).map(|r| r.depth) else {
            return 1;
        };
        self.subtree(id)
            .iter()
            .filter_map(|t| self.row(*t))
            .map(|r| r.depth.saturating_sub(top) + 1)
            .max()
            .unwrap_or(1)
    }

    fn is_ancestor(&self, ancestor: i64, of: i64) -> bool {
        let mut cur = self.task(of).and_then(|t| t.parent_id);
        let mut steps = 0;
        while let Some(p) = cur {
            if p == ancestor {
                return true;
            }
            steps += 1;
            if steps > self.tasks.len() {
                return false;
            }
            cur = self.task(p).and_then(|t| t.parent_id);
        }
        false
    }

    fn children(&self, parent: Option<i64>) -> Vec<&Task> {
        let mut kids: Vec<&Task> = self
            .tasks
            .iter()
            .filter(|t| t.parent_id == parent)
            .collect();
        kids.sort_by_key(|t| (t.position, t.id));
        kids
    }

    fn subtree(&self, id: i64) -> Vec<i64> {
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            let at = out[i];
            out.extend(
                self.tasks
                    .iter()
                    .filter(|t| t.parent_id == Some(at))
                    .map(|t| t.id),
            );
            i += 1;
        }
        out
    }
}

fn min_opt(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn max_opt(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

#[cfg(test)]
mod tests;
