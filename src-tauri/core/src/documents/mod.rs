//! The documents managers sign, as PDF: registration, task allocation, minutes, change requests
//! (acceptance and retrospective come with the closing stage).
//!
//! A document is printed from exactly the content its fingerprint covers (the sign-off
//! mechanism's [`signoff::content`]), so the fingerprint in the footer and in the metadata
//! identifier says which content the paper shows. Each export is recorded in the project
//! (`document_export`); [`verify`] reads a PDF's identifier back and compares it with the project
//! as it is now, naming what changed.

mod build;
#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use crate::fingerprint;
use crate::i18n::{self, Lang};
use crate::output;
use crate::pdf::{self, Fonts};
use crate::signoff;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The kinds of document, by their command-line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Registration,
    Allocation,
    Minutes,
    ChangeRequest,
    Acceptance,
    Retrospective,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Registration,
        Kind::Allocation,
        Kind::Minutes,
        Kind::ChangeRequest,
        Kind::Acceptance,
        Kind::Retrospective,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Registration => "registration",
            Kind::Allocation => "allocation",
            Kind::Minutes => "minutes",
            Kind::ChangeRequest => "change-request",
            Kind::Acceptance => "acceptance",
            Kind::Retrospective => "retrospective",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s)
    }

    /// The sign-off kind whose content the document prints.
    fn signoff_kind(self) -> &'static str {
        match self {
            Kind::Registration => "registration",
            Kind::Allocation => "plan",
            Kind::Minutes => "minutes",
            Kind::ChangeRequest => "change_request",
            Kind::Acceptance => "acceptance",
            Kind::Retrospective => "retrospective",
        }
    }

    /// The document's title, from the catalog.
    pub fn title(self, lang: Lang) -> String {
        i18n::text(lang, &format!("pdf.title.{}", self.code()))
    }
}

/// Which record(s) a document shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The latest meeting / change request (the registration and the plan are one each).
    Latest,
    One(i64),
    /// Every meeting's minutes (every change request) in one document.
    All,
    /// A published version of the plan (the revision of its approved countersign round).
    Version(i64),
}

impl Target {
    /// `--id` as given on the command line: a number or `all`.
    pub fn parse(s: Option<&str>) -> Option<Target> {
        match s {
            None => Some(Target::Latest),
            Some("all") => Some(Target::All),
            Some(v) if v.starts_with('v') => v[1..].parse().ok().map(Target::Version),
            Some(n) => n.parse().ok().map(Target::One),
        }
    }
}

/// One signed record inside a document: what the fingerprint covers.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub kind: &'static str,
    pub id: i64,
    pub fingerprint: String,
    #[serde(skip)]
    pub content: Value,
}

/// A document ready to render: the layout and the sections it prints.
pub struct Prepared {
    pub kind: Kind,
    /// `1`, a record id, or `all`.
    pub target: String,
    pub doc: pdf::Doc,
    pub sections: Vec<Section>,
    pub fingerprint: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub path: PathBuf,
    pub title: String,
    pub pages: usize,
    pub bytes: usize,
    pub fingerprint: String,
    /// Characters no font had (drawn as boxes).
    pub missing: Vec<String>,
}

const ID_PREFIX: &str = "liaison:1";

