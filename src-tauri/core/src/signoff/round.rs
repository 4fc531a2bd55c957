//! A round's life: starting it on the document as it is, signatures, withdrawal, new revisions.

use super::*;

/// Starts a round on the document as it is now, with `signers` in order. The document is frozen
/// until the round ends.
pub fn start(
    conn: &mut Connection,
    actor: &str,
    doc: &dyn Document,
    id: i64,
    signers: &[i64],
) -> Result<Panel> {
    let mode = doc.rule().mode;
    start_round(conn, actor, doc, id, signers, mode)
}

/// `start` with the mode given (the rules fix it per kind; tests exercise every mode).
pub(super) fn start_round(
    conn: &mut Connection,
    actor: &str,
    doc: &dyn Document,
    id: i64,
    signers: &[i64],
    mode: Mode,
) -> Result<Panel> {
    let kind = doc.kind();
    ensure_editable(conn, kind, id)?;
    if signers.is_empty() {
        return Err(refuse("signoff.no_signers"));
    }
    let mut sorted = signers.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != signers.len() {
        return Err(refuse("signoff.duplicate_signer"));
    }
    for p in signers {
        people::get(conn, *p)?;
    }
    doc.check_signers(conn, id, signers)?;
    let content = doc.content(conn, id)?;
    let fp = fingerprint::of_document(kind.as_str(), id, &content);
    let tx = conn.transaction()?;
    let revision: i64 = tx.query_row(
        "SELECT coalesce(max(revision), 0) + 1 FROM signoff_round WHERE kind = ?1 AND doc_id = ?2",
        params![kind.as_str(), id],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO signoff_round (kind, doc_id, revision, mode, content, fingerprint, started_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            kind.as_str(),
            id,
            revision,
            mode.code(),
            fingerprint::canonical(&content),
            fp,
            now()
        ],
    )?;
    let round_id = tx.last_insert_rowid();
    let started_at: String = tx.query_row(
        "SELECT started_at FROM signoff_round WHERE id = ?1",
        [round_id],
        |r| r.get(0),
    )?;
    for (i, p) in signers.iter().enumerate() {
        tx.execute(
            "INSERT INTO signoff_signer (round_id, position, person_id) VALUES (?1, ?2, ?3)",
            params![round_id, i as i64, p],
        )?;
    }
    doc_state::set(&tx, kind, id, "in_signoff")?;
    let record = kind.record(id);
    // The entry covers the whole round (mode, signers in order, start), so `check` finds a round
    // changed outside the app.
    let after = RoundRow {
        id: round_id,
        kind: kind.as_str().to_string(),
        doc_id: id,
        revision,
        mode: mode.code().to_string(),
        status: "open".to_string(),
        fingerprint: fp.clone(),
        started_at,
        closed_at: None,
        signers: signers.to_vec(),
    }
    .started_text();
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &record,
            field: "signoff.started",
            before: None,
            after: Some(&after),
        }],
    )?;
    tx.commit()?;
    panel(conn, doc, id)
}

/// What a signer says, recorded by the app's user on their behalf.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sign {
    pub round_id: i64,
    /// The revision the signer saw: signing a stale revision is refused.
    pub revision: i64,
    pub person_id: i64,
    pub decision: Decision,
    #[serde(default)]
    pub comment: String,
}

/// Records one signature entered by the app's user on the signer's behalf (代为登记); ends the
/// round when it is complete or rejected.
pub fn sign(conn: &mut Connection, actor: &str, docs: Registry, s: &Sign) -> Result<Panel> {
    sign_by(conn, actor, docs, s, &Method::Proxy)
}

