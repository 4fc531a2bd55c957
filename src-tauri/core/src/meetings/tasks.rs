//! Action items and plan tasks: turning an item into a WBS task, linking it to one, and closing
//! the items of a task that is done.

use super::minutes::action;
use super::{log, ActionItem};
use crate::clock::now;
use crate::clock::parse_date;
use crate::error::{Error, Result};
use rusqlite::{params, Connection};

/// Turns an action item into a WBS task (top level, led by its person's department, from today for
/// the days left to its deadline), linking the two. A published plan takes new tasks only through a
/// change request.
pub fn to_task(conn: &mut Connection, actor: &str, id: i64) -> Result<i64> {
    let a = action(conn, id)?;
    if let Some(t) = a.task_id {
        return Ok(t);
    }
    if crate::plan::baseline(conn)?.is_some() {
        return Err(Error::refused("meeting.task_published", &[]));
    }
    let task = crate::plan::add_task(
        conn,
        actor,
        &crate::plan::NewTask {
            name: a.description.chars().take(200).collect(),
            ..Default::default()
        },
    )?;
    let cal = crate::plan::load_calendar(conn)?;
    let start = now().date();
    let due = a.due.as_deref().and_then(parse_date).unwrap_or(start);
    let dept = crate::org::list(conn)?
        .into_iter()
        .find(|d| d.name == a.department)
        .map(|d| d.id);
    crate::plan::update_task(
        conn,
        actor,
        &crate::plan::Task {
            start_date: Some(start.to_string()),
            duration: cal.working_days(start, due).max(1),
            lead_department: dept,
            owner_id: a.person_id,
            delivery_standard: a.standard.clone(),
            ..task.clone()
        },
    )?;
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE action_item SET task_id = ?1 WHERE id = ?2",
        params![task.id, id],
    )?;
    log(
        &tx,
        actor,
        &format!("action:{id}"),
        "task",
        None,
        Some(&format!("task:{}", task.id)),
    )?;
    tx.commit()?;
    Ok(task.id)
}

/// Links an action item to an existing task of the plan (or unlinks it with `None`), at any time,
/// also after the plan is published. An item linked to a task already done is done too.
pub fn link_task(
    conn: &mut Connection,
    actor: &str,
    id: i64,
    task_id: Option<i64>,
) -> Result<ActionItem> {
    let a = action(conn, id)?;
    let task = match task_id {
        Some(t) => Some(
            crate::plan::load(conn)?
                .task(t)
                .cloned()
                .ok_or_else(|| Error::refused("plan.no_task", &[]))?,
        ),
        None => None,
    };
    if a.task_id == task_id {
        return Ok(a);
    }
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE action_item SET task_id = ?1 WHERE id = ?2",
        params![task_id, id],
    )?;
    log(
        &tx,
        actor,
        &format!("action:{id}"),
        "task",
        a.task_id.map(|t| format!("task:{t}")).as_deref(),
        task_id.map(|t| format!("task:{t}")).as_deref(),
    )?;
    if let Some(t) = task.filter(|t| t.status == "done") {
        crate::plan::close_linked(&tx, actor, t.id)?;
    }
    tx.commit()?;
    action(conn, id)
}
