//! The file's schema against exactly what the migrations create (on open and in `check`).

use super::migrations;
use crate::error::{Result, Tamper};
use rusqlite::Connection;
use std::collections::BTreeMap;

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
