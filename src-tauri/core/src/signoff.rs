//! Sign-off (会签 / 或签 / 依次签): one mechanism for every signed document.
//!
//! A round freezes a revision of a document's content with its integrity fingerprint; the required
//! signers approve or reject; a complete round locks the document (enforced by triggers in storage);
//! a later change starts a new revision, and earlier revisions and their signatures stay readable.

use crate::audit::{self, Change};
use crate::error::{Error, Result};
use crate::fingerprint;
use crate::people::{self, Person};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How the required signers sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Everyone must approve (会签).
    All,
    /// One approval is enough (或签).
    Any,
    /// Everyone, in the listed order (依次).
    Sequence,
}

impl Mode {
    fn code(self) -> &'static str {
        match self {
            Mode::All => "all",
            Mode::Any => "any",
            Mode::Sequence => "sequence",
        }
    }

    fn parse(s: &str) -> Mode {
        match s {
            "any" => Mode::Any,
            "sequence" => Mode::Sequence,
            _ => Mode::All,
        }
    }
}

/// What a signer decided. Approve and confirm agree; reject and request-correction stop the round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Confirm,
    Reject,
    RequestCorrection,
}

impl Decision {
    fn code(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Confirm => "confirm",
            Decision::Reject => "reject",
            Decision::RequestCorrection => "request_correction",
        }
    }

    fn agrees(self) -> bool {
        matches!(self, Decision::Approve | Decision::Confirm)
    }

    fn parse(s: &str) -> Decision {
        match s {
            "confirm" => Decision::Confirm,
            "reject" => Decision::Reject,
            "request_correction" => Decision::RequestCorrection,
            _ => Decision::Approve,
        }
    }
}

/// Who must sign a kind of document, and how.
pub struct Rule {
    pub mode: Mode,
    /// The catalog key that says who must sign, shown in the panel.
    pub who_key: &'static str,
    /// The document's state once a round is approved: `signed` locks it; `draft` keeps it live
    /// (the plan: its approved round is the published baseline, later edits are revisions of it).
    pub after_approval: &'static str,
}

/// The signing rule of each document kind.
pub fn rule(kind: &str) -> Result<Rule> {
    match kind {
        // The initiating department's head reviews the registration (domain.md); the owner may add
        // more heads, all of whom must approve.
        "registration" => Ok(Rule {
            mode: Mode::All,
            who_key: "signoff.who.registration",
            after_approval: "signed",
        }),
        // Every department head countersigns the plan (会签); approval publishes it.
        "plan" => Ok(Rule {
            mode: Mode::All,
            who_key: "signoff.who.plan",
            after_approval: "draft",
        }),
        // The head of every collaborating department signs a change request; the last approval
        // applies its edits to the plan in the same transaction.
        // Every attendee confirms the minutes or asks for a correction; confirmed minutes are locked.
        "minutes" => Ok(Rule {
            mode: Mode::All,
            who_key: "signoff.who.minutes",
            after_approval: "signed",
        }),
        "change_request" => Ok(Rule {
            mode: Mode::All,
            who_key: "signoff.who.change_request",
            after_approval: "signed",
        }),
        // Every department head signs the acceptance and confirms the retrospective.
        "acceptance" => Ok(Rule {
            mode: Mode::All,
            who_key: "signoff.who.acceptance",
            after_approval: "signed",
        }),
        "retrospective" => Ok(Rule {
            mode: Mode::All,
            who_key: "signoff.who.retrospective",
            after_approval: "signed",
        }),
        _ => Err(unknown_kind(kind)),
    }
}

fn unknown_kind(_kind: &str) -> Error {
    Error::Invalid {
        field: "signoff.title".into(),
        detail: "reason.unknown_kind".into(),
    }
}

/// The content a document is signed on, as a JSON value (what the fingerprint covers).
pub fn content(conn: &Connection, kind: &str, id: i64) -> Result<Value> {
    match (kind, id) {
        ("registration", 1) => {
            let reg = crate::registration::load(conn)?.registration;
            Ok(serde_json::to_value(reg).expect("registration serializes"))
        }
        ("plan", 1) => crate::plan::content(conn),
        ("change_request", id) => crate::changes::content(conn, id),
        ("minutes", id) => crate::meetings::content(conn, id),
        ("acceptance", 1) => crate::acceptance::content(conn),
        ("retrospective", 1) => crate::retro::content(conn),
        _ => Err(unknown_kind(kind)),
    }
}

