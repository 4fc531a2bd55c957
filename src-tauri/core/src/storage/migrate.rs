//! Running the migrations: the tables each one adds (checked on open), the guard that makes a
//! closed project refuse every write, and `migrate_to` (one transaction). The SQL itself is the
//! append-only list in `migrations.rs`; a new migration adds its tables to `TABLES` here.

use super::migrations::MIGRATIONS;
use crate::error::Result;
use rusqlite::Connection;

/// The migration after which a closed (archived) project refuses every write, in storage.
pub(super) const CLOSED_GUARD_AFTER: i64 = 8;

/// Triggers that refuse every insert, update and delete on `tables` once the project is closed
/// (`project_meta.closed_at` exists). Two writes stay allowed: the record of an exported PDF
/// (`document_export`, itself append-only) and `project_meta.opened_at`, which every open writes
/// to take the file's lock.
pub fn closed_guard(tables: &[&str]) -> String {
    let closed = "EXISTS (SELECT 1 FROM project_meta WHERE key = 'closed_at')";
    let mut sql = String::new();
    for t in tables.iter().filter(|t| **t != "document_export") {
        for (op, row) in [("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")] {
            let except = if *t == "project_meta" && op != "DELETE" {
                format!(" AND {row}.key <> 'opened_at'")
            } else {
                String::new()
            };
            sql.push_str(&format!(
                "CREATE TRIGGER {t}_closed_{} BEFORE {op} ON {t} WHEN {closed}{except}
                 BEGIN SELECT RAISE(ABORT, 'liaison:closed'); END;\n",
                op.to_lowercase()
            ));
        }
    }
    sql
}

/// The tables each migration adds (`-` marks one it drops), in the order of `MIGRATIONS`.
pub(super) const TABLES: &[&[&str]] = &[
    &["project_meta", "registration", "milestone"],
    &["registration_review"],
    &[
        "person",
        "document_state",
        "signoff_round",
        "signoff_signer",
        "signature",
        "audit_log",
        "-registration_review",
    ],
    &[
        "department",
        "comm_plan",
        "calendar_day",
        "task",
        "dependency",
    ],
    &["risk", "issue", "change_request"],
    &[
        "meeting",
        "meeting_attendee",
        "attachment",
        "topic",
        "comm_log",
        "action_item",
        "follow_up",
        "weekly_report",
    ],
    &["document_export"],
    &[
        "acceptance",
        "acceptance_item",
        "evidence",
        "evaluation",
        "retro_entry",
        "checklist_item",
    ],
    &[],
    &[],
    &["closing_disposition"],
    &["person_key", "signature_method"],
    &["robot", "message"],
];

/// The tables a sound file of schema `version` must have (checked on open).
pub fn expected_tables(version: i64) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for added in TABLES.iter().take(version.max(0) as usize) {
        for t in *added {
            match t.strip_prefix('-') {
                Some(dropped) => out.retain(|x| *x != dropped),
                None => out.push(t),
            }
        }
    }
    out
}

/// Brings `conn` from its `user_version` up to `target`, all in one transaction.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    let tx = conn.transaction()?;
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(current as usize)
    {
        tx.execute_batch(sql)?;
        if (i + 1) as i64 == CLOSED_GUARD_AFTER {
            tx.execute_batch(&closed_guard(&expected_tables(CLOSED_GUARD_AFTER)))?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()?;
    Ok(())
}
