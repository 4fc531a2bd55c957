//! The Organization and Plan stages' screens: the communication plan with its next times, and one
//! task with its dependencies for the task editor.

use crate::comms::{self, CommItem};
use crate::i18n::Lang;
use crate::plan::{self, schedule::Link, Task};
use crate::{Error, Result};
use chrono::NaiveDateTime;
use rusqlite::Connection;
use serde::Serialize;

/// A communication plan entry with its recurrence in words and its next time.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommView {
    #[serde(flatten)]
    pub item: CommItem,
    pub described: String,
    pub next: Option<String>,
    pub over_limit: bool,
}

/// The communication plan, each entry's next time after `now`, its recurrence in `lang`.
pub fn comms(c: &Connection, now: NaiveDateTime, lang: Lang) -> Result<Vec<CommView>> {
    let items = comms::list(c)?;
    let anchor = comms::anchor(c)?;
    let over = comms::over_limit(&items);
    Ok(items
        .into_iter()
        .map(|item| CommView {
            described: item.recurrence.describe(lang),
            next: item
                .recurrence
                .next(anchor, now, 1)
                .first()
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
            over_limit: over.contains(&item.id),
            item,
        })
        .collect())
}

/// One task with its dependencies both ways, for the task editor.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDetail {
    pub task: Task,
    pub outline: String,
    pub summary: bool,
    pub finish: Option<String>,
    pub predecessors: Vec<(Link, String)>,
    pub successors: Vec<(Link, String)>,
    /// Action items this task was made from: (id, description, meeting).
    pub from_actions: Vec<(i64, String, String)>,
}

/// Task `id` (refused with `plan.no_task` when there is none); the ledger is read at `now`.
pub fn task(c: &Connection, id: i64, now: NaiveDateTime) -> Result<TaskDetail> {
    let p = plan::load(c)?;
    let task = p
        .task(id)
        .cloned()
        .ok_or_else(|| Error::refused("plan.no_task", &[]))?;
    let row = p.row(id).cloned().expect("a row per task");
    Ok(TaskDetail {
        outline: row.outline,
        summary: row.summary,
        finish: row.finish.map(|d| d.to_string()),
        predecessors: p
            .links
            .iter()
            .filter(|l| l.successor == id)
            .map(|l| (*l, p.label(l.predecessor)))
            .collect(),
        successors: p
            .links
            .iter()
            .filter(|l| l.predecessor == id)
            .map(|l| (*l, p.label(l.successor)))
            .collect(),
        from_actions: crate::meetings::ledger(c, &Default::default(), now)?
            .into_iter()
            .filter(|r| r.action.task_id == Some(id))
            .map(|r| (r.action.id, r.action.description, r.meeting))
            .collect(),
        task,
    })
}
