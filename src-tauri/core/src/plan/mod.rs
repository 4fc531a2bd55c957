//! The plan stage: the task tree (WBS, 任务分配表) with outline numbers, dependencies, the
//! working-day calendar, buffers, the baseline, and countersigned publication.
//!
//! A task stores its start and its duration in working days plus a buffer; its finish follows the
//! calendar, so a holiday entered later moves it. Tasks with children are summaries: their dates
//! and progress are rolled up from the children. The plan is signed as one document (`plan`, 1);
//! each approved round is a published version whose frozen content is the baseline.

pub mod calendar;
pub mod holidays;
pub mod schedule;
pub mod view;

use crate::audit::{self, Change};
use crate::error::{Error, Result};
use crate::registration::parse_date;
use crate::signoff;
use crate::validate::{check_text, invalid};
use calendar::Calendar;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use schedule::{Link, LinkKind, Node, Span, Violation};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
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
    signoff::ensure_editable(conn, "plan", 1)?;
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

const TASK_COLUMNS: &str = "id, parent_id, position, name, lead_department, collab_departments,
    owner_id, collaborators, start_date, duration, buffer, milestone, delivery_standard,
    resource_needs, risk_plan, status, status_reason, status_suggestion, percent_done";

fn task_row(r: &rusqlite::Row) -> rusqlite::Result<Task> {
    Ok(Task {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        position: r.get(2)?,
        name: r.get(3)?,
        lead_department: r.get(4)?,
        collab_departments: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default(),
        owner_id: r.get(6)?,
        collaborators: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default(),
        start_date: r.get(8)?,
        duration: r.get(9)?,
        buffer: r.get(10)?,
        milestone: r.get(11)?,
        delivery_standard: r.get(12)?,
        resource_needs: r.get(13)?,
        risk_plan: r.get(14)?,
        status: r.get(15)?,
        status_reason: r.get(16)?,
        status_suggestion: r.get(17)?,
        percent_done: r.get(18)?,
    })
}

/// The calendar's exceptions as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarDay {
    pub day: String,
    /// `holiday` or `workday` (a make-up working day, 调休).
    pub kind: String,
    #[serde(default)]
    pub note: String,
}

