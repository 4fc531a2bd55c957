//! Sign-off (会签 / 或签 / 依次签): one mechanism for every signed document.
//!
//! A round freezes a revision of a document's content with its integrity fingerprint; the required
//! signers approve or reject; a complete round locks the document (enforced by triggers in storage);
//! a later change starts a new revision, and earlier revisions and their signatures stay readable.

use crate::audit::{self, Change};
/// A document's state, as the panel shows it (`doc_state` reads and sets it).
pub use crate::doc_state::State;
use crate::doc_state::{self, ensure_editable, state};
use crate::error::{Error, Result};
use crate::fingerprint;
use crate::kind::DocKind;
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

impl Rule {
    /// Everyone required signs (会签), and the document is left `after_approval`.
    pub const fn all(who_key: &'static str, after_approval: &'static str) -> Rule {
        Rule {
            mode: Mode::All,
            who_key,
            after_approval,
        }
    }
}

/// A kind of signed document, implemented by its own module and registered in `kinds`. The
/// mechanism here knows documents only through this trait.
pub trait Document: Sync {
    /// The kind (its stored name is what the fingerprint covers with the content).
    fn kind(&self) -> DocKind;

    /// Who signs, and how.
    fn rule(&self) -> Rule;

    /// The content the document is signed on, as a JSON value (what the fingerprint covers).
    fn content(&self, conn: &Connection, id: i64) -> Result<Value>;

    /// The people the rule suggests as signers, given the content and everyone of the project.
    fn suggested(
        &self,
        conn: &Connection,
        id: i64,
        content: &Value,
        everyone: &[Person],
    ) -> Vec<i64>;

    /// Refuses a round with these signers (or on this content) before it starts.
    fn check_signers(&self, _conn: &Connection, _id: i64, _signers: &[i64]) -> Result<()> {
        Ok(())
    }

    /// What the last approval does, inside the transaction that records it (a failure rolls the
    /// signature back too).
    fn on_approved(&self, _tx: &Connection, _actor: &str, _id: i64) -> Result<()> {
        Ok(())
    }
}

/// The document of each kind (`kinds::document`): how the mechanism finds the document of a round.
pub type Registry = fn(DocKind) -> &'static dyn Document;

/// The refusal of a kind the caller does not know, or of a record a one-per-project document
/// does not have.
pub fn unknown_kind() -> Error {
    Error::Invalid {
        field: "signoff.title".into(),
        detail: "reason.unknown_kind".into(),
    }
}

/// Refuses any record but 1 of a document there is one of per project.
pub fn only_one(id: i64) -> Result<()> {
    if id != 1 {
        return Err(unknown_kind());
    }
    Ok(())
}

/// The kind of a stored name (a round's, a state's).
fn stored_kind(name: &str) -> Result<DocKind> {
    DocKind::parse(name).ok_or_else(unknown_kind)
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
    pub kind: DocKind,
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

/// A sign-off refusal with its catalog key.
pub fn refuse(key: &str) -> Error {
    Error::SignOff(key.to_string())
}

fn now() -> String {
    crate::clock::now_rfc3339(true)
}

/// The rounds of a document, newest revision first, with their signers.
pub fn rounds(conn: &Connection, kind: DocKind, id: i64) -> Result<Vec<Round>> {
    let mut stmt = conn.prepare(
        "SELECT id, revision, mode, status, fingerprint, started_at, closed_at FROM signoff_round
         WHERE kind = ?1 AND doc_id = ?2 ORDER BY revision DESC",
    )?;
    let mut out: Vec<Round> = stmt
        .query_map(params![kind.as_str(), id], |r| {
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
pub fn panel(conn: &Connection, doc: &dyn Document, id: i64) -> Result<Panel> {
    let kind = doc.kind();
    let rule = doc.rule();
    let content = doc.content(conn, id)?;
    let everyone = people::list(conn)?;
    let suggested = doc.suggested(conn, id, &content, &everyone);
    Ok(Panel {
        kind,
        doc_id: id,
        state: state(conn, kind, id)?,
        mode: rule.mode,
        who_key: rule.who_key.to_string(),
        fingerprint: fingerprint::of_document(kind.as_str(), id, &content),
        rounds: rounds(conn, kind, id)?,
        people: everyone,
        suggested,
        closed: crate::storage::closed_at(conn)?.is_some(),
    })
}

mod audit_text;
pub mod method;
mod round;
#[cfg(test)]
mod tests;
mod verify;

pub(crate) use audit_text::{closed_text, legacy_signed_text, RoundRow, SignatureRow};
pub use method::Method;
#[cfg(test)]
use round::start_round;
pub use round::{new_revision, sign, sign_by, start, withdraw, Sign};
pub use verify::{verify, Mismatch};
