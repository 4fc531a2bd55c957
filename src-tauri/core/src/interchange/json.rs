//! A whole project as JSON: every row of every table (signatures and the audit log included), in a
//! versioned, documented form. `export` then `import` then `export` gives the same text, and the
//! imported file passes `check` with its audit chain and fingerprints intact. An import refuses
//! malformed or inconsistent JSON with a message naming the JSON path, and writes nothing.
//!
//! The form: `{"format": "liaison-project", "formatVersion": 1, "schemaVersion": N, "tables":
//! {"<table>": [{"<column>": value, …}, …], …}}`. Integers and text are JSON numbers and strings,
//! binary columns `{"base64": "…"}`, NULL `null`. Rows are in storage order; the open stamp
//! (`project_meta.opened_at`) is left out, since every open rewrites it.

use crate::error::{Error, Result};
use crate::storage::{self, migrations, APPLICATION_ID};
use base64::Engine as _;
use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::Connection;
use serde_json::{json, Map, Value};
use std::path::Path;

pub const FORMAT: &str = "liaison-project";
pub const FORMAT_VERSION: i64 = 1;

/// A column as storage declares it.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    /// `INTEGER`, `TEXT` or `BLOB` (the declared type).
    pub kind: String,
    pub not_null: bool,
}

/// The columns of `table`, in order.
pub fn columns(conn: &Connection, table: &str) -> Result<Vec<Column>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info(\"{table}\")"))?;
    let out = stmt
        .query_map([], |r| {
            Ok(Column {
                name: r.get(1)?,
                kind: r.get::<_, String>(2)?.to_uppercase(),
                not_null: r.get::<_, i64>(3)? != 0,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// The project behind `conn` as the JSON value of the interchange form.
pub fn export(conn: &Connection) -> Result<Value> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let mut tables = Map::new();
    for table in migrations::expected_tables(version) {
        let cols = columns(conn, table)?;
        let names: Vec<String> = cols.iter().map(|c| format!("\"{}\"", c.name)).collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT {} FROM \"{table}\" ORDER BY rowid",
            names.join(", ")
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut row = Map::new();
            for (i, c) in cols.iter().enumerate() {
                let v = match r.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => json!(n),
                    ValueRef::Real(f) => json!(f),
                    ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => json!({ "base64": b64().encode(b) }),
                };
                row.insert(c.name.clone(), v);
            }
            if table == "project_meta" && row.get("key") == Some(&json!("opened_at")) {
                continue;
            }
            out.push(Value::Object(row));
        }
        tables.insert(table.to_string(), Value::Array(out));
    }
    Ok(json!({
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "schemaVersion": version,
        "tables": tables,
    }))
}

/// The JSON text of a project, as `liaison export-json` writes it.
pub fn export_text(conn: &Connection) -> Result<String> {
    let mut text = serde_json::to_string_pretty(&export(conn)?).expect("JSON serializes");
    text.push('\n');
    Ok(text)
}

/// A refusal naming where in the JSON the problem is.
fn at(path: &str, key: &str, params: &[(&str, String)]) -> Error {
    let mut all = vec![("path", path.to_string())];
    all.extend(params.iter().map(|(k, v)| (*k, v.clone())));
    Error::refused(key, &all)
}

/// Converts one JSON value to what the column stores, or says why it cannot.
fn to_sql(v: &Value, col: &Column, path: &str) -> Result<Sql> {
    let wrong = |expected: &str| {
        at(
            path,
            "json.wrong_type",
            &[("expected", expected.to_string())],
        )
    };
    match (v, col.kind.as_str()) {
        (Value::Null, _) if col.not_null => Err(at(path, "json.null", &[])),
        (Value::Null, _) => Ok(Sql::Null),
        (Value::Number(n), "INTEGER") => {
            n.as_i64().map(Sql::Integer).ok_or_else(|| wrong("integer"))
        }
        (_, "INTEGER") => Err(wrong("integer")),
        (Value::String(s), "TEXT") => Ok(Sql::Text(s.clone())),
        (_, "TEXT") => Err(wrong("string")),
        (Value::Object(o), "BLOB") => {
            let text = o
                .get("base64")
                .and_then(Value::as_str)
                .filter(|_| o.len() == 1)
                .ok_or_else(|| wrong("{\"base64\": …}"))?;
            b64()
                .decode(text)
                .map(Sql::Blob)
                .map_err(|_| at(path, "json.bad_base64", &[]))
        }
        (_, "BLOB") => Err(wrong("{\"base64\": …}")),
        // A column without a declared type (none today) takes what it is given.
        (Value::Number(n), _) => Ok(n
            .as_i64()
            .map(Sql::Integer)
            .unwrap_or(Sql::Real(n.as_f64().unwrap_or(0.0)))),
        (Value::String(s), _) => Ok(Sql::Text(s.clone())),
        _ => Err(wrong("a scalar")),
    }
}

/// Why the file refused a row, without the database's own (English) wording: a broken rule of
/// the schema (a value out of its range, a duplicate key) or another storage failure.
fn rejected(path: &str, e: &rusqlite::Error) -> Error {
    let key = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => "json.rejected",
        _ => "json.rejected_other",
    };
    at(path, key, &[])
}

