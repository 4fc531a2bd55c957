//! The text of the sign-off events' audit entries: readable, with a digest of the row's full
//! content, so that `integrity` finds a round or signature changed outside the app.

use crate::fingerprint::{canonical, sha256_hex};
use serde_json::json;

fn digest(v: &serde_json::Value) -> String {
    sha256_hex(canonical(v).as_bytes())[..32].to_string()
}

impl RoundRow {
    /// The audit text of the round's start: revision, fingerprint, and a digest of its kind,
    /// document, mode, start time and its signers in order.
    pub(crate) fn started_text(&self) -> String {
        let d = digest(&json!({
            "round": self.id, "kind": self.kind, "doc": self.doc_id, "revision": self.revision,
            "mode": self.mode, "fingerprint": self.fingerprint, "startedAt": self.started_at,
            "signers": self.signers,
        }));
        format!("revision {} · {} · #{d}", self.revision, self.fingerprint)
    }
}

/// What a signature's audit entry said before entries carried digests.
pub(crate) fn legacy_signed_text(
    name: &str,
    department: &str,
    decision: &str,
    comment: &str,
) -> String {
    format!(
        "{name}（{department}）: {decision}{}",
        if comment.is_empty() {
            String::new()
        } else {
            format!(" — {comment}")
        }
    )
}

impl SignatureRow {
    /// The audit text of the signature: who and what, readable, and a digest of the whole row.
    pub(crate) fn signed_text(&self) -> String {
        let d = digest(&json!({
            "round": self.round_id, "person": self.person_id, "name": self.name,
            "department": self.department, "role": self.role, "decision": self.decision,
            "comment": self.comment, "signedAt": self.signed_at, "fingerprint": self.fingerprint,
        }));
        format!(
            "{} · #{d}",
            legacy_signed_text(&self.name, &self.department, &self.decision, &self.comment)
        )
    }
}

/// The audit text of a round that closed (`approved`, `rejected`) or was withdrawn.
pub(crate) fn closed_text(round: i64, revision: i64, status: &str, closed_at: &str) -> String {
    let d = digest(&json!({ "round": round, "status": status, "closedAt": closed_at }));
    if status == "withdrawn" {
        format!("withdrawn · #{d}")
    } else {
        format!("revision {revision}: {status} · #{d}")
    }
}

/// A sign-off round as stored, with its signers in order.
pub(crate) struct RoundRow {
    pub id: i64,
    pub kind: String,
    pub doc_id: i64,
    pub revision: i64,
    pub mode: String,
    pub status: String,
    pub fingerprint: String,
    pub started_at: String,
    pub closed_at: Option<String>,
    pub signers: Vec<i64>,
}

/// A signature as stored.
pub(crate) struct SignatureRow {
    pub round_id: i64,
    pub person_id: i64,
    pub name: String,
    pub department: String,
    pub role: String,
    pub decision: String,
    pub comment: String,
    pub signed_at: String,
    pub fingerprint: String,
}
