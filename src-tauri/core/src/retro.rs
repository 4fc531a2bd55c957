//! The retrospective (复盘总结报告): what worked (成功经验), problems and their causes (问题反思),
//! improvements (改进建议) each with an owner and a "carry forward" mark. Confirmed by the
//! department heads as ('retrospective', 1), then locked. Improvements marked to carry forward
//! become the checklist of a project started from this one (see `library::new_from`).

use crate::error::{Error, Result};
use crate::kind::DocKind;
use crate::people::Person;
use crate::signoff;
use crate::validate::{check_text, invalid};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The three parts of the report, in order.
pub const SECTIONS: &[&str] = &["success", "problem", "improvement"];

/// One entry of the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Entry {
    pub id: i64,
    /// `success`, `problem` or `improvement`.
    pub section: String,
    pub position: i64,
    pub text: String,
    /// For a problem: its cause.
    pub cause: String,
    /// For an improvement: who sees it through.
    pub owner_id: Option<i64>,
    /// For an improvement: carried into the next project's checklist.
    pub carry: bool,
}

/// The entries of the report, section by section, in order.
pub fn entries(conn: &Connection) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare(
        "SELECT id, section, position, text, cause, owner_id, carry FROM retro_entry
         ORDER BY CASE section WHEN 'success' THEN 0 WHEN 'problem' THEN 1 ELSE 2 END, position, id",
    )?;
    let out = stmt
        .query_map([], |r| {
            Ok(Entry {
                id: r.get(0)?,
                section: r.get(1)?,
                position: r.get(2)?,
                text: r.get(3)?,
                cause: r.get(4)?,
                owner_id: r.get(5)?,
                carry: r.get::<_, i64>(6)? != 0,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

/// Adds (id 0) or updates an entry.
pub fn save_entry(conn: &mut Connection, actor: &str, e: &Entry) -> Result<Entry> {
    crate::doc_state::ensure_editable(conn, crate::DocKind::Retrospective, 1)?;
    let mut e = e.clone();
    if !SECTIONS.contains(&e.section.as_str()) {
        return Err(invalid("field.retro.section", "validation.required"));
    }
    e.text = e.text.trim().to_string();
    e.cause = e.cause.trim().to_string();
    check_text("field.retro.text", &e.text, 4000)?;
    check_text("field.retro.cause", &e.cause, 4000)?;
    if e.section != "problem" {
        e.cause.clear();
    }
    if e.section != "improvement" {
        e.owner_id = None;
        e.carry = false;
    }
    if let Some(p) = e.owner_id {
        crate::people::get(conn, p)
            .map_err(|_| invalid("field.retro.owner", "signoff.unknown_person"))?;
    }
    let before = if e.id > 0 {
        let b = entries(conn)?
            .into_iter()
            .find(|x| x.id == e.id)
            .ok_or_else(|| Error::refused("retro.no_entry", &[]))?;
        e.section = b.section.clone();
        e.position = b.position;
        Some(b)
    } else {
        None
    };
    if before.as_ref() == Some(&e) {
        return Ok(e);
    }
    let tx = conn.transaction()?;
    if e.id > 0 {
        tx.execute(
            "UPDATE retro_entry SET text = ?1, cause = ?2, owner_id = ?3, carry = ?4 WHERE id = ?5",
            params![e.text, e.cause, e.owner_id, e.carry as i64, e.id],
        )?;
    } else {
        e.position = tx.query_row(
            "SELECT coalesce(max(position), 0) + 1 FROM retro_entry WHERE section = ?1",
            [&e.section],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO retro_entry (section, position, text, cause, owner_id, carry)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                e.section,
                e.position,
                e.text,
                e.cause,
                e.owner_id,
                e.carry as i64
            ],
        )?;
        e.id = tx.last_insert_rowid();
    }
    let view = |x: &Entry| json!({"section": x.section, "text": x.text, "cause": x.cause, "ownerId": x.owner_id, "carry": x.carry});
    crate::audit::record_diff(
        &tx,
        actor,
        &format!("retro:{}", e.id),
        before.as_ref().map(view).as_ref(),
        &view(&e),
    )?;
    tx.commit()?;
    Ok(e)
}

/// Deletes an entry.
pub fn delete_entry(conn: &mut Connection, actor: &str, id: i64) -> Result<()> {
    crate::doc_state::ensure_editable(conn, crate::DocKind::Retrospective, 1)?;
    let text: String = conn
        .query_row("SELECT text FROM retro_entry WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| Error::refused("retro.no_entry", &[]))?;
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM retro_entry WHERE id = ?1", [id])?;
    crate::audit::append(
        &tx,
        actor,
        &[crate::audit::Change {
            record: &format!("retro:{id}"),
            field: "text",
            before: Some(&text),
            after: None,
        }],
    )?;
    tx.commit()?;
    Ok(())
}

/// The content the heads confirm (what the fingerprint covers).
pub fn content(conn: &Connection) -> Result<Value> {
    let people: HashMap<i64, (String, String)> = crate::people::list(conn)?
        .into_iter()
        .map(|p| (p.id, (p.name, p.department)))
        .collect();
    let list = entries(conn)?;
    let of = |section: &str| -> Vec<Value> {
        list.iter()
            .filter(|e| e.section == section)
            .map(|e| match section {
                "success" => json!({"text": e.text}),
                "problem" => json!({"text": e.text, "cause": e.cause}),
                _ => {
                    let (owner, dept) = e
                        .owner_id
                        .and_then(|p| people.get(&p).cloned())
                        .unwrap_or_default();
                    json!({"text": e.text, "owner": owner, "ownerDepartment": dept, "carry": e.carry})
                }
            })
            .collect()
    };
    Ok(json!({
        "successes": of("success"),
        "problems": of("problem"),
        "improvements": of("improvement"),
    }))
}

/// Refuses to ask for confirmation while the report is incomplete: each part needs an entry, each
/// problem its cause, each improvement an owner; every department head confirms.
pub fn check_signers(conn: &Connection, signers: &[i64]) -> Result<()> {
    let list = entries(conn)?;
    for section in SECTIONS {
        if !list
            .iter()
            .any(|e| e.section == *section && !e.text.is_empty())
        {
            return Err(Error::refused(&format!("retro.empty.{section}"), &[]));
        }
    }
    if let Some(e) = list.iter().find(|e| e.text.is_empty()) {
        return Err(Error::refused(
            "retro.blank_entry",
            &[(
                "section",
                crate::i18n::text(
                    crate::i18n::Lang::from_env(),
                    &format!("retro.section.{}", e.section),
                ),
            )],
        ));
    }
    if let Some(e) = list
        .iter()
        .find(|e| e.section == "problem" && e.cause.is_empty())
    {
        return Err(Error::refused(
            "retro.no_cause",
            &[("text", e.text.clone())],
        ));
    }
    if let Some(e) = list
        .iter()
        .find(|e| e.section == "improvement" && e.owner_id.is_none())
    {
        return Err(Error::refused(
            "retro.no_owner",
            &[("text", e.text.clone())],
        ));
    }
    let heads = crate::plan::countersigners(conn)?;
    crate::signoff::require_all(conn, &heads, signers, "retro.head_missing")
}

/// An improvement carried over from an earlier project, as a checklist item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChecklistItem {
    pub id: i64,
    pub position: i64,
    pub text: String,
    /// Who owned it in the earlier project (name and department).
    pub owner: String,
    /// The project it came from.
    pub source: String,
    pub done: bool,
}

/// The checklist of carried-over improvements.
pub fn checklist(conn: &Connection) -> Result<Vec<ChecklistItem>> {
    let mut stmt = conn.prepare(
        "SELECT id, position, text, owner, source, done FROM checklist_item ORDER BY position, id",
    )?;
    let out = stmt
        .query_map([], |r| {
            Ok(ChecklistItem {
                id: r.get(0)?,
                position: r.get(1)?,
                text: r.get(2)?,
                owner: r.get(3)?,
                source: r.get(4)?,
                done: r.get::<_, i64>(5)? != 0,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

/// Ticks a checklist item off (or back on).
pub fn set_checklist_done(conn: &mut Connection, actor: &str, id: i64, done: bool) -> Result<()> {
    let before: bool = conn
        .query_row("SELECT done FROM checklist_item WHERE id = ?1", [id], |r| {
            r.get::<_, i64>(0).map(|d| d != 0)
        })
        .optional()?
        .ok_or_else(|| Error::refused("retro.no_entry", &[]))?;
    if before == done {
        return Ok(());
    }
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE checklist_item SET done = ?1 WHERE id = ?2",
        params![done as i64, id],
    )?;
    crate::audit::record_diff(
        &tx,
        actor,
        &format!("checklist:{id}"),
        Some(&json!({"done": before})),
        &json!({"done": done}),
    )?;
    tx.commit()?;
    Ok(())
}

/// The retrospective as a signed document (one per project): every department head confirms it.
pub struct Document;

/// The retrospective's entry in `kinds`.
pub static DOCUMENT: Document = Document;

impl signoff::Document for Document {
    fn kind(&self) -> DocKind {
        DocKind::Retrospective
    }

    fn rule(&self) -> signoff::Rule {
        signoff::Rule::all("signoff.who.retrospective", "signed")
    }

    fn content(&self, conn: &Connection, id: i64) -> Result<Value> {
        signoff::only_one(id)?;
        content(conn)
    }

    fn suggested(&self, conn: &Connection, _: i64, _: &Value, _: &[Person]) -> Vec<i64> {
        crate::plan::countersigners(conn).unwrap_or_default()
    }

    fn check_signers(&self, conn: &Connection, _: i64, signers: &[i64]) -> Result<()> {
        check_signers(conn, signers)
    }
}
