//! People of the project: records (name, department, role), not accounts. Signers are chosen here.

use crate::audit::{self, Change};
use crate::error::{Error, Result};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

/// The roles a person can have; labels come from the catalog (`role.<code>`).
pub const ROLES: &[&str] = &["head", "interface", "owner", "member", "decision"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// Everyone, by department, then name.
pub fn list(conn: &Connection) -> Result<Vec<Person>> {
    let mut stmt = conn
        .prepare("SELECT id, name, department, role FROM person ORDER BY department, name, id")?;
    let rows = stmt.query_map([], |r| {
        Ok(Person {
            id: r.get(0)?,
            name: r.get(1)?,
            department: r.get(2)?,
            role: r.get(3)?,
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

/// Adds a person; the name is required and a role must be one of `ROLES`.
pub fn add(conn: &mut Connection, actor: &str, p: &Person) -> Result<Person> {
    let name = p.name.trim();
    let department = p.department.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(Error::Invalid {
            field: "field.person.name".into(),
            detail: "validation.required".into(),
        });
    }
    if department.chars().count() > 100 || department.chars().any(char::is_control) {
        return Err(Error::Invalid {
            field: "field.person.department".into(),
            detail: "validation.control_chars".into(),
        });
    }
    let role = if ROLES.contains(&p.role.as_str()) {
        p.role.as_str()
    } else {
        "member"
    };
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO person (name, department, role) VALUES (?1, ?2, ?3)",
        params![name, department, role],
    )?;
    let id = tx.last_insert_rowid();
    let record = format!("person:{id}");
    let shown = format!("{name}（{department}，{role}）");
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &record,
            field: "created",
            before: None,
            after: Some(&shown),
        }],
    )?;
    tx.commit()?;
    Ok(Person {
        id,
        name: name.into(),
        department: department.into(),
        role: role.into(),
    })
}