pub fn calendar_days(conn: &Connection) -> Result<Vec<CalendarDay>> {
    let mut stmt = conn.prepare("SELECT day, kind, note FROM calendar_day ORDER BY day")?;
    let rows = stmt.query_map([], |r| {
        Ok(CalendarDay {
            day: r.get(0)?,
            kind: r.get(1)?,
            note: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn load_calendar(conn: &Connection) -> Result<Calendar> {
    let days = calendar_days(conn)?;
    let of = |kind: &str| -> Vec<NaiveDate> {
        days.iter()
            .filter(|d| d.kind == kind)
            .filter_map(|d| parse_date(&d.day))
            .collect()
    };
    Ok(Calendar::new(of("holiday"), of("workday")))
}

/// Marks `day` as a holiday or a make-up working day, or (with `kind` None) back to normal.
pub fn set_calendar_day(
    conn: &mut Connection,
    actor: &str,
    day: &str,
    kind: Option<&str>,
    note: &str,
) -> Result<()> {
    signoff::ensure_editable(conn, "plan", 1)?;
    let date = parse_date(day).ok_or_else(|| invalid("field.calendar.day", "validation.date"))?;
    let day = date.to_string();
    if kind.is_some_and(|k| k != "holiday" && k != "workday") {
        return Err(invalid("field.calendar.kind", "validation.required"));
    }
    let note = note.trim();
    check_text("field.calendar.note", note, 200)?;
    let before: Option<String> = conn
        .query_row(
            "SELECT kind FROM calendar_day WHERE day = ?1",
            [&day],
            |r| r.get(0),
        )
        .optional()?;
    let tx = conn.transaction()?;
    match kind {
        Some(k) => tx.execute(
            "INSERT INTO calendar_day (day, kind, note) VALUES (?1, ?2, ?3)
             ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note",
            params![day, k, note],
        )?,
        None => tx.execute("DELETE FROM calendar_day WHERE day = ?1", [&day])?,
    };
    audit::append(
        &tx,
        actor,
        &[Change {
            record: "calendar:1",
            field: &day,
            before: before.as_deref(),
            after: kind,
        }],
    )?;
    tx.commit()?;
    Ok(())
}

pub fn load_tasks(conn: &Connection) -> Result<Vec<Task>> {
    let mut stmt = conn.prepare(&format!("SELECT {TASK_COLUMNS} FROM task"))?;
    let rows = stmt.query_map([], task_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn load_links(conn: &Connection) -> Result<Vec<Link>> {
    let mut stmt = conn.prepare(
        "SELECT id, predecessor_id, successor_id, kind, lag FROM dependency ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Link {
            id: r.get(0)?,
            predecessor: r.get(1)?,
            successor: r.get(2)?,
            kind: LinkKind::parse(&r.get::<_, String>(3)?).unwrap_or(LinkKind::Fs),
            lag: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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

/// The task as it may be stored: trimmed, checked, progress and status kept consistent.
pub(crate) fn checked(conn: &Connection, t: &Task) -> Result<Task> {
    let mut t = t.clone();
    t.name = t.name.trim().to_string();
    if t.name.is_empty() || t.name.contains('\n') {
        return Err(invalid("field.task.name", "validation.required"));
    }
    check_text("field.task.name", &t.name, 200)?;
    for (field, value) in [
        ("field.task.delivery_standard", &t.delivery_standard),
        ("field.task.resource_needs", &t.resource_needs),
        ("field.task.risk_plan", &t.risk_plan),
        ("field.task.status_reason", &t.status_reason),
        ("field.task.status_suggestion", &t.status_suggestion),
    ] {
        check_text(field, value, 4000)?;
    }
    t.start_date = match t.start_date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(
            parse_date(s)
                .ok_or_else(|| invalid("field.task.start", "validation.date"))?
                .to_string(),
        ),
    };
    if t.milestone {
        t.duration = 0;
        t.buffer = 0;
    }
    if !(0..=MAX_DAYS).contains(&t.duration) {
        return Err(invalid("field.task.duration", "validation.number"));
    }
    if !(0..=MAX_DAYS).contains(&t.buffer) {
        return Err(invalid("field.task.buffer", "validation.number"));
    }
    if !(0..=100).contains(&t.percent_done) {
        return Err(invalid("field.task.percent", "validation.percent"));
    }
    if !STATUSES.contains(&t.status.as_str()) {
        return Err(invalid("field.task.status", "validation.required"));
    }
    // Done means 100 %; 100 % means done.
    if t.status == "done" {
        t.percent_done = 100;
    } else if t.percent_done == 100 {
        t.status = "done".into();
    }
    let depts: Vec<i64> = crate::org::list(conn)?.iter().map(|d| d.id).collect();
    if t.lead_department.is_some_and(|d| !depts.contains(&d)) {
        return Err(invalid("field.task.lead", "org.no_department"));
    }
    t.collab_departments.retain(|d| depts.contains(d));
    t.collab_departments.dedup();
    let people: Vec<i64> = crate::people::list(conn)?.iter().map(|p| p.id).collect();
    if t.owner_id.is_some_and(|p| !people.contains(&p)) {
        return Err(invalid("field.task.owner", "signoff.unknown_person"));
    }
    t.collaborators.retain(|p| people.contains(p));
    t.collaborators.dedup();
    Ok(t)
}

pub(crate) fn write_task(conn: &Connection, t: &Task) -> Result<()> {
    conn.execute(
        "UPDATE task SET parent_id = ?1, position = ?2, name = ?3, lead_department = ?4,
            collab_departments = ?5, owner_id = ?6, collaborators = ?7, start_date = ?8,
            duration = ?9, buffer = ?10, milestone = ?11, delivery_standard = ?12,
            resource_needs = ?13, risk_plan = ?14, status = ?15, status_reason = ?16,
            status_suggestion = ?17, percent_done = ?18
         WHERE id = ?19",
        params![
            t.parent_id,
            t.position,
            t.name,
            t.lead_department,
            serde_json::to_string(&t.collab_departments).expect("serializes"),
            t.owner_id,
            serde_json::to_string(&t.collaborators).expect("serializes"),
            t.start_date,
            t.duration,
            t.buffer,
            t.milestone,
            t.delivery_standard,
            t.resource_needs,
            t.risk_plan,
            t.status,
            t.status_reason,
            t.status_suggestion,
            t.percent_done,
            t.id
        ],
    )?;
    Ok(())
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The audit entries for what changed between two versions of a task.
pub(crate) fn task_changes(before: &Task, after: &Task) -> Vec<(String, String, String)> {
    let old = serde_json::to_value(before).expect("serializes");
    let new = serde_json::to_value(after).expect("serializes");
    new.as_object()
        .expect("object")
        .iter()
        .filter(|(k, v)| k.as_str() != "id" && old[k.as_str()] != **v)
        .map(|(k, v)| (k.clone(), plain(&old[k.as_str()]), plain(v)))
        .collect()
}

pub(crate) fn audit_task(
    conn: &Connection,
    actor: &str,
    id: i64,
    changes: &[(String, String, String)],
) -> Result<()> {
    let record = format!("task:{id}");
    let list: Vec<Change> = changes
        .iter()
        .map(|(f, b, a)| Change {
            record: &record,
            field: f,
            before: Some(b),
            after: Some(a),
        })
        .collect();
    audit::append(conn, actor, &list)
}

/// Where a new task goes and what it starts with.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NewTask {
    /// The parent (None: top level).
    pub parent_id: Option<i64>,
    /// The sibling to insert after (None: at the end).
    pub after: Option<i64>,
    pub name: String,
    pub milestone: bool,
}

/// Adds a task. It inherits its parent's lead department and starts with the parent, the previous
/// sibling's finish, or the project start.
pub fn add_task(conn: &mut Connection, actor: &str, new: &NewTask) -> Result<Task> {
    ensure_schedulable(conn)?;
    let plan = load(conn)?;
    if let Some(p) = new.parent_id {
        if plan.task(p).is_none() {
            return Err(Error::refused("plan.no_task", &[]));
        }
    }
    plan.check_child_depth(new.parent_id, 1)?;
    let siblings = plan.children(new.parent_id);
    let at = match new
        .after
        .and_then(|a| siblings.iter().position(|t| t.id == a))
    {
        Some(i) => i + 1,
        None => siblings.len(),
    };
    let parent = new.parent_id.and_then(|p| plan.task(p));
    let prev_finish = at
        .checked_sub(1)
        .and_then(|i| siblings.get(i))
        .and_then(|t| plan.row(t.id))
        .and_then(|r| r.finish)
        .map(|f| plan.calendar.add_working_days(f, 1));
    let start = prev_finish
        .or_else(|| {
            new.parent_id
                .and_then(|p| plan.row(p))
                .and_then(|r| r.start)
        })
        .or_else(|| {
            crate::registration::load(conn)
                .ok()
                .and_then(|s| parse_date(&s.registration.start_date))
        })
        .map(|d| d.to_string());
    let task = checked(
        conn,
        &Task {
            parent_id: new.parent_id,
            name: new.name.clone(),
            milestone: new.milestone,
            start_date: start,
            lead_department: parent.and_then(|p| p.lead_department),
            ..Default::default()
        },
    )?;
    let tx = conn.transaction()?;
    // Make room: later siblings move one place down.
    let ids: Vec<i64> = siblings.iter().map(|t| t.id).collect();
    for (i, id) in ids.iter().enumerate() {
        let pos = if i < at { i as i64 } else { i as i64 + 1 };
        tx.execute(
            "UPDATE task SET position = ?1 WHERE id = ?2 AND position <> ?1",
            params![pos, id],
        )?;
    }
    tx.execute(
        "INSERT INTO task (parent_id, position, name) VALUES (?1, ?2, ?3)",
        params![task.parent_id, at as i64, task.name],
    )?;
    let id = tx.last_insert_rowid();
    let task = Task {
        id,
        position: at as i64,
        ..task
    };
    write_task(&tx, &task)?;
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &format!("task:{id}"),
            field: "created",
            before: None,
            after: Some(&task.name),
        }],
    )?;
    tx.commit()?;
    Ok(task)
}

/// What an edit did to the schedule: the dependencies now broken that involve the task (so that
/// moving a predecessor shows which successors no longer fit).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    pub task: Task,
    pub broken: Vec<Violation>,
}

/// Saves a task's fields (not its place in the tree: see `move_task`).
pub fn update_task(conn: &mut Connection, actor: &str, t: &Task) -> Result<Saved> {
    let plan = load(conn)?;
    let before = plan
        .task(t.id)
        .cloned()
        .ok_or_else(|| Error::refused("plan.no_task", &[]))?;
    let mut t = checked(conn, t)?;
    t.parent_id = before.parent_id;
    t.position = before.position;
    let changes = task_changes(&before, &t);
    // While the plan is being countersigned only progress may change (the triggers refuse the rest).
    let progress_only = changes
        .iter()
        .all(|(f, _, _)| PROGRESS.contains(&f.as_str()));
    if !progress_only {
        ensure_schedulable(conn)?;
    }
    if !changes.is_empty() {
        let tx = conn.transaction()?;
        if progress_only {
            tx.execute(
                "UPDATE task SET status = ?1, status_reason = ?2, status_suggestion = ?3,
                    percent_done = ?4 WHERE id = ?5",
                params![
                    t.status,
                    t.status_reason,
                    t.status_suggestion,
                    t.percent_done,
                    t.id
                ],
            )?;
        } else {
            write_task(&tx, &t)?;
        }
        audit_task(&tx, actor, t.id, &changes)?;
        if t.status == "done" && before.status != "done" {
            // Action items linked to the task are done with it.
            crate::meetings::close_linked(&tx, actor, t.id)?;
        }
        tx.commit()?;
    }
    let plan = load(conn)?;
    let ids = plan.subtree(t.id);
    let broken = plan
        .violations()
        .into_iter()
        .filter(|v| ids.contains(&v.link.predecessor) || ids.contains(&v.link.successor))
        .collect();
    Ok(Saved { task: t, broken })
}

/// How a task moves in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Move {
    Up,
    Down,
    /// Becomes the last child of the sibling above it.
    Indent,
    /// Becomes the sibling after its parent.
    Outdent,
}

pub fn move_task(conn: &mut Connection, actor: &str, id: i64, how: Move) -> Result<()> {
    ensure_schedulable(conn)?;
    let plan = load(conn)?;
    let task = plan
        .task(id)
        .cloned()
        .ok_or_else(|| Error::refused("plan.no_task", &[]))?;
    let siblings: Vec<i64> = plan.children(task.parent_id).iter().map(|t| t.id).collect();
    let at = siblings
        .iter()
        .position(|x| *x == id)
        .expect("among siblings");
    // (new parent, the new sibling order under it, the old parent's order when it changes)
    let (parent, order, old_order): (Option<i64>, Vec<i64>, Option<Vec<i64>>) = match how {
        Move::Up | Move::Down => {
            let to = if how == Move::Up {
                at.checked_sub(1)
            } else {
                Some(at + 1).filter(|i| *i < siblings.len())
            };
            let Some(to) = to else { return Ok(()) };
            let mut order = siblings.clone();
            order.swap(at, to);
            (task.parent_id, order, None)
        }
        Move::Indent => {
            let Some(above) = at.checked_sub(1).map(|i| siblings[i]) else {
                return Ok(());
            };
            if plan.links.iter().any(|l| {
                (l.predecessor == above && l.successor == id)
                    || (l.predecessor == id && l.successor == above)
            }) {
                return Err(Error::refused(
                    "plan.link_to_parent",
                    &[("task", plan.label(id))],
                ));
            }
            plan.check_child_depth(Some(above), plan.height(id))?;
            let mut order: Vec<i64> = plan.children(Some(above)).iter().map(|t| t.id).collect();
            order.push(id);
            let rest = siblings.iter().copied().filter(|x| *x != id).collect();
            (Some(above), order, Some(rest))
        }
        Move::Outdent => {
            let Some(parent) = task.parent_id else {
                return Ok(());
            };
            let grand = plan.task(parent).and_then(|p| p.parent_id);
            let mut order: Vec<i64> = plan.children(grand).iter().map(|t| t.id).collect();
            let p_at = order
                .iter()
                .position(|x| *x == parent)
                .expect("parent listed");
            order.insert(p_at + 1, id);
            let rest = siblings.iter().copied().filter(|x| *x != id).collect();
            (grand, order, Some(rest))
        }
    };
    let tx = conn.transaction()?;
    for list in [Some(&order), old_order.as_ref()].into_iter().flatten() {
        for (i, x) in list.iter().enumerate() {
            tx.execute(
                "UPDATE task SET position = ?1 WHERE id = ?2 AND position <> ?1",
                params![i as i64, x],
            )?;
        }
    }
    if parent != task.parent_id {
        tx.execute(
            "UPDATE task SET parent_id = ?1 WHERE id = ?2",
            params![parent, id],
        )?;
        let label = |p: Option<i64>| p.map(|p| plan.label(p)).unwrap_or_default();
        audit_task(
            &tx,
            actor,
            id,
            &[("parentId".into(), label(task.parent_id), label(parent))],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Deletes a task with its subtasks and their dependencies.
pub fn delete_task(conn: &mut Connection, actor: &str, id: i64) -> Result<()> {
    ensure_schedulable(conn)?;
    let plan = load(conn)?;
    if plan.task(id).is_none() {
        return Err(Error::refused("plan.no_task", &[]));
    }
    let ids = plan.subtree(id);
    let tx = conn.transaction()?;
    for x in ids.iter().rev() {
        tx.execute(
            "DELETE FROM dependency WHERE predecessor_id = ?1 OR successor_id = ?1",
            [x],
        )?;
        tx.execute("DELETE FROM task WHERE id = ?1", [x])?;
        audit::append(
            &tx,
            actor,
            &[Change {
                record: &format!("task:{x}"),
                field: "deleted",
                before: Some(&plan.label(*x)),
                after: None,
            }],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Adds a dependency, refusing one that would close a loop (the message names the loop), ties a
/// task to its own parent or child, or repeats an existing one.
pub fn add_link(
    conn: &mut Connection,
    actor: &str,
    predecessor: i64,
    successor: i64,
    kind: LinkKind,
    lag: i64,
) -> Result<Link> {
    ensure_schedulable(conn)?;
    let plan = load(conn)?;
    if plan.task(predecessor).is_none() || plan.task(successor).is_none() {
        return Err(Error::refused("plan.no_task", &[]));
    }
    if !(-MAX_DAYS..=MAX_DAYS).contains(&lag) {
        return Err(invalid("field.link.lag", "validation.number"));
    }
    if let Some(cycle) = schedule::cycle_with(&plan.links, predecessor, successor) {
        let names: Vec<String> = cycle.iter().map(|id| plan.label(*id)).collect();
        return Err(Error::refused(
            "plan.cycle",
            &[("cycle", names.join(" → "))],
        ));
    }
    if plan.is_ancestor(predecessor, successor) || plan.is_ancestor(successor, predecessor) {
        return Err(Error::refused(
            "plan.link_to_parent",
            &[("task", plan.label(successor))],
        ));
    }
    if plan
        .links
        .iter()
        .any(|l| l.predecessor == predecessor && l.successor == successor)
    {
        return Err(Error::refused(
            "plan.duplicate_link",
            &[
                ("from", plan.label(predecessor)),
                ("to", plan.label(successor)),
            ],
        ));
    }
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO dependency (predecessor_id, successor_id, kind, lag) VALUES (?1, ?2, ?3, ?4)",
        params![predecessor, successor, kind.code(), lag],
    )?;
    let id = tx.last_insert_rowid();
    let shown = format!(
        "{} → {} ({}, {lag})",
        plan.label(predecessor),
        plan.label(successor),
        kind.code()
    );
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &format!("dependency:{id}"),
            field: "created",
            before: None,
            after: Some(&shown),
        }],
    )?;
    tx.commit()?;
    Ok(Link {
        id,
        predecessor,
        successor,
        kind,
        lag,
    })
}

/// Changes a dependency's kind or lag.
pub fn update_link(
    conn: &mut Connection,
    actor: &str,
    id: i64,
    kind: LinkKind,
    lag: i64,
) -> Result<()> {
    ensure_schedulable(conn)?;
    let plan = load(conn)?;
    let old = plan.link(id)?;
    if !(-MAX_DAYS..=MAX_DAYS).contains(&lag) {
        return Err(invalid("field.link.lag", "validation.number"));
    }
    if old.kind == kind && old.lag == lag {
        return Ok(());
    }
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE dependency SET kind = ?1, lag = ?2 WHERE id = ?3",
        params![kind.code(), lag, id],
    )?;
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &format!("dependency:{id}"),
            field: "kind·lag",
            before: Some(&format!("{} {}", old.kind.code(), old.lag)),
            after: Some(&format!("{} {lag}", kind.code())),
        }],
    )?;
    tx.commit()?;
    Ok(())
}

pub fn remove_link(conn: &mut Connection, actor: &str, id: i64) -> Result<()> {
    ensure_schedulable(conn)?;
    let plan = load(conn)?;
    let old = plan.link(id)?;
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM dependency WHERE id = ?1", [id])?;
    let shown = format!(
        "{} → {}",
        plan.label(old.predecessor),
        plan.label(old.successor)
    );
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &format!("dependency:{id}"),
            field: "deleted",
            before: Some(&shown),
            after: None,
        }],
    )?;
    tx.commit()?;
    Ok(())
}

