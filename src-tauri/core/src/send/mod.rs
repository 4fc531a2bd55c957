//! Reaching the participants (issue 18): meeting notices with their calendar invitation and
//! background files, minutes for confirmation with one signing request per attendee, signing
//! requests of any round and reminders, by e-mail over the company's own SMTP server
//! (`server`: settings, password in the keychain, transport); the project's group robot
//! (`robot`: DingTalk, Feishu/Lark, WeCom); every message recorded (`log`).
//!
//! The rules: addresses come from each person's contact; a person without one is listed as "no
//! address", never skipped silently. One message per recipient, each recorded with the server's
//! answer as it happens. A notice or minutes count as sent (`notice_sent_at`, `minutes_sent_at`)
//! only when the server took the message for every recipient with an address; otherwise nothing
//! is marked. Nothing is sent from an archived project.

mod compose;
mod letters;
mod log;
mod robot;
mod server;

pub use log::{messages, MessageKind, MessageRow};
pub use robot::{
    dingtalk_sign, feishu_sign, post, remove_robot, robot, robot_message, save_robot, Post, Robot,
    RobotKind,
};
pub use server::{
    account, forget_password, has_password, save_password, Kept, Keychain, Memory, SecretStore,
    Server, ENV,
};

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::kind::DocKind;
use crate::people::Person;
use chrono::NaiveDateTime;
use lettre::message::Mailbox;
use lettre::Address;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// What to send by e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "camelCase")]
pub enum What {
    /// A meeting's notice to its attendees: time, place, attendees, agenda, background files, and
    /// the invitation (`text/calendar; method=REQUEST`, stable UID, SEQUENCE of the notice).
    Notice { meeting: i64 },
    /// The minutes for confirmation to every attendee: the PDF and the attendee's signing request
    /// (the confirmation round is started if none is open).
    Minutes { meeting: i64 },
    /// The signing requests of the open round of `kind` (record `id`, or the only open one): to
    /// each signer who has not signed yet, their request and the PDF.
    Request { kind: DocKind, id: Option<i64> },
    /// A reminder: with a round, to each of its signers who has not signed yet (their request
    /// and the PDF again); without, the project's current warnings to its heads and owner.
    Reminder { round: Option<i64> },
}

/// Who sends, in which language (of the message and of its answers), at which moment.
pub struct Job<'a> {
    pub actor: &'a str,
    pub lang: Lang,
    pub now: NaiveDateTime,
    /// The fonts of the PDFs (minutes and requests); none: the process's shared fonts.
    pub fonts: Option<&'a crate::pdf::Fonts>,
}

impl Job<'_> {
    fn fonts(&self) -> Result<&crate::pdf::Fonts> {
        match self.fonts {
            Some(f) => Ok(f),
            None => crate::pdf::Fonts::shared(&[]),
        }
    }
}

/// A recipient as planned: the person and the address found in their contact, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    pub person_id: i64,
    pub name: String,
    pub address: Option<String>,
}

/// How a recipient fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// The server took the message.
    Sent,
    /// The server refused it, or could not be reached (`answer` says what happened).
    Failed,
    /// No e-mail address in the person's contact: skipped.
    NoAddress,
}

/// One recipient's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecipientResult {
    pub person_id: Option<i64>,
    pub name: String,
    /// The e-mail address, or the robot (kind and host).
    pub address: Option<String>,
    pub status: Status,
    /// The server's answer (on failure: its code and words, or why it could not be reached).
    pub answer: String,
    pub message_id: Option<String>,
}

/// What a send did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    pub subject: String,
    pub results: Vec<RecipientResult>,
    /// The notice or minutes are now recorded as sent (every recipient with an address was taken).
    pub marked_sent: bool,
    /// A notice that went out less than one working day before the meeting.
    pub late: bool,
}

impl Outcome {
    /// Whether every recipient with an address got the message.
    pub fn all_sent(&self) -> bool {
        self.results.iter().all(|r| r.status != Status::Failed)
            && self.results.iter().any(|r| r.status == Status::Sent)
    }
}

/// The recipients of `what`, with the address each has or not; reads, writes nothing (`--dry-run`
/// and the app's preview).
pub fn recipients(conn: &Connection, what: &What, now: NaiveDateTime) -> Result<Vec<Recipient>> {
    let people = letters::people_for(conn, what, now)?;
    Ok(people
        .iter()
        .map(|p| Recipient {
            person_id: p.id,
            name: p.name.clone(),
            address: crate::people::email_address(&p.contact),
        })
        .collect())
}

