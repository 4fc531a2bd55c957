//! Change requests (变更申请表): what changes (goal, scope, time, resources), why, the impact, the
//! alternatives, and the concrete edits to the published plan. A request is signed by the head of
//! every department of the collaboration and of every department its edits touch; when the last one approves, its edits are applied to the
//! plan in the same transaction as that signature, so the plan changes completely or not at all. A
//! rejection changes nothing. Once the plan is published, its schedule changes only this way.

use crate::audit::{self, Change};
use crate::error::{Error, Result};
use crate::kind::DocKind;
use crate::people::Person;
use crate::plan::{self, Task};
use crate::signoff;
use crate::validate::invalid;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

mod edits;
mod signing;
pub use edits::*;
pub use signing::*;

/// What a request may change; labels `change.aspect.<code>`.
pub const ASPECTS: &[&str] = &["goal", "scope", "time", "resources"];

/// The task fields an edit may set; labels `change.field.<code>`.
pub const FIELDS: &[&str] = &[
    "start",
    "finish",
    "duration",
    "buffer",
    "lead",
    "addDepartment",
    "owner",
    "name",
    "deliveryStandard",
    "addTask",
];

/// One edit of the plan: `field` of `task` becomes `value`. For `addTask`, `task` is the parent (0:
/// top level) and `value` is `{name, start, duration, lead, owner, deliveryStandard}`: everything
/// a task needs to be complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Edit {
    pub task: i64,
    pub field: String,
    pub value: Value,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChangeRequest {
    pub id: i64,
    pub title: String,
    pub aspects: Vec<String>,
    pub reason: String,
    pub impact: String,
    pub alternatives: String,
    pub edits: Vec<Edit>,
    pub created_at: String,
    pub applied_at: Option<String>,
}

/// A request as the screen shows it: its state and each edit in words, before → after.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct View {
    #[serde(flatten)]
    pub request: ChangeRequest,
    /// `draft`, `in_signoff`, `applied` or `rejected` (the last round was rejected).
    pub state: String,
    pub described: Vec<Described>,
    /// Who must sign, as "name（department）": the collaboration's heads and those of every
    /// department the edits touch (drafts: as the plan is now; submitted: the round's signers).
    pub required_signers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Described {
    pub task: String,
    pub field: String,
    pub before: String,
    pub after: String,
    /// For a new task: each of its fields (`change.field.<code>`) with its value in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<(String, String)>,
}

pub fn list(conn: &Connection) -> Result<Vec<ChangeRequest>> {
    let mut stmt = conn.prepare(
        "SELECT id, title, aspects, reason, impact, alternatives, edits, created_at, applied_at
         FROM change_request ORDER BY id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ChangeRequest {
            id: r.get(0)?,
            title: r.get(1)?,
            aspects: serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default(),
            reason: r.get(3)?,
            impact: r.get(4)?,
            alternatives: r.get(5)?,
            edits: serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default(),
            created_at: r.get(7)?,
            applied_at: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<ChangeRequest> {
    list(conn)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| Error::refused("control.no_record", &[]))
}

fn state(conn: &Connection, c: &ChangeRequest) -> Result<String> {
    if c.applied_at.is_some() {
        return Ok("applied".into());
    }
    Ok(
        match crate::doc_state::state(conn, crate::DocKind::ChangeRequest, c.id)? {
            signoff::State::InSignoff => "in_signoff".into(),
            signoff::State::Signed => "applied".into(),
            signoff::State::Draft => {
                let rejected: bool = conn.query_row(
                "SELECT coalesce((SELECT status = 'rejected' FROM signoff_round
                  WHERE kind = 'change_request' AND doc_id = ?1 ORDER BY revision DESC LIMIT 1), 0)",
                [c.id],
                |r| r.get(0),
            )?;
                if rejected { "rejected" } else { "draft" }.into()
            }
        },
    )
}