/// The project's identity, carried by its PDFs.
fn project_id(conn: &Connection) -> Result<String> {
    Ok(conn
        .query_row(
            "SELECT value FROM project_meta WHERE key = 'project_id'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

/// The sections a document of `kind` for `target` prints, as the project holds them now.
pub fn sections(conn: &Connection, kind: Kind, target: Target) -> Result<(String, Vec<Section>)> {
    let sk = kind.signoff_kind();
    let one = |id: i64| -> Result<Section> {
        let content = signoff::content(conn, sk, id)?;
        Ok(Section {
            kind: sk,
            id,
            fingerprint: fingerprint::of_document(sk, id, &content),
            content,
        })
    };
    let no_record = || {
        Error::refused(
            "pdf.no_record",
            &[("kind", kind.title(Lang::from_env()).to_string())],
        )
    };
    match (kind, target) {
        (Kind::Allocation, Target::Version(rev)) => {
            let round = signoff::rounds(conn, sk, 1)?
                .into_iter()
                .find(|r| r.revision == rev && r.status == "approved")
                .ok_or_else(no_record)?;
            let frozen: String = conn.query_row(
                "SELECT content FROM signoff_round WHERE id = ?1",
                [round.id],
                |r| r.get(0),
            )?;
            let content: Value = serde_json::from_str(&frozen).unwrap_or(Value::Null);
            Ok((
                format!("v{rev}"),
                vec![Section {
                    kind: sk,
                    id: 1,
                    fingerprint: round.fingerprint,
                    content,
                }],
            ))
        }
        (_, Target::Version(_)) => Err(no_record()),
        (Kind::Registration | Kind::Allocation | Kind::Acceptance | Kind::Retrospective, _) => {
            Ok(("1".into(), vec![one(1)?]))
        }
        (Kind::Minutes, _) => {
            let mut all = crate::meetings::contents(conn, None)?;
            all.reverse(); // oldest first
            let pick: Vec<(i64, Value)> = match target {
                Target::All => all,
                Target::Latest => all.pop().into_iter().collect(),
                Target::One(id) => all.into_iter().filter(|(m, _)| *m == id).collect(),
                Target::Version(_) => Vec::new(),
            };
            if pick.is_empty() {
                return Err(no_record());
            }
            let label = match target {
                Target::All => "all".to_string(),
                _ => pick[0].0.to_string(),
            };
            let out = pick
                .into_iter()
                .map(|(id, content)| Section {
                    kind: sk,
                    id,
                    fingerprint: fingerprint::of_document(sk, id, &content),
                    content,
                })
                .collect();
            Ok((label, out))
        }
        (Kind::ChangeRequest, _) => {
            let mut ids: Vec<i64> = crate::changes::list(conn)?.iter().map(|c| c.id).collect();
            ids.sort();
            let pick: Vec<i64> = match target {
                Target::All => ids,
                Target::Latest => ids.last().copied().into_iter().collect(),
                Target::One(id) => ids.into_iter().filter(|i| *i == id).collect(),
                Target::Version(_) => Vec::new(),
            };
            if pick.is_empty() {
                return Err(no_record());
            }
            let label = match target {
                Target::All => "all".to_string(),
                _ => pick[0].to_string(),
            };
            Ok((label, pick.into_iter().map(one).collect::<Result<_>>()?))
        }
    }
}

/// The fingerprint of a document: its one section's, or, for several, of their list.
fn combined(sections: &[Section]) -> String {
    match sections {
        [one] => one.fingerprint.clone(),
        many => {
            let list: Vec<Value> = many
                .iter()
                .map(|s| json!({"kind": s.kind, "id": s.id, "fingerprint": s.fingerprint}))
                .collect();
            fingerprint::sha256_hex(fingerprint::canonical(&Value::Array(list)).as_bytes())
        }
    }
}

/// Builds the document of `kind` for `target` as the project holds it now.
pub fn prepare(
    conn: &Connection,
    kind: Kind,
    target: Target,
    lang: Lang,
    author: &str,
) -> Result<Prepared> {
    let (target_label, sections) = sections(conn, kind, target)?;
    let fp = combined(&sections);
    let project = crate::registration::name(conn)?;
    let identifier = format!(
        "{ID_PREFIX}:{}:{}:{}:{}",
        project_id(conn)?,
        kind.code(),
        target_label,
        fp
    );
    let blocks = build::blocks(conn, kind, &sections, lang)?;
    let title = kind.title(lang);
    let doc = pdf::Doc {
        lang,
        title: title.clone(),
        subtitle: project.clone(),
        landscape: kind == Kind::Allocation,
        blocks,
        fingerprint: fp.clone(),
        author: author.to_string(),
        subject: format!("{project} · {title}"),
        identifier,
        keywords: vec!["Liaison".into(), kind.code().into()],
    };
    Ok(Prepared {
        kind,
        target: target_label,
        doc,
        sections,
        fingerprint: fp,
    })
}

/// Renders a prepared document to `out` and records the export in the project. The record and
/// the file go together: when the record cannot be written, the file is removed again.
/// The file at `out` is replaced when there is one (the caller asked: a save dialog, a new folder),
/// never when it is a project file or held by a Liaison; see [`write_to`].
pub fn write(
    conn: &mut Connection,
    prepared: &Prepared,
    fonts: &Fonts,
    out: &Path,
) -> Result<Exported> {
    write_to(conn, prepared, fonts, out, true)
}

/// [`write`], replacing an existing file at `out` only when `force` is set (`--force`).
pub fn write_to(
    conn: &mut Connection,
    prepared: &Prepared,
    fonts: &Fonts,
    out: &Path,
    force: bool,
) -> Result<Exported> {
    output::check(out, output::Output::Document, force)?;
    let rendered = pdf::render(&prepared.doc, fonts)?;
    // What `verify` needs to name differences later: the content of sections whose fingerprint
    // no signature round holds (a round keeps its own frozen copy).
    let mut stored = Vec::new();
    for s in &prepared.sections {
        let frozen: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM signoff_round WHERE kind = ?1 AND doc_id = ?2 AND fingerprint = ?3)",
                params![s.kind, s.id, s.fingerprint],
                |r| r.get(0),
            )?;
        stored.push(json!({
            "kind": s.kind,
            "id": s.id,
            "fingerprint": s.fingerprint,
            "content": if frozen { Value::Null } else { s.content.clone() },
        }));
    }
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO document_export (kind, target, fingerprint, sections, lang, file_name, pages,
                                      exported_at, exported_by, sha256, bytes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            prepared.kind.code(),
            prepared.target,
            prepared.fingerprint,
            Value::Array(stored).to_string(),
            prepared.doc.lang.code(),
            out.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            rendered.pages as i64,
            crate::control::stamp(crate::control::now()),
            prepared.doc.author,
            fingerprint::sha256_hex(&rendered.bytes),
            rendered.bytes.len() as i64,
        ],
    )?;
    output::write_file(out, &rendered.bytes, output::Output::Document, force)?;
    if let Err(e) = tx.commit() {
        let _ = std::fs::remove_file(out);
        return Err(e.into());
    }
    Ok(Exported {
        path: out.to_path_buf(),
        title: prepared.doc.title.clone(),
        pages: rendered.pages,
        bytes: rendered.bytes.len(),
        fingerprint: prepared.fingerprint.clone(),
        missing: rendered.missing.iter().map(|c| c.to_string()).collect(),
    })
}

