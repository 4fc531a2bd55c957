//! Tasks as stored: reading them, checking and writing one (every edit audited), adding,
//! saving, moving in the tree and deleting.

use super::schedule::Violation;
use super::{ensure_schedulable, load, Task, MAX_DAYS, PROGRESS, STATUSES};
use crate::audit::{self, Change};
use crate::clock::parse_date;
use crate::error::{Error, Result};
use crate::validate::{check_text, invalid};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

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

pub fn load_tasks(conn: &Connection) -> Result<Vec<Task>> {
    let mut stmt = conn.prepare(&format!("SELECT {TASK_COLUMNS} FROM task"))?;
    let rows = stmt.query_map([], task_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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

/// The audit entries for what changed between two versions of a task.
pub(crate) fn task_changes(before: &Task, after: &Task) -> Vec<(String, String, String)> {
    let old = serde_json::to_value(before).expect("serializes");
    let new = serde_json::to_value(after).expect("serializes");
    audit::diff(Some(&old), &new)
        .into_iter()
        .map(|c| (c.field, c.before.unwrap_or_default(), c.after))
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
            close_linked(&tx, actor, t.id)?;
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

/// Marks done every open action item (of minutes or the communication log) linked to `task_id`:
/// the task was just marked done, and its action items are done with it. Each change audited;
/// runs inside the caller's transaction.
pub fn close_linked(conn: &Connection, actor: &str, task_id: i64) -> Result<()> {
    let open: Vec<(i64, String)> = conn
        .prepare("SELECT id, status FROM action_item WHERE task_id = ?1 AND status <> 'done'")?
        .query_map([task_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, status) in open {
        conn.execute("UPDATE action_item SET status = 'done' WHERE id = ?1", [id])?;
        let record = format!("action:{id}");
        let after = format!("done — task:{task_id}");
        audit::append(
            conn,
            actor,
            &[Change {
                record: &record,
                field: "status",
                before: Some(&status),
                after: Some(&after),
            }],
        )?;
    }
    Ok(())
}
