//! Dependencies between tasks as stored: reading, adding (refusing loops), changing and
//! removing them, and moving a successor to the start its dependencies allow.

use super::schedule::{self, Link, LinkKind};
use super::{ensure_schedulable, load, update_task, Saved, Task, MAX_DAYS};
use crate::audit::{self, Change};
use crate::error::{Error, Result};
use crate::validate::invalid;
use rusqlite::{params, Connection};

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