/// Moves a successor to the earliest start its dependencies allow (keeping its duration).
pub fn fix_start(conn: &mut Connection, actor: &str, id: i64) -> Result<Saved> {
    let plan = load(conn)?;
    let task = plan
        .task(id)
        .cloned()
        .ok_or_else(|| Error::refused("plan.no_task", &[]))?;
    let row = plan.row(id).expect("row of task").clone();
    let mut start = row.start;
    for v in plan.violations().iter().filter(|v| v.link.successor == id) {
        let wanted = match v.link.kind {
            LinkKind::Fs | LinkKind::Ss => v.earliest,
            // FF: shift so that the finish lands on the earliest allowed finish.
            LinkKind::Ff => {
                let len = plan
                    .calendar
                    .working_days(row.start.unwrap_or(v.earliest), v.actual);
                plan.calendar
                    .add_working_days(v.earliest, -(len - 1).max(0))
            }
        };
        start = Some(start.map_or(wanted, |s| s.max(wanted)));
    }
    let t = Task {
        start_date: start.map(|d| d.to_string()),
        ..task
    };
    update_task(conn, actor, &t)
}

/// The content the plan is countersigned on: every task with its schedule and responsibilities
/// (names, not ids, so the frozen baseline reads on its own), the dependencies and the calendar.
/// Progress (status, percent) is not part of it: it is reported, not agreed.
pub fn content(conn: &Connection) -> Result<Value> {
    let plan = load(conn)?;
    let depts: HashMap<i64, String> = crate::org::list(conn)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let people: HashMap<i64, String> = crate::people::list(conn)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let names = |ids: &[i64], of: &HashMap<i64, String>| -> Vec<String> {
        ids.iter().filter_map(|i| of.get(i).cloned()).collect()
    };
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let tasks: Vec<Value> = plan
        .tasks
        .iter()
        .zip(&plan.rows)
        .map(|(t, r)| {
            json!({
                "id": t.id,
                "outline": r.outline,
                "name": t.name,
                "summary": r.summary,
                "milestone": t.milestone,
                "lead": t.lead_department.and_then(|d| depts.get(&d).cloned()),
                "collaborating": names(&t.collab_departments, &depts),
                "owner": t.owner_id.and_then(|p| people.get(&p).cloned()),
                "collaborators": names(&t.collaborators, &people),
                "start": day(r.start),
                "finish": day(r.finish),
                "duration": t.duration,
                "buffer": t.buffer,
                "deliveryStandard": t.delivery_standard,
                "resourceNeeds": t.resource_needs,
                "riskPlan": t.risk_plan,
            })
        })
        .collect();
    let links: Vec<Value> = plan
        .links
        .iter()
        .map(|l| {
            json!({
                "predecessor": l.predecessor,
                "successor": l.successor,
                "kind": l.kind.code(),
                "lag": l.lag,
            })
        })
        .collect();
    let days = calendar_days(conn)?;
    Ok(json!({
        "tasks": tasks,
        "dependencies": links,
        "calendar": days,
    }))
}

