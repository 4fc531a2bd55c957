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
    /// An electronic signature does not verify with the key bound to its signer, or its signed
    /// response says something else than the signature row.
    KeySignature {
        kind: String,
        doc_id: i64,
        name: String,
    },
    /// A key binding does not match its audit entry (or its card).
    KeyBinding { name: String },
    /// How a signature was obtained does not match its audit entry (or a scan its SHA-256).
    SignatureMethod {
        kind: String,
        doc_id: i64,
        name: String,
    },
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
            Tamper::KeySignature { kind, doc_id, name } => i18n::format(
                lang,
                "tamper.key_signature",
                &[("document", &doc(kind, *doc_id)), ("name", name)],
            ),
            Tamper::KeyBinding { name } => {
                i18n::format(lang, "tamper.key_binding", &[("name", name)])
            }
            Tamper::SignatureMethod { kind, doc_id, name } => i18n::format(
                lang,
                "tamper.signature_method",
                &[("document", &doc(kind, *doc_id)), ("name", name)],
            ),
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
    /// Imported content refused at `path` (where in the JSON), for the reason `source` gives.
    #[error("{path}: {source}")]
    At { path: String, source: Box<Error> },
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
            return Error::refused("error.append_only", &[]);
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
            Error::At { source, .. } => source.code(),
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
            // A detail may be a catalog key (`damage.…`, then a name for `{name}`); SQLite's own
            // words (`quick_check`, "missing table …") are not the user's: any other detail that is a
            // catalog key is translated, anything else becomes the generic reason.
            Error::Damaged { path, detail } => {
                let detail = if detail.starts_with("damage.") {
                    let (key, name) = detail.split_once(' ').unwrap_or((detail, ""));
                    i18n::format(lang, key, &[("name", name)])
                } else {
                    reason(lang, detail)
                };
                i18n::format(lang, &key, &[("path", &shown(path)), ("detail", &detail)])
            }
            Error::Write { path, source } | Error::Read { path, source } => i18n::format(
                lang,
                &key,
                &[
                    ("path", &shown(path)),
                    ("detail", &i18n::text(lang, io_reason(source))),
                ],
            ),
            Error::NoProject => i18n::text(lang, "error.no_project"),
            Error::Invalid { field, detail } => {
                // A validation error carries no value, so a reason that names the value (such as
                // `validation.date`) is said in its plain form when the catalog has one.
                let plain = format!("{detail}_plain");
                let reason = match i18n::text(lang, &plain) {
                    text if text != plain => text,
                    _ => reason(lang, detail),
                };
                i18n::format(
                    lang,
                    "error.invalid",
                    &[("field", &i18n::text(lang, field)), ("detail", &reason)],
                )
            }
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
                // A value that names a reason (`reason.…`) is said in the user's language.
                let shown: Vec<(String, String)> = params
                    .iter()
                    .map(|(k, v)| {
                        let v = if v.starts_with("reason.") {
                            i18n::text(lang, v)
                        } else {
                            v.clone()
                        };
                        (k.clone(), v)
                    })
                    .collect();
                let params: Vec<(&str, &str)> = shown
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
            Error::Sqlite(e) => i18n::format(
                lang,
                "error.database",
                &[("detail", &i18n::text(lang, sqlite_reason(e)))],
            ),
            Error::At { path, source } => i18n::format(
                lang,
                "json.at",
                &[("path", path), ("detail", &source.message(lang))],
            ),
        }
    }

    /// The message of an error met while changing a project: a database failure adds that the
    /// change was not saved (read-only commands use [`Error::message`], which never says so).
    pub fn message_after_write(&self, lang: Lang) -> String {
        let mut text = self.message(lang);
        if matches!(self, Error::Sqlite(_)) {
            text.push(' ');
            text.push_str(&i18n::text(lang, "error.not_saved"));
        }
        text
    }

    /// The catalog key of the message, so that the UI and scripts can tell one reason from another.
    pub fn key(&self) -> String {
        match self {
            Error::Refused { key, .. } | Error::SignOff(key) => key.clone(),
            Error::Invalid { detail, .. } => detail.clone(),
            Error::Locked { signed: true, .. } => "error.locked.signed".into(),
            Error::Locked { signed: false, .. } => "error.locked.in_signoff".into(),
            Error::NoProject => "error.no_project".into(),
            Error::Sqlite(_) => "error.database".into(),
            _ => format!("error.open.{}", self.code()),
        }
    }

    /// The field a validation error names (a catalog key, e.g. `field.task.start`).
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The values that fill a refusal's message.
    pub fn params(&self) -> &[(String, String)] {
        match self {
            Error::Refused { params, .. } => params,
            _ => &[],
        }
    }

    /// Whether a rule refused the action (nothing was attempted, so nothing failed to save), as
    /// opposed to a failure of the file or the system.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Error::Invalid { .. }
                | Error::Locked { .. }
                | Error::Refused { .. }
                | Error::SignOff(_)
        )
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

