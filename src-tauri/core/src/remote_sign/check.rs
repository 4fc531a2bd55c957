//! What `check` (and the JSON import, which verifies as `check` does) verifies of signing by key:
//! every key binding and every signature method against the audit entry that recorded it, every
//! electronic signature cryptographically (the stored response verifies with the key bound to the
//! signer, and says exactly what the signature row says), every scan against its SHA-256.

use super::bind::BindingRow;
use super::{project_id, MethodRow};
use crate::error::{Result, Tamper};
use crate::fingerprint::sha256_hex;
use crate::identity::Card;
use crate::signing_files::Response;
use rusqlite::Connection;
use std::collections::BTreeMap;

/// The first binding or signature that does not hold, if any.
pub fn verify(conn: &Connection, version: i64) -> Result<Option<Tamper>> {
    if version < 12 {
        return Ok(None);
    }
    // The audit entries of bindings and methods, by record and text, as a multiset.
    let mut entries: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT record, field, coalesce(after, '') FROM audit_log
             WHERE field IN ('person.key_bound', 'signoff.method')",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        for row in rows {
            *entries.entry(row?).or_default() += 1;
        }
    }
    let mut take = |record: String, field: &str, text: String| -> bool {
        match entries.get_mut(&(record, field.to_string(), text)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    };

    let mut keys: BTreeMap<String, (i64, String)> = BTreeMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT k.id, k.person_id, k.fingerprint, k.public_key, k.card, k.bound_at,
                    k.bound_by, coalesce(p.name, '?')
             FROM person_key k LEFT JOIN person p ON p.id = k.person_id ORDER BY k.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                BindingRow {
                    id: r.get(0)?,
                    person_id: r.get(1)?,
                    fingerprint: r.get(2)?,
                    public_key: r.get(3)?,
                    card: r.get(4)?,
                    bound_at: r.get(5)?,
                    bound_by: r.get(6)?,
                },
                r.get::<_, String>(7)?,
            ))
        })?;
        for row in rows {
            let (b, name) = row?;
            let card_holds = Card::parse(format!("{}\n", b.card).as_bytes())
                .is_ok_and(|c| c.fingerprint == b.fingerprint && c.public_key == b.public_key);
            if !card_holds
                || !take(
                    format!("person:{}", b.person_id),
                    "person.key_bound",
                    b.text(),
                )
            {
                return Ok(Some(Tamper::KeyBinding { name }));
            }
            keys.insert(b.fingerprint.clone(), (b.person_id, b.public_key.clone()));
        }
    }

    let project = project_id(conn)?;
    let mut stmt = conn.prepare(
        "SELECT m.signature_id, m.method, m.recorded_by, m.key_fingerprint, m.response,
                m.key_signature, m.scan_name, m.scan_sha256, m.scan,
                coalesce(r.kind, ''), coalesce(r.doc_id, 0), coalesce(r.revision, 0),
                coalesce(g.round_id, 0), coalesce(g.person_id, 0), coalesce(g.name, '?'),
                coalesce(g.decision, ''), coalesce(g.comment, ''), coalesce(g.fingerprint, ''),
                coalesce(r.fingerprint, '')
         FROM signature_method m LEFT JOIN signature g ON g.id = m.signature_id
         LEFT JOIN signoff_round r ON r.id = g.round_id ORDER BY m.signature_id",
    )?;
    type Row = (
        MethodRow,
        Option<Vec<u8>>,
        (String, i64, i64),
        (i64, i64, String),
        (String, String, String, String),
    );
    let rows: Vec<Row> = stmt
        .query_map([], |r| {
            Ok((
                MethodRow {
                    signature_id: r.get(0)?,
                    method: r.get(1)?,
                    recorded_by: r.get(2)?,
                    key_fingerprint: r.get(3)?,
                    response: r.get(4)?,
                    key_signature: r.get(5)?,
                    scan_name: r.get(6)?,
                    scan_sha256: r.get(7)?,
                },
                r.get(8)?,
                (r.get(9)?, r.get(10)?, r.get(11)?),
                (r.get(12)?, r.get(13)?, r.get(14)?),
                (r.get(15)?, r.get(16)?, r.get(17)?, r.get(18)?),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (m, scan, (kind, doc_id, revision), (round_id, person_id, name), sig) in rows {
        let (decision, comment, fp, round_fp) = sig;
        let record = format!("{kind}:{doc_id}");
        let method_tamper = || Tamper::SignatureMethod {
            kind: kind.clone(),
            doc_id,
            name: name.clone(),
        };
        if !take(record.clone(), "signoff.method", m.text()) {
            return Ok(Some(method_tamper()));
        }
        match m.method.as_str() {
            "paper" => {
                let holds = scan
                    .as_deref()
                    .is_some_and(|s| Some(sha256_hex(s)) == m.scan_sha256);
                if !holds {
                    return Ok(Some(method_tamper()));
                }
            }
            "electronic" => {
                let text = m.response.clone().unwrap_or_default();
                let holds = Response::parse(format!("{text}\n").as_bytes()).is_ok_and(|r| {
                    let s = &r.signed;
                    Some(&s.key_fingerprint) == m.key_fingerprint.as_ref()
                        && Some(&r.signature) == m.key_signature.as_ref()
                        && keys.get(&s.key_fingerprint) == Some(&(person_id, s.public_key.clone()))
                        && s.project_id == project
                        && s.kind == kind
                        && s.record == doc_id
                        && s.round == round_id
                        && s.revision == revision
                        && s.fingerprint == fp
                        && s.fingerprint == round_fp
                        && s.decision == decision
                        && s.comment == comment
                });
                if !holds {
                    return Ok(Some(Tamper::KeySignature { kind, doc_id, name }));
                }
            }
            _ => {}
        }
    }
    // An entry whose row is gone.
    if let Some(((record, field, _), _)) = entries.iter().find(|(_, n)| **n > 0) {
        let (kind, doc_id) = match record.rsplit_once(':') {
            Some((k, id)) => (k.to_string(), id.parse().unwrap_or(0)),
            None => (record.clone(), 0),
        };
        return Ok(Some(if field == "person.key_bound" {
            Tamper::KeyBinding {
                name: record.clone(),
            }
        } else {
            Tamper::SignatureMethod {
                kind,
                doc_id,
                name: "?".into(),
            }
        }));
    }
    Ok(None)
}