/// The people who must countersign the plan: the head(s) of every department, in department order.
/// Refused when a department has no head.
pub fn countersigners(conn: &Connection) -> Result<Vec<i64>> {
    let people = crate::people::list(conn)?;
    let mut out = Vec::new();
    for d in crate::org::list(conn)? {
        let heads: Vec<i64> = people
            .iter()
            .filter(|p| p.department == d.name && p.role == "head")
            .map(|p| p.id)
            .collect();
        if heads.is_empty() {
            return Err(Error::refused(
                "plan.publish.no_head",
                &[("name", d.name.clone())],
            ));
        }
        out.extend(heads);
    }
    Ok(out)
}

/// Checks that the plan can go to countersign with `signers`: it has tasks, every task has a name
/// and a lead department, and every department head signs.
pub fn check_publishable(conn: &Connection, signers: &[i64]) -> Result<()> {
    let plan = load(conn)?;
    if plan.tasks.is_empty() {
        return Err(Error::refused("plan.publish.empty", &[]));
    }
    for (t, r) in plan.tasks.iter().zip(&plan.rows) {
        if !r.summary && t.lead_department.is_none() {
            return Err(Error::refused(
                "plan.publish.no_lead",
                &[("task", plan.label(t.id))],
            ));
        }
        if !r.summary && r.start.is_none() {
            return Err(Error::refused(
                "plan.publish.no_start",
                &[("task", plan.label(t.id))],
            ));
        }
    }
    let heads = countersigners(conn)?;
    if heads.is_empty() {
        return Err(Error::refused("plan.publish.no_departments", &[]));
    }
    signoff::require_all(conn, &heads, signers, "plan.publish.head_missing")?;
    Ok(())
}

