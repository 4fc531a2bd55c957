//! A hot rollback journal beside a project file (`<file>-journal`, left by a save that was cut
//! off) is rolled back on a copy first, and only put in place when the result is sound and is the
//! same project; a journal that belongs to another file is refused and both files stay untouched.

use super::{header, APPLICATION_ID};
use crate::error::{Error, Result};
use crate::fsio::{sync_dir, sync_file, temp_beside};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};

/// The first bytes of every rollback journal header.
const MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];

/// Rolls the hot journal of `path` back into it, when that is safe. The caller holds the writer
/// lock, so the journal is not a live writer's.
pub(crate) fn recover(path: &Path, page_size: u32) -> Result<()> {
    let journal = header::beside(path, "-journal");
    let refuse = || {
        Error::refused(
            "storage.foreign_journal",
            &[
                ("path", path.display().to_string()),
                ("journal", journal.display().to_string()),
            ],
        )
    };
    let head = std::fs::read(&journal).map_err(|e| Error::Read {
        path: journal.clone(),
        source: e,
    })?;
    // A journal whose header is not a journal's, or that was written for another page size,
    // cannot be this file's.
    if head.len() >= 28 && head[..8] == MAGIC {
        let journal_page = u32::from_be_bytes([head[24], head[25], head[26], head[27]]);
        if journal_page != page_size {
            return Err(refuse());
        }
    }
    let work = scratch_dir(path)?;
    let outcome = (|| -> Result<PathBuf> {
        let copy = work.join("project.liaison");
        let before = work.join("before.liaison");
        copy_file(path, &copy)?;
        copy_file(path, &before)?;
        std::fs::write(header::beside(&copy, "-journal"), &head)
            .map_err(|e| Error::write(&copy, e))?;
        // The project's identity as the file says it before the rollback (when it can be read).
        let before_id = project_id(&before).ok().flatten();
        let (check, app_id, after_id) = {
            let conn = Connection::open_with_flags(&copy, OpenFlags::SQLITE_OPEN_READ_WRITE)
                .map_err(|_| refuse())?;
            let check: String = conn
                .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
                .map_err(|_| refuse())?;
            let app_id: i64 = conn
                .query_row("PRAGMA application_id", [], |r| r.get(0))
                .map_err(|_| refuse())?;
            let id = read_id(&conn).ok().flatten();
            (check, app_id, id)
        };
        let same_project = match (&before_id, &after_id) {
            (Some(b), Some(a)) => a == b,
            (None, Some(_)) => true,
            _ => false,
        };
        // (A journal SQLite does not judge hot, e.g. one whose header was never written, is left
        // in the copy and changes nothing.)
        if check != "ok" || app_id as u32 != APPLICATION_ID || !same_project {
            return Err(refuse());
        }
        Ok(copy)
    })();
    let result = outcome.and_then(|recovered| {
        // Put the rolled-back file in place atomically, then remove the journal. Should this be
        // cut off in between, the journal rolls back onto its own result again, which changes
        // nothing.
        let tmp = temp_beside(path);
        copy_file(&recovered, &tmp)?;
        sync_file(&tmp)?;
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::write(path, e)
        })?;
        sync_dir(path);
        std::fs::remove_file(&journal).map_err(|e| Error::write(&journal, e))?;
        sync_dir(path);
        Ok(())
    });
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn project_id(path: &Path) -> rusqlite::Result<Option<String>> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    read_id(&conn)
}

fn read_id(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT value FROM project_meta WHERE key = 'project_id'",
        [],
        |r| r.get(0),
    )
    .optional()
}

fn copy_file(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Error::Read {
            path: from.to_path_buf(),
            source: e,
        })
}

/// A new private folder in the system's temporary folder for the copies.
fn scratch_dir(path: &Path) -> Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("liaison-recover-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::write(path, e))?;
    Ok(dir)
}
