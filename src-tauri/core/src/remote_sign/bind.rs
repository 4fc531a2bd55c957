//! Binding an identity card to a person of the project: after the coordinator has read the key
//! fingerprint back with the holder, responses signed by that key count as that person's.
//! Bindings are append-only and audited; a key belongs to one person only.

use super::change;
use crate::audit;
use crate::error::{Error, Result};
use crate::fingerprint::{canonical, sha256_hex};
use crate::identity::{grouped, Card, Holder};
use crate::people;
use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::json;

/// A key bound to a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Binding {
    pub person_id: i64,
    pub person_name: String,
    pub fingerprint: String,
    /// The fingerprint in groups of four, as read over the phone.
    pub grouped: String,
    /// What the card says of its holder.
    pub holder: Holder,
    pub bound_at: String,
    pub bound_by: String,
}

/// A binding row as stored.
pub(crate) struct BindingRow {
    pub id: i64,
    pub person_id: i64,
    pub fingerprint: String,
    pub public_key: String,
    pub card: String,
    pub bound_at: String,
    pub bound_by: String,
}

impl BindingRow {
    /// The audit text: the fingerprint, readable, and a digest of the whole row.
    pub(crate) fn text(&self) -> String {
        let d = sha256_hex(
            canonical(&json!({
                "id": self.id, "person": self.person_id, "fingerprint": self.fingerprint,
                "publicKey": self.public_key, "card": self.card, "boundAt": self.bound_at,
                "boundBy": self.bound_by,
            }))
            .as_bytes(),
        );
        format!("{} · #{}", grouped(&self.fingerprint), &d[..32])
    }
}

/// Binds the identity card `card` (its file's bytes) to person `person_id`.
pub fn bind(conn: &mut Connection, actor: &str, person_id: i64, card: &[u8]) -> Result<Binding> {
    let parsed = Card::parse(card)?;
    let person = people::get(conn, person_id)?;
    if let Some(other) = bindings(conn)?
        .into_iter()
        .find(|b| b.fingerprint == parsed.fingerprint)
    {
        return Err(Error::refused(
            "keys.already_bound",
            &[("name", other.person_name)],
        ));
    }
    let tx = conn.transaction()?;
    let mut row = BindingRow {
        id: 0,
        person_id,
        fingerprint: parsed.fingerprint.clone(),
        public_key: parsed.public_key.clone(),
        card: String::from_utf8_lossy(card).trim_end().to_string(),
        bound_at: crate::clock::now_rfc3339(true),
        bound_by: actor.to_string(),
    };
    tx.execute(
        "INSERT INTO person_key (person_id, fingerprint, public_key, card, bound_at, bound_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            row.person_id,
            row.fingerprint,
            row.public_key,
            row.card,
            row.bound_at,
            row.bound_by
        ],
    )?;
    row.id = tx.last_insert_rowid();
    let record = format!("person:{person_id}");
    let text = row.text();
    audit::append(&tx, actor, &[change(&record, "person.key_bound", &text)])?;
    tx.commit()?;
    Ok(Binding {
        person_id,
        person_name: person.name,
        grouped: grouped(&row.fingerprint),
        fingerprint: row.fingerprint,
        holder: parsed.holder,
        bound_at: row.bound_at,
        bound_by: row.bound_by,
    })
}

/// Every key bound in the project, in the order they were bound.
pub fn bindings(conn: &Connection) -> Result<Vec<Binding>> {
    let mut stmt = conn.prepare(
        "SELECT k.person_id, coalesce(p.name, '?'), k.fingerprint, k.card, k.bound_at, k.bound_by
         FROM person_key k LEFT JOIN person p ON p.id = k.person_id ORDER BY k.id",
    )?;
    let rows = stmt.query_map([], |r| {
        let card: String = r.get(3)?;
        let holder = Card::parse(format!("{card}\n").as_bytes())
            .map(|c| c.holder)
            .unwrap_or_default();
        let fingerprint: String = r.get(2)?;
        Ok(Binding {
            person_id: r.get(0)?,
            person_name: r.get(1)?,
            grouped: grouped(&fingerprint),
            fingerprint,
            holder,
            bound_at: r.get(4)?,
            bound_by: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