/// Where a document is in its life: editable, being signed, or signed and locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Draft,
    InSignoff,
    Signed,
}

/// A signature as recorded: who (as they were when signing), what, when, on which fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Signature {
    pub person_id: i64,
    pub name: String,
    pub department: String,
    pub role: String,
    pub decision: Decision,
    pub comment: String,
    pub signed_at: String,
    pub fingerprint: String,
}

/// A required signer of a round and their signature, if given.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Signer {
    pub person: Person,
    pub position: i64,
    pub signature: Option<Signature>,
    /// For sequential rounds: whether it is this signer's turn.
    pub turn: bool,
}

/// One round of signing on one revision.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Round {
    pub id: i64,
    pub revision: i64,
    pub mode: Mode,
    /// `open`, `approved`, `rejected` or `withdrawn`.
    pub status: String,
    pub fingerprint: String,
    pub started_at: String,
    pub closed_at: Option<String>,
    pub signers: Vec<Signer>,
}

/// Everything the sign-off panel shows.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Panel {
    pub kind: String,
    pub doc_id: i64,
    pub state: State,
    pub mode: Mode,
    pub who_key: String,
    /// The fingerprint of the content as it is now.
    pub fingerprint: String,
    /// The round under way or the last one, newest first, then the earlier ones.
    pub rounds: Vec<Round>,
    pub people: Vec<Person>,
    /// People the rule suggests as signers.
    pub suggested: Vec<i64>,
    /// The project is archived: no new round or revision is offered.
    pub closed: bool,
}

/// The state of a document (a document without a row is a draft).
pub fn state(conn: &Connection, kind: &str, id: i64) -> Result<State> {
    let s: Option<String> = conn
        .query_row(
            "SELECT state FROM document_state WHERE kind = ?1 AND doc_id = ?2",
            params![kind, id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match s.as_deref() {
        Some("in_signoff") => State::InSignoff,
        Some("signed") => State::Signed,
        _ => State::Draft,
    })
}

/// Refuses with a clear message when the document may not be edited now.
pub fn ensure_editable(conn: &Connection, kind: &str, id: i64) -> Result<()> {
    match state(conn, kind, id)? {
        State::Draft => Ok(()),
        s => Err(Error::Locked {
            record: format!("{kind}:{id}"),
            signed: s == State::Signed,
        }),
    }
}

fn set_state(conn: &Connection, kind: &str, id: i64, s: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO document_state (kind, doc_id, state) VALUES (?1, ?2, ?3)
         ON CONFLICT (kind, doc_id) DO UPDATE SET state = excluded.state",
        params![kind, id, s],
    )?;
    Ok(())
}

fn refuse(key: &str) -> Error {
    Error::SignOff(key.to_string())
}

fn now() -> String {
    crate::control::now_rfc3339(true)
}

