//! Project files: one SQLite file per project, opened strictly, written durably, copied consistently.
//!
//! The file uses a rollback journal with `synchronous=FULL` and `locking_mode=EXCLUSIVE`: every
//! committed edit is in the file itself, and the open file is locked against every other opener.
//!
//! Invariant: a file that is refused is never written to. Everything that can refuse a file runs
//! before the first statement that could write (journal mode, migrations).

pub mod header;
pub mod migrations;

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// `PRAGMA application_id` of every Liaison project file ("LIAS").
pub const APPLICATION_ID: u32 = 0x4C49_4153;

/// The file extension of project files.
pub const EXTENSION: &str = "liaison";

/// An open project file. While it lives, no other connection or process can open the same file.
pub struct Project {
    conn: Connection,
    path: PathBuf,
    migrated: Option<Migrated>,
    _claim: Claim,
}

/// The files open in this process. SQLite's locks keep other processes out; this keeps a second
/// connection of our own out, because closing it would release the process's locks on the file.
static OPEN_FILES: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// This process's claim on a file, released when the project closes.
struct Claim(PathBuf);

impl Claim {
    fn take(path: &Path) -> Result<Claim> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut open = OPEN_FILES.lock().unwrap_or_else(|p| p.into_inner());
        if !open.insert(key.clone()) {
            return Err(Error::AlreadyOpen(path.to_path_buf()));
        }
        Ok(Claim(key))
    }

    fn held(path: &Path) -> bool {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        OPEN_FILES
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&key)
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        OPEN_FILES
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.0);
    }
}

/// What happened when an older file was brought up to date on open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    pub from: i64,
    pub to: i64,
    pub backup: PathBuf,
}

/// What `check` reports about a sound file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub path: PathBuf,
    pub name: String,
    pub schema_version: i64,
    pub milestones: i64,
    /// Audit entries, all verified (0 before schema 3).
    pub audit_entries: i64,
    /// Documents signed and locked, all verified.
    pub signed_documents: i64,
    /// Tasks of the plan and its published (countersigned) versions; 0 before schema 4.
    pub tasks: i64,
    pub plan_versions: i64,
    pub bytes: u64,
}

