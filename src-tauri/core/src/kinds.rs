//! The registry of signed documents: each `DocKind` and the module that implements it
//! (`signoff::Document`). The one place that knows every kind; above the domain, so the sign-off
//! mechanism below knows documents only through the trait.
//!
//! A new document kind = one `DocKind` arm, one `signoff::Document` impl in its module, one line
//! in `document` here, and a lock trigger in a migration.

use crate::error::Result;
use crate::kind::DocKind;
use crate::signoff::{self, Document, Mismatch, Panel, Rule, Sign};
use rusqlite::Connection;
use serde_json::Value;

/// The document of a kind.
pub fn document(kind: DocKind) -> &'static dyn Document {
    match kind {
        DocKind::Registration => &crate::registration::DOCUMENT,
        DocKind::Plan => &crate::plan::DOCUMENT,
        DocKind::Minutes => &crate::meetings::DOCUMENT,
        DocKind::ChangeRequest => &crate::changes::DOCUMENT,
        DocKind::Acceptance => &crate::acceptance::DOCUMENT,
        DocKind::Retrospective => &crate::retro::DOCUMENT,
    }
}

/// The signing rule of a kind.
pub fn rule(kind: DocKind) -> Rule {
    document(kind).rule()
}

/// The content a document is signed on (what its fingerprint covers).
pub fn content(conn: &Connection, kind: DocKind, id: i64) -> Result<Value> {
    document(kind).content(conn, id)
}

/// The sign-off panel of a document.
pub fn panel(conn: &Connection, kind: DocKind, id: i64) -> Result<Panel> {
    signoff::panel(conn, document(kind), id)
}

/// Starts a round on a document (see `signoff::start`).
pub fn start(
    conn: &mut Connection,
    actor: &str,
    kind: DocKind,
    id: i64,
    signers: &[i64],
) -> Result<Panel> {
    signoff::start(conn, actor, document(kind), id, signers)
}

/// Records one signature (see `signoff::sign`).
pub fn sign(conn: &mut Connection, actor: &str, s: &Sign) -> Result<Panel> {
    signoff::sign(conn, actor, document, s)
}

/// Records a signature obtained by `method` (see `signoff::sign_by`).
pub fn sign_by(
    conn: &mut Connection,
    actor: &str,
    s: &Sign,
    method: &signoff::Method,
) -> Result<Panel> {
    signoff::sign_by(conn, actor, document, s, method)
}

/// Withdraws an open round (see `signoff::withdraw`).
pub fn withdraw(conn: &mut Connection, actor: &str, round_id: i64) -> Result<Panel> {
    signoff::withdraw(conn, actor, document, round_id)
}

/// Opens a signed document for a new revision (see `signoff::new_revision`).
pub fn new_revision(
    conn: &mut Connection,
    actor: &str,
    kind: DocKind,
    id: i64,
    reason: &str,
) -> Result<Panel> {
    signoff::new_revision(conn, actor, document(kind), id, reason)
}

/// Every round's frozen content and every signed document against their fingerprints.
pub fn verify(conn: &Connection) -> Result<Option<Mismatch>> {
    signoff::verify(conn, document)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_registered_under_its_own_name() {
        for k in DocKind::ALL {
            assert_eq!(document(k).kind(), k);
        }
        assert_eq!(rule(DocKind::Plan).after_approval, "draft");
        assert_eq!(rule(DocKind::Minutes).after_approval, "signed");
    }
}
