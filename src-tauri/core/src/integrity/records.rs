//! The sign-off rows (rounds, their signers and status, signatures) and document locks against
//! the audit entries that recorded them.
//!
//! Each sign-off event's audit entry carries a digest of the row's full content, so a row changed
//! outside the app no longer matches its entry. Without keys this cannot catch a forger who rewrites
//! the rows, their entries and the whole chain after them, including `project_meta.audit_head`.

use crate::error::{Result, Tamper};
use crate::kind::DocKind;
use crate::signoff::{closed_text, legacy_signed_text, RoundRow, SignatureRow};
use crate::storage::migrations;
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Tables that may hold rows without any audit entry: those of a project nobody has edited yet
/// (created with a name only), and those an older file brings from before the audit log existed
/// (schema 1–2: registration, milestones, the reviewer who became a person and a department).
const UNAUDITED: &[&str] = &[
    "project_meta",
    "registration",
    "milestone",
    "person",
    "department",
    "document_state",
    "audit_log",
    "acceptance",
    "calendar_day",
];

/// Checks that a project with records has audit entries, that every round, signer list and
/// signature matches the audit entries that recorded it, and that every document's lock state is
/// what its rounds left it in. Returns the first problem.
pub(crate) fn records(conn: &Connection, version: i64) -> Result<Option<Tamper>> {
    let entries: i64 = conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?;
    if entries == 0 {
        for table in migrations::expected_tables(version) {
            if UNAUDITED.contains(&table) {
                continue;
            }
            let any: bool = conn.query_row(
                &format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")"),
                [],
                |r| r.get(0),
            )?;
            if any {
                return Ok(Some(Tamper::NoAudit));
            }
        }
    }
    let mut rounds: BTreeMap<String, VecDeque<RoundRow>> = BTreeMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT id, kind, doc_id, revision, mode, status, fingerprint, started_at, closed_at,
                    (SELECT json_group_array(person_id) FROM
                        (SELECT person_id FROM signoff_signer s WHERE s.round_id = r.id
                         ORDER BY position, person_id))
             FROM signoff_round r ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            let signers: String = r.get(9)?;
            Ok(RoundRow {
                id: r.get(0)?,
                kind: r.get(1)?,
                doc_id: r.get(2)?,
                revision: r.get(3)?,
                mode: r.get(4)?,
                status: r.get(5)?,
                fingerprint: r.get(6)?,
                started_at: r.get(7)?,
                closed_at: r.get(8)?,
                signers: serde_json::from_str(&signers).unwrap_or_default(),
            })
        })?;
        for row in rows {
            let row = row?;
            rounds
                .entry(format!("{}:{}", row.kind, row.doc_id))
                .or_default()
                .push_back(row);
        }
    }
    let mut signatures: BTreeMap<String, VecDeque<SignatureRow>> = BTreeMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT r.kind || ':' || r.doc_id, g.round_id, g.person_id, g.name, g.department,
                    g.role, g.decision, g.comment, g.signed_at, g.fingerprint
             FROM signature g LEFT JOIN signoff_round r ON r.id = g.round_id ORDER BY g.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                SignatureRow {
                    round_id: r.get(1)?,
                    person_id: r.get(2)?,
                    name: r.get(3)?,
                    department: r.get(4)?,
                    role: r.get(5)?,
                    decision: r.get(6)?,
                    comment: r.get(7)?,
                    signed_at: r.get(8)?,
                    fingerprint: r.get(9)?,
                },
            ))
        })?;
        for row in rows {
            let (record, row) = row?;
            signatures.entry(record).or_default().push_back(row);
        }
    }
    let mut stmt = conn.prepare(
        "SELECT record, field, coalesce(after, '') FROM audit_log
         WHERE field IN ('signoff.started', 'signoff.signed', 'signoff.closed',
                         'signoff.withdrawn', 'signoff.new_revision')
         ORDER BY seq",
    )?;
    let events: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;

    // Replays each document's sign-off events against its rows, in the order they happened.
    let mut state: BTreeMap<String, &'static str> = BTreeMap::new();
    let mut current: BTreeMap<String, RoundRow> = BTreeMap::new();
    let round_tamper = |r: &RoundRow| Tamper::Round {
        kind: r.kind.clone(),
        doc_id: r.doc_id,
        revision: r.revision,
    };
    for (record, field, text) in &events {
        let (kind, doc_id) = split_record(record);
        match field.as_str() {
            "signoff.started" => {
                let Some(r) = rounds.get_mut(record).and_then(VecDeque::pop_front) else {
                    return Ok(Some(Tamper::Round {
                        kind,
                        doc_id,
                        revision: 0,
                    }));
                };
                let legacy = format!("revision {} · {}", r.revision, r.fingerprint);
                let full = r.started_text();
                if *text != full && *text != legacy {
                    return Ok(Some(round_tamper(&r)));
                }
                if let Some(previous) = current.get(record) {
                    if !previous.status.is_empty() {
                        return Ok(Some(round_tamper(previous)));
                    }
                }
                state.insert(record.clone(), "in_signoff");
                current.insert(record.clone(), r);
            }
            "signoff.signed" => {
                let Some(g) = signatures.get_mut(record).and_then(VecDeque::pop_front) else {
                    // The entry names the signer whose row is gone.
                    let name = text.split('（').next().unwrap_or_default().to_string();
                    return Ok(Some(Tamper::Signature { kind, doc_id, name }));
                };
                let wrong = || Tamper::Signature {
                    kind: kind.clone(),
                    doc_id,
                    name: g.name.clone(),
                };
                let open = current.get(record).filter(|r| !r.status.is_empty());
                if open.map(|r| r.id) != Some(g.round_id) {
                    return Ok(Some(wrong()));
                }
                let full = g.signed_text();
                let legacy = legacy_signed_text(&g.name, &g.department, &g.decision, &g.comment);
                if *text != full && *text != legacy {
                    return Ok(Some(wrong()));
                }
            }
            "signoff.closed" | "signoff.withdrawn" => {
                let Some(r) = current.get(record) else {
                    return Ok(Some(Tamper::Round {
                        kind,
                        doc_id,
                        revision: 0,
                    }));
                };
                let closed_at = r.closed_at.clone().unwrap_or_default();
                let full = closed_text(r.id, r.revision, &r.status, &closed_at);
                let legacy = if field == "signoff.withdrawn" {
                    "withdrawn".to_string()
                } else {
                    format!("revision {}: {}", r.revision, r.status)
                };
                let withdrawn = field == "signoff.withdrawn";
                if (*text != full && *text != legacy)
                    || r.closed_at.is_none()
                    || (r.status == "withdrawn") != withdrawn
                {
                    return Ok(Some(round_tamper(r)));
                }
                let after = if r.status == "approved" {
                    DocKind::parse(&r.kind)
                        .map(|k| crate::kinds::document(k).rule().after_approval)
                        .unwrap_or("signed")
                } else {
                    "draft"
                };
                state.insert(record.clone(), after);
                if let Some(r) = current.get_mut(record) {
                    r.status.clear();
                }
            }
            _ => {
                state.insert(record.clone(), "draft");
            }
        }
    }
    // A round still open by its entries must be open in its row; a closed one must have closed.
    for r in current.values() {
        if !r.status.is_empty() && (r.status != "open" || r.closed_at.is_some()) {
            return Ok(Some(round_tamper(r)));
        }
    }
    if let Some(r) = rounds.values().flatten().next() {
        return Ok(Some(round_tamper(r)));
    }
    if let Some((record, g)) = signatures
        .iter()
        .find_map(|(k, v)| v.front().map(|g| (k, g)))
    {
        let (kind, doc_id) = split_record(record);
        return Ok(Some(Tamper::Signature {
            kind,
            doc_id,
            name: g.name.clone(),
        }));
    }
    // Every document's lock state is what its sign-off history left it in (no row is a draft).
    let mut stmt = conn.prepare("SELECT kind || ':' || doc_id, state FROM document_state")?;
    let stored: BTreeMap<String, String> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let documents: BTreeSet<&String> = stored.keys().chain(state.keys()).collect();
    for record in documents {
        let expected = state.get(record).copied().unwrap_or("draft");
        let found = stored.get(record).map(String::as_str).unwrap_or("draft");
        if expected != found {
            let (kind, doc_id) = split_record(record);
            return Ok(Some(Tamper::LockState { kind, doc_id }));
        }
    }
    Ok(None)
}

fn split_record(record: &str) -> (String, i64) {
    match record.rsplit_once(':') {
        Some((kind, id)) => (kind.to_string(), id.parse().unwrap_or(0)),
        None => (record.to_string(), 0),
    }
}
