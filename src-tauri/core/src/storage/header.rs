//! Reads the 100-byte SQLite header with plain file I/O, so that foreign, newer and damaged files are
//! refused before SQLite ever opens them (and so before anything could write to them).

use crate::error::{Error, Result};
use std::io::Read;
use std::path::Path;

const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What the header says about a file that looks like an SQLite database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub page_size: u32,
    pub application_id: u32,
    pub user_version: i64,
    /// The file is in write-ahead-log mode (format versions 2 in bytes 18 and 19).
    pub wal: bool,
}

/// Whether a non-empty rollback journal (`<file>-journal`) lies beside `path`: an interrupted commit
/// that SQLite will roll back on open.
pub fn has_hot_journal(path: &Path) -> bool {
    non_empty(&beside(path, "-journal"))
}

/// Whether a non-empty write-ahead log (`<file>-wal`) lies beside `path`: transactions that SQLite
/// would copy into the file.
pub fn has_pending_wal(path: &Path) -> bool {
    non_empty(&beside(path, "-wal"))
}

/// `<file><suffix>`, e.g. the journal of `path`.
pub fn beside(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    std::path::PathBuf::from(name)
}

fn non_empty(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0)
}

/// Checks that `path` is a regular, non-empty, untruncated SQLite file and returns its header.
pub fn sniff(path: &Path) -> Result<Header> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound(path.to_path_buf()),
        _ => Error::Read {
            path: path.to_path_buf(),
            source: e,
        },
    })?;
    if !meta.is_file() {
        return Err(Error::NotAFile(path.to_path_buf()));
    }
    let len = meta.len();
    if len == 0 {
        return Err(Error::Empty(path.to_path_buf()));
    }
    let mut bytes = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    let mut got = 0;
    while got < bytes.len() {
        match file.read(&mut bytes[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => {
                return Err(Error::Read {
                    path: path.to_path_buf(),
                    source: e,
                })
            }
        }
    }
    if got < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(Error::NotSqlite(path.to_path_buf()));
    }
    if got < bytes.len() {
        return Err(Error::Truncated(path.to_path_buf()));
    }
    let be16 = |at: usize| u16::from_be_bytes([bytes[at], bytes[at + 1]]) as u32;
    let be32 =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let page_size = match be16(16) {
        1 => 65536,
        n => n,
    };
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(Error::damaged(path, format!("page size {page_size}")));
    }
    // After a crash mid-commit the file's length may not match its header until SQLite rolls back
    // the hot journal beside it; then the length is SQLite's to judge (and `quick_check` follows).
    if !has_hot_journal(path) {
        if len < page_size as u64 || len % page_size as u64 != 0 {
            return Err(Error::Truncated(path.to_path_buf()));
        }
        // The in-header page count is valid when "version-valid-for" equals the change counter.
        let pages = be32(28) as u64;
        if be32(92) == be32(24) && pages * page_size as u64 > len {
            return Err(Error::Truncated(path.to_path_buf()));
        }
    }
    Ok(Header {
        page_size,
        application_id: be32(68),
        user_version: be32(60) as i32 as i64,
        wal: bytes[18] == 2 || bytes[19] == 2,
    })
}