/// The largest JSON file an import reads: the 10,000-task sample is 10 MB, so this leaves room
/// for many attached files while keeping the parsed form within a few gigabytes of memory.
pub const MAX_JSON_BYTES: u64 = 512 << 20;

/// Reads the JSON form from `source` (a regular file of at most `MAX_JSON_BYTES`, UTF-8 with or
/// without a byte order mark) and imports it as `import` does.
pub fn import_file(source: &Path, target: &Path) -> Result<Imported> {
    let bytes = super::read_bounded(source, MAX_JSON_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::refused(
            "json.not_utf8",
            &[("offset", e.utf8_error().valid_up_to().to_string())],
        )
    })?;
    import(&text, target)
}

/// What an import wrote.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Imported {
    pub schema_version: i64,
    pub tables: usize,
    pub rows: usize,
}

/// Writes the project in `text` (the interchange form) to `target`, which must not exist yet.
/// Everything is checked before the file appears: the form, every table and column and value
/// type, keys, references between records, every field as typed content is checked
/// (`rules::check`), then the audit chain and every signed fingerprint (as `check` does). On any
/// refusal nothing is left behind.
pub fn import(text: &str, target: &Path) -> Result<Imported> {
    // A byte order mark (as some Windows editors write) is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if target.extension().and_then(|e| e.to_str()) != Some(storage::EXTENSION) {
        return Err(Error::BadExtension(target.to_path_buf()));
    }
    if target.exists() {
        return Err(Error::refused(
            "json.target_exists",
            &[("path", target.display().to_string())],
        ));
    }
    let root: Value = serde_json::from_str(text).map_err(|e| {
        // The parser's own text is English; the place and the kind of fault are enough.
        let key = match e.classify() {
            serde_json::error::Category::Eof => "json.syntax_eof",
            _ => "json.syntax",
        };
        Error::refused(
            key,
            &[
                ("line", e.line().to_string()),
                ("column", e.column().to_string()),
            ],
        )
    })?;
    let obj = root
        .as_object()
        .ok_or_else(|| at("$", "json.not_project", &[]))?;
    if obj.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(at("$.format", "json.not_project", &[]));
    }
    match obj.get("formatVersion").and_then(Value::as_i64) {
        Some(FORMAT_VERSION) => {}
        Some(n) if n > FORMAT_VERSION => {
            return Err(at(
                "$.formatVersion",
                "json.newer",
                &[("found", n.to_string())],
            ))
        }
        _ => return Err(at("$.formatVersion", "json.not_project", &[])),
    }
    let version = obj
        .get("schemaVersion")
        .and_then(Value::as_i64)
        .filter(|v| (1..=migrations::LATEST).contains(v))
        .ok_or_else(|| {
            at(
                "$.schemaVersion",
                "json.schema_version",
                &[("supported", migrations::LATEST.to_string())],
            )
        })?;
    let tables = obj
        .get("tables")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            at(
                "$.tables",
                "json.wrong_type",
                &[("expected", "object".into())],
            )
        })?;
    let expected = migrations::expected_tables(version);
    if let Some(unknown) = tables.keys().find(|k| !expected.contains(&k.as_str())) {
        return Err(at(
            &format!("$.tables.{unknown}"),
            "json.unknown_table",
            &[],
        ));
    }
    if let Some(missing) = expected.iter().find(|t| !tables.contains_key(**t)) {
        return Err(at(&format!("$.tables.{missing}"), "json.missing", &[]));
    }

    let tmp = crate::fsio::temp_beside(target);
    let _ = std::fs::remove_file(&tmp);
    let result = (|| -> Result<Imported> {
        let mut conn = Connection::open(&tmp)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        migrations::migrate_to(&mut conn, version)?;
        // Rows go in as they come; references are checked once all are in (below).
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        let mut rows_written = 0;
        let tx = conn.transaction()?;
        // The rows the schema starts with (default states, the empty registration) make way.
        for table in expected.iter().rev() {
            tx.execute(&format!("DELETE FROM \"{table}\""), [])?;
        }
        // Lock triggers consult `document_state` and the archive guard `project_meta.closed_at`:
        // both go in last, so that every other row goes in as it was.
        let mut order: Vec<&str> = expected
            .iter()
            .copied()
            .filter(|t| *t != "document_state" && *t != "project_meta")
            .collect();
        order.insert(0, "project_meta");
        order.push("document_state");
        let mut closed_at: Option<(String, Vec<Sql>)> = None;
        for table in order {
            let cols = columns(&tx, table)?;
            let list = tables[table].as_array().ok_or_else(|| {
                at(
                    &format!("$.tables.{table}"),
                    "json.wrong_type",
                    &[("expected", "array".into())],
                )
            })?;
            let names: Vec<String> = cols.iter().map(|c| format!("\"{}\"", c.name)).collect();
            let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
            let sql = format!(
                "INSERT INTO \"{table}\" ({}) VALUES ({})",
                names.join(", "),
                marks.join(", ")
            );
            let mut stmt = tx.prepare(&sql)?;
            for (i, row) in list.iter().enumerate() {
                let path = format!("$.tables.{table}[{i}]");
                let fields = row.as_object().ok_or_else(|| {
                    at(&path, "json.wrong_type", &[("expected", "object".into())])
                })?;
                if let Some(k) = fields.keys().find(|k| !cols.iter().any(|c| &c.name == *k)) {
                    return Err(at(&format!("{path}.{k}"), "json.unknown_column", &[]));
                }
                let mut values = Vec::with_capacity(cols.len());
                for c in &cols {
                    let p = format!("{path}.{}", c.name);
                    let v = fields
                        .get(&c.name)
                        .ok_or_else(|| at(&p, "json.missing", &[]))?;
                    values.push(to_sql(v, c, &p)?);
                }
                if table == "project_meta" && fields.get("key") == Some(&json!("closed_at")) {
                    closed_at = Some((path, values));
                    continue;
                }
                stmt.execute(rusqlite::params_from_iter(values.iter()))
                    .map_err(|e| rejected(&path, &e))?;
                rows_written += 1;
            }
        }
        if let Some((path, values)) = closed_at {
            tx.execute(
                "INSERT INTO project_meta (key, value) VALUES (?1, ?2)",
                rusqlite::params_from_iter(values.iter()),
            )
            .map_err(|e| rejected(&path, &e))?;
            rows_written += 1;
        }
        // References between records: the first broken one, by the row that holds it.
        let broken: Option<(String, i64, String)> = {
            let mut stmt = tx.prepare("PRAGMA foreign_key_check")?;
            let mut rows = stmt.query([])?;
            match rows.next()? {
                Some(r) => Some((
                    r.get(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    r.get(2)?,
                )),
                None => None,
            }
        };
        if let Some((table, rowid, parent)) = broken {
            let index: i64 = tx.query_row(
                &format!("SELECT count(*) FROM \"{table}\" WHERE rowid < ?1"),
                [rowid],
                |r| r.get(0),
            )?;
            return Err(at(
                &format!("$.tables.{table}[{index}]"),
                "json.broken_reference",
                &[("table", parent)],
            ));
        }
        tx.commit()?;
        if version < migrations::LATEST {
            migrations::migrate_to(&mut conn, migrations::LATEST)?;
        }
        // The same checks typed content meets, and the structure no form can produce (on the
        // latest schema, which the modules' checks read).
        super::rules::check(&conn, &migrations::expected_tables(migrations::LATEST))?;
        conn.close().map_err(|(_, e)| e)?;
        crate::fsio::sync_file(&tmp)?;
        // The audit chain and every signed fingerprint, as `check` verifies them.
        // Its message names the problem in the user's language (the file named is the target).
        crate::integrity::check(&tmp).map_err(|e| match e {
            // What was altered, in the user's language (never the Rust form of `Tamper`).
            Error::Integrity { problem, .. } => {
                let place = match problem {
                    crate::error::Tamper::Signed { .. } => "$.tables.signoff_round",
                    _ => "$.tables.audit_log",
                };
                Error::At {
                    path: place.into(),
                    source: Box::new(Error::Integrity {
                        path: target.to_path_buf(),
                        problem,
                    }),
                }
            }
            other => other,
        })?;
        Ok(Imported {
            schema_version: version,
            tables: expected.len(),
            rows: rows_written,
        })
    })();
    match result {
        Ok(done) => {
            // Never over an existing or held file, even one that appeared meanwhile.
            let placed =
                crate::output::put_in_place(&tmp, target, crate::output::Output::Project, false);
            let _ = std::fs::remove_file(&tmp);
            placed.map(|()| done)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// The JSON Schema (draft 2020-12) of the interchange form at this build's schema version, from
/// storage's own table definitions; `schema/liaison-project.schema.json` is this, checked in.
pub fn json_schema() -> Result<Value> {
    let mut conn = Connection::open_in_memory()?;
    migrations::migrate_to(&mut conn, migrations::LATEST)?;
    let mut props = Map::new();
    for table in migrations::expected_tables(migrations::LATEST) {
        let cols = columns(&conn, table)?;
        let mut cp = Map::new();
        for c in &cols {
            let base = match c.kind.as_str() {
                "INTEGER" => json!({"type": "integer"}),
                "TEXT" => json!({"type": "string"}),
                "BLOB" => json!({
                    "type": "object",
                    "properties": {"base64": {"type": "string", "contentEncoding": "base64"}},
                    "required": ["base64"],
                    "additionalProperties": false
                }),
                _ => json!({}),
            };
            let schema = if c.not_null || base == json!({}) {
                base
            } else {
                json!({"anyOf": [base, {"type": "null"}]})
            };
            cp.insert(c.name.clone(), schema);
        }
        let required: Vec<Value> = cols.iter().map(|c| json!(c.name)).collect();
        props.insert(
            table.to_string(),
            json!({
                "description": table_doc(table),
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": cp,
                    "required": required,
                    "additionalProperties": false
                }
            }),
        );
    }
    let names: Vec<Value> = migrations::expected_tables(migrations::LATEST)
        .iter()
        .map(|t| json!(t))
        .collect();
    Ok(json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:liaison:project:1",
        "title": "Liaison project (interchange form 1)",
        "description": "A whole Liaison project: every row of every table of the project file, signatures and the audit log included. Written by `liaison export-json`, read by `liaison import-json`. Rows are in storage order; integers and text are JSON numbers and strings, binary columns {\"base64\": …}, NULL null. The open stamp project_meta.opened_at is left out. Signed content (signoff_round.content) and the audit log's hashes must be exactly as exported: an import verifies them.",
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "formatVersion": {"const": FORMAT_VERSION, "description": "The version of this form; bumped when the form itself changes."},
            "schemaVersion": {"type": "integer", "minimum": 1, "maximum": migrations::LATEST, "description": "The project file's schema version (PRAGMA user_version); the tables below are those of the latest version."},
            "tables": {
                "type": "object",
                "properties": props,
                "required": names,
                "additionalProperties": false
            }
        },
        "required": ["format", "formatVersion", "schemaVersion", "tables"],
        "additionalProperties": false
    }))
}