pub fn views(conn: &Connection) -> Result<Vec<View>> {
    list(conn)?
        .into_iter()
        .map(|c| {
            // Submitted requests show the words they were signed on; drafts, the live plan.
            let frozen: String = conn.query_row(
                "SELECT frozen FROM change_request WHERE id = ?1",
                [c.id],
                |r| r.get(0),
            )?;
            let described = match serde_json::from_str::<Vec<Value>>(&frozen) {
                Ok(list) => list
                    .iter()
                    .map(|v| Described {
                        task: v["task"].as_str().unwrap_or_default().into(),
                        field: v["field"].as_str().unwrap_or_default().into(),
                        before: v["before"].as_str().unwrap_or_default().into(),
                        after: v["after"].as_str().unwrap_or_default().into(),
                        details: serde_json::from_value(v["details"].clone()).unwrap_or_default(),
                    })
                    .collect(),
                Err(_) => describe(conn, &c.edits).unwrap_or_default(),
            };
            let state = state(conn, &c)?;
            let ids = if state == "draft" || state == "rejected" {
                signers(conn, c.id).unwrap_or_default()
            } else {
                signoff::rounds(conn, crate::DocKind::ChangeRequest, c.id)?
                    .first()
                    .map(|r| r.signers.iter().map(|s| s.person.id).collect())
                    .unwrap_or_default()
            };
            let people = crate::people::list(conn)?;
            let required_signers = ids
                .iter()
                .filter_map(|id| people.iter().find(|p| p.id == *id))
                .map(|p| format!("{}（{}）", p.name, p.department))
                .collect();
            Ok(View {
                state,
                described,
                required_signers,
                request: c,
            })
        })
        .collect()
}

/// Adds (id 0) or saves a draft request; its edits must be valid on the plan as it is.
pub fn save(conn: &mut Connection, actor: &str, c: &ChangeRequest) -> Result<ChangeRequest> {
    let mut c = c.clone();
    c.title = c.title.trim().to_string();
    if c.title.is_empty() || crate::validate::too_long(&c.title, 200) {
        return Err(invalid("field.change.title", "validation.required"));
    }
    c.aspects.retain(|a| ASPECTS.contains(&a.as_str()));
    for e in &c.edits {
        if !FIELDS.contains(&e.field.as_str()) {
            return Err(invalid("field.change.edits", "change.bad_value"));
        }
    }
    describe(conn, &c.edits)?;
    let before = if c.id > 0 {
        crate::doc_state::ensure_editable(conn, crate::DocKind::ChangeRequest, c.id)?;
        let b = get(conn, c.id)?;
        c.created_at = b.created_at.clone();
        c.applied_at = b.applied_at.clone();
        if b.applied_at.is_some() {
            return Err(Error::Locked {
                record: format!("change_request:{}", c.id),
                signed: true,
            });
        }
        Some(b)
    } else {
        c.created_at = crate::clock::stamp(crate::clock::now());
        c.applied_at = None;
        None
    };
    if before.as_ref() == Some(&c) {
        return Ok(c);
    }
    let aspects = serde_json::to_string(&c.aspects).expect("serializes");
    let edits = serde_json::to_string(&c.edits).expect("serializes");
    let tx = conn.transaction()?;
    if c.id > 0 {
        tx.execute(
            "UPDATE change_request SET title = ?1, aspects = ?2, reason = ?3, impact = ?4,
                alternatives = ?5, edits = ?6, frozen = '' WHERE id = ?7",
            params![
                c.title,
                aspects,
                c.reason,
                c.impact,
                c.alternatives,
                edits,
                c.id
            ],
        )?;
    } else {
        tx.execute(
            "INSERT INTO change_request (title, aspects, reason, impact, alternatives, edits, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![c.title, aspects, c.reason, c.impact, c.alternatives, edits, c.created_at],
        )?;
        c.id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO document_state (kind, doc_id, state) VALUES ('change_request', ?1, 'draft')",
            [c.id],
        )?;
    }
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &format!("change_request:{}", c.id),
            field: if before.is_some() {
                "updated"
            } else {
                "created"
            },
            before: before
                .as_ref()
                .map(|b| serde_json::to_string(b).expect("serializes"))
                .as_deref(),
            after: Some(&serde_json::to_string(&c).expect("serializes")),
        }],
    )?;
    tx.commit()?;
    Ok(c)
}

#[cfg(test)]
mod tests;
