//! Checking a PDF against the export records: its identifier, the record of its exact bytes, the verdict.

use super::*;

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
    pub kind: DocKind,
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
pub(super) fn read_identifier_in(pdf: &Path, bytes: &[u8]) -> Result<String> {
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
pub(super) struct Record {
    kind: String,
    target: String,
    fingerprint: String,
    sections: String,
    exported_at: String,
    exported_by: String,
}

/// Whether `document_export` has the columns of the file's bytes (schema 10 and later; a file opened
/// read-only is not migrated).
pub(super) fn records_bytes(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM pragma_table_info('document_export') WHERE name = 'sha256'",
        [],
        |r| r.get::<_, i64>(0),
    )? == 1)
}

pub(super) fn record_where(
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
pub(super) fn find_record(conn: &Connection, bytes: &[u8]) -> Result<Option<(Record, FileCheck)>> {
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
            let kind = DocKind::parse(kind)
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
    let kind = DocKind::parse(&record.kind)
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
