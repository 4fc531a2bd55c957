//! Signing requests from a round under way: one for a named signer or one for every signer, each
//! with the content the round froze, its fingerprint and the document as PDF.

use super::{bindings, project_id};
use crate::documents::{self, Target};
use crate::error::{Error, Result};
use crate::fingerprint;
use crate::i18n::Lang;
use crate::kind::DocKind;
use crate::pdf::Fonts;
use crate::signing_files::request::{RequestSigner, FORMAT, VERSION};
use crate::signing_files::{decisions, Request};
use crate::signoff;
use base64::Engine;
use rusqlite::{params, Connection};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A request and the file name it is suggested under.
pub struct NamedRequest {
    pub file_name: String,
    pub request: Request,
}

/// The record of the PDF a sign-off kind prints as: one per project, or the record signed.
fn target(kind: DocKind, id: i64) -> Target {
    match kind {
        DocKind::Minutes | DocKind::ChangeRequest => Target::One(id),
        _ => Target::Latest,
    }
}

/// The requests of the open round of `kind` (record `id`, or the only open one): for `person`
/// only, or one for every signer when `person` is none. Reads the project, writes nothing.
pub fn requests(
    conn: &Connection,
    kind: DocKind,
    id: Option<i64>,
    person: Option<i64>,
    asked_by: &str,
    lang: Lang,
    fonts: &Fonts,
) -> Result<Vec<NamedRequest>> {
    let document = crate::error::record_label(lang, kind.as_str());
    let mut stmt = conn.prepare(
        "SELECT id, doc_id, revision, content, fingerprint FROM signoff_round
         WHERE kind = ?1 AND status = 'open' AND (?2 IS NULL OR doc_id = ?2) ORDER BY id",
    )?;
    let open: Vec<(i64, i64, i64, String, String)> = stmt
        .query_map(params![kind.as_str(), id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (round_id, doc_id, revision, frozen, fp) = match &open[..] {
        [] => {
            return Err(Error::refused(
                "keys.no_open_round",
                &[("document", document)],
            ))
        }
        [one] => one.clone(),
        _ => return Err(Error::refused("keys.need_id", &[])),
    };
    let content: Value = serde_json::from_str(&frozen).unwrap_or(Value::Null);
    if fingerprint::of_document(kind.as_str(), doc_id, &content) != fp {
        return Err(Error::refused("keys.request.fingerprint", &[]));
    }
    let round = signoff::rounds(conn, kind, doc_id)?
        .into_iter()
        .find(|r| r.id == round_id)
        .expect("the open round is one of the document's");
    let bound = bindings(conn)?;
    let signers: Vec<RequestSigner> = round
        .signers
        .iter()
        .map(|s| RequestSigner {
            person_id: s.person.id,
            name: s.person.name.clone(),
            department: s.person.department.clone(),
            role: s.person.role.clone(),
            keys: bound
                .iter()
                .filter(|b| b.person_id == s.person.id)
                .map(|b| b.fingerprint.clone())
                .collect(),
        })
        .collect();
    if let Some(p) = person {
        if !signers.iter().any(|s| s.person_id == p) {
            return Err(Error::SignOff("signoff.not_required".into()));
        }
    }
    let prepared = documents::prepare(conn, kind, target(kind, doc_id), lang, asked_by)?;
    let pdf = crate::pdf::render(&prepared.doc, fonts)?;
    let project_name = crate::registration::name(conn)?;
    let base = documents::safe_file_name(&format!(
        "{project_name}-{}-{doc_id}-v{revision}",
        prepared.doc.title
    ));
    let pid = project_id(conn)?;
    let make = |for_person: Option<i64>| {
        let suffix = for_person
            .and_then(|p| signers.iter().find(|s| s.person_id == p))
            .map(|s| format!("-{}", documents::safe_file_name(&s.name)))
            .unwrap_or_default();
        NamedRequest {
            file_name: format!("{base}{suffix}.liaison-request"),
            request: Request {
                format: FORMAT.into(),
                version: VERSION,
                project_id: pid.clone(),
                project_name: project_name.clone(),
                kind: kind.as_str().into(),
                record: doc_id,
                round: round_id,
                revision,
                content: content.clone(),
                fingerprint: fp.clone(),
                pdf: crate::identity::B64.encode(&pdf.bytes),
                asked_by: asked_by.into(),
                asked_at: crate::clock::now_rfc3339(true),
                signers: signers.clone(),
                for_person,
                decisions: decisions(kind.as_str())
                    .iter()
                    .map(|d| d.to_string())
                    .collect(),
            },
        }
    };
    Ok(vec![make(person)])
}

/// Writes each request into `dir` under its suggested name, through `output` (never over a
/// project file; over an existing file only when `force`); returns the paths written.
pub fn write_requests(dir: &Path, made: Vec<NamedRequest>, force: bool) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for r in made {
        let path = dir.join(&r.file_name);
        let bytes = crate::signing_files::to_bytes(&r.request);
        crate::output::write_file(&path, &bytes, crate::output::Output::Document, force)?;
        written.push(path);
    }
    Ok(written)
}
