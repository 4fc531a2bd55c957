//! `check`: whether a project file is sound, read without ever writing to it. Above the domain:
//! it compares what storage holds with what the records' own rules (the sign-off mechanism, the
//! documents registered in `kinds`) say it must be.

mod records;

use crate::error::{Error, Result, Tamper};
use crate::storage;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// What `check` reports about a sound file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub path: PathBuf,
    pub name: String,
    pub schema_version: i64,
    pub milestones: i64,
    /// Audit entries, all verified (0 before schema 3).
    pub audit_entries: i64,
    /// Documents with at least one approved (signed) revision, all verified; the published plan
    /// counts as signed.
    pub signed_documents: i64,
    /// Tasks of the plan and its published (countersigned) versions; 0 before schema 4.
    pub tasks: i64,
    pub plan_versions: i64,
    pub bytes: u64,
}

/// Reads a file without ever writing to it and reports whether it is a sound project: SQLite's
/// full `integrity_check`, the schema against the migrations, the audit chain, the sign-off
/// rows and locks against their audit entries, and every signed fingerprint. All of it reads
/// one snapshot, also while the app has the file open.
pub fn check(path: &Path) -> Result<Summary> {
    let (conn, version) = storage::open_reader(path, true)?;
    let summary = summarize(&conn, path, version);
    let _ = conn.execute_batch("COMMIT");
    summary
}

/// The summary `check` prints, after verifying the records of a file read in one snapshot.
fn summarize(conn: &Connection, path: &Path, version: i64) -> Result<Summary> {
    let name = crate::registration::name(conn)
        .map_err(|_| Error::damaged(path, "damage.no_registration"))?;
    let milestones: i64 = conn.query_row("SELECT count(*) FROM milestone", [], |r| r.get(0))?;
    let (mut audit_entries, mut signed_documents) = (0, 0);
    if version >= 3 {
        verify_records(conn, path, version)?;
        audit_entries = conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?;
        // A document is signed once a round on it was approved; the plan stays live after
        // its approval (it is published, not locked), so its state alone does not say so.
        signed_documents = conn.query_row(
            "SELECT count(*) FROM (SELECT DISTINCT kind, doc_id FROM signoff_round
                                   WHERE status = 'approved')",
            [],
            |r| r.get(0),
        )?;
    }
    let (mut tasks, mut plan_versions) = (0, 0);
    if version >= 4 {
        tasks = conn.query_row("SELECT count(*) FROM task", [], |r| r.get(0))?;
        plan_versions = conn.query_row(
            "SELECT count(*) FROM signoff_round
             WHERE kind = 'plan' AND doc_id = 1 AND status = 'approved'",
            [],
            |r| r.get(0),
        )?;
    }
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok(Summary {
        path: path.to_path_buf(),
        name,
        schema_version: version,
        milestones,
        audit_entries,
        signed_documents,
        tasks,
        plan_versions,
        bytes,
    })
}

/// Verifies the audit chain and the fingerprints of signed documents.
fn verify_records(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    use crate::audit::Break;
    let mut problem = match crate::audit::verify_chain(conn)? {
        Some(Break::Entry(seq)) => Some(Tamper::AuditEntry(seq)),
        Some(Break::Gap(seq)) => Some(Tamper::AuditGap(seq)),
        Some(Break::Head) => Some(Tamper::AuditHead),
        None => None,
    };
    if problem.is_none() {
        problem = records::records(conn, version)?;
    }
    if problem.is_none() {
        problem = crate::kinds::verify(conn)?.map(|m| Tamper::Signed {
            kind: m.kind,
            doc_id: m.doc_id,
            revision: m.revision,
        });
    }
    if problem.is_none() {
        problem = crate::remote_sign::verify(conn, version)?;
    }
    match problem {
        Some(problem) => Err(Error::Integrity {
            path: path.to_path_buf(),
            problem,
        }),
        None => Ok(()),
    }
}