/// Prepares, renders and records in one step.
pub fn export(
    conn: &mut Connection,
    kind: Kind,
    target: Target,
    lang: Lang,
    author: &str,
    fonts: &Fonts,
    out: &Path,
) -> Result<Exported> {
    export_to(conn, kind, target, lang, author, fonts, out, true)
}

/// [`export`], replacing an existing file at `out` only when `force` is set.
// The arguments are what one export is: what, of which record, in which language, by whom, with
// which fonts, to where, and whether it may replace a file; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub fn export_to(
    conn: &mut Connection,
    kind: Kind,
    target: Target,
    lang: Lang,
    author: &str,
    fonts: &Fonts,
    out: &Path,
    force: bool,
) -> Result<Exported> {
    let prepared = prepare(conn, kind, target, lang, author)?;
    write_to(conn, &prepared, fonts, out, force)
}

/// Every document the project has, for "export all": kind and target. The plan comes as it is
/// now and as each published version.
pub fn inventory(conn: &Connection) -> Result<Vec<(Kind, Target)>> {
    let mut out = vec![(Kind::Registration, Target::One(1))];
    let tasks: i64 = conn.query_row("SELECT count(*) FROM task", [], |r| r.get(0))?;
    if tasks > 0 {
        out.push((Kind::Allocation, Target::One(1)));
        let mut versions: Vec<i64> = signoff::rounds(conn, "plan", 1)?
            .into_iter()
            .filter(|r| r.status == "approved")
            .map(|r| r.revision)
            .collect();
        versions.sort();
        out.extend(
            versions
                .into_iter()
                .map(|v| (Kind::Allocation, Target::Version(v))),
        );
    }
    let mut meetings: Vec<i64> = crate::meetings::meetings(conn)?
        .iter()
        .map(|m| m.id)
        .collect();
    meetings.reverse();
    out.extend(
        meetings
            .into_iter()
            .map(|m| (Kind::Minutes, Target::One(m))),
    );
    let mut crs: Vec<i64> = crate::changes::list(conn)?.iter().map(|c| c.id).collect();
    crs.sort();
    out.extend(
        crs.into_iter()
            .map(|c| (Kind::ChangeRequest, Target::One(c))),
    );
    if tasks > 0 {
        out.push((Kind::Acceptance, Target::One(1)));
    }
    out.push((Kind::Retrospective, Target::One(1)));
    Ok(out)
}