/// Starts the countersign of the plan by every department head.
pub fn publish(conn: &mut Connection, actor: &str) -> Result<signoff::Panel> {
    let signers = countersigners(conn)?;
    signoff::start(conn, actor, "plan", 1, &signers)
}

/// A published version: the approved round's number, when, and its frozen tasks.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Baseline {
    pub version: i64,
    pub revision: i64,
    pub published_at: String,
    pub fingerprint: String,
    /// Task id → (start, finish) as frozen.
    #[serde(skip)]
    pub spans: HashMap<i64, (Option<NaiveDate>, Option<NaiveDate>)>,
    #[serde(skip)]
    pub names: HashMap<i64, String>,
}

/// The latest published version of the plan, if any.
pub fn baseline(conn: &Connection) -> Result<Option<Baseline>> {
    let row: Option<(i64, String, String, String, i64)> = conn
        .query_row(
            "SELECT revision, closed_at, content, fingerprint,
                    (SELECT count(*) FROM signoff_round
                     WHERE kind = 'plan' AND doc_id = 1 AND status = 'approved')
             FROM signoff_round WHERE kind = 'plan' AND doc_id = 1 AND status = 'approved'
             ORDER BY revision DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((revision, published_at, content, fingerprint, version)) = row else {
        return Ok(None);
    };
    let content: Value = serde_json::from_str(&content).unwrap_or(Value::Null);
    let mut spans = HashMap::new();
    let mut names = HashMap::new();
    for t in content["tasks"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let Some(id) = t["id"].as_i64() else { continue };
        let d = |k: &str| t[k].as_str().and_then(parse_date);
        spans.insert(id, (d("start"), d("finish")));
        names.insert(id, t["name"].as_str().unwrap_or_default().to_string());
    }
    Ok(Some(Baseline {
        version,
        revision,
        published_at,
        fingerprint,
        spans,
        names,
    }))
}

/// How the current plan differs from its baseline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// Tasks whose start or finish moved: (id, label, start slip, finish slip) in working days,
    /// positive when later than the baseline.
    pub moved: Vec<(i64, String, i64, i64)>,
    pub added: Vec<(i64, String)>,
    pub removed: Vec<(i64, String)>,
}

