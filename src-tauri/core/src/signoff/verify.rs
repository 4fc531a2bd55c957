//! `check`'s comparison of every round's frozen content and every signed document with their
//! fingerprints.

use super::*;

/// A signed document whose content or signatures no longer match their fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub kind: String,
    pub doc_id: i64,
    pub revision: i64,
}

/// Checks every round's frozen content and signatures against its fingerprint, and every signed
/// document's current content against its last approved round. Returns the first mismatch.
pub fn verify(conn: &Connection, docs: Registry) -> Result<Option<Mismatch>> {
    /// A round as stored, with how many of its signatures name another fingerprint.
    struct Frozen {
        kind: String,
        doc_id: i64,
        revision: i64,
        content: String,
        fingerprint: String,
        status: String,
        foreign_signatures: i64,
    }
    let mut stmt = conn.prepare(
        "SELECT r.kind, r.doc_id, r.revision, r.content, r.fingerprint, r.status,
                (SELECT count(*) FROM signature g WHERE g.round_id = r.id AND g.fingerprint <> r.fingerprint)
         FROM signoff_round r ORDER BY r.id",
    )?;
    let rounds: Vec<Frozen> = stmt
        .query_map([], |r| {
            Ok(Frozen {
                kind: r.get(0)?,
                doc_id: r.get(1)?,
                revision: r.get(2)?,
                content: r.get(3)?,
                fingerprint: r.get(4)?,
                status: r.get(5)?,
                foreign_signatures: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mismatch = |f: &Frozen| Mismatch {
        kind: f.kind.clone(),
        doc_id: f.doc_id,
        revision: f.revision,
    };
    for f in &rounds {
        let value: Value = serde_json::from_str(&f.content).unwrap_or(Value::Null);
        if fingerprint::of_document(&f.kind, f.doc_id, &value) != f.fingerprint
            || f.foreign_signatures > 0
        {
            return Ok(Some(mismatch(f)));
        }
    }
    let mut locked = conn.prepare(
        "SELECT kind, doc_id FROM document_state WHERE state IN ('signed', 'in_signoff')",
    )?;
    let locked: Vec<(String, i64)> = locked
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (kind, id) in locked {
        let last = rounds
            .iter()
            .filter(|f| {
                f.kind == kind && f.doc_id == id && (f.status == "approved" || f.status == "open")
            })
            .max_by_key(|f| f.revision);
        let content = docs(stored_kind(&kind)?).content(conn, id)?;
        let current = fingerprint::of_document(&kind, id, &content);
        match last {
            Some(f) if f.fingerprint == current => {}
            Some(f) => return Ok(Some(mismatch(f))),
            None => {
                return Ok(Some(Mismatch {
                    kind,
                    doc_id: id,
                    revision: 0,
                }))
            }
        }
    }
    Ok(None)
}
