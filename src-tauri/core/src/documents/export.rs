//! Building, rendering and writing a document, recording its export, and the file names it gets.

use super::*;

/// Builds the document of `kind` for `target` as the project holds it now.
pub fn prepare(
    conn: &Connection,
    kind: DocKind,
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
        kind.as_str(),
        target_label,
        fp
    );
    let blocks = build::blocks(conn, kind, &sections, lang)?;
    let title = title(kind, lang);
    let doc = pdf::Doc {
        lang,
        title: title.clone(),
        subtitle: project.clone(),
        landscape: kind == DocKind::Plan,
        blocks,
        fingerprint: fp.clone(),
        author: author.to_string(),
        subject: format!("{project} · {title}"),
        identifier,
        keywords: vec!["Liaison".into(), kind.as_str().into()],
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
            prepared.kind.as_str(),
            prepared.target,
            prepared.fingerprint,
            Value::Array(stored).to_string(),
            prepared.doc.lang.code(),
            out.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            rendered.pages as i64,
            crate::clock::stamp(crate::clock::now()),
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
    kind: DocKind,
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
    kind: DocKind,
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
pub fn inventory(conn: &Connection) -> Result<Vec<(DocKind, Target)>> {
    let mut out = vec![(DocKind::Registration, Target::One(1))];
    let tasks: i64 = conn.query_row("SELECT count(*) FROM task", [], |r| r.get(0))?;
    if tasks > 0 {
        out.push((DocKind::Plan, Target::One(1)));
        let mut versions: Vec<i64> = signoff::rounds(conn, crate::DocKind::Plan, 1)?
            .into_iter()
            .filter(|r| r.status == "approved")
            .map(|r| r.revision)
            .collect();
        versions.sort();
        out.extend(
            versions
                .into_iter()
                .map(|v| (DocKind::Plan, Target::Version(v))),
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
            .map(|m| (DocKind::Minutes, Target::One(m))),
    );
    let mut crs: Vec<i64> = crate::changes::list(conn)?.iter().map(|c| c.id).collect();
    crs.sort();
    out.extend(
        crs.into_iter()
            .map(|c| (DocKind::ChangeRequest, Target::One(c))),
    );
    if tasks > 0 {
        out.push((DocKind::Acceptance, Target::One(1)));
    }
    out.push((DocKind::Retrospective, Target::One(1)));
    Ok(out)
}

/// A file name for a document: `01-项目登记表.pdf`, `minutes-12-周例会.pdf` …
pub fn file_name(conn: &Connection, kind: DocKind, target: Target, lang: Lang) -> Result<String> {
    let title = title(kind, lang);
    let base = match target {
        Target::One(id) if matches!(kind, DocKind::Minutes | DocKind::ChangeRequest) => {
            let label = match kind {
                DocKind::Minutes => crate::meetings::meeting(conn, id)
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
