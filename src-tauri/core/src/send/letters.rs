//! Who gets each kind of message and what it says, in the message's language: the notice, the
//! minutes for confirmation, a round's signing requests, the reminders.

use super::compose::{self, Body, Extras, File, Letter};
use super::log::MessageKind;
use super::{mailbox, record_of, Job, Server, What};
use crate::documents::{self, Target};
use crate::error::{Error, Result};
use crate::i18n::{self, Lang};
use crate::kind::DocKind;
use crate::people::Person;
use crate::remote_sign::NamedRequest;
use crate::signing_files;
use crate::signoff::{self, Mode};
use chrono::{Duration, NaiveDateTime};
use lettre::Address;
use rusqlite::{params, Connection, OptionalExtension};

/// The messages of one send, one per recipient (none for a recipient without an address).
pub(super) struct Batch {
    pub kind: MessageKind,
    pub record: (String, Option<i64>),
    pub subject: String,
    pub letters: Vec<Option<Letter>>,
}

/// An open round: its document kind and record, revision, start, and who still has to sign.
struct OpenRound {
    kind: DocKind,
    doc_id: i64,
    revision: i64,
    started_at: String,
    pending: Vec<Person>,
}

/// The open round of `kind` (record `id`, or the only open one) or the round `round_id`.
fn open_round(conn: &Connection, by: RoundBy) -> Result<OpenRound> {
    let (round_id, kind, doc_id): (i64, DocKind, i64) = match by {
        RoundBy::Id(round) => {
            let row: Option<(i64, String, i64, String)> = conn
                .query_row(
                    "SELECT id, kind, doc_id, status FROM signoff_round WHERE id = ?1",
                    [round],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            match row {
                Some((id, kind, doc, status)) if status == "open" => (
                    id,
                    DocKind::parse(&kind).ok_or_else(signoff::unknown_kind)?,
                    doc,
                ),
                Some(_) => return Err(Error::refused("send.round_closed", &[])),
                None => return Err(Error::refused("control.no_record", &[])),
            }
        }
        RoundBy::Kind(kind, id) => {
            let mut stmt = conn.prepare(
                "SELECT id, doc_id FROM signoff_round
                 WHERE kind = ?1 AND status = 'open' AND (?2 IS NULL OR doc_id = ?2) ORDER BY id",
            )?;
            let open: Vec<(i64, i64)> = stmt
                .query_map(params![kind.as_str(), id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            match open[..] {
                [] => return Err(Error::refused("send.no_open_round", &[])),
                [(r, d)] => (r, kind, d),
                _ => return Err(Error::refused("keys.need_id", &[])),
            }
        }
    };
    let round = signoff::rounds(conn, kind, doc_id)?
        .into_iter()
        .find(|r| r.id == round_id)
        .ok_or_else(|| Error::refused("control.no_record", &[]))?;
    let pending = round
        .signers
        .iter()
        .filter(|s| s.signature.is_none() && (round.mode != Mode::Sequence || s.turn))
        .map(|s| s.person.clone())
        .collect();
    Ok(OpenRound {
        kind,
        doc_id,
        revision: round.revision,
        started_at: round.started_at,
        pending,
    })
}

enum RoundBy {
    Id(i64),
    Kind(DocKind, Option<i64>),
}

fn kind_label(lang: Lang, kind: DocKind) -> String {
    crate::error::record_label(lang, kind.as_str())
}

/// The people `what` goes to.
pub(super) fn people_for(
    conn: &Connection,
    what: &What,
    now: NaiveDateTime,
) -> Result<Vec<Person>> {
    let people = crate::people::list(conn)?;
    let by_ids = |ids: &[i64]| -> Vec<Person> {
        ids.iter()
            .filter_map(|id| people.iter().find(|p| p.id == *id).cloned())
            .collect()
    };
    let out = match what {
        What::Notice { meeting } | What::Minutes { meeting } => {
            let m = crate::meetings::meeting(conn, *meeting)?;
            if m.attendees.is_empty() {
                return Err(Error::refused("meeting.no_attendees", &[]));
            }
            by_ids(&m.attendees)
        }
        What::Request { kind, id } => open_round(conn, RoundBy::Kind(*kind, *id))?.pending,
        What::Reminder { round: Some(r) } => open_round(conn, RoundBy::Id(*r))?.pending,
        What::Reminder { round: None } => {
            if crate::warnings::for_project(conn, now)?.is_empty() {
                return Err(Error::refused("send.no_warnings", &[]));
            }
            people
                .iter()
                .filter(|p| matches!(p.role.as_str(), "head" | "owner"))
                .cloned()
                .collect()
        }
    };
    if out.is_empty() {
        return Err(Error::refused("send.nobody", &[]));
    }
    Ok(out)
}

/// The messages of `what` for `to` (recipients in order, with their address if any). Minutes
/// start their confirmation round here when none is open: its frozen content is what the PDF and
/// the requests carry.
pub(super) fn compose(
    conn: &mut Connection,
    server: &Server,
    job: &Job,
    what: &What,
    to: &[(Person, Option<Address>)],
) -> Result<Batch> {
    match what {
        What::Notice { meeting } => notice(conn, server, job, *meeting, to),
        What::Minutes { meeting } => {
            crate::meetings::open_for_confirmation(conn, job.actor, *meeting, job.now)?;
            let round = open_round(conn, RoundBy::Kind(DocKind::Minutes, Some(*meeting)))?;
            signing(conn, server, job, &round, MessageKind::Minutes, to)
        }
        What::Request { kind, id } => {
            let round = open_round(conn, RoundBy::Kind(*kind, *id))?;
            signing(conn, server, job, &round, MessageKind::Request, to)
        }
        What::Reminder { round: Some(r) } => {
            let round = open_round(conn, RoundBy::Id(*r))?;
            signing(conn, server, job, &round, MessageKind::Reminder, to)
        }
        What::Reminder { round: None } => warnings(conn, server, job, to),
    }
}

fn t(lang: Lang, key: &str, params: &[(&str, &str)]) -> String {
    i18n::format(lang, key, params)
}

/// A letter to `name` about `project`: its greeting and closing line; the caller fills the rest.
fn letter_to(lang: Lang, name: &str, project: &str) -> Body {
    Body {
        greeting: t(lang, "send.greeting", &[("name", name)]),
        closing: t(lang, "send.closing", &[("project", project)]),
        ..Body::default()
    }
}

/// `time` as people read it: `2023-10-25 10:00`.
fn shown(time: &str) -> String {
    crate::clock::parse_time(time)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| time.to_string())
}

/// One letter per recipient with an address.
fn each(
    server: &Server,
    job: &Job,
    to: &[(Person, Option<Address>)],
    subject: &str,
    mut make: impl FnMut(&Person) -> Result<(Body, Vec<File>)>,
    calendar: Option<&str>,
) -> Result<Vec<Option<Letter>>> {
    to.iter()
        .map(|(p, address)| {
            let Some(address) = address else {
                return Ok(None);
            };
            let (body, files) = make(p)?;
            let extras = Extras {
                calendar,
                files: &files,
            };
            compose::letter(server, mailbox(p, address), subject, &body, extras, job.now).map(Some)
        })
        .collect()
}

fn notice(
    conn: &Connection,
    server: &Server,
    job: &Job,
    id: i64,
    to: &[(Person, Option<Address>)],
) -> Result<Batch> {
    let lang = job.lang;
    let m = crate::meetings::meeting(conn, id)?;
    let project = crate::registration::name(conn)?;
    let people = crate::people::list(conn)?;
    let start = crate::clock::parse_time(&m.starts_at).unwrap_or(job.now);
    let end = start + Duration::minutes(m.duration);
    let when = format!("{}–{}", start.format("%Y-%m-%d %H:%M"), end.format("%H:%M"));
    let subject_key = if m.sequence > 0 {
        "send.subject.notice_changed"
    } else {
        "send.subject.notice"
    };
    let subject = t(lang, subject_key, &[("title", &m.title), ("time", &when)]);
    let names: Vec<&str> = m
        .attendees
        .iter()
        .filter_map(|a| people.iter().find(|p| p.id == *a))
        .map(|p| p.name.as_str())
        .collect();
    let mut files = Vec::new();
    for (file_id, _, _) in crate::meetings::attachments(conn, id)? {
        let (name, data) = crate::meetings::attachment_data(conn, file_id)?;
        files.push(File {
            mime: compose::mime_of(&name),
            name,
            data,
        });
    }
    let agenda: Vec<String> = m
        .agenda
        .iter()
        .enumerate()
        .map(|(i, a)| format!("{}. {a}", i + 1))
        .collect();
    let mut rows = vec![
        (t(lang, "send.field.project", &[]), project.clone()),
        (t(lang, "field.meeting.title", &[]), m.title.clone()),
        (t(lang, "field.meeting.starts_at", &[]), when.clone()),
        (
            t(lang, "send.field.form", &[]),
            t(lang, &format!("send.form.{}", m.form), &[]),
        ),
    ];
    if !m.place.is_empty() {
        rows.push((t(lang, "field.meeting.place", &[]), m.place.clone()));
    }
    rows.push((t(lang, "doc.field.attendees", &[]), names.join("、")));
    if !agenda.is_empty() {
        rows.push((t(lang, "field.meeting.agenda", &[]), agenda.join("\n")));
    }
    if !files.is_empty() {
        let list: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        rows.push((t(lang, "send.field.background", &[]), list.join("\n")));
    }
    let mut paragraphs = Vec::new();
    if m.sequence > 0 {
        paragraphs.push(t(lang, "send.notice.changed", &[]));
    }
    paragraphs.push(t(lang, "send.notice.intro", &[]));
    let organizer = (
        server.smtp.from_name.as_str(),
        server.smtp.from_address.as_str(),
    );
    let ics = crate::ics::invitation(conn, id, Some(organizer))?;
    let letters = each(
        server,
        job,
        to,
        &subject,
        |p| {
            let body = Body {
                paragraphs: paragraphs.clone(),
                rows: rows.clone(),
                ..letter_to(lang, &p.name, &project)
            };
            Ok((body, files.clone()))
        },
        Some(&ics),
    )?;
    Ok(Batch {
        kind: MessageKind::Notice,
        record: ("meeting".into(), Some(id)),
        subject,
        letters,
    })
}

/// The per-person requests of a round, from one request for every signer (the PDF is rendered
/// once): each names its signer and gets the signer's name in its file name.
fn per_person(all: &NamedRequest, person: &Person) -> NamedRequest {
    let base = all
        .file_name
        .strip_suffix(".liaison-request")
        .unwrap_or(&all.file_name);
    let mut request = all.request.clone();
    request.for_person = Some(person.id);
    NamedRequest {
        file_name: format!(
            "{base}-{}.liaison-request",
            documents::safe_file_name(&person.name)
        ),
        request,
    }
}

/// Minutes for confirmation, a round's requests, or a reminder of them: to each pending signer,
/// their request and the PDF.
fn signing(
    conn: &Connection,
    server: &Server,
    job: &Job,
    round: &OpenRound,
    kind: MessageKind,
    to: &[(Person, Option<Address>)],
) -> Result<Batch> {
    let lang = job.lang;
    let project = crate::registration::name(conn)?;
    let made = crate::remote_sign::requests(
        conn,
        round.kind,
        Some(round.doc_id),
        None,
        job.actor,
        lang,
        job.fonts()?,
    )?;
    let all = made
        .into_iter()
        .next()
        .ok_or_else(|| Error::refused("keys.no_open_round", &[]))?;
    let pdf = File {
        name: documents::file_name(conn, round.kind, pdf_target(round), lang)?,
        mime: "application/pdf",
        data: all.request.pdf_bytes()?,
    };
    let document = if round.kind == DocKind::Minutes {
        let m = crate::meetings::meeting(conn, round.doc_id)?;
        match lang {
            Lang::Zh => format!("{}「{}」", kind_label(lang, round.kind), m.title),
            Lang::En => format!("{} of “{}”", kind_label(lang, round.kind), m.title),
        }
    } else {
        let title = documents::title(round.kind, lang);
        match round.kind {
            DocKind::ChangeRequest => format!("{title} #{}", round.doc_id),
            _ => title,
        }
    };
    let revision = round.revision.to_string();
    let fingerprint = crate::identity::grouped(&all.request.fingerprint);
    let cal = crate::plan::load_calendar(conn)?;
    let settings = crate::warnings::settings(conn)?;
    let due = cal
        .add_working_days(job.now.date(), settings.minutes_confirm_working_days.max(1))
        .to_string();
    let (subject, intro) = match kind {
        MessageKind::Minutes => (
            t(
                lang,
                "send.subject.minutes",
                &[("document", &document), ("project", &project)],
            ),
            t(
                lang,
                "send.minutes.intro",
                &[("document", &document), ("due", &due)],
            ),
        ),
        MessageKind::Reminder => (
            t(
                lang,
                "send.subject.reminder",
                &[("document", &document), ("project", &project)],
            ),
            t(
                lang,
                "send.reminder.intro",
                &[
                    ("document", &document),
                    ("since", &shown(&round.started_at)),
                ],
            ),
        ),
        _ => (
            t(
                lang,
                "send.subject.request",
                &[("document", &document), ("project", &project)],
            ),
            t(lang, "send.request.intro", &[("document", &document)]),
        ),
    };
    let rows = vec![
        (t(lang, "send.field.project", &[]), project.clone()),
        (t(lang, "send.field.document", &[]), document.clone()),
        (t(lang, "send.field.revision", &[]), revision),
        (t(lang, "send.field.fingerprint", &[]), fingerprint),
        (t(lang, "send.field.asked_by", &[]), job.actor.to_string()),
    ];
    let letters = each(
        server,
        job,
        to,
        &subject,
        |p| {
            let mine = per_person(&all, p);
            let request = File {
                name: mine.file_name.clone(),
                mime: "application/octet-stream",
                data: signing_files::to_bytes(&mine.request),
            };
            let body = Body {
                paragraphs: vec![intro.clone(), t(lang, "send.how_to_sign", &[])],
                rows: rows.clone(),
                ..letter_to(lang, &p.name, &project)
            };
            Ok((body, vec![pdf.clone(), request]))
        },
        None,
    )?;
    Ok(Batch {
        kind,
        record: record_of(round.kind, round.doc_id),
        subject,
        letters,
    })
}

/// The PDF a round's document prints as.
fn pdf_target(round: &OpenRound) -> Target {
    match round.kind {
        DocKind::Minutes | DocKind::ChangeRequest => Target::One(round.doc_id),
        _ => Target::Latest,
    }
}

/// The project's current warnings, as lines in `lang`.
pub(super) fn warning_lines(
    conn: &Connection,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<Vec<String>> {
    Ok(crate::warnings::for_project(conn, now)?
        .iter()
        .map(|w| {
            format!(
                "[{}] {} — {}",
                i18n::text(lang, &format!("severity.{}", w.severity)),
                w.message.get(lang),
                w.action.get(lang)
            )
        })
        .collect())
}

fn warnings(
    conn: &Connection,
    server: &Server,
    job: &Job,
    to: &[(Person, Option<Address>)],
) -> Result<Batch> {
    let lang = job.lang;
    let project = crate::registration::name(conn)?;
    let list = warning_lines(conn, lang, job.now)?;
    let n = list.len().to_string();
    let subject = t(
        lang,
        "send.subject.warnings",
        &[("project", &project), ("n", &n)],
    );
    let today = job.now.format("%Y-%m-%d %H:%M").to_string();
    let letters = each(
        server,
        job,
        to,
        &subject,
        |p| {
            let body = Body {
                paragraphs: vec![t(lang, "send.warnings.intro", &[("at", &today), ("n", &n)])],
                list: list.clone(),
                ..letter_to(lang, &p.name, &project)
            };
            Ok((body, Vec::new()))
        },
        None,
    )?;
    Ok(Batch {
        kind: MessageKind::Reminder,
        record: ("project".into(), None),
        subject,
        letters,
    })
}