/// A file name for a document: `01-项目登记表.pdf`, `minutes-12-周例会.pdf` …
pub fn file_name(conn: &Connection, kind: Kind, target: Target, lang: Lang) -> Result<String> {
    let title = kind.title(lang);
    let base = match target {
        Target::One(id) if matches!(kind, Kind::Minutes | Kind::ChangeRequest) => {
            let label = match kind {
                Kind::Minutes => crate::meetings::meeting(conn, id)
                    .map(|m| format!("{} {}", &m.starts_at.get(..10).unwrap_or(""), m.title))
                    .unwrap_or_default(),
                _ => crate::changes::get(conn, id)
                    .map(|c| format!("#{id} {}", c.title))
                    .unwrap_or_default(),
            };
            format!("{title} {label}")
        }
        Target::Version(v) => format!(
            "{title} {}",
            i18n::format(lang, "pdf.version", &[("n", &v.to_string())])
        ),
        _ => title,
    };
    Ok(format!("{}.pdf", safe_file_name(&base)))
}

/// `name` with the characters file systems refuse replaced by `_`.
pub fn safe_file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if "/\\:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// One difference between a PDF's content and the project's.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    /// Which record (the meeting, the change request), when the document has several.
    pub section: String,
    pub field: String,
    pub before: String,
    pub after: String,
}

/// What `verify` found.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub matches: bool,
    pub kind: Kind,
    pub target: String,
    pub pdf_fingerprint: String,
    pub project_fingerprint: String,
    /// When and by whom the PDF was exported, when the project recorded it.
    pub exported: Option<(String, String)>,
    /// Whether the content the project holds now is signed (an approved round on it).
    pub signed: bool,
    pub differences: Vec<Difference>,
    /// Whether the file is byte for byte one this project exported.
    pub file: FileCheck,
}

/// What the file's bytes say, compared with the project's export records (SHA-256 and length).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum FileCheck {
    /// Same length and SHA-256 as a recorded export.
    Genuine,
    /// A recorded export followed by `added` bytes (an incremental update can change every page).
    Appended { added: u64 },
    /// It names an export of this project, but its bytes are not that export's.
    Altered,
    /// Exported before exports recorded their bytes: only the identifier could be compared.
    Unrecorded,
    /// No export of this project has these bytes.
    Unknown,
}

/// Reads the identifier a Liaison PDF carries in its metadata.
pub fn read_identifier(pdf: &Path) -> Result<String> {
    let bytes = std::fs::read(pdf).map_err(|e| {
        Error::refused(
            "verify.unreadable",
            &[
                ("path", pdf.display().to_string()),
                ("detail", crate::error::io_reason(&e).to_string()),
            ],
        )
    })?;
    if !bytes.starts_with(b"%PDF-") {
        return Err(Error::refused(
            "verify.not_pdf",
            &[("path", pdf.display().to_string())],
        ));
    }
    read_identifier_in(pdf, &bytes)
}

/// The identifier in the metadata of `bytes`, the content of the PDF at `pdf`.
fn read_identifier_in(pdf: &Path, bytes: &[u8]) -> Result<String> {
    let not_ours = || Error::refused("verify.not_liaison", &[("path", pdf.display().to_string())]);
    let doc = lopdf::Document::load_mem(bytes)
        .map_err(|_| Error::refused("verify.damaged", &[("path", pdf.display().to_string())]))?;
    let info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| match o {
            lopdf::Object::Reference(id) => doc.get_dictionary(*id).ok(),
            lopdf::Object::Dictionary(d) => Some(d),
            _ => None,
        })
        .ok_or_else(not_ours)?;
    let id = info
        .get(b"Identifier")
        .ok()
        .and_then(|o| o.as_str().ok())
        .map(|b| String::from_utf8_lossy(b).to_string())
        .ok_or_else(not_ours)?;
    if !id.starts_with(ID_PREFIX) {
        return Err(not_ours());
    }
    Ok(id)
}

/// One row of `document_export`, as `verify` needs it.
struct Record {
    kind: String,
    target: String,
    fingerprint: String,
    sections: String,
    exported_at: String,
    exported_by: String,
}

/// Whether `document_export` has the columns of the file's bytes (schema 10 and later; a file opened
/// read-only is not migrated).
fn records_bytes(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM pragma_table_info('document_export') WHERE name = 'sha256'",
        [],
        |r| r.get::<_, i64>(0),
    )? == 1)
}