/// The rounds of a document, newest revision first, with their signers.
pub fn rounds(conn: &Connection, kind: &str, id: i64) -> Result<Vec<Round>> {
    let mut stmt = conn.prepare(
        "SELECT id, revision, mode, status, fingerprint, started_at, closed_at FROM signoff_round
         WHERE kind = ?1 AND doc_id = ?2 ORDER BY revision DESC",
    )?;
    let mut out: Vec<Round> = stmt
        .query_map(params![kind, id], |r| {
            Ok(Round {
                id: r.get(0)?,
                revision: r.get(1)?,
                mode: Mode::parse(&r.get::<_, String>(2)?),
                status: r.get(3)?,
                fingerprint: r.get(4)?,
                started_at: r.get(5)?,
                closed_at: r.get(6)?,
                signers: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let everyone = people::list(conn)?;
    for round in &mut out {
        let mut stmt = conn.prepare(
            "SELECT s.position, s.person_id, g.name, g.department, g.role, g.decision, g.comment,
                    g.signed_at, g.fingerprint
             FROM signoff_signer s
             LEFT JOIN signature g ON g.round_id = s.round_id AND g.person_id = s.person_id
             WHERE s.round_id = ?1 ORDER BY s.position",
        )?;
        let rows = stmt.query_map([round.id], |r| {
            let person_id: i64 = r.get(1)?;
            let signature = match r.get::<_, Option<String>>(2)? {
                Some(name) => Some(Signature {
                    person_id,
                    name,
                    department: r.get(3)?,
                    role: r.get(4)?,
                    decision: Decision::parse(&r.get::<_, String>(5)?),
                    comment: r.get(6)?,
                    signed_at: r.get(7)?,
                    fingerprint: r.get(8)?,
                }),
                None => None,
            };
            Ok((r.get::<_, i64>(0)?, person_id, signature))
        })?;
        for row in rows {
            let (position, person_id, signature) = row?;
            let person = everyone
                .iter()
                .find(|p| p.id == person_id)
                .cloned()
                .unwrap_or(Person {
                    id: person_id,
                    name: "?".into(),
                    ..Default::default()
                });
            round.signers.push(Signer {
                person,
                position,
                signature,
                turn: false,
            });
        }
        if round.status == "open" {
            let next = round.signers.iter().position(|s| s.signature.is_none());
            for (i, s) in round.signers.iter_mut().enumerate() {
                s.turn = s.signature.is_none() && (round.mode != Mode::Sequence || Some(i) == next);
            }
        }
    }
    Ok(out)
}

/// Refuses a round whose `signers` leave out one of the `required` people; the catalog message
/// `key` gets the first missing person as `{name}` (name and department).
pub fn require_all(conn: &Connection, required: &[i64], signers: &[i64], key: &str) -> Result<()> {
    let Some(missing) = required.iter().find(|r| !signers.contains(r)) else {
        return Ok(());
    };
    let name = people::list(conn)?
        .into_iter()
        .find(|p| p.id == *missing)
        .map(|p| format!("{}（{}）", p.name, p.department))
        .unwrap_or_default();
    Err(Error::refused(key, &[("name", name)]))
}

/// The sign-off panel of a document.
pub fn panel(conn: &Connection, kind: &str, id: i64) -> Result<Panel> {
    let rule = rule(kind)?;
    let content = content(conn, kind, id)?;
    let everyone = people::list(conn)?;
    let suggested = match kind {
        "registration" => {
            let dept = content["initiatingDepartment"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            everyone
                .iter()
                .filter(|p| p.role == "head" && p.department == dept)
                .map(|p| p.id)
                .collect()
        }
        "plan" | "acceptance" | "retrospective" => {
            crate::plan::countersigners(conn).unwrap_or_default()
        }
        "change_request" => crate::changes::signers(conn, id).unwrap_or_default(),
        "minutes" => crate::meetings::meeting(conn, id)
            .map(|m| m.attendees)
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    Ok(Panel {
        kind: kind.to_string(),
        doc_id: id,
        state: state(conn, kind, id)?,
        mode: rule.mode,
        who_key: rule.who_key.to_string(),
        fingerprint: fingerprint::of_document(kind, id, &content),
        rounds: rounds(conn, kind, id)?,
        people: everyone,
        suggested,
        closed: crate::archive::closed_at(conn)?.is_some(),
    })
}

/// Starts a round on the document as it is now, with `signers` in order. The document is frozen
/// until the round ends.
pub fn start(
    conn: &mut Connection,
    actor: &str,
    kind: &str,
    id: i64,
    signers: &[i64],
) -> Result<Panel> {
    let mode = rule(kind)?.mode;
    start_round(conn, actor, kind, id, signers, mode)
}

/// `start` with the mode given (the rules fix it per kind; tests exercise every mode).
fn start_round(
    conn: &mut Connection,
    actor: &str,
    kind: &str,
    id: i64,
    signers: &[i64],
    mode: Mode,
) -> Result<Panel> {
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
    if kind == "registration" {
        let findings = crate::registration::load(conn)?.findings;
        if findings
            .iter()
            .any(|f| f.severity == crate::registration::Severity::Error)
        {
            return Err(refuse("signoff.has_errors"));
        }
    }
    if kind == "plan" {
        crate::plan::check_publishable(conn, signers)?;
    }
    if kind == "change_request" {
        crate::changes::check_signers(conn, id, signers)?;
    }
    if kind == "minutes" {
        crate::meetings::check_signers(conn, id, signers)?;
    }
    if kind == "acceptance" {
        crate::acceptance::check_signers(conn, signers)?;
    }
    if kind == "retrospective" {
        crate::retro::check_signers(conn, signers)?;
    }
    let content = content(conn, kind, id)?;
    let fp = fingerprint::of_document(kind, id, &content);
    let tx = conn.transaction()?;
    let revision: i64 = tx.query_row(
        "SELECT coalesce(max(revision), 0) + 1 FROM signoff_round WHERE kind = ?1 AND doc_id = ?2",
        params![kind, id],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO signoff_round (kind, doc_id, revision, mode, content, fingerprint, started_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            kind,
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
    set_state(&tx, kind, id, "in_signoff")?;
    let record = format!("{kind}:{id}");
    // The entry covers the whole round (mode, signers in order, start), so `check` finds a round
    // changed outside the app.
    let after = crate::storage::audit_text::RoundRow {
        id: round_id,
        kind: kind.to_string(),
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
    panel(conn, kind, id)
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
pub fn sign(conn: &mut Connection, actor: &str, s: &Sign) -> Result<Panel> {
    sign_by(conn, actor, s, &crate::remote_sign::Method::Proxy)
}

/// [`sign`], recording how the signature was obtained (issue 17): by the signer's own key, on
/// paper (with the scan), or by the coordinator. The method's row and audit entry go into the
/// signature's transaction.
pub fn sign_by(
    conn: &mut Connection,
    actor: &str,
    s: &Sign,
    method: &crate::remote_sign::Method,
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
    // The content must still be what the round froze (triggers keep it so; this checks it).
    if fingerprint::of_document(&kind, id, &content(conn, &kind, id)?) != fp {
        return Err(refuse("signoff.stale"));
    }
    let round = rounds(conn, &kind, id)?
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
    if comment.chars().count() > 2000 || comment.chars().any(|c| c.is_control() && c != '\n') {
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
    let how = crate::remote_sign::record_method(&tx, actor, tx.last_insert_rowid(), method)?;
    let agreed = round
        .signers
        .iter()
        .filter(|x| x.signature.as_ref().is_some_and(|g| g.decision.agrees()))
        .count()
        + usize::from(s.decision.agrees());
    let outcome = if !s.decision.agrees() {
        Some(("rejected", "draft"))
    } else if Mode::parse(&mode) == Mode::Any || agreed == round.signers.len() {
        Some(("approved", rule(&kind)?.after_approval))
    } else {
        None
    };
    let record = format!("{kind}:{id}");
    let what = crate::storage::audit_text::SignatureRow {
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
    if let Some((round_status, doc_state)) = outcome {
        tx.execute(
            "UPDATE signoff_round SET status = ?1, closed_at = ?2 WHERE id = ?3",
            params![round_status, signed_at, s.round_id],
        )?;
        set_state(&tx, &kind, id, doc_state)?;
        if kind == "change_request" && round_status == "approved" {
            // All heads approved: the edits go into the plan now, or the signature does not either.
            crate::changes::apply(&tx, actor, id)?;
        }
        closed = crate::storage::audit_text::closed(s.round_id, revision, round_status, &signed_at);
        changes.push(Change {
            record: &record,
            field: "signoff.closed",
            before: None,
            after: Some(&closed),
        });
    }
    audit::append(&tx, actor, &changes)?;
    tx.commit()?;
    panel(conn, &kind, id)
}

/// Withdraws an open round; the document becomes editable again.
pub fn withdraw(conn: &mut Connection, actor: &str, round_id: i64) -> Result<Panel> {
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
    let tx = conn.transaction()?;
    let closed_at = now();
    tx.execute(
        "UPDATE signoff_round SET status = 'withdrawn', closed_at = ?1 WHERE id = ?2",
        params![closed_at, round_id],
    )?;
    set_state(&tx, &kind, id, "draft")?;
    let record = format!("{kind}:{id}");
    let what = crate::storage::audit_text::closed(round_id, 0, "withdrawn", &closed_at);
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
    panel(conn, &kind, id)
}

/// Opens a signed document for a new revision (with a reason); the signed revision stays on record.
pub fn new_revision(
    conn: &mut Connection,
    actor: &str,
    kind: &str,
    id: i64,
    reason: &str,
) -> Result<Panel> {
    if state(conn, kind, id)? != State::Signed {
        return Err(refuse("signoff.not_signed"));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(refuse("signoff.reason_required"));
    }
    let tx = conn.transaction()?;
    set_state(&tx, kind, id, "draft")?;
    let record = format!("{kind}:{id}");
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
    panel(conn, kind, id)
}

/// A signed document whose content or signatures no longer match their fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub kind: String,
    pub doc_id: i64,
    pub revision: i64,
}

/// Checks every round's frozen content and signatures against its fingerprint, and every signed
/// document's current content against its last approved round. Returns the first mismatch.
pub fn verify(conn: &Connection) -> Result<Option<Mismatch>> {
    /// A round as stored, with how many of its signatures name another fingerprint.
    struct Frozen {
        kind: String,
        doc_id: i64,
        revision: i64,
        content: String,
        fingerprint: String,
        status: String,
        foreign_signatures: i64,
    }
    let mut stmt = conn.prepare(
        "SELECT r.kind, r.doc_id, r.revision, r.content, r.fingerprint, r.status,
                (SELECT count(*) FROM signature g WHERE g.round_id = r.id AND g.fingerprint <> r.fingerprint)
         FROM signoff_round r ORDER BY r.id",
    )?;
    let rounds: Vec<Frozen> = stmt
        .query_map([], |r| {
            Ok(Frozen {
                kind: r.get(0)?,
                doc_id: r.get(1)?,
                revision: r.get(2)?,
                content: r.get(3)?,
                fingerprint: r.get(4)?,
                status: r.get(5)?,
                foreign_signatures: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mismatch = |f: &Frozen| Mismatch {
        kind: f.kind.clone(),
        doc_id: f.doc_id,
        revision: f.revision,
    };
    for f in &rounds {
        let value: Value = serde_json::from_str(&f.content).unwrap_or(Value::Null);
        if fingerprint::of_document(&f.kind, f.doc_id, &value) != f.fingerprint
            || f.foreign_signatures > 0
        {
            return Ok(Some(mismatch(f)));
        }
    }
    let mut locked = conn.prepare(
        "SELECT kind, doc_id FROM document_state WHERE state IN ('signed', 'in_signoff')",
    )?;
    let docs: Vec<(String, i64)> = locked
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (kind, id) in docs {
        let last = rounds
            .iter()
            .filter(|f| {
                f.kind == kind && f.doc_id == id && (f.status == "approved" || f.status == "open")
            })
            .max_by_key(|f| f.revision);
        let current = fingerprint::of_document(&kind, id, &content(conn, &kind, id)?);
        match last {
            Some(f) if f.fingerprint == current => {}
            Some(f) => return Ok(Some(mismatch(f))),
            None => {
                return Ok(Some(Mismatch {
                    kind,
                    doc_id: id,
                    revision: 0,
                }))
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration;

    /// A project in memory with a complete registration and three heads; returns their ids.
    fn setup() -> (Connection, Vec<i64>) {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::storage::migrations::migrate_to(&mut conn, crate::storage::migrations::LATEST)
            .unwrap();
        registration::init(&conn, "x").unwrap();
        registration::save(&mut conn, "张伟", &crate::demo::worked_example()).unwrap();
        let ids = ["李娜", "王强", "陈静"]
            .iter()
            .map(|n| {
                people::add(
                    &mut conn,
                    "张伟",
                    &Person {
                        id: 0,
                        name: n.to_string(),
                        department: "产品部".into(),
                        role: "head".into(),
                        ..Default::default()
                    },
                )
                .unwrap()
                .id
            })
            .collect();
        (conn, ids)
    }

    fn sign_as(
        conn: &mut Connection,
        panel: &Panel,
        person: i64,
        decision: Decision,
        comment: &str,
    ) -> Result<Panel> {
        let r = &panel.rounds[0];
        sign(
            conn,
            "张伟",
            &Sign {
                round_id: r.id,
                revision: r.revision,
                person_id: person,
                decision,
                comment: comment.into(),
            },
        )
    }

    fn code(r: Result<Panel>) -> String {
        match r {
            Ok(_) => "ok".into(),
            Err(Error::SignOff(k)) => k,
            Err(e) => e.code().into(),
        }
    }

    #[test]
    fn countersign_locks_the_document_only_when_everyone_approved() {
        let (mut conn, ids) = setup();
        let p = start(&mut conn, "张伟", "registration", 1, &ids[..2]).unwrap();
        assert_eq!(p.state, State::InSignoff);
        // Frozen while being signed: the core and the storage triggers refuse edits.
        let mut reg = crate::demo::worked_example();
        reg.owner = "别人".into();
        assert_eq!(
            registration::save(&mut conn, "张伟", &reg)
                .unwrap_err()
                .code(),
            "locked"
        );
        let p = sign_as(&mut conn, &p, ids[0], Decision::Approve, "").unwrap();
        assert_eq!(p.state, State::InSignoff);
        let p = sign_as(&mut conn, &p, ids[1], Decision::Approve, "同意").unwrap();
        assert_eq!(p.state, State::Signed);
        assert_eq!(p.rounds[0].status, "approved");
        let err = registration::save(&mut conn, "张伟", &reg).unwrap_err();
        assert_eq!(err.code(), "locked");
        let raw = conn
            .execute("UPDATE registration SET owner = '别人'", [])
            .unwrap_err();
        assert_eq!(
            Error::from(raw).code(),
            "locked",
            "the trigger refuses raw edits too"
        );
        let raw = conn.execute("DELETE FROM milestone", []).unwrap_err();
        assert_eq!(Error::from(raw).code(), "locked");
        assert_eq!(verify(&conn).unwrap(), None);
    }

    #[test]
    fn bad_signatures_are_refused_and_a_rejection_stops_the_round() {
        let (mut conn, ids) = setup();
        let p = start(&mut conn, "张伟", "registration", 1, &ids[..2]).unwrap();
        assert_eq!(
            code(sign_as(&mut conn, &p, ids[2], Decision::Approve, "")),
            "signoff.not_required"
        );
        let r = &p.rounds[0];
        let stale = sign(
            &mut conn,
            "张伟",
            &Sign {
                round_id: r.id,
                revision: r.revision + 1,
                person_id: ids[0],
                decision: Decision::Approve,
                comment: String::new(),
            },
        );
        assert_eq!(code(stale), "signoff.stale");
        sign_as(&mut conn, &p, ids[0], Decision::Approve, "").unwrap();
        assert_eq!(
            code(sign_as(&mut conn, &p, ids[0], Decision::Approve, "")),
            "signoff.already_signed"
        );
        assert_eq!(
            code(sign_as(&mut conn, &p, ids[1], Decision::Reject, " ")),
            "signoff.reason_required"
        );
        let p2 = sign_as(&mut conn, &p, ids[1], Decision::Reject, "目标需细化到城市").unwrap();
        assert_eq!(p2.state, State::Draft);
        assert_eq!(p2.rounds[0].status, "rejected");
        let sig = p2.rounds[0].signers[1].signature.clone().unwrap();
        assert_eq!(sig.comment, "目标需细化到城市");
        assert_eq!(
            code(sign_as(&mut conn, &p, ids[0], Decision::Approve, "")),
            "signoff.closed"
        );
        // Editable again; the next round is a new revision.
        registration::save(&mut conn, "张伟", &crate::demo::worked_example()).unwrap();
        let p3 = start(&mut conn, "张伟", "registration", 1, &ids[..1]).unwrap();
        assert_eq!(p3.rounds[0].revision, 2);
        assert_eq!(p3.rounds.len(), 2);
        assert_eq!(
            code(start(&mut conn, "张伟", "registration", 1, &ids[..1])),
            "locked"
        );
        assert_eq!(
            code(start(&mut conn, "张伟", "registration", 1, &[])),
            "locked"
        );
    }

    #[test]
    fn sequence_and_any_modes() {
        let (mut conn, ids) = setup();
        let p = start_round(&mut conn, "张伟", "registration", 1, &ids, Mode::Sequence).unwrap();
        assert_eq!(
            code(sign_as(&mut conn, &p, ids[1], Decision::Approve, "")),
            "signoff.not_your_turn"
        );
        let p = sign_as(&mut conn, &p, ids[0], Decision::Approve, "").unwrap();
        assert!(p.rounds[0].signers[1].turn && !p.rounds[0].signers[2].turn);
        let p = sign_as(&mut conn, &p, ids[1], Decision::Approve, "").unwrap();
        let p = sign_as(&mut conn, &p, ids[2], Decision::Approve, "").unwrap();
        assert_eq!(p.state, State::Signed);

        let p = new_revision(&mut conn, "张伟", "registration", 1, "延期一周").unwrap();
        assert_eq!(p.state, State::Draft);
        assert_eq!(
            p.rounds[0].signers.len(),
            3,
            "the signed revision stays readable"
        );
        let p = start_round(&mut conn, "张伟", "registration", 1, &ids, Mode::Any).unwrap();
        let p = sign_as(&mut conn, &p, ids[2], Decision::Approve, "").unwrap();
        assert_eq!(p.state, State::Signed);
        assert_eq!(
            code(start(
                &mut conn,
                "张伟",
                "registration",
                1,
                &[ids[0], ids[0]]
            )),
            "locked"
        );
    }

    #[test]
    fn signers_must_be_distinct_people_of_the_project() {
        let (mut conn, ids) = setup();
        assert_eq!(
            code(start(
                &mut conn,
                "张伟",
                "registration",
                1,
                &[ids[0], ids[0]]
            )),
            "signoff.duplicate_signer"
        );
        assert_eq!(
            code(start(&mut conn, "张伟", "registration", 1, &[999])),
            "invalid"
        );
        assert_eq!(
            code(start(&mut conn, "张伟", "registration", 1, &[])),
            "signoff.no_signers"
        );
        assert_eq!(
            code(new_revision(&mut conn, "张伟", "registration", 1, "x")),
            "signoff.not_signed"
        );
    }

    #[test]
    fn altered_signed_content_and_audit_entries_are_found() {
        let (mut conn, ids) = setup();
        let p = start(&mut conn, "张伟", "registration", 1, &ids[..1]).unwrap();
        sign_as(&mut conn, &p, ids[0], Decision::Approve, "").unwrap();
        assert_eq!(crate::audit::verify_chain(&conn).unwrap(), None);
        conn.execute_batch(
            "DROP TRIGGER registration_locked; UPDATE registration SET owner = '篡改';",
        )
        .unwrap();
        assert_eq!(
            verify(&conn).unwrap(),
            Some(Mismatch {
                kind: "registration".into(),
                doc_id: 1,
                revision: 1
            })
        );

        conn.execute_batch(
            "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after = '改过' WHERE seq = 3;",
        )
        .unwrap();
        assert_eq!(
            crate::audit::verify_chain(&conn).unwrap(),
            Some(crate::audit::Break::Entry(3))
        );
    }

    #[test]
    fn removed_audit_entries_are_found_in_the_middle_and_at_the_end() {
        let (conn, _) = setup();
        let last: i64 = conn
            .query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0))
            .unwrap();
        assert!(last > 5);
        conn.execute_batch("DROP TRIGGER audit_log_no_delete;")
            .unwrap();
        conn.execute("DELETE FROM audit_log WHERE seq = ?1", [last])
            .unwrap();
        assert_eq!(
            crate::audit::verify_chain(&conn).unwrap(),
            Some(crate::audit::Break::Head)
        );
        conn.execute("DELETE FROM audit_log WHERE seq = 2", [])
            .unwrap();
        assert_eq!(
            crate::audit::verify_chain(&conn).unwrap(),
            Some(crate::audit::Break::Gap(3))
        );
    }

    #[test]
    fn every_saved_field_change_is_in_the_history() {
        let (mut conn, _) = setup();
        let mut reg = crate::demo::worked_example();
        reg.owner = "王芳".into();
        reg.milestones.pop();
        registration::save(&mut conn, "李四", &reg).unwrap();
        let h = crate::audit::history(&conn, &["registration:1".into()]).unwrap();
        let last: Vec<_> = h.iter().rev().take(2).collect();
        assert!(last.iter().all(|e| e.actor == "李四"));
        let owner = h.iter().rev().find(|e| e.field == "owner").unwrap();
        assert_eq!(
            (owner.before.as_deref(), owner.after.as_deref()),
            (Some("张伟"), Some("王芳"))
        );
        assert!(h
            .iter()
            .any(|e| e.field == "milestones" && e.actor == "李四"));
        // Saving the same content again records nothing.
        let n = h.len();
        registration::save(&mut conn, "李四", &reg).unwrap();
        assert_eq!(
            crate::audit::history(&conn, &["registration:1".into()])
                .unwrap()
                .len(),
            n
        );
    }
}
