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

/// The task as an edit leaves it (for `addTask`: the new task, id 0).
fn edited(conn: &Connection, plan: &plan::Plan, e: &Edit) -> Result<Task> {
    let bad = || invalid(&format!("change.field.{}", e.field), "change.bad_value");
    if e.field == "addTask" {
        let parent = (e.task > 0).then_some(e.task);
        if parent.is_some_and(|p| plan.task(p).is_none()) {
            return Err(Error::refused("plan.no_task", &[]));
        }
        plan.check_child_depth(parent, 1)?;
        let v = &e.value;
        let text = |key: &str| v[key].as_str().unwrap_or_default().trim().to_string();
        let task = Task {
            parent_id: parent,
            name: text("name"),
            start_date: Some(text("start")).filter(|s| !s.is_empty()),
            duration: v["duration"].as_i64().unwrap_or(1),
            lead_department: v["lead"].as_i64(),
            owner_id: v["owner"].as_i64(),
            delivery_standard: text("deliveryStandard"),
            ..Default::default()
        };
        // A new task arrives complete: a second request must not be needed to finish it.
        for (missing, field) in [
            (task.name.is_empty(), "name"),
            (task.start_date.is_none(), "start"),
            (task.duration < 1, "duration"),
            (task.lead_department.is_none(), "lead"),
            (task.owner_id.is_none(), "owner"),
            (task.delivery_standard.is_empty(), "deliveryStandard"),
        ] {
            if missing {
                return Err(invalid(
                    &format!("change.field.{field}"),
                    "change.add_task_incomplete",
                ));
            }
        }
        if let Some(d) = task.lead_department {
            crate::org::get(conn, d)
                .map_err(|_| invalid("change.field.lead", "org.no_department"))?;
        }
        if let Some(o) = task.owner_id {
            if !crate::people::list(conn)?.iter().any(|p| p.id == o) {
                return Err(invalid("change.field.owner", "change.bad_value"));
            }
        }
        return plan::checked(conn, &task);
    }
    let mut t = plan
        .task(e.task)
        .cloned()
        .ok_or_else(|| Error::refused("plan.no_task", &[]))?;
    let row = plan.row(e.task).expect("row").clone();
    if row.summary && matches!(e.field.as_str(), "start" | "finish" | "duration" | "buffer") {
        return Err(invalid("change.field.start", "change.summary_dates"));
    }
    match e.field.as_str() {
        "start" => t.start_date = Some(e.value.as_str().ok_or_else(bad)?.to_string()),
        "finish" => {
            // A new deadline keeps the buffer and changes the working days of work.
            let finish = e
                .value
                .as_str()
                .and_then(crate::registration::parse_date)
                .ok_or_else(bad)?;
            let start = row.start.ok_or_else(bad)?;
            let days = plan
                .calendar
                .working_days(start, finish)
                .saturating_sub(t.buffer);
            if days < 1 {
                return Err(invalid("change.field.finish", "change.finish_before_start"));
            }
            t.duration = days;
        }
        "duration" => t.duration = e.value.as_i64().ok_or_else(bad)?,
        "buffer" => t.buffer = e.value.as_i64().ok_or_else(bad)?,
        "lead" => t.lead_department = Some(e.value.as_i64().ok_or_else(bad)?),
        "addDepartment" => {
            let d = e.value.as_i64().ok_or_else(bad)?;
            crate::org::get(conn, d)
                .map_err(|_| invalid("change.field.addDepartment", "org.no_department"))?;
            if !t.collab_departments.contains(&d) {
                t.collab_departments.push(d);
            }
        }
        "owner" => t.owner_id = Some(e.value.as_i64().ok_or_else(bad)?),
        "name" => t.name = e.value.as_str().ok_or_else(bad)?.to_string(),
        "deliveryStandard" => t.delivery_standard = e.value.as_str().ok_or_else(bad)?.to_string(),
        _ => return Err(bad()),
    }
    plan::checked(conn, &t)
}