impl Project {
    /// Opens an existing project file, refusing anything that is not a sound Liaison file of this
    /// version or older. An older file is first copied to a backup beside it, then migrated.
    pub fn open(path: &Path) -> Result<Project> {
        // Claim first: even reading the header through another descriptor would drop our SQLite
        // locks on a file this process already has open (POSIX closes all of them).
        let claim = Claim::take(path)?;
        let header = header::sniff(path)?;
        check_header(path, &header)?;
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(path, e))?;
        // Exclusive locking: locks are kept until the connection closes (see `configure`).
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
            .map_err(|e| classify(path, e))?;
        let version = verify(&conn, path)?;
        let mut migrated = None;
        if version < migrations::LATEST {
            let backup = backup_path(path, version);
            copy_consistent(&conn, &backup)?;
            migrations::migrate_to(&mut conn, migrations::LATEST)?;
            migrated = Some(Migrated {
                from: version,
                to: migrations::LATEST,
                backup,
            });
        }
        configure(&conn).map_err(|e| classify(path, e))?;
        Ok(Project {
            conn,
            path: path.to_path_buf(),
            migrated,
            _claim: claim,
        })
    }

    /// Creates a new project file at `path` (replacing any file there that no Liaison holds) with an
    /// empty registration named `name`. The file is built beside the target and put in place by
    /// `output` when complete.
    pub fn create(path: &Path, name: &str) -> Result<Project> {
        if path.extension().and_then(|e| e.to_str()) != Some(EXTENSION) {
            return Err(Error::BadExtension(path.to_path_buf()));
        }
        if is_held(path) {
            return Err(Error::AlreadyOpen(path.to_path_buf()));
        }
        crate::output::write_with(path, crate::output::Output::Project, true, |tmp| {
            let mut conn = Connection::open(tmp)?;
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
            migrations::migrate_to(&mut conn, migrations::LATEST)?;
            crate::registration::init(&conn, name)?;
            conn.close().map_err(|(_, e)| e)?;
            Ok(())
        })
        .map_err(|e| match e {
            Error::Refused { key, .. } if key == "output.held" => {
                Error::AlreadyOpen(path.to_path_buf())
            }
            other => other,
        })?;
        Project::open(path)
    }

    /// Opens a sound project file read-only (for the command line's reports): the same checks as
    /// `check`, nothing written. Returns the connection and the file's schema version.
    pub fn read_only(path: &Path) -> Result<(Connection, i64)> {
        if Claim::held(path) {
            return Err(Error::AlreadyOpen(path.to_path_buf()));
        }
        let header = header::sniff(path)?;
        check_header(path, &header)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(path, e))?;
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
            .map_err(|e| classify(path, e))?;
        let version = verify(&conn, path)?;
        Ok((conn, version))
    }

    /// Reads a file without ever writing to it and reports whether it is a sound project.
    pub fn check(path: &Path) -> Result<Summary> {
        let (conn, version) = Project::read_only(path)?;
        let name =
            crate::registration::name(&conn).map_err(|e| Error::damaged(path, e.to_string()))?;
        let milestones: i64 = conn.query_row("SELECT count(*) FROM milestone", [], |r| r.get(0))?;
        let (mut audit_entries, mut signed_documents) = (0, 0);
        if version >= 3 {
            verify_records(&conn, path)?;
            audit_entries = conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?;
            signed_documents = conn.query_row(
                "SELECT count(*) FROM document_state WHERE state = 'signed'",
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

    /// The file this project lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Set when opening brought an older file up to date.
    pub fn migrated(&self) -> Option<&Migrated> {
        self.migrated.as_ref()
    }

    /// The connection, for the record modules of the core.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The connection for writes that need a transaction.
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Writes a consistent copy of the project to `dest` (a backup); the open file is unchanged.
    pub fn back_up_to(&self, dest: &Path) -> Result<()> {
        if same_file(dest, &self.path) || is_held(dest) {
            return Err(Error::AlreadyOpen(dest.to_path_buf()));
        }
        copy_consistent(&self.conn, dest)
    }

    /// Copies the project to `dest` and continues there ("Save As"); the old file stays as it was.
    pub fn save_as(self, dest: &Path) -> Result<Project> {
        if dest.extension().and_then(|e| e.to_str()) != Some(EXTENSION) {
            return Err(Error::BadExtension(dest.to_path_buf()));
        }
        if same_file(dest, &self.path) {
            return Ok(self);
        }
        if is_held(dest) {
            return Err(Error::AlreadyOpen(dest.to_path_buf()));
        }
        copy_consistent(&self.conn, dest)?;
        drop(self);
        Project::open(dest)
    }
}

/// Verifies the audit chain and the fingerprints of signed documents.
fn verify_records(conn: &Connection, path: &Path) -> Result<()> {
    use crate::audit::Break;
    use crate::error::Tamper;
    let problem = match crate::audit::verify_chain(conn)? {
        Some(Break::Entry(seq)) => Some(Tamper::AuditEntry(seq)),
        Some(Break::Gap(seq)) => Some(Tamper::AuditGap(seq)),
        Some(Break::Head) => Some(Tamper::AuditHead),
        None => crate::signoff::verify(conn)?.map(|m| Tamper::Signed {
            kind: m.kind,
            doc_id: m.doc_id,
            revision: m.revision,
        }),
    };
    match problem {
        Some(problem) => Err(Error::Integrity {
            path: path.to_path_buf(),
            problem,
        }),
        None => Ok(()),
    }
}

/// Refuses what the header alone shows to be foreign, newer or not ours.
fn check_header(path: &Path, header: &header::Header) -> Result<()> {
    if header.application_id != APPLICATION_ID {
        return Err(Error::Foreign(path.to_path_buf()));
    }
    if header.user_version > migrations::LATEST {
        return Err(Error::Newer {
            path: path.to_path_buf(),
            found: header.user_version,
            supported: migrations::LATEST,
        });
    }
    if header.user_version < 1 {
        return Err(Error::damaged(path, "no schema"));
    }
    Ok(())
}

/// Checks identity, version, structure and page integrity through SQLite; returns the schema version.
fn verify(conn: &Connection, path: &Path) -> Result<i64> {
    let app_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if app_id as u32 != APPLICATION_ID {
        return Err(Error::Foreign(path.to_path_buf()));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > migrations::LATEST {
        return Err(Error::Newer {
            path: path.to_path_buf(),
            found: version,
            supported: migrations::LATEST,
        });
    }
    let quick: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if quick != "ok" {
        return Err(Error::damaged(path, quick));
    }
    for table in migrations::expected_tables(version) {
        let n: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )?;
        if n != 1 {
            return Err(Error::damaged(path, format!("missing table {table}")));
        }
    }
    Ok(version)
}

/// Durable settings for an accepted file: a rollback journal (the file is whole after every commit,
/// also on network drives and when copied by hand) and a full sync on every commit.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // A first write takes the exclusive lock, held until the project is closed: from the moment the
    // file is shown as open, no other window or process can open it.
    conn.execute(
        "INSERT INTO project_meta (key, value) VALUES ('opened_at', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [chrono::Local::now().to_rfc3339()],
    )?;
    Ok(())
}

/// Turns SQLite's errors on open into the user's reasons.
fn classify(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
            Error::AlreadyOpen(path.to_path_buf())
        }
        Some(rusqlite::ErrorCode::NotADatabase) => Error::NotSqlite(path.to_path_buf()),
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => Error::damaged(path, e.to_string()),
        Some(rusqlite::ErrorCode::CannotOpen) | Some(rusqlite::ErrorCode::ReadOnly) => {
            Error::Write {
                path: path.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, e.to_string()),
            }
        }
        _ => Error::Sqlite(e),
    }
}

