//! People of the project: records (name, department, role), not accounts. Signers are chosen here.

use crate::audit::{self, Change};
use crate::error::{Error, Result};
use crate::validate::{has_control, too_long};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

/// The roles a person can have; labels come from the catalog (`role.<code>`).
pub const ROLES: &[&str] = &["head", "interface", "owner", "member", "decision"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    #[serde(default)]
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub department: String,
    /// One of `ROLES`.
    #[serde(default)]
    pub role: String,
    /// Phone, e-mail or chat handle, as the user writes it.
    #[serde(default)]
    pub contact: String,
}

/// Everyone, by department, then name.
pub fn list(conn: &Connection) -> Result<Vec<Person>> {
    let mut stmt = conn.prepare(
        "SELECT id, name, department, role, contact FROM person ORDER BY department, name, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Person {
            id: r.get(0)?,
            name: r.get(1)?,
            department: r.get(2)?,
            role: r.get(3)?,
            contact: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One person by id.
pub fn get(conn: &Connection, id: i64) -> Result<Person> {
    list(conn)?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| Error::Invalid {
            field: "field.signer".into(),
            detail: "signoff.unknown_person".into(),
        })
}

/// A person's fields, trimmed and checked; the role falls back to member.
pub(crate) fn checked(p: &Person) -> Result<Person> {
    let name = p.name.trim();
    let department = p.department.trim();
    let contact = p.contact.trim();
    if name.is_empty() || too_long(name, 100) || has_control(name, &[]) {
        return Err(Error::Invalid {
            field: "field.person.name".into(),
            detail: "validation.required".into(),
        });
    }
    for (field, value) in [
        ("field.person.department", department),
        ("field.person.contact", contact),
    ] {
        if too_long(value, 100) || has_control(value, &[]) {
            return Err(Error::Invalid {
                field: field.into(),
                detail: "validation.control_chars".into(),
            });
        }
    }
    let role = if ROLES.contains(&p.role.as_str()) {
        p.role.as_str()
    } else {
        "member"
    };
    Ok(Person {
        id: p.id,
        name: name.into(),
        department: department.into(),
        role: role.into(),
        contact: contact.into(),
    })
}

/// The e-mail address in a contact as people write it (`wang@example.com`, `王芳 <wang@example.com>`,
/// `138… / wang@example.com；微信 wangf`, `mailto:…`): the first word with an `@` that is a valid
/// address (lettre's parser, the one the mail is sent with), or none.
pub fn email_address(contact: &str) -> Option<String> {
    let separators =
        |c: char| c.is_whitespace() || ",;:/|<>()[]{}\"'，；：、（）《》【】".contains(c);
    contact
        .split(separators)
        .map(|w| w.trim_matches(|c: char| ".。".contains(c)))
        .filter(|w| w.contains('@'))
        .find_map(|w| w.parse::<lettre::Address>().ok())
        .map(|a| a.to_string())
}

fn shown(p: &Person) -> String {
    format!("{}（{}，{}）{}", p.name, p.department, p.role, p.contact)
}

/// Adds a person; the name is required and a role must be one of `ROLES`.
pub fn add(conn: &mut Connection, actor: &str, p: &Person) -> Result<Person> {
    let mut p = checked(p)?;
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO person (name, department, role, contact) VALUES (?1, ?2, ?3, ?4)",
        params![p.name, p.department, p.role, p.contact],
    )?;
    p.id = tx.last_insert_rowid();
    let record = format!("person:{}", p.id);
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &record,
            field: "created",
            before: None,
            after: Some(&shown(&p)),
        }],
    )?;
    tx.commit()?;
    Ok(p)
}

/// Changes a person's name, department, role or contact. Signatures keep the person as they were
/// when signing.
pub fn update(conn: &mut Connection, actor: &str, p: &Person) -> Result<Person> {
    let before = get(conn, p.id)?;
    let p = checked(p)?;
    if p == before {
        return Ok(p);
    }
    if p.name != before.name {
        // The plan being countersigned names its owners: keep them as signed.
        crate::doc_state::ensure_editable(conn, crate::DocKind::Plan, 1)?;
    }
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE person SET name = ?1, department = ?2, role = ?3, contact = ?4 WHERE id = ?5",
        params![p.name, p.department, p.role, p.contact, p.id],
    )?;
    let record = format!("person:{}", p.id);
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &record,
            field: "updated",
            before: Some(&shown(&before)),
            after: Some(&shown(&p)),
        }],
    )?;
    tx.commit()?;
    Ok(p)
}

/// Removes a person nobody's task, signature round or plan refers to, and who has no signing key
/// bound (a later person could get their id, and with it the key).
pub fn remove(conn: &mut Connection, actor: &str, id: i64) -> Result<()> {
    let before = get(conn, id)?;
    let used: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM signoff_signer WHERE person_id = ?1)
              + (SELECT count(*) FROM task WHERE owner_id = ?1)
              + (SELECT count(*) FROM task, json_each(task.collaborators) WHERE json_each.value = ?1)
              + (SELECT count(*) FROM comm_plan, json_each(comm_plan.participants) WHERE json_each.value = ?1)
              + (SELECT count(*) FROM person_key WHERE person_id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    if used > 0 {
        return Err(Error::Invalid {
            field: "field.person.name".into(),
            detail: "people.in_use".into(),
        });
    }
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM person WHERE id = ?1", [id])?;
    let record = format!("person:{id}");
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &record,
            field: "deleted",
            before: Some(&shown(&before)),
            after: None,
        }],
    )?;
    tx.commit()?;
    Ok(())
}
