//! The content each document prints, read exactly as the sign-off fingerprints it.

use super::*;

/// The sections a document of `kind` for `target` prints, as the project holds them now.
pub fn sections(
    conn: &Connection,
    kind: DocKind,
    target: Target,
) -> Result<(String, Vec<Section>)> {
    let sk = kind.as_str();
    let one = |id: i64| -> Result<Section> {
        let content = crate::kinds::content(conn, kind, id)?;
        Ok(Section {
            kind,
            id,
            fingerprint: fingerprint::of_document(sk, id, &content),
            content,
        })
    };
    let no_record = || {
        Error::refused(
            "pdf.no_record",
            &[("kind", title(kind, Lang::from_env()).to_string())],
        )
    };
    match (kind, target) {
        (DocKind::Plan, Target::Version(rev)) => {
            let round = signoff::rounds(conn, kind, 1)?
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
                    kind,
                    id: 1,
                    fingerprint: round.fingerprint,
                    content,
                }],
            ))
        }
        (_, Target::Version(_)) => Err(no_record()),
        (
            DocKind::Registration | DocKind::Plan | DocKind::Acceptance | DocKind::Retrospective,
            _,
        ) => Ok(("1".into(), vec![one(1)?])),
        (DocKind::Minutes, _) => {
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
                    kind,
                    id,
                    fingerprint: fingerprint::of_document(sk, id, &content),
                    content,
                })
                .collect();
            Ok((label, out))
        }
        (DocKind::ChangeRequest, _) => {
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
pub(super) fn combined(sections: &[Section]) -> String {
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
