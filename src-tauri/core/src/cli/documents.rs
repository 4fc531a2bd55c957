//! The document commands: `export` (a PDF) and `verify` (a printed file against its export record).

use super::*;

/// `liaison export KIND PROJECT --out FILE.pdf [--id ID|all] [--lang zh|en]`.
pub(super) fn export(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    use crate::documents::{self, Target};
    use crate::kind::DocKind;
    let options = ["--out", "-o", "--id", "--lang"];
    let (positional, values) = match parsed(lang, err, args, &options, &["--force"]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let Some(doc_lang) = doc_lang(&values, lang) else {
        return usage(lang, err, "cli.error.bad_lang", &[]);
    };
    let (file_out, id) = (
        out_option(&values).map(PathBuf::from),
        option(&values, "--id"),
    );
    let force = flag(&values, "--force");
    let [kind, project] = &positional[..] else {
        return match positional.len() {
            0 | 1 => usage(lang, err, "cli.error.missing_file", &[]),
            _ => usage(
                lang,
                err,
                "cli.error.extra_argument",
                &[("argument", &positional[2])],
            ),
        };
    };
    let Some(kind) = DocKind::parse(kind) else {
        return usage(lang, err, "cli.error.bad_kind", &[("kind", kind)]);
    };
    let Some(target) = Target::parse(id) else {
        return usage(lang, err, "cli.error.bad_id", &[]);
    };
    let Some(file_out) = file_out else {
        return usage(lang, err, "cli.error.missing_out", &[]);
    };
    let result = (|| {
        // Refused before the project is even opened (opening it writes its open stamp).
        output::check(&file_out, Output::Document, force)?;
        let fonts = crate::pdf::Fonts::shared(&[])?;
        let mut project = Project::open(&PathBuf::from(project))?;
        documents::export_to(
            project.conn_mut(),
            kind,
            target,
            doc_lang,
            &author(),
            fonts,
            &file_out,
            force,
        )
    })();
    match result {
        Ok(e) => {
            let _ = writeln!(
                out,
                "{}",
                i18n::format(
                    lang,
                    "cli.export.ok",
                    &[
                        ("path", &e.path.display().to_string()),
                        ("pages", &e.pages.to_string()),
                        ("kb", &e.bytes.div_ceil(1024).to_string()),
                        ("fp", &e.fingerprint),
                    ],
                )
            );
            if !e.missing.is_empty() {
                let _ = writeln!(
                    err,
                    "{}",
                    i18n::format(
                        lang,
                        "pdf.missing_chars",
                        &[("chars", &e.missing.join(" "))]
                    )
                );
            }
            Invocation::Exit(0)
        }
        Err(e) => failed_write(lang, err, e),
    }
}

/// `liaison verify PDF PROJECT`: exit 0 when the PDF shows the project's current content, 1 when
/// it does not (with what differs), 2 on bad arguments or a file that cannot be read.
pub(super) fn verify(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let (positional, _) = match parsed(lang, err, args, &[], &[]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let [pdf, project] = &positional[..] else {
        return match positional.len() {
            0 | 1 => usage(lang, err, "cli.error.missing_file", &[]),
            _ => usage(
                lang,
                err,
                "cli.error.extra_argument",
                &[("argument", &positional[2])],
            ),
        };
    };
    let result = Project::read_only(&PathBuf::from(project)).and_then(|(conn, version)| {
        // A PDF is vouched for only by a project whose electronic signatures verify.
        if let Some(problem) = crate::remote_sign::verify(&conn, version)? {
            return Err(crate::Error::Integrity {
                path: PathBuf::from(project),
                problem,
            });
        }
        crate::documents::verify(&conn, &PathBuf::from(pdf), lang)
    });
    match result {
        Ok(v) => {
            let _ = write!(out, "{}", crate::documents::describe(&v, lang));
            Invocation::Exit(if v.matches { 0 } else { 1 })
        }
        Err(e) => {
            let _ = writeln!(err, "{}", e.message(lang));
            Invocation::Exit(2)
        }
    }
}
