//! Accepting a signing response: every check first, on the project as it is (nothing written
//! until all pass), then the signature is recorded as 电子签名 through the one sign-off path.

use super::{project_id, Method};
use crate::error::{Error, Result};
use crate::identity::grouped;
use crate::people::{self, Person};
use crate::signing_files::{decisions, Response};
use crate::signoff::{Decision, Panel, Sign};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// A recorded electronic signature.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Accepted {
    pub kind: String,
    pub record: i64,
    pub person: Person,
    pub decision: String,
    pub key_fingerprint: String,
    pub panel: Panel,
}

fn refuse(key: &str) -> Error {
    Error::refused(key, &[])
}

/// Verifies a response (the file's bytes) against the project without writing anything: the
/// signature, this project, a key bound to a person, that person a signer of an open round of
/// that document, the revision and fingerprint the round froze, a decision the rule offers, no
/// earlier response from that person or of these bytes. Returns the response and the signature
/// it records.
pub fn check_response(conn: &Connection, bytes: &[u8]) -> Result<(Response, Sign, Person)> {
    let r = Response::parse(bytes)?;
    let s = &r.signed;
    if s.project_id != project_id(conn)? {
        return Err(refuse("keys.other_project"));
    }
    let replay: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM signature_method WHERE key_signature = ?1)",
        [&r.signature],
        |row| row.get(0),
    )?;
    if replay {
        return Err(refuse("keys.replay"));
    }
    let bound: Option<(i64, String)> = conn
        .query_row(
            "SELECT person_id, public_key FROM person_key WHERE fingerprint = ?1",
            [&s.key_fingerprint],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let person_id = match bound {
        Some((p, key)) if key == s.public_key => p,
        _ => {
            return Err(Error::refused(
                "keys.unbound",
                &[("fingerprint", grouped(&s.key_fingerprint))],
            ))
        }
    };
    let round: Option<(String, i64, i64, String, String)> = conn
        .query_row(
            "SELECT kind, doc_id, revision, status, fingerprint FROM signoff_round WHERE id = ?1",
            [s.round],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            },
        )
        .optional()?;
    let Some((kind, doc_id, revision, status, fp)) = round else {
        return Err(refuse("keys.no_round"));
    };
    if kind != s.kind || doc_id != s.record {
        return Err(refuse("keys.no_round"));
    }
    if s.revision != revision {
        return Err(Error::SignOff("signoff.stale".into()));
    }
    if status != "open" {
        return Err(Error::SignOff("signoff.closed".into()));
    }
    if s.fingerprint != fp {
        return Err(refuse("keys.fingerprint_mismatch"));
    }
    // Liaison trims the comment before signing; one that is not was not written by Liaison.
    if s.comment != s.comment.trim() {
        return Err(refuse("keys.file.altered"));
    }
    if !decisions(&kind).contains(&s.decision.as_str()) {
        return Err(Error::refused(
            "keys.decision_not_allowed",
            &[("allowed", decisions(&kind).join(", "))],
        ));
    }
    let decision: Decision = serde_json::from_value(serde_json::Value::String(s.decision.clone()))
        .map_err(|_| refuse("keys.file.altered"))?;
    let person = people::get(conn, person_id)?;
    let name = || vec![("name", format!("{}（{}）", person.name, person.department))];
    let is_signer: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM signoff_signer WHERE round_id = ?1 AND person_id = ?2)",
        params![s.round, person_id],
        |row| row.get(0),
    )?;
    if !is_signer {
        return Err(Error::refused("keys.not_signer", &name()));
    }
    let signed: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM signature WHERE round_id = ?1 AND person_id = ?2)",
        params![s.round, person_id],
        |row| row.get(0),
    )?;
    if signed {
        return Err(Error::refused("keys.second_response", &name()));
    }
    let sign = Sign {
        round_id: s.round,
        revision,
        person_id,
        decision,
        comment: s.comment.clone(),
    };
    Ok((r, sign, person))
}

/// Verifies a response and records it as the bound person's electronic signature. A refusal
/// names its reason and records nothing.
pub fn accept(conn: &mut Connection, actor: &str, bytes: &[u8]) -> Result<Accepted> {
    let (response, sign, person) = check_response(conn, bytes)?;
    let panel = crate::kinds::sign_by(
        conn,
        actor,
        &sign,
        &Method::Electronic(Box::new(response.clone())),
    )?;
    Ok(Accepted {
        kind: response.signed.kind.clone(),
        record: response.signed.record,
        person,
        decision: response.signed.decision.clone(),
        key_fingerprint: response.signed.key_fingerprint,
        panel,
    })
}
