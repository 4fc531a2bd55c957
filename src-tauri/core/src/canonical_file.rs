//! A file of signing by key as bytes (key files, identity cards, requests, responses): canonical
//! JSON (sorted keys, no white space, one final newline) carrying its `format` and `version`; a
//! file of another format, of a newer version, or whose bytes are not exactly what Liaison writes,
//! is refused before anything else is read from it.

use crate::error::{Error, Result};
use crate::fingerprint::canonical;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

/// The largest file of this kind read (a request carries its PDF).
pub const MAX_FILE: u64 = 64 * 1024 * 1024;

/// The bytes of a file: its canonical JSON and a newline.
pub fn to_bytes<T: Serialize>(file: &T) -> Vec<u8> {
    let v = serde_json::to_value(file).expect("file serializes");
    format!("{}\n", canonical(&v)).into_bytes()
}

/// Reads a regular file within [`MAX_FILE`].
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let shown = || path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    if !meta.is_file() {
        return Err(Error::refused("keys.file.not_file", &[("path", shown())]));
    }
    if meta.len() > MAX_FILE {
        return Err(Error::refused("keys.file.too_large", &[("path", shown())]));
    }
    std::fs::read(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    })
}

/// Parses `bytes` as a file of `format` up to `version`: the format first, then the version, then
/// the exact bytes, then the fields.
pub fn parse<T: DeserializeOwned>(bytes: &[u8], format: &str, version: i64) -> Result<T> {
    let value: Value = std::str::from_utf8(bytes)
        .ok()
        .and_then(|s| serde_json::from_str(s).ok())
        .ok_or_else(|| not_format(format))?;
    if value.get("format").and_then(Value::as_str) != Some(format) {
        return Err(not_format(format));
    }
    let found = value.get("version").and_then(Value::as_i64).unwrap_or(0);
    if found > version {
        return Err(Error::refused(
            "keys.file.newer",
            &[
                ("found", found.to_string()),
                ("supported", version.to_string()),
            ],
        ));
    }
    if found < 1 || format!("{}\n", canonical(&value)).as_bytes() != bytes {
        return Err(Error::refused("keys.file.altered", &[]));
    }
    serde_json::from_value(value).map_err(|_| Error::refused("keys.file.altered", &[]))
}

fn not_format(format: &str) -> Error {
    Error::refused("keys.file.not_format", &[("format", format.into())])
}
