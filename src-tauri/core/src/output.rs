//! The one way the core writes a file for the user (PDF, spreadsheet, JSON, calendar, attachment,
//! a new project file): the rules that keep a project from being written over, and an atomic write.
//!
//! Rules, checked before any work and again just before the file is put in place:
//! - a Liaison project file (known by its content: the SQLite header with our application id, not
//!   by its name) is never replaced by a document;
//! - a file another Liaison holds open is never replaced, whatever it is;
//! - an existing file is replaced only when the caller says so (`--force`, or a save dialog that
//!   asked the user already).
//!
//! The bytes go to a new temporary file beside the target, are flushed to disk, then renamed into
//! place (without `force`, linked into place, which fails if a file appeared meanwhile): a failed
//! write leaves whatever was there before. That atomic write itself is `fsio`'s (storage uses it
//! too, for its copies).

use crate::error::{Error, Result};
use crate::fsio;
use crate::storage::{self, APPLICATION_ID};
use std::io::{Read, Write};
use std::path::Path;

/// What is being written, which decides whether a project file may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// A document, sheet, export or attachment: never over a project file.
    Document,
    /// A project file (demo, new-from, JSON import, backup): over another project only when
    /// forced and when no Liaison holds it.
    Project,
}

/// Whether `path` is a Liaison project file, by its first bytes (the SQLite magic and our
/// `application_id` at offset 68). Unreadable or short files are not projects.
pub fn is_project_file(path: &Path) -> bool {
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = [0u8; 72];
    let mut got = 0;
    while got < head.len() {
        match f.read(&mut head[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    got == head.len()
        && &head[..16] == b"SQLite format 3\0"
        && u32::from_be_bytes([head[68], head[69], head[70], head[71]]) == APPLICATION_ID
}

/// Refuses to write `kind` at `path` when a rule above forbids it; `force` allows replacing an
/// existing file that no rule protects.
pub fn check(path: &Path, kind: Output, force: bool) -> Result<()> {
    let shown = || path.display().to_string();
    if fsio::check_target(path)?.is_none() {
        return Ok(());
    }
    // Asked first: only a project can be held, and reading a file this process holds would drop
    // its locks. A document over a held file is refused as over any project.
    if storage::is_held(path) {
        let key = match kind {
            Output::Document => "output.is_project",
            Output::Project => "output.held",
        };
        return Err(Error::refused(key, &[("path", shown())]));
    }
    if kind == Output::Document && is_project_file(path) {
        return Err(Error::refused("output.is_project", &[("path", shown())]));
    }
    if !force {
        return Err(Error::refused("output.exists", &[("path", shown())]));
    }
    Ok(())
}

/// Writes `bytes` to `path` under the rules above, atomically.
pub fn write_file(path: &Path, bytes: &[u8], kind: Output, force: bool) -> Result<()> {
    write_with(path, kind, force, |tmp| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(tmp)
            .map_err(|e| Error::write(path, e))?;
        f.write_all(bytes).map_err(|e| Error::write(path, e))
    })
}

/// Lets `build` write the file at a new temporary path beside `path` (it exists, empty), then
/// flushes it and puts it in place under the rules above. Nothing is left behind on failure.
pub fn write_with(
    path: &Path,
    kind: Output,
    force: bool,
    build: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    fsio::write_with(path, force, &|p| check(p, kind, force), build)
}

/// Puts a finished, flushed file `tmp` (beside `path`) in place under the rules above; checked
/// again here because the target may have been opened or created while `tmp` was built. On
/// failure `tmp` is left for the caller to remove.
pub fn put_in_place(tmp: &Path, path: &Path, kind: Output, force: bool) -> Result<()> {
    fsio::put_in_place(tmp, path, force, &|p| check(p, kind, force))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_never_replaces_a_project_and_needs_force_for_any_file() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.liaison");
        drop(crate::storage::Project::create(&project, "P").unwrap());
        // Renamed so that only the content can tell.
        let disguised = dir.path().join("p.pdf");
        std::fs::rename(&project, &disguised).unwrap();
        let before = std::fs::read(&disguised).unwrap();
        let e = write_file(&disguised, b"%PDF-", Output::Document, true).unwrap_err();
        assert!(
            matches!(&e, Error::Refused { key, .. } if key == "output.is_project"),
            "{e:?}"
        );
        assert_eq!(std::fs::read(&disguised).unwrap(), before);

        let plain = dir.path().join("a.txt");
        write_file(&plain, b"one", Output::Document, false).unwrap();
        let e = write_file(&plain, b"two", Output::Document, false).unwrap_err();
        assert!(
            matches!(&e, Error::Refused { key, .. } if key == "output.exists"),
            "{e:?}"
        );
        assert_eq!(std::fs::read(&plain).unwrap(), b"one");
        write_file(&plain, b"two", Output::Document, true).unwrap();
        assert_eq!(std::fs::read(&plain).unwrap(), b"two");
        // Not a regular file: refused even when forced.
        let e = write_file(dir.path(), b"x", Output::Document, true).unwrap_err();
        assert!(matches!(e, Error::NotAFile(_)), "{e:?}");
        let e = write_file(Path::new("/dev/null"), b"x", Output::Document, true).unwrap_err();
        assert!(matches!(e, Error::NotAFile(_)), "{e:?}");
        // A project may replace a project when forced, never without.
        write_file(&disguised, b"x", Output::Project, false).unwrap_err();
        assert_eq!(std::fs::read(&disguised).unwrap(), before);
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".part")), "{names:?}");
    }

    #[test]
    fn a_file_this_process_holds_open_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("open.liaison");
        let project = crate::storage::Project::create(&path, "P").unwrap();
        let e = write_file(&path, b"x", Output::Project, true).unwrap_err();
        assert!(
            matches!(&e, Error::Refused { key, .. } if key == "output.held"),
            "{e:?}"
        );
        let e = write_file(&path, b"x", Output::Document, true).unwrap_err();
        assert!(
            matches!(&e, Error::Refused { key, .. } if key == "output.is_project"),
            "{e:?}"
        );
        drop(project);
        assert!(is_project_file(&path));
    }
}
