//! Signing by key on the command line (issue 17), so the round trip runs headless: `key new`,
//! `key card` (the signer's side), `bind`, `request`, `accept` (the coordinator's side) and
//! `sign` (the signer answers a request). Passphrases come from the terminal or
//! `LIAISON_PASSPHRASE`.

use super::*;
use crate::identity::{self, grouped, Card, Holder, KeyFile};
use crate::signing_files::{self, Request, Response};

/// `liaison key new --name N [--department D] [--role R] [--out KEY]` and
/// `liaison key card KEY --out CARD`.
pub(super) fn key(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    match args.first().map(String::as_str) {
        Some("new") => key_new(lang, &args[1..], out, err),
        Some("card") => key_card(lang, &args[1..], out, err),
        Some(other) => usage(
            lang,
            err,
            "cli.error.unknown_command",
            &[("command", other)],
        ),
        None => usage(
            lang,
            err,
            "cli.error.unknown_command",
            &[("command", "key")],
        ),
    }
}

fn key_new(lang: Lang, args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Invocation {
    let opts = ["--name", "--department", "--role", "--out", "-o"];
    let (positional, values) = match parsed(lang, err, args, &opts, &[]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    if let Some(a) = positional.first() {
        return usage(lang, err, "cli.error.extra_argument", &[("argument", a)]);
    }
    let Some(name) = option(&values, "--name") else {
        return usage(lang, err, "cli.error.missing_name", &[]);
    };
    let path = out_option(&values)
        .map(PathBuf::from)
        .unwrap_or_else(identity::default_key_path);
    let holder = Holder {
        name: name.into(),
        department: option(&values, "--department").unwrap_or_default().into(),
        role: option(&values, "--role").unwrap_or_default().into(),
    };
    let result = (|| {
        output::check(&path, Output::Document, false)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| crate::Error::write(dir, e))?;
        }
        let pass = identity::passphrase(
            &i18n::text(lang, "cli.passphrase.prompt"),
            Some(&i18n::text(lang, "cli.passphrase.again")),
        )?;
        let (file, _key) = KeyFile::create(holder, &pass)?;
        file.save(&path)?;
        Ok(file)
    })();
    match result {
        Ok(file) => {
            let shown = path.display().to_string();
            let fp = grouped(&file.fingerprint);
            let text = i18n::format(
                lang,
                "cli.key.created",
                &[("path", &shown), ("fingerprint", &fp)],
            );
            let _ = writeln!(out, "{text}");
            Invocation::Exit(0)
        }
        Err(e) => failed_write(lang, err, e),
    }
}

