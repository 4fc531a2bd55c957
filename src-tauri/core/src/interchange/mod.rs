//! Interchange with the tools companies use today: Excel (export of the task allocation table,
//! ledger, issue log, risk register and change requests; import of a task allocation table) and a
//! documented JSON form of a whole project (`schema/liaison-project.schema.json`).

pub mod json;
pub mod rules;
pub mod tasks;
pub mod xlsx;

#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use std::io::Read;
use std::path::Path;

/// Refuses `path` unless it is a regular file of at most `max` bytes: a pipe would hang a read
/// and a device (`/dev/zero`) would never end. Returns its length.
pub(crate) fn check_regular(path: &Path, max: u64) -> Result<u64> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => refusal("import.not_found", path),
        _ => refusal("import.unreadable", path),
    })?;
    if !meta.is_file() {
        return Err(refusal("import.not_a_file", path));
    }
    if meta.len() > max {
        return Err(too_large(path, max));
    }
    Ok(meta.len())
}

/// The bytes of the file at `path`, a regular file of at most `max` bytes (see `check_regular`).
pub(crate) fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>> {
    let len = check_regular(path, max)?;
    let file = std::fs::File::open(path).map_err(|_| refusal("import.unreadable", path))?;
    let mut bytes = Vec::with_capacity(len as usize);
    // The file may grow while it is read: never more than one byte past the limit.
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| refusal("import.unreadable", path))?;
    if bytes.len() as u64 > max {
        return Err(too_large(path, max));
    }
    Ok(bytes)
}

fn refusal(key: &str, path: &Path) -> Error {
    Error::refused(key, &[("path", path.display().to_string())])
}

fn too_large(path: &Path, max: u64) -> Error {
    Error::refused(
        "import.too_large",
        &[
            ("path", path.display().to_string()),
            ("mb", (max >> 20).max(1).to_string()),
        ],
    )
}
