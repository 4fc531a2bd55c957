//! `liaison send`: notices, minutes, signing requests and reminders by e-mail, and posts to the
//! project's group robot, through the saved settings or `LIAISON_SMTP`; `--dry-run` lists the
//! recipients and sends nothing. Exit 0 when everyone with an address got the message, 1 when
//! something was refused or a recipient failed.

use super::*;
use crate::send::{self, Job, Post, RecipientResult, Status, What};

/// `liaison send notice|minutes|request|reminder FILE [--id ID] [--kind KIND] [--lang zh|en]
/// [--dry-run]` and `liaison send robot FILE notice --id ID | warnings [--dry-run]`.
pub(super) fn send(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let (positional, values) = match parsed(
        lang,
        err,
        args,
        &["--id", "--kind", "--lang"],
        &["--dry-run"],
    ) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let id = match number(lang, err, &values, "--id") {
        Ok(i) => i,
        Err(exit) => return exit,
    };
    let Some(doc_lang) = doc_lang(&values, lang) else {
        return usage(lang, err, "cli.error.bad_lang", &[]);
    };
    let dry_run = flag(&values, "--dry-run");
    let (what, file) = match &positional[..] {
        [what, file] => (what.as_str(), PathBuf::from(file)),
        [first, file, post] if first == "robot" => {
            let post = match (post.as_str(), id) {
                ("notice", Some(meeting)) => Post::Notice { meeting },
                ("notice", None) => return usage(lang, err, "cli.send.need_id", &[]),
                ("warnings", _) => Post::Warnings,
                (other, _) => {
                    return usage(
                        lang,
                        err,
                        "cli.error.unknown_command",
                        &[("command", other)],
                    )
                }
            };
            return robot(
                lang,
                &PathBuf::from(file),
                post,
                doc_lang,
                dry_run,
                out,
                err,
            );
        }
        [] | [_] => return usage(lang, err, "cli.error.missing_file", &[]),
        [_, _, extra, ..] => {
            return usage(
                lang,
                err,
                "cli.error.extra_argument",
                &[("argument", extra)],
            )
        }
    };
    let what = match (what, id) {
        ("notice", Some(meeting)) => What::Notice { meeting },
        ("minutes", Some(meeting)) => What::Minutes { meeting },
        ("notice" | "minutes", None) => return usage(lang, err, "cli.send.need_id", &[]),
        ("request", id) => {
            let Some(kind) = option(&values, "--kind") else {
                return usage(lang, err, "cli.send.need_kind", &[]);
            };
            let Some(kind) = crate::kind::DocKind::parse(kind) else {
                return usage(lang, err, "keys.unknown_kind", &[("kind", kind)]);
            };
            What::Request { kind, id }
        }
        ("reminder", round) => What::Reminder { round },
        (other, _) => {
            return usage(
                lang,
                err,
                "cli.error.unknown_command",
                &[("command", other)],
            )
        }
    };
    if dry_run {
        return list(lang, &file, &what, out, err);
    }
    let prefs = crate::prefs::Prefs::load(&crate::prefs::config_dir());
    let server = match send::Server::resolve(&prefs, &send::Keychain::default()) {
        Ok(s) => s,
        Err(e) => return failed(lang, err, e),
    };
    let actor = author();
    let result = Project::open(&file).and_then(|mut project| {
        let job = Job {
            actor: &actor,
            lang: doc_lang,
            now: crate::clock::now(),
            fonts: None,
        };
        send::mail(
            project.conn_mut(),
            &server,
            &job,
            &what,
            &mut |done, total, r| {
                let _ = writeln!(out, "[{done}/{total}] {}", line(lang, r));
            },
        )
    });
    let outcome = match result {
        Ok(o) => o,
        Err(e) => return failed_write(lang, err, e),
    };
    let count = |s: Status| outcome.results.iter().filter(|r| r.status == s).count();
    let _ = writeln!(
        out,
        "{}",
        i18n::format(
            lang,
            "cli.send.summary",
            &[
                ("sent", &count(Status::Sent).to_string()),
                ("failed", &count(Status::Failed).to_string()),
                ("none", &count(Status::NoAddress).to_string()),
            ],
        )
    );
    if outcome.marked_sent {
        let key = if outcome.late {
            "cli.send.marked_late"
        } else {
            "cli.send.marked"
        };
        let _ = writeln!(out, "{}", i18n::text(lang, key));
    } else if matches!(what, What::Notice { .. } | What::Minutes { .. }) {
        let _ = writeln!(err, "{}", i18n::text(lang, "cli.send.not_marked"));
    }
    Invocation::Exit(if outcome.all_sent() { 0 } else { 1 })
}

/// One recipient's result as a line.
fn line(lang: Lang, r: &RecipientResult) -> String {
    let who = match &r.address {
        Some(a) => format!("{} <{a}>", r.name),
        None => r.name.clone(),
    };
    match r.status {
        Status::Sent => i18n::format(lang, "cli.send.sent", &[("who", &who)]),
        Status::Failed => i18n::format(
            lang,
            "cli.send.failed",
            &[("who", &who), ("answer", &r.answer)],
        ),
        Status::NoAddress => i18n::format(lang, "cli.send.no_address", &[("who", &who)]),
    }
}

/// `--dry-run`: who would get it, and who has no address.
fn list(
    lang: Lang,
    file: &std::path::Path,
    what: &What,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let listed = Project::read_only(file)
        .and_then(|(conn, _)| send::recipients(&conn, what, crate::clock::now()));
    match listed {
        Ok(people) => {
            for p in people {
                let line = match &p.address {
                    Some(a) => i18n::format(
                        lang,
                        "cli.send.would_send",
                        &[("who", &format!("{} <{a}>", p.name))],
                    ),
                    None => i18n::format(lang, "cli.send.no_address", &[("who", &p.name)]),
                };
                let _ = writeln!(out, "{line}");
            }
            Invocation::Exit(0)
        }
        Err(e) => failed(lang, err, e),
    }
}

/// `liaison send robot FILE notice --id ID | warnings`.
fn robot(
    lang: Lang,
    file: &std::path::Path,
    post: Post,
    doc_lang: Lang,
    dry_run: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let now = crate::clock::now();
    if dry_run {
        let shown = Project::read_only(file).and_then(|(conn, _)| {
            let r =
                send::robot(&conn)?.ok_or_else(|| crate::Error::refused("send.robot.none", &[]))?;
            send::robot_message(&conn, &post, r.kind, doc_lang, now)
        });
        return match shown {
            Ok((_, text)) => {
                let _ = writeln!(out, "{text}");
                Invocation::Exit(0)
            }
            Err(e) => failed(lang, err, e),
        };
    }
    let actor = author();
    let result = Project::open(file).and_then(|mut project| {
        let job = Job {
            actor: &actor,
            lang: doc_lang,
            now,
            fonts: None,
        };
        send::post(project.conn_mut(), &job, &post)
    });
    match result {
        Ok(r) => {
            let _ = writeln!(out, "{}", line(lang, &r));
            Invocation::Exit(if r.status == Status::Sent { 0 } else { 1 })
        }
        Err(e) => failed_write(lang, err, e),
    }
}