/// One line on what a table holds (the schema's documentation).
fn table_doc(table: &str) -> &'static str {
    match table {
        "project_meta" => "Key/value facts about the project: project_id (its identity, carried by its PDFs), warning settings, closed_at once archived.",
        "registration" => "The registration form (登记表), one row: name, background, departments, owner, dates, core goal, deliverables, progress, risks.",
        "milestone" => "Milestones of the registration (date + node).",
        "person" => "People of the project: name, department, role (head, interface, owner, member, decision), contact.",
        "document_state" => "Each signed document's state: draft, in_signoff or signed (locks its records).",
        "signoff_round" => "Sign-off rounds: the frozen content (canonical JSON) and its SHA-256 fingerprint, mode, status.",
        "signoff_signer" => "The required signers of each round, in order.",
        "signature" => "Signatures as given: who (as they were), decision, comment, time, the fingerprint signed. Append-only.",
        "audit_log" => "The hash-chained audit log: every change, who, when, before and after. Append-only.",
        "department" => "Departments: duties, deliverables, delivery date, quality standard, resources committed and gaps.",
        "comm_plan" => "The communication plan: scenario, channel, participants (person ids), recurrence, time limit.",
        "calendar_day" => "Working-day calendar exceptions: holidays and make-up working days.",
        "task" => "The task tree (WBS): lead and collaborating departments, owner, start, duration and buffer in working days, delivery standard, status, percent done.",
        "dependency" => "Dependencies between tasks: finish-start, start-start or finish-finish, with a lag in working days.",
        "risk" => "The risk register: description, level, owner, measures, contingency.",
        "issue" => "The issue log with its three-level ladder, clocks, solution and decision.",
        "change_request" => "Change requests: what changes, why, impact, alternatives, the plan edits they carry.",
        "meeting" => "Meetings: notice (time, form, place, agenda), recorder, when notice and minutes went out.",
        "meeting_attendee" => "Who attends each meeting.",
        "attachment" => "Background files of meetings, kept in the project.",
        "topic" => "Minutes: per topic the discussion, result, disputes and settlement.",
        "comm_log" => "Communications outside meetings.",
        "action_item" => "Action items: responsible person and department (plus the departments follow-ups added), description, standard, deadline, status, linked task.",
        "follow_up" => "The follow-up log of action items: when it happened, when it was recorded, the entry it shares with other items. Append-only.",
        "weekly_report" => "Weekly progress reports per owner and task.",
        "document_export" => "Every exported PDF: kind, target, fingerprint, when and by whom. Append-only.",
        "acceptance" => "The acceptance's overall result and conclusion, one row.",
        "acceptance_item" => "Acceptance per task: result and verdict.",
        "evidence" => "Evidence files of acceptance, kept in the project with their SHA-256.",
        "evaluation" => "Department scores 0–100: goal achievement, collaboration efficiency, communication quality.",
        "retro_entry" => "Retrospective entries: what worked, problems with causes, improvements with owner and carry-forward.",
        "checklist_item" => "Improvements carried over from an earlier project, as a checklist.",
        "closing_disposition" => "Work still open at closing, withdrawn or carried over, with the reason, when and by whom.",
        _ => "",
    }
}
