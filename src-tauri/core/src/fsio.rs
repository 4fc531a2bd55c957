//! Writing a file atomically, the bottom of every writer (`output` for the user's files, `storage`
//! for project copies): a new temporary file beside the target, fsync, then a rename (or a hard
//! link, which refuses a file that appeared meanwhile), and the folder flushed. A failed write
//! leaves whatever was there before.
//!
//! The caller's `rules` (which files may be replaced) run before any work and again just before
//! the file is put in place.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// A caller's refusal of a target (checked twice: before the work and before the rename).
pub type Rules<'a> = &'a dyn Fn(&Path) -> Result<()>;

/// What is at `path` before a file is written there: None when nothing is (and its folder
/// exists), the metadata of a regular file; refused when it is a folder, a device or a FIFO, or
/// when the folder is missing.
pub fn check_target(path: &Path) -> Result<Option<std::fs::Metadata>> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A new file: its folder must be there, so that a refusal comes before any work.
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
            return match dir.map(std::fs::metadata) {
                None => Ok(None),
                Some(Ok(d)) if d.is_dir() => Ok(None),
                Some(Ok(_)) => Err(Error::write(
                    path,
                    std::io::Error::from(std::io::ErrorKind::NotADirectory),
                )),
                Some(Err(e)) => Err(Error::write(path, e)),
            };
        }
        Err(e) => return Err(Error::write(path, e)),
    };
    // A folder, a device (`/dev/null`), a FIFO: never replaced by a file.
    if !meta.is_file() {
        return Err(Error::NotAFile(path.to_path_buf()));
    }
    Ok(Some(meta))
}

/// Lets `build` write the file at a new temporary path beside `path` (it exists, empty), then
/// flushes it and puts it in place; replaces an existing file only with `force`. Nothing is left
/// behind on failure.
pub fn write_with(
    path: &Path,
    force: bool,
    rules: Rules,
    build: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    rules(path)?;
    let tmp = new_temp(path)?;
    let result = build(&tmp)
        .and_then(|()| {
            // Named after the target, not the hidden temporary file.
            sync_file(&tmp).map_err(|e| match e {
                Error::Write { source, .. } => Error::write(path, source),
                other => other,
            })
        })
        .and_then(|()| put_in_place(&tmp, path, force, rules));
    let _ = std::fs::remove_file(&tmp);
    result
}

/// Puts a finished, flushed file `tmp` (beside `path`) in place, `rules` checked again first. On
/// failure `tmp` is left for the caller to remove.
pub fn put_in_place(tmp: &Path, path: &Path, force: bool, rules: Rules) -> Result<()> {
    rules(path)?;
    place(tmp, path, force)?;
    sync_dir(path);
    Ok(())
}

/// Moves the finished temporary file onto `path`: a rename when replacing is allowed, else a hard
/// link (which refuses an existing target), with a plain rename where links are not supported.
fn place(tmp: &Path, path: &Path, force: bool) -> Result<()> {
    if force {
        return std::fs::rename(tmp, path).map_err(|e| Error::write(path, e));
    }
    match std::fs::hard_link(tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::refused(
            "output.exists",
            &[("path", path.display().to_string())],
        )),
        Err(_) if !path.exists() => std::fs::rename(tmp, path).map_err(|e| Error::write(path, e)),
        Err(e) => Err(Error::write(path, e)),
    }
}

/// Creates a new, empty temporary file beside `path` (never an existing one, never through a
/// symbolic link someone left there).
pub fn new_temp(path: &Path) -> Result<PathBuf> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "file".into());
    let mut last = None;
    for n in 0..100 {
        let tmp = dir.join(format!(".{name}.{}-{n}.part", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(_) => return Ok(tmp),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(Error::write(path, e)),
        }
    }
    Err(Error::write(
        path,
        last.unwrap_or_else(|| std::io::Error::from(std::io::ErrorKind::AlreadyExists)),
    ))
}

/// A temporary name beside `path` for a file this process builds and renames (journal recovery,
/// JSON import).
pub fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("project");
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Flushes a written file to disk.
pub fn sync_file(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::write(path, e))
}

/// Flushes the directory entry after a rename (a no-op where directories cannot be opened).
pub fn sync_dir(path: &Path) {
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