/// Sends `what` through `server`, one message per recipient; `progress(done, total, result)`
/// after each recipient. Refused before anything is sent or written when the project is
/// archived, nobody is to be reached or nobody has an address; a recipient the server refuses
/// or cannot be reached for is a `Failed` result with the server's answer, and then nothing is
/// marked sent.
pub fn mail(
    conn: &mut Connection,
    server: &Server,
    job: &Job,
    what: &What,
    progress: &mut dyn FnMut(usize, usize, &RecipientResult),
) -> Result<Outcome> {
    if crate::storage::closed_at(conn)?.is_some() {
        return Err(Error::refused("archive.read_only", &[]));
    }
    let people = letters::people_for(conn, what, job.now)?;
    let addressed: Vec<(Person, Option<Address>)> = people
        .into_iter()
        .map(|p| {
            let a = crate::people::email_address(&p.contact).and_then(|a| a.parse().ok());
            (p, a)
        })
        .collect();
    if addressed.iter().all(|(_, a)| a.is_none()) {
        let names: Vec<&str> = addressed.iter().map(|(p, _)| p.name.as_str()).collect();
        return Err(Error::refused(
            "send.no_addresses",
            &[("names", names.join("、"))],
        ));
    }
    let outgoing = server::Outgoing::new(server)?;
    let batch = letters::compose(conn, server, job, what, &addressed)?;
    let total = addressed.len();
    let mut results = Vec::with_capacity(total);
    for (i, ((person, address), letter)) in addressed.iter().zip(batch.letters).enumerate() {
        let mut result = RecipientResult {
            person_id: Some(person.id),
            name: person.name.clone(),
            address: address.as_ref().map(|a| a.to_string()),
            status: Status::NoAddress,
            answer: String::new(),
            message_id: None,
        };
        if let (Some(address), Some(letter)) = (address, letter) {
            let answer = outgoing.send(&letter.message, job.lang);
            let mut row = log::row(batch.kind, &batch.record, job.actor, job.now);
            row.person_id = Some(person.id);
            row.person_name = person.name.clone();
            row.address = address.to_string();
            row.subject = batch.subject.clone();
            row.message_id = Some(letter.message_id.clone());
            match answer {
                Ok(said) => {
                    result.status = Status::Sent;
                    result.message_id = Some(letter.message_id);
                    row.answer = said;
                }
                Err(why) => {
                    result.status = Status::Failed;
                    result.answer = why.clone();
                    row.result = "failed".into();
                    row.answer = why;
                }
            }
            log::record(conn, &row)?;
        }
        results.push(result);
        progress(i + 1, total, results.last().expect("just pushed"));
    }
    let mut outcome = Outcome {
        subject: batch.subject,
        results,
        marked_sent: false,
        late: false,
    };
    if outcome.all_sent() {
        match what {
            What::Notice { meeting } => {
                let tx = conn.transaction()?;
                crate::meetings::mark_notice_sent(&tx, job.actor, *meeting, job.now)?;
                tx.commit()?;
                let m = crate::meetings::meeting(conn, *meeting)?;
                let cal = crate::plan::load_calendar(conn)?;
                outcome.late = crate::meetings::notice_late(&cal, &m, job.now);
                outcome.marked_sent = true;
            }
            What::Minutes { meeting } => {
                let tx = conn.transaction()?;
                crate::meetings::mark_minutes_sent(&tx, job.actor, *meeting, job.now)?;
                tx.commit()?;
                outcome.marked_sent = true;
            }
            _ => {}
        }
    }
    Ok(outcome)
}

/// The record a message about a signed document is filed under: minutes under their meeting.
fn record_of(kind: DocKind, id: i64) -> (String, Option<i64>) {
    match kind {
        DocKind::Minutes => ("meeting".into(), Some(id)),
        k => (k.as_str().into(), Some(id)),
    }
}

/// The mailbox of a person at `address`.
fn mailbox(p: &Person, address: &Address) -> Mailbox {
    Mailbox::new(Some(p.name.clone()), address.clone())
}

#[cfg(test)]
mod tests;
