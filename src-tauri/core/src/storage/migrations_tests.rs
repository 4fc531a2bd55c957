//! Tests of the migrations: every one applies in order, a signed acceptance keeps its content,
//! a failing one leaves the database as it was.

use super::*;
use rusqlite::Connection;

#[test]
fn every_migration_applies_in_order_and_sets_the_version() {
    let mut conn = Connection::open_in_memory().unwrap();
    for v in 1..=LATEST {
        migrate_to(&mut conn, v).unwrap();
        let got: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(got, v);
        assert_eq!(
            TABLES.len() as i64,
            LATEST,
            "every migration lists its tables"
        );
        for table in expected_tables(v) {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                    [table],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 1, "table {table} missing at version {v}");
        }
    }
    // Running again is a no-op, not an error.
    migrate_to(&mut conn, LATEST).unwrap();
}

#[test]
fn an_acceptance_already_under_signature_keeps_its_content_without_dates() {
    let flag = |conn: &Connection| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM project_meta WHERE key = 'acceptance_dates'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let mut fresh = Connection::open_in_memory().unwrap();
    migrate_to(&mut fresh, LATEST).unwrap();
    assert_eq!(flag(&fresh), 1);
    let mut old = Connection::open_in_memory().unwrap();
    migrate_to(&mut old, 8).unwrap();
    old.execute(
        "INSERT INTO signoff_round (kind, doc_id, revision, mode, content, fingerprint, started_at)
         VALUES ('acceptance', 1, 1, 'all', '{}', 'x', '2024-01-01')",
        [],
    )
    .unwrap();
    migrate_to(&mut old, LATEST).unwrap();
    assert_eq!(flag(&old), 0);
}

#[test]
fn a_failing_migration_leaves_the_database_as_it_was() {
    let mut conn = Connection::open_in_memory().unwrap();
    migrate_to(&mut conn, 1).unwrap();
    // Make migration 2 fail midway: its table already exists.
    conn.execute_batch("CREATE TABLE registration_review (x)")
        .unwrap();
    assert!(migrate_to(&mut conn, LATEST).is_err());
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 1);
}
