//! What `check` compares beyond SQLite's own integrity check and the hash chain: the file's schema
//! against exactly what the migrations create, and the sign-off rows (rounds, their signers and
//! status, signatures) and document locks against the audit entries that recorded them.
//!
//! Each sign-off event's audit entry carries a digest of the row's full content, so a row changed
//! outside the app no longer matches its entry. Without keys this cannot catch a forger who rewrites
//! the rows, their entries and the whole chain after them, including `project_meta.audit_head`.

use super::migrations;
use crate::error::{Result, Tamper};
use crate::fingerprint::{canonical, sha256_hex};
use rusqlite::Connection;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Tables SQLite itself adds when statistics are gathered (`ANALYZE`); they hold no project data.
const SQLITE_STATS: &[&str] = &[
    "sqlite_stat1",
    "sqlite_stat2",
    "sqlite_stat3",
    "sqlite_stat4",
];

type SchemaItem = (String, String, String);

fn schema_of(conn: &Connection) -> Result<BTreeMap<(String, String), SchemaItem>> {
    let mut stmt =
        conn.prepare("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (kind, name, table, sql) = row?;
        if SQLITE_STATS.contains(&name.as_str()) {
            continue;
        }
        let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
        out.insert((kind.clone(), name), (kind, table, sql));
    }
    Ok(out)
}

/// Compares every table, index, trigger and view of the file with a fresh database built through
/// the same migrations up to `version`; returns the first difference.
pub(crate) fn schema(conn: &Connection, version: i64) -> Result<Option<Tamper>> {
    let mut fresh = Connection::open_in_memory()?;
    migrations::migrate_to(&mut fresh, version)?;
    let expected = schema_of(&fresh)?;
    let found = schema_of(conn)?;
    for (key, item) in &found {
        match expected.get(key) {
            None => {
                return Ok(Some(Tamper::Schema {
                    what: key.0.clone(),
                    name: key.1.clone(),
                    change: "extra",
                }))
            }
            Some(e) if e != item => {
                return Ok(Some(Tamper::Schema {
                    what: key.0.clone(),
                    name: key.1.clone(),
                    change: "altered",
                }))
            }
            Some(_) => {}
        }
    }
    if let Some(key) = expected.keys().find(|k| !found.contains_key(*k)) {
        return Ok(Some(Tamper::Schema {
            what: key.0.clone(),
            name: key.1.clone(),
            change: "missing",
        }));
    }
    Ok(None)
}

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
fn legacy_signed_text(name: &str, department: &str, decision: &str, comment: &str) -> String {
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
                    crate::signoff::rule(&r.kind)
                        .map(|rule| rule.after_approval)
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
