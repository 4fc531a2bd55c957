//! The one error type of the core. Each variant has a stable `code` and a message in the user's language.

use crate::i18n::{self, Lang};
use std::path::{Path, PathBuf};

/// Result with the core's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why something could not be done; messages come from the catalog so both languages say the same.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("file not found: {0}")]
    NotFound(PathBuf),
    #[error("not a regular file: {0}")]
    NotAFile(PathBuf),
    #[error("empty file: {0}")]
    Empty(PathBuf),
    #[error("not an SQLite database: {0}")]
    NotSqlite(PathBuf),
    #[error("SQLite database of another application: {0}")]
    Foreign(PathBuf),
    #[error(
        "written by a newer Liaison (schema {found}, this one reads up to {supported}): {path}"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("truncated file: {0}")]
    Truncated(PathBuf),
    #[error("damaged project file {path}: {detail}")]
    Damaged { path: PathBuf, detail: String },
    #[error("already open elsewhere: {0}")]
    AlreadyOpen(PathBuf),
    #[error("a project file must end in .liaison: {0}")]
    BadExtension(PathBuf),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no project is open")]
    NoProject,
    #[error("invalid input in {field}: {detail}")]
    Invalid { field: String, detail: String },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl Error {
    /// A stable identifier the UI and scripts can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound(_) => "not_found",
            Error::NotAFile(_) => "not_a_file",
            Error::Empty(_) => "empty",
            Error::NotSqlite(_) => "not_sqlite",
            Error::Foreign(_) => "foreign",
            Error::Newer { .. } => "newer",
            Error::Truncated(_) => "truncated",
            Error::Damaged { .. } => "damaged",
            Error::AlreadyOpen(_) => "already_open",
            Error::BadExtension(_) => "bad_extension",
            Error::Write { .. } => "write_failed",
            Error::Read { .. } => "read_failed",
            Error::NoProject => "no_project",
            Error::Invalid { .. } => "invalid",
            Error::Sqlite(_) => "database",
        }
    }

    /// The message shown to the user, in `lang`, naming the file and the reason.
    pub fn message(&self, lang: Lang) -> String {
        let shown = |p: &Path| p.display().to_string();
        let key = format!("error.open.{}", self.code());
        match self {
            Error::NotFound(p)
            | Error::NotAFile(p)
            | Error::Empty(p)
            | Error::NotSqlite(p)
            | Error::Foreign(p)
            | Error::Truncated(p)
            | Error::AlreadyOpen(p)
            | Error::BadExtension(p) => i18n::format(lang, &key, &[("path", &shown(p))]),
            Error::Newer {
                path,
                found,
                supported,
            } => i18n::format(
                lang,
                &key,
                &[
                    ("path", &shown(path)),
                    ("found", &found.to_string()),
                    ("supported", &supported.to_string()),
                ],
            ),
            Error::Damaged { path, detail } => {
                i18n::format(lang, &key, &[("path", &shown(path)), ("detail", detail)])
            }
            Error::Write { path, source } | Error::Read { path, source } => i18n::format(
                lang,
                &key,
                &[("path", &shown(path)), ("detail", &source.to_string())],
            ),
            Error::NoProject => i18n::text(lang, "error.no_project"),
            Error::Invalid { field, detail } => i18n::format(
                lang,
                "error.invalid",
                &[
                    ("field", &i18n::text(lang, field)),
                    ("detail", &i18n::text(lang, detail)),
                ],
            ),
            Error::Sqlite(e) => i18n::format(lang, "error.database", &[("detail", &e.to_string())]),
        }
    }

    pub(crate) fn damaged(path: &Path, detail: impl Into<String>) -> Error {
        Error::Damaged {
            path: path.to_path_buf(),
            detail: detail.into(),
        }
    }

    pub(crate) fn write(path: &Path, source: std::io::Error) -> Error {
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    }
}
