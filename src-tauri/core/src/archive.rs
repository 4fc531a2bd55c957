//! Closing and archiving (归档): once the acceptance and the retrospective are signed, the project
//! can be closed, after which storage refuses every edit (`storage::migrations::closed_guard`).
//! The Archive stage lists every document of the project and exports them all, with the files
//! attached to it, into one folder.

use crate::documents::{self, Target};
use crate::error::{Error, Result};
use crate::i18n::{self, Lang};
use crate::kind::DocKind;
use crate::pdf::Fonts;
use crate::signoff::State;
use rusqlite::Connection;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Where the project stands on its way to the archive.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub acceptance: State,
    pub retrospective: State,
    /// When the project was closed; it is read-only from then on.
    pub closed_at: Option<String>,
    /// Both documents are signed and the project is still open.
    pub closable: bool,
}

/// When the project was closed (storage reads it: modules below this one refuse edits by it).
pub use crate::storage::closed_at;

pub fn status(conn: &Connection) -> Result<Status> {
    let acceptance = crate::doc_state::state(conn, crate::DocKind::Acceptance, 1)?;
    let retrospective = crate::doc_state::state(conn, crate::DocKind::Retrospective, 1)?;
    let closed_at = closed_at(conn)?;
    Ok(Status {
        closable: closed_at.is_none()
            && acceptance == State::Signed
            && retrospective == State::Signed,
        acceptance,
        retrospective,
        closed_at,
    })
}

/// Closes the project: refused unless the acceptance and the retrospective are signed. From then
/// on the file refuses every edit, whoever writes to it.
pub fn close(conn: &mut Connection, actor: &str) -> Result<Status> {
    let s = status(conn)?;
    if s.closed_at.is_some() {
        return Err(Error::refused("archive.read_only", &[]));
    }
    if s.acceptance != State::Signed {
        return Err(Error::refused("archive.acceptance_unsigned", &[]));
    }
    if s.retrospective != State::Signed {
        return Err(Error::refused("archive.retrospective_unsigned", &[]));
    }
    crate::closing::ensure_settled(conn)?;
    let at = crate::clock::stamp(crate::clock::now());
    let tx = conn.transaction()?;
    // The audit entry goes first: once `closed_at` exists, nothing more can be written.
    crate::audit::append(
        &tx,
        actor,
        &[crate::audit::Change {
            record: "project:1",
            field: "archive.closed",
            before: None,
            after: Some(&at),
        }],
    )?;
    tx.execute(
        "INSERT INTO project_meta (key, value) VALUES ('closed_at', ?1)",
        [&at],
    )?;
    tx.commit()?;
    status(conn)
}

/// One entry of the archive: a document or an attached file.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveEntry {
    /// A document kind (`registration`, `allocation`, …) or `attachment`.
    pub kind: String,
    /// The record: `1`, a meeting or change request id, `v2` for a plan version, an attachment id.
    pub target: String,
    pub title: String,
    /// `draft`, `in_signoff` or `signed` (an attachment: its size in bytes).
    pub state: String,
    /// The file's name in the exported folder (relative, with `/`).
    pub file: String,
}

fn target_label(t: Target) -> String {
    match t {
        Target::One(id) => id.to_string(),
        Target::Version(v) => format!("v{v}"),
        Target::All => "all".into(),
        Target::Latest => "latest".into(),
    }
}

/// An attached file: a meeting's background material or a task's acceptance evidence.
struct Attached {
    table: &'static str,
    id: i64,
    folder: String,
    name: String,
    bytes: i64,
}

fn attached(conn: &Connection, lang: Lang) -> Result<Vec<Attached>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT a.id, a.name, length(a.data), m.starts_at, m.title FROM attachment a
         JOIN meeting m ON m.id = a.meeting_id ORDER BY m.starts_at, a.id",
    )?;
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })? {
        let (id, name, bytes, at, title) = row?;
        out.push(Attached {
            table: "attachment",
            id,
            folder: documents::safe_file_name(&format!(
                "{} {}",
                at.get(..10).unwrap_or(&at),
                title
            )),
            name,
            bytes,
        });
    }
    let acceptance = crate::acceptance::load(conn)?;
    for item in &acceptance.items {
        for f in &item.evidence {
            out.push(Attached {
                table: "evidence",
                id: f.id,
                folder: documents::safe_file_name(&format!(
                    "{} {} {}",
                    i18n::text(lang, "archive.evidence_folder"),
                    item.outline,
                    item.name
                )),
                name: f.name.clone(),
                bytes: f.bytes,
            });
        }
    }
    Ok(out)
}