/// [`sign`], recording how the signature was obtained (issue 17): by the signer's own key, on
/// paper (with the scan), or by the coordinator. The method's row and audit entry go into the
/// signature's transaction.
pub fn sign_by(
    conn: &mut Connection,
    actor: &str,
    docs: Registry,
    s: &Sign,
    method: &Method,
) -> Result<Panel> {
    let (kind, id, revision, mode, status, fp): (String, i64, i64, String, String, String) = conn
        .query_row(
            "SELECT kind, doc_id, revision, mode, status, fingerprint FROM signoff_round WHERE id = ?1",
            [s.round_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?
        .ok_or_else(|| refuse("signoff.no_round"))?;
    if status != "open" {
        return Err(refuse("signoff.closed"));
    }
    if s.revision != revision {
        return Err(refuse("signoff.stale"));
    }
    let doc = docs(stored_kind(&kind)?);
    let kind = doc.kind();
    // The content must still be what the round froze (triggers keep it so; this checks it).
    if fingerprint::of_document(kind.as_str(), id, &doc.content(conn, id)?) != fp {
        return Err(refuse("signoff.stale"));
    }
    let round = rounds(conn, kind, id)?
        .into_iter()
        .find(|r| r.id == s.round_id)
        .expect("round exists");
    let Some(signer) = round.signers.iter().find(|x| x.person.id == s.person_id) else {
        return Err(refuse("signoff.not_required"));
    };
    if signer.signature.is_some() {
        return Err(refuse("signoff.already_signed"));
    }
    if !signer.turn {
        return Err(refuse("signoff.not_your_turn"));
    }
    let comment = s.comment.trim();
    if !s.decision.agrees() && comment.is_empty() {
        return Err(refuse("signoff.reason_required"));
    }
    if crate::validate::too_long(comment, 2000) || crate::validate::has_control(comment, &['\n']) {
        return Err(refuse("validation.too_long"));
    }
    let person = &signer.person;
    let signed_at = now();
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO signature (round_id, person_id, name, department, role, decision, comment, signed_at, fingerprint)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![s.round_id, person.id, person.name, person.department, person.role, s.decision.code(), comment, signed_at, fp],
    )?;
    let how = super::method::record_method(&tx, actor, tx.last_insert_rowid(), method)?;
    let agreed = round
        .signers
        .iter()
        .filter(|x| x.signature.as_ref().is_some_and(|g| g.decision.agrees()))
        .count()
        + usize::from(s.decision.agrees());
    let outcome = if !s.decision.agrees() {
        Some(("rejected", "draft"))
    } else if Mode::parse(&mode) == Mode::Any || agreed == round.signers.len() {
        Some(("approved", doc.rule().after_approval))
    } else {
        None
    };
    let record = kind.record(id);
    let what = SignatureRow {
        round_id: s.round_id,
        person_id: person.id,
        name: person.name.clone(),
        department: person.department.clone(),
        role: person.role.clone(),
        decision: s.decision.code().to_string(),
        comment: comment.to_string(),
        signed_at: signed_at.clone(),
        fingerprint: fp.clone(),
    }
    .signed_text();
    let mut changes = vec![
        Change {
            record: &record,
            field: "signoff.signed",
            before: None,
            after: Some(&what),
        },
        Change {
            record: &record,
            field: "signoff.method",
            before: None,
            after: Some(&how),
        },
    ];
    let closed;
    if let Some((round_status, after)) = outcome {
        tx.execute(
            "UPDATE signoff_round SET status = ?1, closed_at = ?2 WHERE id = ?3",
            params![round_status, signed_at, s.round_id],
        )?;
        doc_state::set(&tx, kind, id, after)?;
        if round_status == "approved" {
            // A change request's edits go into the plan now, or the signature does not either.
            doc.on_approved(&tx, actor, id)?;
        }
        closed = closed_text(s.round_id, revision, round_status, &signed_at);
        changes.push(Change {
            record: &record,
            field: "signoff.closed",
            before: None,
            after: Some(&closed),
        });
    }
    audit::append(&tx, actor, &changes)?;
    tx.commit()?;
    panel(conn, doc, id)
}

/// Withdraws an open round; the document becomes editable again.
pub fn withdraw(
    conn: &mut Connection,
    actor: &str,
    docs: Registry,
    round_id: i64,
) -> Result<Panel> {
    let (kind, id, status): (String, i64, String) = conn
        .query_row(
            "SELECT kind, doc_id, status FROM signoff_round WHERE id = ?1",
            [round_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or_else(|| refuse("signoff.no_round"))?;
    if status != "open" {
        return Err(refuse("signoff.closed"));
    }
    let doc = docs(stored_kind(&kind)?);
    let kind = doc.kind();
    let tx = conn.transaction()?;
    let closed_at = now();
    tx.execute(
        "UPDATE signoff_round SET status = 'withdrawn', closed_at = ?1 WHERE id = ?2",
        params![closed_at, round_id],
    )?;
    doc_state::set(&tx, kind, id, "draft")?;
    let record = kind.record(id);
    let what = closed_text(round_id, 0, "withdrawn", &closed_at);
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &record,
            field: "signoff.withdrawn",
            before: None,
            after: Some(&what),
        }],
    )?;
    tx.commit()?;
    panel(conn, doc, id)
}

/// Opens a signed document for a new revision (with a reason); the signed revision stays on record.
pub fn new_revision(
    conn: &mut Connection,
    actor: &str,
    doc: &dyn Document,
    id: i64,
    reason: &str,
) -> Result<Panel> {
    let kind = doc.kind();
    if state(conn, kind, id)? != State::Signed {
        return Err(refuse("signoff.not_signed"));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(refuse("signoff.reason_required"));
    }
    let tx = conn.transaction()?;
    doc_state::set(&tx, kind, id, "draft")?;
    let record = kind.record(id);
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &record,
            field: "signoff.new_revision",
            before: None,
            after: Some(reason),
        }],
    )?;
    tx.commit()?;
    panel(conn, doc, id)
}
