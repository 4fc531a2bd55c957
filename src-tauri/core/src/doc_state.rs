//! Where a document is in its life (draft, being signed, signed), as `document_state` records
//! it, and the refusal to edit a document that is being signed or is signed.
//!
//! The lowest piece of the sign-off mechanism: every module that edits a signed document asks
//! `ensure_editable` first (SQLite triggers refuse whatever gets past it).

use crate::error::{Error, Result};
use crate::kind::DocKind;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// Where a document is in its life: editable, being signed, or signed and locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Draft,
    InSignoff,
    Signed,
}

/// The state of a document (a document without a row is a draft).
pub fn state(conn: &Connection, kind: DocKind, id: i64) -> Result<State> {
    let s: Option<String> = conn
        .query_row(
            "SELECT state FROM document_state WHERE kind = ?1 AND doc_id = ?2",
            params![kind.as_str(), id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match s.as_deref() {
        Some("in_signoff") => State::InSignoff,
        Some("signed") => State::Signed,
        _ => State::Draft,
    })
}

/// Refuses with a clear message when the document may not be edited now.
pub fn ensure_editable(conn: &Connection, kind: DocKind, id: i64) -> Result<()> {
    match state(conn, kind, id)? {
        State::Draft => Ok(()),
        s => Err(Error::Locked {
            record: kind.record(id),
            signed: s == State::Signed,
        }),
    }
}

/// Records the document's state (`draft`, `in_signoff`, `signed`).
pub(crate) fn set(conn: &Connection, kind: DocKind, id: i64, s: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO document_state (kind, doc_id, state) VALUES (?1, ?2, ?3)
         ON CONFLICT (kind, doc_id) DO UPDATE SET state = excluded.state",
        params![kind.as_str(), id, s],
    )?;
    Ok(())
}