fn record_where(
    conn: &Connection,
    clause: &str,
    params: impl rusqlite::Params,
) -> Result<Option<Record>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT kind, target, fingerprint, sections, exported_at, exported_by
                 FROM document_export WHERE {clause} ORDER BY id DESC LIMIT 1"
            ),
            params,
            |r| {
                Ok(Record {
                    kind: r.get(0)?,
                    target: r.get(1)?,
                    fingerprint: r.get(2)?,
                    sections: r.get(3)?,
                    exported_at: r.get(4)?,
                    exported_by: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// Finds the export record of `bytes`: exactly one exported file, or one followed by more bytes.
fn find_record(conn: &Connection, bytes: &[u8]) -> Result<Option<(Record, FileCheck)>> {
    if !records_bytes(conn)? {
        return Ok(None);
    }
    let sha = fingerprint::sha256_hex(bytes);
    if let Some(r) = record_where(
        conn,
        "sha256 = ?1 AND bytes = ?2",
        params![sha, bytes.len() as i64],
    )? {
        return Ok(Some((r, FileCheck::Genuine)));
    }
    let lengths: Vec<i64> = conn
        .prepare("SELECT DISTINCT bytes FROM document_export WHERE bytes > 0 AND bytes < ?1")?
        .query_map([bytes.len() as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for len in lengths {
        let prefix = fingerprint::sha256_hex(&bytes[..len as usize]);
        if let Some(r) = record_where(conn, "sha256 = ?1 AND bytes = ?2", params![prefix, len])? {
            let added = (bytes.len() as i64 - len) as u64;
            return Ok(Some((r, FileCheck::Appended { added })));
        }
    }
    Ok(None)
}

/// Compares a PDF with the project. First the file itself: it must be, byte for byte, a file this
/// project exported (its SHA-256 and length are recorded at export); anything appended after the
/// original end or any byte changed is reported and nothing in it is trusted. Then, for a genuine
/// file, whether it shows the content the project holds now, and what differs when it does not.
pub fn verify(conn: &Connection, pdf: &Path, lang: Lang) -> Result<Verdict> {
    let shown = || pdf.display().to_string();
    let bytes = std::fs::read(pdf).map_err(|e| {
        Error::refused(
            "verify.unreadable",
            &[
                ("path", shown()),
                ("detail", crate::error::io_reason(&e).to_string()),
            ],
        )
    })?;
    if !bytes.starts_with(b"%PDF-") {
        return Err(Error::refused("verify.not_pdf", &[("path", shown())]));
    }
    let (record, file) = match find_record(conn, &bytes)? {
        Some(found) => found,
        None => {
            // Not a recorded file: its identifier says only whose it claims to be.
            let id = read_identifier_in(pdf, &bytes)?;
            let parts: Vec<&str> = id.splitn(6, ':').collect();
            let [_, _, project, kind, _, fp] = parts[..] else {
                return Err(Error::refused("verify.not_liaison", &[("path", shown())]));
            };
            if project != project_id(conn)? {
                return Err(Error::refused("verify.other_project", &[]));
            }
            let kind = Kind::parse(kind)
                .ok_or_else(|| Error::refused("verify.not_liaison", &[("path", shown())]))?;
            let named = record_where(conn, "fingerprint = ?1", [fp])?;
            let file = match &named {
                Some(_)
                    if records_bytes(conn)?
                        && conn.query_row(
                            "SELECT EXISTS (SELECT 1 FROM document_export
                                        WHERE fingerprint = ?1 AND sha256 IS NOT NULL)",
                            [fp],
                            |r| r.get::<_, bool>(0),
                        )? =>
                {
                    FileCheck::Altered
                }
                Some(_) => FileCheck::Unrecorded,
                None => FileCheck::Unknown,
            };
            if file != FileCheck::Unrecorded {
                return Ok(Verdict {
                    matches: false,
                    kind,
                    target: String::new(),
                    pdf_fingerprint: String::new(),
                    project_fingerprint: String::new(),
                    exported: None,
                    signed: false,
                    differences: Vec::new(),
                    file,
                });
            }
            (named.expect("matched Some"), file)
        }
    };
    let kind = Kind::parse(&record.kind)
        .ok_or_else(|| Error::refused("verify.not_liaison", &[("path", shown())]))?;
    let tgt = Target::parse(Some(&record.target)).unwrap_or(Target::Latest);
    let now = match sections(conn, kind, tgt) {
        Ok((_, s)) => s,
        // The record is gone (a deleted meeting): nothing of it matches.
        Err(Error::Refused { .. }) => Vec::new(),
        Err(e) => return Err(e),
    };
    let project_fp = if now.is_empty() {
        String::new()
    } else {
        combined(&now)
    };
    let signed = !now.is_empty()
        && now.iter().all(|s| {
            conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM signoff_round WHERE kind = ?1 AND doc_id = ?2
                                 AND fingerprint = ?3 AND status = 'approved')",
                params![s.kind, s.id, s.fingerprint],
                |r| r.get::<_, bool>(0),
            )
            .unwrap_or(false)
        });
    let same = project_fp == record.fingerprint;
    let mut differences = Vec::new();
    if !same && file == FileCheck::Genuine {
        differences = diff_sections(conn, kind, &record.sections, &now, lang)?;
    }
    Ok(Verdict {
        matches: same && file == FileCheck::Genuine,
        kind,
        target: record.target,
        pdf_fingerprint: record.fingerprint,
        project_fingerprint: project_fp,
        exported: Some((record.exported_at, record.exported_by)),
        signed,
        differences,
        file,
    })
}

/// The differences between the sections recorded at export and the sections now.
fn diff_sections(
    conn: &Connection,
    kind: Kind,
    stored: &str,
    now: &[Section],
    lang: Lang,
) -> Result<Vec<Difference>> {
    let then: Vec<Value> = serde_json::from_str(stored).unwrap_or_default();
    let several = then.len() > 1 || now.len() > 1;
    let label = |id: i64| {
        if several {
            format!("{} #{id}", kind.title(lang))
        } else {
            String::new()
        }
    };
    let mut out = Vec::new();
    for t in &then {
        let (Some(sk), Some(id), Some(fp)) = (
            t["kind"].as_str(),
            t["id"].as_i64(),
            t["fingerprint"].as_str(),
        ) else {
            continue;
        };
        let current = now.iter().find(|s| s.id == id);
        if current.is_some_and(|c| c.fingerprint == fp) {
            continue;
        }
        let old = if t["content"].is_null() {
            let frozen: Option<String> = conn
                .query_row(
                    "SELECT content FROM signoff_round WHERE kind = ?1 AND doc_id = ?2 AND fingerprint = ?3
                     ORDER BY revision DESC LIMIT 1",
                    params![sk, id, fp],
                    |r| r.get(0),
                )
                .optional()?;
            frozen
                .and_then(|c| serde_json::from_str(&c).ok())
                .unwrap_or(Value::Null)
        } else {
            t["content"].clone()
        };
        match current {
            None => out.push(Difference {
                section: label(id),
                field: i18n::text(lang, "verify.removed"),
                before: String::new(),
                after: String::new(),
            }),
            // What was exported is not on record (no frozen round holds it): say so once rather
            // than show every field as changed from nothing.
            Some(_) if old.is_null() => out.push(Difference {
                section: label(id),
                field: i18n::text(lang, "verify.content_unavailable"),
                before: String::new(),
                after: String::new(),
            }),
            Some(c) => {
                let (a, b) = (flatten(&old), flatten(&c.content));
                let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                for k in keys {
                    let (x, y) = (a.get(k), b.get(k));
                    if x != y {
                        out.push(Difference {
                            section: label(id),
                            field: field_label(kind, k, &old, &c.content, lang),
                            before: x.cloned().unwrap_or_default(),
                            after: y.cloned().unwrap_or_default(),
                        });
                    }
                }
            }
        }
    }
    for s in now {
        if !then.iter().any(|t| t["id"].as_i64() == Some(s.id)) {
            out.push(Difference {
                section: label(s.id),
                field: i18n::text(lang, "verify.added"),
                before: String::new(),
                after: String::new(),
            });
        }
    }
    Ok(out)
}

/// A JSON value as a map of paths (`milestones[0].date`) to scalars.
fn flatten(v: &Value) -> BTreeMap<String, String> {
    fn walk(v: &Value, path: String, out: &mut BTreeMap<String, String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(x, p, out);
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, format!("{path}[{i}]"), out);
                }
            }
            Value::Null => {}
            Value::String(s) => {
                out.insert(path, s.clone());
            }
            other => {
                out.insert(path, other.to_string());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(v, String::new(), &mut out);
    out
}

/// A readable name for a path: `里程碑 #1 · 节点`, `任务 1.2 渠道铺货 · 开始`.
fn field_label(kind: Kind, path: &str, old: &Value, new: &Value, lang: Lang) -> String {
    let mut parts = Vec::new();
    let mut cur_old = Some(old);
    let mut cur_new = Some(new);
    for seg in path.split('.') {
        let (key, index) = match seg.find('[') {
            Some(i) => (&seg[..i], seg[i + 1..seg.len() - 1].parse::<usize>().ok()),
            None => (seg, None),
        };
        parts.push(build::field_name(kind, key, lang));
        cur_old = cur_old.map(|v| &v[key]);
        cur_new = cur_new.map(|v| &v[key]);
        if let Some(i) = index {
            let (o, n) = (cur_old.map(|v| &v[i]), cur_new.map(|v| &v[i]));
            let item = n.filter(|v| v.is_object()).or(o);
            let name = item.and_then(|v| {
                let outline = v["outline"].as_str();
                let title = v["name"]
                    .as_str()
                    .or(v["title"].as_str())
                    .or(v["node"].as_str());
                match (outline, title) {
                    (Some(o), Some(t)) => Some(format!("{o} {t}")),
                    (None, Some(t)) => Some(t.to_string()),
                    _ => None,
                }
            });
            let last = parts.last_mut().expect("pushed");
            match name {
                Some(n) => *last = format!("{last}「{n}」"),
                None => *last = format!("{last} #{}", i + 1),
            }
            cur_old = o;
            cur_new = n;
        }
    }
    parts.join(" · ")
}

/// The verdict in words, one line each.
pub fn describe(v: &Verdict, lang: Lang) -> String {
    let doc = v.kind.title(lang);
    let mut out = String::new();
    let exported = |out: &mut String| {
        if let Some((at, by)) = &v.exported {
            out.push_str(&i18n::format(
                lang,
                "verify.exported",
                &[("at", &at.replace('T', " ")), ("by", by)],
            ));
            out.push('\n');
        }
    };
    match v.file {
        FileCheck::Genuine => {}
        FileCheck::Appended { added } => {
            out.push_str(&i18n::format(
                lang,
                "verify.appended",
                &[("doc", &doc), ("n", &added.to_string())],
            ));
            out.push('\n');
            exported(&mut out);
            return out;
        }
        FileCheck::Altered | FileCheck::Unknown => {
            let key = if v.file == FileCheck::Altered {
                "verify.altered"
            } else {
                "verify.unknown"
            };
            out.push_str(&i18n::format(lang, key, &[("doc", &doc)]));
            out.push('\n');
            return out;
        }
        FileCheck::Unrecorded => {
            out.push_str(&i18n::format(lang, "verify.unrecorded", &[("doc", &doc)]));
            out.push('\n');
            exported(&mut out);
            return out;
        }
    }
    if v.matches {
        let key = if v.signed {
            "verify.match_signed"
        } else {
            "verify.match_unsigned"
        };
        out.push_str(&i18n::format(lang, key, &[("doc", &doc)]));
    } else {
        out.push_str(&i18n::format(lang, "verify.mismatch", &[("doc", &doc)]));
    }
    out.push('\n');
    if let Some((at, by)) = &v.exported {
        out.push_str(&i18n::format(
            lang,
            "verify.exported",
            &[("at", &at.replace('T', " ")), ("by", by)],
        ));
        out.push('\n');
    } else if !v.matches {
        out.push_str(&i18n::text(lang, "verify.no_record"));
        out.push('\n');
    }
    out.push_str(&i18n::format(
        lang,
        "verify.fingerprints",
        &[("pdf", &v.pdf_fingerprint), ("now", &v.project_fingerprint)],
    ));
    out.push('\n');
    let shown = 30;
    for d in v.differences.iter().take(shown) {
        let section = if d.section.is_empty() {
            String::new()
        } else {
            format!("{} · ", d.section)
        };
        let (b, a) = (clip(&d.before), clip(&d.after));
        if b.is_empty() && a.is_empty() {
            out.push_str(&format!("  - {section}{}\n", d.field));
        } else {
            out.push_str(&format!("  - {section}{}：「{b}」→「{a}」\n", d.field));
        }
    }
    if v.differences.len() > shown {
        out.push_str(&i18n::format(
            lang,
            "verify.more",
            &[("n", &(v.differences.len() - shown).to_string())],
        ));
        out.push('\n');
    }
    out
}

fn clip(s: &str) -> String {
    let n = s.chars().count();
    if n > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}