/// Every document of the project, numbered in the order of its life, then the attached files.
pub fn entries(conn: &Connection, lang: Lang) -> Result<Vec<ArchiveEntry>> {
    let mut out = Vec::new();
    for (i, (kind, target)) in documents::inventory(conn)?.into_iter().enumerate() {
        let name = documents::file_name(conn, kind, target, lang)?;
        let state = match (kind, target) {
            (DocKind::Plan, Target::Version(_)) => State::Signed,
            _ => {
                let id = match target {
                    Target::One(id) => id,
                    _ => 1,
                };
                crate::doc_state::state(conn, kind, id)?
            }
        };
        out.push(ArchiveEntry {
            kind: kind.as_str().into(),
            target: target_label(target),
            title: name.trim_end_matches(".pdf").to_string(),
            state: serde_json::to_value(state)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            file: format!("{:02} {name}", i + 1),
        });
    }
    let folder = i18n::text(lang, "archive.attachments_folder");
    for a in attached(conn, lang)? {
        out.push(ArchiveEntry {
            kind: "attachment".into(),
            target: format!("{}:{}", a.table, a.id),
            title: a.name.clone(),
            state: a.bytes.to_string(),
            file: format!(
                "{folder}/{}/{}",
                a.folder,
                documents::safe_file_name(&a.name)
            ),
        });
    }
    Ok(out)
}

/// What "export all" wrote.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedAll {
    pub folder: PathBuf,
    pub documents: usize,
    pub attachments: usize,
    pub pages: usize,
    /// Characters no font had, over all documents.
    pub missing: Vec<String>,
}

/// A folder name under `parent` that does not exist yet: `name`, `name (2)`, …
fn free_folder(parent: &Path, name: &str) -> PathBuf {
    let mut n = 1;
    loop {
        let candidate = if n == 1 {
            parent.join(name)
        } else {
            parent.join(format!("{name} ({n})"))
        };
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}

/// Exports every document as PDF and every attached file into a new folder inside `parent`
/// (`<project> 归档 <date>`). The folder is built under a temporary name and renamed when complete:
/// a failure leaves nothing half-written. `progress(done, total, name)` is called before each file.
pub fn export_all(
    conn: &mut Connection,
    parent: &Path,
    lang: Lang,
    author: &str,
    fonts: &Fonts,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<ExportedAll> {
    let list = entries(conn, lang)?;
    let project = crate::registration::name(conn)?;
    let date = crate::clock::now().date().to_string();
    let name = documents::safe_file_name(&i18n::format(
        lang,
        "archive.folder_name",
        &[("project", &project), ("date", &date)],
    ));
    let folder = free_folder(parent, &name);
    let io_err = |path: &Path, e: std::io::Error| Error::write(path, e);
    if parent.exists() && !parent.is_dir() {
        let not_dir = std::io::Error::from(std::io::ErrorKind::NotADirectory);
        return Err(io_err(parent, not_dir));
    }
    std::fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
    // A new folder of our own: never one that was there already (it is removed on failure).
    let mut n = 0;
    let tmp = loop {
        let tmp = parent.join(format!(".{name}.{}-{n}.part", std::process::id()));
        match std::fs::create_dir(&tmp) {
            Ok(()) => break tmp,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(io_err(&tmp, e)),
        }
    };
    let total = list.len();
    let mut done = ExportedAll {
        folder: folder.clone(),
        documents: 0,
        attachments: 0,
        pages: 0,
        missing: Vec::new(),
    };
    let result = (|| -> Result<()> {
        for (i, e) in list.iter().enumerate() {
            progress(i, total, &e.title);
            let path = tmp.join(&e.file);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|err| io_err(dir, err))?;
            }
            if e.kind == "attachment" {
                let (table, id) = e.target.split_once(':').unwrap_or_default();
                let id: i64 = id.parse().unwrap_or_default();
                let data = if table == "evidence" {
                    crate::acceptance::evidence_data(conn, id)?.1
                } else {
                    crate::meetings::attachment_data(conn, id)?.1
                };
                crate::output::write_file(&path, &data, crate::output::Output::Document, true)?;
                done.attachments += 1;
                continue;
            }
            let kind = DocKind::parse(&e.kind).expect("inventory kinds parse");
            let target = Target::parse(Some(&e.target)).unwrap_or(Target::Latest);
            let written = documents::export(conn, kind, target, lang, author, fonts, &path)?;
            done.documents += 1;
            done.pages += written.pages;
            for c in written.missing {
                if !done.missing.contains(&c) {
                    done.missing.push(c);
                }
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, &folder).map_err(|e| {
        let _ = std::fs::remove_dir_all(&tmp);
        io_err(&folder, e)
    })?;
    progress(total, total, "");
    Ok(done)
}

#[cfg(test)]
#[path = "archive_tests.rs"]
mod tests;
