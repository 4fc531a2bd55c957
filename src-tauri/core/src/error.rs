//! The one error type of the core. Each variant has a stable `code` and a message in the user's language.

use crate::i18n::{self, Lang};
use std::path::{Path, PathBuf};

/// What `check` found altered outside the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tamper {
    /// Audit entry `seq` was altered (its hash or link does not match).
    AuditEntry(i64),
    /// Audit entries before `seq` were removed.
    AuditGap(i64),
    /// Audit entries at the end were removed.
    AuditHead,
    /// A signed document no longer matches the fingerprint it was signed on.
    Signed {
        kind: String,
        doc_id: i64,
        revision: i64,
    },
    /// The file's schema differs from what the migrations create: `change` is `extra`, `missing`
    /// or `altered`; `what` is SQLite's type (`table`, `index`, `trigger`, `view`).
    Schema {
        what: String,
        name: String,
        change: &'static str,
    },
    /// A sign-off round (status, mode, signers) does not match the audit entries that recorded it.
    Round {
        kind: String,
        doc_id: i64,
        revision: i64,
    },
    /// A signature (decision, signer, comment, time) does not match its audit entry.
    Signature {
        kind: String,
        doc_id: i64,
        name: String,
    },
    /// A document's lock state is not what its sign-off rounds left it in.
    LockState { kind: String, doc_id: i64 },
    /// The project has records but no audit entries at all.
    NoAudit,
}

impl Tamper {
    /// What was found, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let doc = |kind: &str, id: i64| {
            i18n::format(
                lang,
                "tamper.document",
                &[
                    ("document", &record_label(lang, kind)),
                    ("id", &id.to_string()),
                ],
            )
        };
        match self {
            Tamper::AuditEntry(seq) => {
                i18n::format(lang, "tamper.audit_entry", &[("seq", &seq.to_string())])
            }
            Tamper::AuditGap(seq) => {
                i18n::format(lang, "tamper.audit_gap", &[("seq", &seq.to_string())])
            }
            Tamper::AuditHead => i18n::text(lang, "tamper.audit_head"),
            Tamper::Signed {
                kind,
                doc_id,
                revision,
            } => i18n::format(
                lang,
                "tamper.signed",
                &[
                    ("document", &record_label(lang, kind)),
                    ("id", &doc_id.to_string()),
                    ("revision", &revision.to_string()),
                ],
            ),
            Tamper::Schema { what, name, change } => {
                let what_key = format!("tamper.schema.{what}");
                let mut shown = i18n::text(lang, &what_key);
                if shown == what_key {
                    shown = what.clone();
                }
                i18n::format(
                    lang,
                    &format!("tamper.schema_{change}"),
                    &[("what", &shown), ("name", name)],
                )
            }
            Tamper::Round {
                kind,
                doc_id,
                revision,
            } => i18n::format(
                lang,
                "tamper.round",
                &[
                    ("document", &doc(kind, *doc_id)),
                    ("revision", &revision.to_string()),
                ],
            ),
            Tamper::Signature { kind, doc_id, name } => i18n::format(
                lang,
                "tamper.signature",
                &[("document", &doc(kind, *doc_id)), ("name", name)],
            ),
            Tamper::LockState { kind, doc_id } => i18n::format(
                lang,
                "tamper.lock_state",
                &[("document", &doc(kind, *doc_id))],
            ),
            Tamper::NoAudit => i18n::text(lang, "tamper.no_audit"),
        }
    }
}

impl std::fmt::Display for Tamper {
    /// The English message, for logs; users get `message` in their language.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

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
    #[error("{record} is locked by its sign-off")]
    Locked { record: String, signed: bool },
    /// An edit the rules refuse, e.g. a dependency that would close a loop; `key` names the
    /// catalog message and `params` fill it.
    #[error("refused: {key} {params:?}")]
    Refused {
        key: String,
        params: Vec<(String, String)>,
    },
    #[error("sign-off refused: {0}")]
    SignOff(String),
    #[error("integrity check failed for {path}: {problem}")]
    Integrity { path: PathBuf, problem: Tamper },
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for Error {
    /// Storage triggers refuse edits to locked records with `liaison:locked:<record>`; that refusal
    /// becomes the same `Locked` error the core raises before it writes.
    fn from(e: rusqlite::Error) -> Error {
        let text = e.to_string();
        if text.contains("liaison:closed") {
            return Error::refused("archive.read_only", &[]);
        }
        if let Some(at) = text.find("liaison:locked:") {
            return Error::Locked {
                record: text[at + "liaison:locked:".len()..].trim().to_string(),
                signed: true,
            };
        }
        if text.contains("liaison:append_only:") {
            return Error::Locked {
                record: text.clone(),
                signed: true,
            };
        }
        Error::Sqlite(e)
    }
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
            Error::Locked { .. } => "locked",
            Error::SignOff(_) => "signoff",
            Error::Refused { .. } => "refused",
            Error::Integrity { .. } => "integrity",
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
                // A detail may be a catalog key (`damage.…`, then a name for `{name}`); SQLite's own words
                // are not shown.
                let detail = if detail.starts_with("damage.") {
                    let (key, name) = detail.split_once(' ').unwrap_or((detail, ""));
                    i18n::format(lang, key, &[("name", name)])
                } else {
                    detail.clone()
                };
                i18n::format(lang, &key, &[("path", &shown(path)), ("detail", &detail)])
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
            Error::Locked { record, signed } => i18n::format(
                lang,
                if *signed {
                    "error.locked.signed"
                } else {
                    "error.locked.in_signoff"
                },
                &[("record", &record_label(lang, record))],
            ),
            Error::SignOff(key) => i18n::text(lang, key),
            Error::Refused { key, params } => {
                let params: Vec<(&str, &str)> = params
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                i18n::format(lang, key, &params)
            }
            Error::Integrity { path, problem } => {
                let detail = problem.message(lang);
                i18n::format(
                    lang,
                    "error.open.integrity",
                    &[("path", &shown(path)), ("detail", &detail)],
                )
            }
            Error::Sqlite(e) => i18n::format(lang, "error.database", &[("detail", &e.to_string())]),
        }
    }

    /// A refusal with the catalog message `key`, filled from `params`.
    pub fn refused(key: &str, params: &[(&str, String)]) -> Error {
        Error::Refused {
            key: key.to_string(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
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

/// `registration:1` → 「登记表」 in the user's language; unknown records are shown as they are.
pub fn record_label(lang: Lang, record: &str) -> String {
    let kind = record.split(':').next().unwrap_or(record);
    let key = format!("doc.{kind}");
    let label = i18n::text(lang, &key);
    if label == key {
        record.to_string()
    } else {
        label
    }
}
