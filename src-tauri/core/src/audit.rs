//! The audit log: every change to every record (who, when, record, field, before → after),
//! append-only (triggers refuse UPDATE and DELETE) and hash-chained (each entry carries the hash of
//! the one before it), so that an altered or removed entry is found by `verify_chain`.

use crate::error::Result;
use crate::fingerprint::{canonical, sha256_hex};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::{json, Value};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as the History panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    /// `kind:id`, e.g. `registration:1`, `signoff:3`, `person:2`.
    pub record: String,
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A field change to record.
pub struct Change<'a> {
    pub record: &'a str,
    pub field: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// A field that differs between two versions of a record, as audit text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    /// None: the record is new.
    pub before: Option<String>,
    pub after: String,
}

/// A value as audit text: a string as it is, null as nothing, anything else as JSON.
pub fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The fields of `after` (a serialized record; its `id` aside) whose value differs from
/// `before`'s, as `plain` text; every field when there is no `before` (a new record).
pub fn diff(before: Option<&Value>, after: &Value) -> Vec<FieldChange> {
    diff_with(before, after, plain)
}

/// `diff`, with the values written as `text` says.
pub fn diff_with(
    before: Option<&Value>,
    after: &Value,
    text: impl Fn(&Value) -> String,
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for (k, v) in after.as_object().expect("a record serializes to an object") {
        if k == "id" {
            continue;
        }
        match before {
            Some(b) if b[k.as_str()] == *v => {}
            Some(b) => out.push(FieldChange {
                field: k.clone(),
                before: Some(text(&b[k.as_str()])),
                after: text(v),
            }),
            None => out.push(FieldChange {
                field: k.clone(),
                before: None,
                after: text(v),
            }),
        }
    }
    out
}

/// Appends one entry per change of `record` (nothing when there is none).
pub fn append_diff(
    conn: &Connection,
    actor: &str,
    record: &str,
    changes: &[FieldChange],
) -> Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let list: Vec<Change> = changes
        .iter()
        .map(|c| Change {
            record,
            field: &c.field,
            before: c.before.as_deref(),
            after: Some(&c.after),
        })
        .collect();
    append(conn, actor, &list)
}

/// Appends one entry per field that changed between two serialized versions of `record`.
pub fn record_diff(
    conn: &Connection,
    actor: &str,
    record: &str,
    before: Option<&Value>,
    after: &Value,
) -> Result<()> {
    append_diff(conn, actor, record, &diff(before, after))
}

fn entry_hash(e: &Entry, prev: &str) -> String {
    let v = json!({
        "seq": e.seq, "at": e.at, "actor": e.actor, "record": e.record, "field": e.field,
        "before": e.before, "after": e.after, "prev": prev,
    });
    sha256_hex(canonical(&v).as_bytes())
}

/// Appends `changes` by `actor` (inside the caller's transaction). Unchanged fields are skipped.
pub fn append(conn: &Connection, actor: &str, changes: &[Change<'_>]) -> Result<()> {
    let at = crate::clock::now_rfc3339(false);
    let (mut seq, mut prev): (i64, String) = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_string()));
    for c in changes.iter().filter(|c| c.before != c.after) {
        seq += 1;
        let e = Entry {
            seq,
            at: at.clone(),
            actor: actor.to_string(),
            record: c.record.to_string(),
            field: c.field.to_string(),
            before: c.before.map(str::to_string),
            after: c.after.map(str::to_string),
        };
        let hash = entry_hash(&e, &prev);
        conn.execute(
            "INSERT INTO audit_log (seq, at, actor, record, field, before, after, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![e.seq, e.at, e.actor, e.record, e.field, e.before, e.after, prev, hash],
        )?;
        prev = hash;
    }
    conn.execute(
        "INSERT INTO project_meta (key, value) VALUES ('audit_head', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [format!("{seq}:{prev}")],
    )?;
    Ok(())
}

/// The entries of records whose id starts with `record_prefix` (e.g. `registration:1`), oldest first.
pub fn history(conn: &Connection, records: &[String]) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, record, field, before, after FROM audit_log
         WHERE record IN (SELECT value FROM json_each(?1)) ORDER BY seq",
    )?;
    let list = serde_json::to_string(records).expect("strings serialize");
    let rows = stmt.query_map([list], entry_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Reads an entry from a row whose first columns are seq, at, actor, record, field, before, after.
fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        record: r.get(3)?,
        field: r.get(4)?,
        before: r.get(5)?,
        after: r.get(6)?,
    })
}

/// Where the chain breaks, if it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// Entry `seq` does not hash to what is stored, or does not link to the entry before it.
    Entry(i64),
    /// Entries are missing before `seq` (numbering has a gap).
    Gap(i64),
    /// The recorded head does not match the last entry (entries removed at the end).
    Head,
}

/// Recomputes every link of the chain; returns the first break.
pub fn verify_chain(conn: &Connection) -> Result<Option<Break>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, record, field, before, after, prev_hash, hash FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    while let Some(r) = rows.next()? {
        let e = entry_from_row(r)?;
        let stored_prev: String = r.get(7)?;
        let stored_hash: String = r.get(8)?;
        if e.seq != expected_seq {
            return Ok(Some(Break::Gap(e.seq)));
        }
        if stored_prev != prev || entry_hash(&e, &prev) != stored_hash {
            return Ok(Some(Break::Entry(e.seq)));
        }
        prev = stored_hash;
        expected_seq += 1;
    }
    let head: Option<String> = conn
        .query_row(
            "SELECT value FROM project_meta WHERE key = 'audit_head'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let last = format!("{}:{prev}", expected_seq - 1);
    match head {
        Some(h) if h != last => Ok(Some(Break::Head)),
        None if expected_seq > 1 => Ok(Some(Break::Head)),
        _ => Ok(None),
    }
}