fn key_card(lang: Lang, args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Invocation {
    let (positional, values) = match parsed(lang, err, args, &["--out", "-o"], &["--force"]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let [key_path] = &positional[..] else {
        return usage(lang, err, "cli.error.missing_key", &[]);
    };
    let Some(dest) = out_option(&values).map(PathBuf::from) else {
        return usage(lang, err, "cli.error.missing_out", &[]);
    };
    let force = flag(&values, "--force");
    let result = (|| {
        output::check(&dest, Output::Document, force)?;
        let file = KeyFile::load(&PathBuf::from(key_path))?;
        let pass = identity::passphrase(&i18n::text(lang, "cli.passphrase.prompt"), None)?;
        let key = file.unlock(&pass)?;
        let card = Card::of(&file, &key);
        output::write_file(
            &dest,
            &signing_files::to_bytes(&card),
            Output::Document,
            force,
        )?;
        Ok(card)
    })();
    match result {
        Ok(card) => {
            let shown = dest.display().to_string();
            let fp = grouped(&card.fingerprint);
            let text = i18n::format(
                lang,
                "cli.key.card",
                &[("path", &shown), ("fingerprint", &fp)],
            );
            let _ = writeln!(out, "{text}");
            Invocation::Exit(0)
        }
        Err(e) => failed_write(lang, err, e),
    }
}

/// `liaison bind FILE CARD --person ID`.
pub(super) fn bind(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let (positional, values) = match parsed(lang, err, args, &["--person"], &[]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let [file, card] = &positional[..] else {
        return usage(lang, err, "cli.error.missing_file", &[]);
    };
    let person = match number(lang, err, &values, "--person") {
        Ok(Some(p)) => p,
        Ok(None) => return usage(lang, err, "cli.error.missing_person", &[]),
        Err(exit) => return exit,
    };
    let result = (|| {
        let bytes = signing_files::read(&PathBuf::from(card))?;
        Card::parse(&bytes)?;
        let mut project = Project::open(&PathBuf::from(file))?;
        crate::remote_sign::bind(project.conn_mut(), &author(), person, &bytes)
    })();
    match result {
        Ok(b) => {
            let text = i18n::format(
                lang,
                "cli.bind.done",
                &[
                    ("fingerprint", &b.grouped),
                    ("name", &b.person_name),
                    ("holder", &b.holder.name),
                ],
            );
            let _ = writeln!(out, "{text}");
            Invocation::Exit(0)
        }
        Err(e) => failed_write(lang, err, e),
    }
}

/// `liaison request KIND FILE [--id ID] [--person ID] --out DIR [--lang zh|en] [--force]`.
pub(super) fn request(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let opts = ["--id", "--person", "--out", "-o", "--lang"];
    let (positional, values) = match parsed(lang, err, args, &opts, &["--force"]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let [kind, file] = &positional[..] else {
        return usage(lang, err, "cli.error.missing_file", &[]);
    };
    let Some(kind) = crate::kind::DocKind::parse(kind) else {
        return usage(lang, err, "keys.unknown_kind", &[("kind", kind)]);
    };
    let (id, person) = match (
        number(lang, err, &values, "--id"),
        number(lang, err, &values, "--person"),
    ) {
        (Ok(i), Ok(p)) => (i, p),
        (Err(exit), _) | (_, Err(exit)) => return exit,
    };
    let Some(dir) = out_option(&values).map(PathBuf::from) else {
        return usage(lang, err, "cli.error.missing_dir", &[]);
    };
    let Some(doc_lang) = doc_lang(&values, lang) else {
        return usage(lang, err, "cli.error.bad_lang", &[]);
    };
    let force = flag(&values, "--force");
    let result = (|| {
        let fonts = crate::pdf::Fonts::shared(&[])?;
        let (conn, _) = Project::read_only(&PathBuf::from(file))?;
        let made =
            crate::remote_sign::requests(&conn, kind, id, person, &author(), doc_lang, fonts)?;
        crate::remote_sign::write_requests(&dir, made, force)
    })();
    match result {
        Ok(paths) => {
            for p in paths {
                let text = i18n::format(
                    lang,
                    "cli.request.done",
                    &[("path", &p.display().to_string())],
                );
                let _ = writeln!(out, "{text}");
            }
            Invocation::Exit(0)
        }
        Err(e) => failed(lang, err, e),
    }
}

/// `liaison sign REQUEST --key KEY --decision D [--comment TEXT] --out RESPONSE [--force]`.
pub(super) fn sign(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let opts = ["--key", "--decision", "--comment", "--out", "-o"];
    let (positional, values) = match parsed(lang, err, args, &opts, &["--force"]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let [request] = &positional[..] else {
        return usage(lang, err, "cli.error.missing_file", &[]);
    };
    let Some(key_path) = option(&values, "--key").map(PathBuf::from) else {
        return usage(lang, err, "cli.error.missing_key", &[]);
    };
    let Some(decision) = option(&values, "--decision") else {
        return usage(lang, err, "cli.error.missing_decision", &[]);
    };
    let Some(dest) = out_option(&values).map(PathBuf::from) else {
        return usage(lang, err, "cli.error.missing_out", &[]);
    };
    let force = flag(&values, "--force");
    let comment = option(&values, "--comment").unwrap_or_default();
    let result = (|| {
        output::check(&dest, Output::Document, force)?;
        let req = Request::parse(&signing_files::read(&PathBuf::from(request))?)?;
        let file = KeyFile::load(&key_path)?;
        let pass = identity::passphrase(&i18n::text(lang, "cli.passphrase.prompt"), None)?;
        let key = file.unlock(&pass)?;
        let response = Response::create(&req, &file, &key, decision, comment)?;
        output::write_file(
            &dest,
            &signing_files::to_bytes(&response),
            Output::Document,
            force,
        )?;
        Ok(req)
    })();
    match result {
        Ok(req) => {
            let text = i18n::format(
                lang,
                "cli.sign.done",
                &[
                    ("path", &dest.display().to_string()),
                    ("document", &crate::error::record_label(lang, &req.kind)),
                    ("revision", &req.revision.to_string()),
                    ("fingerprint", &req.fingerprint),
                    (
                        "decision",
                        &i18n::text(lang, &format!("decision.{decision}")),
                    ),
                ],
            );
            let _ = writeln!(out, "{text}");
            Invocation::Exit(0)
        }
        Err(e) => failed(lang, err, e),
    }
}

/// `liaison accept FILE RESPONSE…`: verifies every response on the project as it is (read-only),
/// and opens it for writing only when one passes; each is then verified again and recorded.
pub(super) fn accept(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let (positional, _) = match parsed(lang, err, args, &[], &[]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let Some((file, responses)) = positional.split_first() else {
        return usage(lang, err, "cli.error.missing_file", &[]);
    };
    if responses.is_empty() {
        return usage(lang, err, "cli.error.missing_response", &[]);
    }
    let path = PathBuf::from(file);
    let read: Vec<crate::Result<Vec<u8>>> = responses
        .iter()
        .map(|r| signing_files::read(&PathBuf::from(r)))
        .collect();
    let any_passes = match Project::read_only(&path) {
        Ok((conn, _)) => read.iter().any(|bytes| {
            bytes
                .as_ref()
                .is_ok_and(|b| crate::remote_sign::check_response(&conn, b).is_ok())
        }),
        Err(e) => return failed(lang, err, e),
    };
    let mut project = None;
    if any_passes {
        match Project::open(&path) {
            Ok(p) => project = Some(p),
            Err(e) => return failed_write(lang, err, e),
        }
    }
    let mut refused = false;
    for (name, bytes) in responses.iter().zip(read) {
        let result = bytes.and_then(|b| match project.as_mut() {
            Some(p) => crate::remote_sign::accept(p.conn_mut(), &author(), &b),
            None => {
                let (conn, _) = Project::read_only(&path)?;
                Err(crate::remote_sign::check_response(&conn, &b)
                    .err()
                    .unwrap_or_else(|| crate::Error::refused("keys.file.altered", &[])))
            }
        });
        match result {
            Ok(a) => {
                let decision = i18n::text(lang, &format!("decision.{}", a.decision));
                let text = i18n::format(
                    lang,
                    "cli.accept.done",
                    &[
                        ("file", name),
                        ("name", &a.person.name),
                        ("decision", &decision),
                    ],
                );
                let _ = writeln!(out, "{text}");
            }
            Err(e) => {
                refused = true;
                let reason = e.message(lang);
                let text = i18n::format(
                    lang,
                    "cli.accept.refused",
                    &[("file", name), ("reason", &reason)],
                );
                let _ = writeln!(err, "{text}");
            }
        }
    }
    Invocation::Exit(u8::from(refused))
}