/// Working days from `a` to `b`: positive when `b` is later.
pub fn slip(cal: &Calendar, a: NaiveDate, b: NaiveDate) -> i64 {
    match b.cmp(&a) {
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => cal.working_days(a, b) - i64::from(cal.is_working(a)),
        std::cmp::Ordering::Less => -(cal.working_days(b, a) - i64::from(cal.is_working(b))),
    }
}

pub fn compare(plan: &Plan, base: &Baseline) -> Comparison {
    let mut out = Comparison::default();
    for r in &plan.rows {
        match base.spans.get(&r.id) {
            None => out.added.push((r.id, plan.label(r.id))),
            Some((bs, bf)) => {
                let d = |a: Option<NaiveDate>, b: Option<NaiveDate>| match (a, b) {
                    (Some(a), Some(b)) => slip(&plan.calendar, a, b),
                    _ => 0,
                };
                let (s, f) = (d(*bs, r.start), d(*bf, r.finish));
                if s != 0 || f != 0 || bs.is_some() != r.start.is_some() {
                    out.moved.push((r.id, plan.label(r.id), s, f));
                }
            }
        }
    }
    let mut removed: Vec<(i64, String)> = base
        .names
        .iter()
        .filter(|(id, _)| plan.task(**id).is_none())
        .map(|(id, n)| (*id, n.clone()))
        .collect();
    removed.sort();
    out.removed = removed;
    out
}

#[cfg(test)]
mod tests;
