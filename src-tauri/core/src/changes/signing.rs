//! What a change request is signed on, who signs it, submitting it, and its `signoff::Document`.

use super::*;

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

pub(super) fn frozen_edits(conn: &Connection, c: &ChangeRequest) -> Result<Value> {
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
        signoff::Rule::all("signoff.who.change_request", "signed")
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
