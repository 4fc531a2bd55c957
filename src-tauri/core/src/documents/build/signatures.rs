//! The sign-off block every signed document ends with: each required signer, their decision and
//! date, room for a handwritten signature.

use super::*;

/// The sign-off block: every required signer with department, role, decision and date (or
/// pending), and room for a handwritten signature.
pub(super) fn signoff_block(
    conn: &Connection,
    out: &mut Vec<Block>,
    sec: &Section,
    required: &[i64],
    people: &[Person],
    lang: Lang,
    row_height: f32,
) -> Result<()> {
    let rounds = signoff::rounds(conn, sec.kind, sec.id)?;
    let round = rounds.iter().find(|r| {
        r.fingerprint == sec.fingerprint && (r.status == "approved" || r.status == "open")
    });
    let role = |r: &str| {
        if r.is_empty() {
            String::new()
        } else {
            t(lang, &format!("role.{r}"))
        }
    };
    let pending = t(lang, "signoff.pending");
    let how = crate::signoff::method::methods(conn, sec.kind, sec.id)?;
    let (status, rows): (String, Vec<Vec<String>>) = match round {
        Some(r) => {
            let status = i18n::format(
                lang,
                if r.status == "approved" {
                    "doc.signoff.approved"
                } else {
                    "doc.signoff.open"
                },
                &[("revision", &r.revision.to_string())],
            );
            let rows = r
                .signers
                .iter()
                .map(|sg| match &sg.signature {
                    Some(g) => {
                        let mut decision =
                            t(lang, &format!("decision.{}", decision_code(g.decision)));
                        if !g.comment.is_empty() {
                            decision = format!("{decision}\n{}", g.comment);
                        }
                        vec![
                            g.name.clone(),
                            g.department.clone(),
                            role(&g.role),
                            decision,
                            g.signed_at.get(..10).unwrap_or(&g.signed_at).to_string(),
                            how.iter()
                                .find(|h| h.round_id == r.id && h.person_id == g.person_id)
                                .map(|h| crate::signoff::method::method_label(h, lang))
                                .unwrap_or_default(),
                        ]
                    }
                    None => vec![
                        sg.person.name.clone(),
                        sg.person.department.clone(),
                        role(&sg.person.role),
                        pending.clone(),
                        String::new(),
                        String::new(),
                    ],
                })
                .collect();
            (status, rows)
        }
        None => {
            let key = if rounds.is_empty() {
                "doc.signoff.none"
            } else {
                "doc.signoff.changed"
            };
            let rows = required
                .iter()
                .filter_map(|id| people.iter().find(|p| p.id == *id))
                .map(|p| {
                    vec![
                        p.name.clone(),
                        p.department.clone(),
                        role(&p.role),
                        pending.clone(),
                        String::new(),
                        String::new(),
                    ]
                })
                .collect();
            (t(lang, key), rows)
        }
    };
    // In a document of many records the footer carries the whole fingerprint; each record
    // shows the first 16 digits of its own, enough to tell it apart.
    let fp = if row_height < 28.0 {
        &sec.fingerprint[..16.min(sec.fingerprint.len())]
    } else {
        &sec.fingerprint[..]
    };
    out.push(Block::Heading(t(lang, "doc.signoff")));
    out.push(Block::Note(format!(
        "{status}　{}",
        i18n::format(lang, "doc.section_fingerprint", &[("fp", fp)])
    )));
    if rows.is_empty() {
        out.push(Block::Note(t(lang, "doc.signoff.nobody")));
        return Ok(());
    }
    out.push(Block::Table(Table {
        columns: vec![
            Column::new(t(lang, "field.person.name"), 0.13),
            Column::new(t(lang, "field.person.department"), 0.14),
            Column::new(t(lang, "field.person.role"), 0.13),
            Column::new(t(lang, "doc.field.decision"), 0.22),
            Column::new(t(lang, "doc.field.date"), 0.13),
            Column::new(t(lang, "doc.field.signature"), 0.25),
        ],
        rows,
        label_first: false,
        min_row: row_height,
    }));
    Ok(())
}

pub(super) fn decision_code(d: signoff::Decision) -> &'static str {
    match d {
        signoff::Decision::Approve => "approve",
        signoff::Decision::Confirm => "confirm",
        signoff::Decision::Reject => "reject",
        signoff::Decision::RequestCorrection => "request_correction",
    }
}