/// `VACUUM INTO` a temporary file beside `dest`, verify it, then let `output` flush it and put it
/// in place (never over a file a Liaison holds).
fn copy_consistent(conn: &Connection, dest: &Path) -> Result<()> {
    let result = crate::output::write_with(dest, crate::output::Output::Project, true, |tmp| {
        let target = tmp
            .to_str()
            .ok_or_else(|| Error::write(dest, std::io::Error::other("path is not UTF-8")))?;
        conn.execute("VACUUM INTO ?1", [target])?;
        let copy = Connection::open_with_flags(tmp, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let check: String = copy.query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))?;
        drop(copy);
        if check != "ok" {
            return Err(Error::damaged(dest, check));
        }
        Ok(())
    });
    result.map_err(|e| match e {
        Error::Sqlite(s) => Error::write(dest, std::io::Error::from(io_kind(&s))),
        other => other,
    })
}

/// The I/O kind closest to an SQLite failure while writing a copy (for the user's reason).
fn io_kind(e: &rusqlite::Error) -> std::io::ErrorKind {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => std::io::ErrorKind::StorageFull,
        Some(rusqlite::ErrorCode::ReadOnly) => std::io::ErrorKind::ReadOnlyFilesystem,
        Some(rusqlite::ErrorCode::CannotOpen) | Some(rusqlite::ErrorCode::PermissionDenied) => {
            std::io::ErrorKind::PermissionDenied
        }
        _ => std::io::ErrorKind::Other,
    }
}

/// Whether a Liaison holds `path` open: this process (its claim), or another one (the file's
/// SQLite lock refuses even a reader). The one place that knows how an open project is locked.
pub fn is_held(path: &Path) -> bool {
    if Claim::held(path) {
        return true;
    }
    // Only a project file can be held; anything else is not opened through SQLite at all.
    if !crate::output::is_project_file(path) {
        return false;
    }
    let Ok(conn) = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return false;
    };
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => false,
        Err(e) => matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked)
        ),
    }
}

/// `name.liaison` → `name.backup-v1-20261121-093000.liaison` beside it.
fn backup_path(path: &Path, version: i64) -> PathBuf {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("project");
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut candidate =
        path.with_file_name(format!("{stem}.backup-v{version}-{stamp}.{EXTENSION}"));
    let mut n = 2;
    while candidate.exists() {
        candidate =
            path.with_file_name(format!("{stem}.backup-v{version}-{stamp}-{n}.{EXTENSION}"));
        n += 1;
    }
    candidate
}

pub(crate) fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("project");
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

pub(crate) fn sync_file(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::write(path, e))
}

/// Flushes the directory entry after a rename (a no-op where directories cannot be opened).
pub(crate) fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        if let Ok(d) = std::fs::File::open(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        }) {
            let _ = d.sync_all();
        }
    }
}