/// The edits in words, checked against the plan as it is now.
pub fn describe(conn: &Connection, edits: &[Edit]) -> Result<Vec<Described>> {
    let plan = plan::load(conn)?;
    let depts: std::collections::HashMap<i64, String> = crate::org::list(conn)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let people: std::collections::HashMap<i64, String> = crate::people::list(conn)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut out = Vec::new();
    for e in edits {
        let after_task = edited(conn, &plan, e)?;
        let show_field = |field: &str, t: &Task| -> String {
            match field {
                "start" => t.start_date.clone().unwrap_or_default(),
                "duration" => t.duration.to_string(),
                "buffer" => t.buffer.to_string(),
                "lead" => t
                    .lead_department
                    .and_then(|d| depts.get(&d).cloned())
                    .unwrap_or_default(),
                "addDepartment" => t
                    .collab_departments
                    .iter()
                    .filter_map(|d| depts.get(d).cloned())
                    .collect::<Vec<_>>()
                    .join("、"),
                "owner" => t
                    .owner_id
                    .and_then(|p| people.get(&p).cloned())
                    .unwrap_or_default(),
                "name" => t.name.clone(),
                "deliveryStandard" => t.delivery_standard.clone(),
                _ => String::new(),
            }
        };
        let show = |t: &Task, finish: Option<String>| -> String {
            if e.field == "finish" {
                finish.unwrap_or_default()
            } else {
                show_field(&e.field, t)
            }
        };
        if e.field == "addTask" {
            out.push(Described {
                task: if e.task > 0 {
                    plan.label(e.task)
                } else {
                    String::new()
                },
                field: e.field.clone(),
                before: String::new(),
                after: format!(
                    "{} · {} · {}",
                    after_task.name,
                    after_task.start_date.clone().unwrap_or_default(),
                    after_task.duration
                ),
                details: [
                    "name",
                    "start",
                    "duration",
                    "lead",
                    "owner",
                    "deliveryStandard",
                ]
                .iter()
                .map(|f| (f.to_string(), show_field(f, &after_task)))
                .collect(),
            });
            continue;
        }
        let before_task = plan.task(e.task).expect("checked by edited").clone();
        let before_finish = plan
            .row(e.task)
            .and_then(|r| r.finish)
            .map(|d| d.to_string());
        let after_finish = e.value.as_str().map(String::from);
        out.push(Described {
            task: plan.label(e.task),
            field: e.field.clone(),
            before: show(&before_task, before_finish),
            after: show(&after_task, after_finish),
            details: Vec::new(),
        });
    }
    Ok(out)
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
    if c.title.is_empty() || c.title.chars().count() > 200 {
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
        c.created_at = crate::control::stamp(crate::control::now());
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

/// What the request is signed on: its text and its edits in words (before → after).
/// Submitted requests carry the words frozen at submission, so that what was signed stays what it
/// says even when the plan moves on; drafts are described live.
pub fn content(conn: &Connection, id: i64) -> Result<Value> {
    let c = get(conn, id)?;
    let frozen: String = conn.query_row(
        "SELECT frozen FROM change_request WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    let edits: Value = match serde_json::from_str(&frozen) {
        Ok(v) => v,
        Err(_) => frozen_edits(conn, &c)?,
    };
    Ok(json!({
        "title": c.title,
        "aspects": c.aspects,
        "reason": c.reason,
        "impact": c.impact,
        "alternatives": c.alternatives,
        "edits": edits,
    }))
}

fn frozen_edits(conn: &Connection, c: &ChangeRequest) -> Result<Value> {
    Ok(Value::Array(
        describe(conn, &c.edits)?
            .into_iter()
            .zip(&c.edits)
            .map(|(d, e)| {
                let mut v = json!({"task": d.task, "taskId": e.task, "field": d.field,
                       "before": d.before, "after": d.after, "value": e.value});
                if !d.details.is_empty() {
                    v["details"] = json!(d.details);
                }
                v
            })
            .collect(),
    ))
}

/// Refuses a round on request `id` unless every required head signs it.
pub fn check_signers(conn: &Connection, id: i64, signers: &[i64]) -> Result<()> {
    signoff::require_all(
        conn,
        &self::signers(conn, id)?,
        signers,
        "change.head_missing",
    )
}

/// The departments (by name) that the edits touch: the lead and collaborating departments of each
/// edited task before and after the edit, a new task's lead, and the department of a new owner.
pub fn touched_departments(conn: &Connection, edits: &[Edit]) -> Result<Vec<String>> {
    let plan = plan::load(conn)?;
    let depts = crate::org::list(conn)?;
    let people = crate::people::list(conn)?;
    let mut ids: Vec<i64> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for e in edits {
        let Ok(after) = edited(conn, &plan, e) else {
            continue;
        };
        let mut tasks = vec![after];
        if let Some(before) = plan.task(e.task).filter(|_| e.field != "addTask") {
            tasks.push(before.clone());
        }
        for t in &tasks {
            ids.extend(t.lead_department);
            ids.extend(t.collab_departments.iter().copied());
        }
        if matches!(e.field.as_str(), "owner" | "addTask") {
            let owner = tasks[0].owner_id;
            names.extend(
                people
                    .iter()
                    .filter(|p| Some(p.id) == owner && !p.department.is_empty())
                    .map(|p| p.department.clone()),
            );
        }
    }
    Ok(depts
        .into_iter()
        .filter(|d| ids.contains(&d.id) || names.contains(&d.name))
        .map(|d| d.name)
        .collect())
}

/// Who signs request `id`: the heads of the departments the registration names (the initiating
/// and every collaborating department; every department's head when it names none that is set up)
/// and the heads of every department its edits touch, in the organization's order.
pub fn signers(conn: &Connection, id: i64) -> Result<Vec<i64>> {
    let reg = crate::registration::load(conn)?.registration;
    let mut named = vec![reg.initiating_department.clone()];
    named.extend(reg.collaborating_departments.iter().cloned());
    let touched = touched_departments(conn, &get(conn, id)?.edits)?;
    let all = crate::org::list(conn)?;
    let base: Vec<String> = all
        .iter()
        .map(|d| d.name.clone())
        .filter(|n| named.contains(n))
        .collect();
    let (mut out, depts): (Vec<i64>, Vec<String>) = if base.is_empty() {
        let only_touched = all
            .into_iter()
            .map(|d| d.name)
            .filter(|n| touched.contains(n))
            .collect();
        (plan::countersigners(conn)?, only_touched)
    } else {
        let both = all
            .into_iter()
            .map(|d| d.name)
            .filter(|n| named.contains(n) || touched.contains(n))
            .collect();
        (Vec::new(), both)
    };
    let people = crate::people::list(conn)?;
    for d in depts {
        let heads: Vec<i64> = people
            .iter()
            .filter(|p| p.department == d && p.role == "head")
            .map(|p| p.id)
            .collect();
        if heads.is_empty() {
            return Err(Error::refused("plan.publish.no_head", &[("name", d)]));
        }
        for h in heads {
            if !out.contains(&h) {
                out.push(h);
            }
        }
    }
    Ok(out)
}

/// Sends a draft request to its signers. Only a published plan is changed by request.
pub fn submit(conn: &mut Connection, actor: &str, id: i64) -> Result<signoff::Panel> {
    let c = get(conn, id)?;
    if c.edits.is_empty() {
        return Err(Error::refused("change.no_edits", &[]));
    }
    if plan::baseline(conn)?.is_none() {
        return Err(Error::refused("change.not_published", &[]));
    }
    let signers = signers(conn, id)?;
    let frozen = serde_json::to_string(&frozen_edits(conn, &c)?).expect("serializes");
    conn.execute(
        "UPDATE change_request SET frozen = ?1 WHERE id = ?2",
        params![frozen, id],
    )?;
    signoff::start(conn, actor, &DOCUMENT, id, &signers)
}

/// Applies an approved request's edits to the plan, inside the caller's transaction (the one that
/// records the last approval). Any failure aborts that transaction: nothing of it stays.
pub(crate) fn apply(tx: &Connection, actor: &str, id: i64) -> Result<()> {
    let c = get(tx, id)?;
    let record = format!("change_request:{id}");
    for e in &c.edits {
        // Each edit sees the plan as the previous ones left it.
        let plan = plan::load(tx)?;
        let after = edited(tx, &plan, e)?;
        if e.field == "addTask" {
            let position = plan
                .tasks
                .iter()
                .filter(|t| t.parent_id == after.parent_id)
                .count() as i64;
            tx.execute(
                "INSERT INTO task (parent_id, position, name) VALUES (?1, ?2, ?3)",
                params![after.parent_id, position, after.name],
            )?;
            let new = Task {
                id: tx.last_insert_rowid(),
                position,
                ..after
            };
            plan::write_task(tx, &new)?;
            plan::audit_task(
                tx,
                actor,
                new.id,
                &[("created".into(), record.clone(), new.name.clone())],
            )?;
            continue;
        }
        let before = plan.task(e.task).expect("checked by edited").clone();
        let mut changes = plan::task_changes(&before, &after);
        plan::write_task(tx, &after)?;
        changes.push(("changeRequest".into(), String::new(), record.clone()));
        plan::audit_task(tx, actor, after.id, &changes)?;
    }
    tx.execute(
        "UPDATE change_request SET applied_at = ?1 WHERE id = ?2",
        params![crate::control::stamp(crate::control::now()), id],
    )?;
    audit::append(
        tx,
        actor,
        &[Change {
            record: &record,
            field: "applied",
            before: None,
            after: Some(&c.edits.len().to_string()),
        }],
    )?;
    Ok(())
}

/// A change request as a signed document (one per request): the head of every collaborating
/// department, and of every department its edits touch, signs it; the last approval applies its
/// edits to the plan in the same transaction.
pub struct Document;

/// The change requests' entry in `kinds`.
pub static DOCUMENT: Document = Document;

impl signoff::Document for Document {
    fn kind(&self) -> DocKind {
        DocKind::ChangeRequest
    }

    fn rule(&self) -> signoff::Rule {
        signoff::Rule {
            mode: signoff::Mode::All,
            who_key: "signoff.who.change_request",
            after_approval: "signed",
        }
    }

    fn content(&self, conn: &Connection, id: i64) -> Result<Value> {
        content(conn, id)
    }

    fn suggested(&self, conn: &Connection, id: i64, _: &Value, _: &[Person]) -> Vec<i64> {
        signers(conn, id).unwrap_or_default()
    }

    fn check_signers(&self, conn: &Connection, id: i64, signers: &[i64]) -> Result<()> {
        check_signers(conn, id, signers)
    }

    fn on_approved(&self, tx: &Connection, actor: &str, id: i64) -> Result<()> {
        apply(tx, actor, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signoff::{Decision, Sign, State};

    const ME: &str = "张伟";

    /// The worked example, published, and a request moving 1.2's finish by three working days.
    fn setup() -> (Connection, ChangeRequest, i64) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.liaison");
        drop(crate::demo::write_example(&path).unwrap());
        let mut conn = Connection::open(&path).unwrap();
        // The file outlives the test's handle on the folder (the connection keeps using it).
        std::mem::forget(dir);
        let plan = plan::load(&conn).unwrap();
        let t = plan
            .tasks
            .iter()
            .find(|t| t.name == "销售培训材料制作")
            .unwrap()
            .id;
        let rnd = crate::org::list(&conn).unwrap()[1].id;
        let c = save(
            &mut conn,
            ME,
            &ChangeRequest {
                title: "培训材料延期三天".into(),
                aspects: vec!["time".into()],
                reason: "需补充竞品参数".into(),
                impact: "铺货顺延".into(),
                alternatives: "加派一人".into(),
                edits: vec![
                    Edit {
                        task: t,
                        field: "finish".into(),
                        value: json!("2023-10-30"),
                    },
                    Edit {
                        task: t,
                        field: "addDepartment".into(),
                        value: json!(rnd),
                    },
                ],
                ..Default::default()
            },
        )
        .unwrap();
        (conn, c, t)
    }

    fn finish_of(conn: &Connection, task: i64) -> String {
        let plan = plan::load(conn).unwrap();
        plan.row(task).unwrap().finish.unwrap().to_string()
    }

    fn sign_all(conn: &mut Connection, id: i64, decision: Decision) -> Result<signoff::Panel> {
        let panel = crate::kinds::panel(conn, crate::DocKind::ChangeRequest, id)?;
        let round = panel.rounds[0].clone();
        let mut last = Ok(panel);
        for s in round.signers.iter().filter(|s| s.signature.is_none()) {
            last = crate::kinds::sign(
                conn,
                ME,
                &Sign {
                    round_id: round.id,
                    revision: round.revision,
                    person_id: s.person.id,
                    decision,
                    comment: "意见".into(),
                },
            );
            if decision != Decision::Approve || last.is_err() {
                break;
            }
        }
        last
    }

    #[test]
    fn approval_by_every_head_applies_the_edits_and_locks_the_request() {
        let (mut conn, c, t) = setup();
        let described = describe(&conn, &c.edits).unwrap();
        assert_eq!(described[0].before, "2023-10-25");
        assert_eq!(described[0].after, "2023-10-30");
        let panel = submit(&mut conn, ME, c.id).unwrap();
        // Heads of 产品部, 研发部, 市场部 and 销售部.
        assert_eq!(panel.rounds[0].signers.len(), 4);
        let before = plan::load(&conn).unwrap();
        assert_eq!(
            before.row(t).unwrap().finish.unwrap().to_string(),
            "2023-10-25"
        );
        sign_all(&mut conn, c.id, Decision::Approve).unwrap();
        let after = plan::load(&conn).unwrap();
        assert_eq!(
            after.row(t).unwrap().finish.unwrap().to_string(),
            "2023-10-30"
        );
        assert_eq!(after.task(t).unwrap().collab_departments.len(), 3);
        assert_eq!(views(&conn).unwrap()[0].state, "applied");
        assert_eq!(
            crate::doc_state::state(&conn, crate::DocKind::ChangeRequest, c.id).unwrap(),
            State::Signed
        );
        // Signed: the request cannot change, and it still verifies though the plan moved on.
        assert_eq!(save(&mut conn, ME, &c).unwrap_err().code(), "locked");
        assert_eq!(crate::kinds::verify(&conn).unwrap(), None);
        // The plan's history names the request.
        let history = crate::audit::history(&conn, &[format!("task:{t}")]).unwrap();
        assert!(history
            .iter()
            .any(|e| e.after.as_deref() == Some(&*format!("change_request:{}", c.id))));
    }

    #[test]
    fn a_rejection_changes_nothing() {
        let (mut conn, c, t) = setup();
        submit(&mut conn, ME, c.id).unwrap();
        let before = plan::content(&conn).unwrap();
        sign_all(&mut conn, c.id, Decision::Reject).unwrap();
        assert_eq!(plan::content(&conn).unwrap(), before);
        assert_eq!(views(&conn).unwrap()[0].state, "rejected");
        assert_eq!(finish_of(&conn, t), "2023-10-25");
    }

    #[test]
    fn a_failure_midway_leaves_the_plan_and_the_signatures_as_they_were() {
        let (mut conn, mut c, t) = setup();
        // The second edit names a department that will be gone when the last head signs.
        let extra = crate::org::add(&mut conn, ME, "财务部").unwrap();
        // The department the request touches must sign too.
        crate::people::add(
            &mut conn,
            ME,
            &crate::people::Person {
                name: "周敏".into(),
                department: "财务部".into(),
                role: "head".into(),
                ..Default::default()
            },
        )
        .unwrap();
        c.edits[1].value = json!(extra.id);
        let c = save(&mut conn, ME, &c).unwrap();
        submit(&mut conn, ME, c.id).unwrap();
        conn.execute("DELETE FROM department WHERE id = ?1", [extra.id])
            .unwrap();
        let before_plan = plan::content(&conn).unwrap();
        let signatures = |conn: &Connection| -> i64 {
            conn.query_row("SELECT count(*) FROM signature", [], |r| r.get(0))
                .unwrap()
        };
        let before_signatures = signatures(&conn);
        let err = sign_all(&mut conn, c.id, Decision::Approve).unwrap_err();
        assert_eq!(err.code(), "invalid", "{err:?}");
        // Four heads signed; the fifth signature and the first edit were rolled back together.
        assert_eq!(signatures(&conn), before_signatures + 4);
        assert_eq!(plan::content(&conn).unwrap(), before_plan);
        assert_eq!(finish_of(&conn, t), "2023-10-25");
        assert_eq!(
            crate::doc_state::state(&conn, crate::DocKind::ChangeRequest, c.id).unwrap(),
            State::InSignoff
        );
    }

    /// Adds 设计部 with its head 赵敏, who is not among the registration's departments.
    fn design(conn: &mut Connection) -> (i64, i64) {
        let d = crate::org::add(conn, ME, "设计部").unwrap();
        let head = crate::people::add(
            conn,
            ME,
            &crate::people::Person {
                name: "赵敏".into(),
                department: "设计部".into(),
                role: "head".into(),
                ..Default::default()
            },
        )
        .unwrap();
        (d.id, head.id)
    }

    #[test]
    fn a_request_touching_a_department_needs_its_head_too() {
        let (mut conn, mut c, t) = setup();
        let (d, head) = design(&mut conn);
        let before = signers(&conn, c.id).unwrap();
        assert_eq!(before.len(), 4);
        assert!(!before.contains(&head));
        // Giving the task to 设计部 adds its head to the required signers, shown on the request.
        c.edits = vec![Edit {
            task: t,
            field: "lead".into(),
            value: json!(d),
        }];
        let c = save(&mut conn, ME, &c).unwrap();
        let required = signers(&conn, c.id).unwrap();
        assert_eq!(required.len(), 5);
        assert!(required.contains(&head));
        let view = views(&conn)
            .unwrap()
            .into_iter()
            .find(|v| v.request.id == c.id)
            .unwrap();
        assert!(view
            .required_signers
            .contains(&"赵敏（设计部）".to_string()));
        // A round without that head is refused, naming the head.
        let err = crate::kinds::start(&mut conn, ME, crate::DocKind::ChangeRequest, c.id, &before)
            .unwrap_err();
        assert_eq!(err.code(), "refused");
        assert!(err.to_string().contains("赵敏"), "{err}");
        let panel = submit(&mut conn, ME, c.id).unwrap();
        assert!(panel.rounds[0].signers.iter().any(|s| s.person.id == head));
        assert!(panel.suggested.contains(&head));
    }

    #[test]
    fn a_task_of_a_department_moved_needs_that_head_and_a_new_owner_brings_theirs() {
        let (mut conn, mut c, t) = setup();
        let (d, head) = design(&mut conn);
        let mut collab = plan::load(&conn)
            .unwrap()
            .task(t)
            .unwrap()
            .collab_departments
            .clone();
        collab.push(d);
        conn.execute(
            "UPDATE task SET collab_departments = ?1 WHERE id = ?2",
            params![serde_json::to_string(&collab).unwrap(), t],
        )
        .unwrap();
        let plan = plan::load(&conn).unwrap();
        assert!(plan.task(t).unwrap().collab_departments.contains(&d));
        c.edits.truncate(1);
        let c = save(&mut conn, ME, &c).unwrap();
        assert!(signers(&conn, c.id).unwrap().contains(&head));
        // A new task owned by someone of 设计部 brings that department in as well.
        let other = plan
            .tasks
            .iter()
            .find(|x| {
                !x.collab_departments.contains(&d) && x.id != t && x.lead_department.is_some()
            })
            .unwrap()
            .id;
        let mut c2 = c.clone();
        c2.id = 0;
        c2.edits = vec![Edit {
            task: other,
            field: "owner".into(),
            value: json!(head),
        }];
        let c2 = save(&mut conn, ME, &c2).unwrap();
        assert!(signers(&conn, c2.id).unwrap().contains(&head));
    }

    #[test]
    fn a_new_task_carries_owner_and_standard_into_the_signed_words_and_the_plan() {
        let (mut conn, mut c, _) = setup();
        let (d, head) = design(&mut conn);
        let mut value = json!({"name": "包装设计", "start": "2023-10-23", "duration": 3,
                               "lead": d});
        c.edits = vec![Edit {
            task: 0,
            field: "addTask".into(),
            value: value.clone(),
        }];
        // Without owner and delivery standard the new task is refused.
        let err = save(&mut conn, ME, &c).unwrap_err();
        assert_eq!(err.code(), "invalid");
        value["owner"] = json!(head);
        value["deliveryStandard"] = json!("三套包装方案经产品部确认");
        c.edits[0].value = value;
        let c = save(&mut conn, ME, &c).unwrap();
        let described = describe(&conn, &c.edits).unwrap();
        let details: std::collections::HashMap<_, _> =
            described[0].details.iter().cloned().collect();
        assert_eq!(details["owner"], "赵敏");
        assert_eq!(details["lead"], "设计部");
        assert_eq!(details["deliveryStandard"], "三套包装方案经产品部确认");
        submit(&mut conn, ME, c.id).unwrap();
        let content = content(&conn, c.id).unwrap();
        let frozen = content["edits"][0]["details"].to_string();
        assert!(
            frozen.contains("赵敏") && frozen.contains("三套包装方案经产品部确认"),
            "{frozen}"
        );
        sign_all(&mut conn, c.id, Decision::Approve).unwrap();
        let plan = plan::load(&conn).unwrap();
        let new = plan.tasks.iter().find(|t| t.name == "包装设计").unwrap();
        assert_eq!(new.owner_id, Some(head));
        assert_eq!(new.lead_department, Some(d));
        assert_eq!(new.delivery_standard, "三套包装方案经产品部确认");
        assert_eq!(new.start_date.as_deref(), Some("2023-10-23"));
        assert_eq!(new.duration, 3);
    }

    #[test]
    fn a_draft_request_is_checked_against_the_plan() {
        let (mut conn, mut c, t) = setup();
        c.edits = vec![Edit {
            task: t,
            field: "finish".into(),
            value: json!("2023-10-01"),
        }];
        assert_eq!(save(&mut conn, ME, &c).unwrap_err().code(), "invalid");
        c.edits = vec![];
        let c = save(&mut conn, ME, &c).unwrap();
        assert_eq!(submit(&mut conn, ME, c.id).unwrap_err().code(), "refused");
    }
}