/// The catalog key of the reason an I/O operation failed (its kind, not the library's words).
pub fn io_reason(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "reason.io.not_found",
        K::PermissionDenied => "reason.io.permission_denied",
        K::AlreadyExists => "reason.io.already_exists",
        K::StorageFull | K::QuotaExceeded => "reason.io.storage_full",
        K::ReadOnlyFilesystem => "reason.io.read_only",
        K::IsADirectory => "reason.io.is_a_directory",
        K::NotADirectory => "reason.io.not_a_directory",
        K::InvalidFilename => "reason.io.name_too_long",
        K::InvalidInput | K::InvalidData | K::UnexpectedEof => "reason.io.invalid",
        K::FileTooLarge => "reason.io.too_large",
        _ => "reason.io.other",
    }
}

/// The catalog key of the reason an SQLite operation failed, by its error code.
pub fn sqlite_reason(e: &rusqlite::Error) -> &'static str {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::DatabaseBusy) | Some(C::DatabaseLocked) => "reason.db.busy",
        Some(C::DatabaseCorrupt) => "reason.db.corrupt",
        Some(C::NotADatabase) => "reason.db.not_a_database",
        Some(C::DiskFull) => "reason.db.full",
        Some(C::SystemIoFailure) => "reason.db.io",
        Some(C::ReadOnly) => "reason.db.read_only",
        Some(C::CannotOpen) | Some(C::PermissionDenied) => "reason.db.cannot_open",
        Some(C::ConstraintViolation) => "reason.db.constraint",
        Some(C::TooBig) => "reason.db.too_big",
        Some(C::OutOfMemory) => "reason.db.memory",
        _ => "reason.db.other",
    }
}

/// A detail for the user: a catalog key in their language, anything else the generic reason.
fn reason(lang: Lang, detail: &str) -> String {
    let text = i18n::text(lang, detail);
    if text == detail {
        i18n::text(lang, "reason.damaged")
    } else {
        text
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::ErrorKind;

    fn db(code: i32, text: &str) -> Error {
        Error::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(code),
            Some(text.into()),
        ))
    }

    #[test]
    fn library_failures_are_said_in_the_users_language() {
        let p = || PathBuf::from("/x/p.pdf");
        let cases = [
            (
                Error::write(&p(), std::io::Error::other("disk I/O error")),
                "读写未能完成",
            ),
            (
                Error::write(&p(), std::io::Error::from(ErrorKind::StorageFull)),
                "磁盘已满",
            ),
            (
                Error::Read {
                    path: p(),
                    source: std::io::Error::from(ErrorKind::PermissionDenied),
                },
                "没有权限",
            ),
            (db(10, "disk I/O error"), "磁盘读写失败"),
            (db(13, "database or disk is full"), "磁盘已满"),
            (
                Error::damaged(
                    &p(),
                    "*** in database main ***\nPage 5: btreeInitPage() returns error code 11",
                ),
                "内部结构不一致",
            ),
            (
                rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(19),
                    Some("liaison:append_only:follow_up".into()),
                )
                .into(),
                "只能追加",
            ),
        ];
        for (e, says) in cases {
            let zh = e.message(Lang::Zh);
            assert!(zh.contains(says), "{zh}");
            let en = e.message(Lang::En);
            for library in [
                "disk I/O",
                "btree",
                "database or disk",
                "liaison:",
                "reason.",
            ] {
                assert!(
                    !zh.contains(library) && !en.contains(library),
                    "{zh} / {en}"
                );
            }
        }
    }

    #[test]
    fn only_a_command_that_wrote_says_the_change_was_not_saved() {
        let e = db(10, "disk I/O error");
        assert!(!e.message(Lang::Zh).contains("没有保存"));
        assert!(e
            .message_after_write(Lang::Zh)
            .contains("刚才的修改没有保存"));
        // A refusal is not a failed save.
        let refused = Error::refused("output.exists", &[("path", "r.pdf".into())]);
        assert_eq!(
            refused.message_after_write(Lang::Zh),
            refused.message(Lang::Zh)
        );
    }

    #[test]
    fn a_validation_error_names_its_field_and_is_a_refusal_and_a_write_error_is_a_failure() {
        let e = crate::validate::invalid("field.task.start", "validation.date_plain");
        assert_eq!(e.field(), Some("field.task.start"));
        assert_eq!(e.key(), "validation.date_plain");
        assert!(e.is_refusal());
        let r = Error::refused("archive.read_only", &[("at", "2026-12-01".into())]);
        assert_eq!(r.key(), "archive.read_only");
        assert_eq!(r.params(), &[("at".to_string(), "2026-12-01".to_string())]);
        assert!(r.is_refusal());
        let w = Error::write(Path::new("/x.liaison"), std::io::Error::other("disk full"));
        assert!(!w.is_refusal());
        assert_eq!(w.field(), None);
        assert_eq!(w.key(), "error.open.write_failed");
    }
}
