//! Closing and finding: `close`, `export-all` (the archive of a closed project) and `search` (the knowledge base).

use super::*;

/// `liaison close FILE`: archives a project whose acceptance and retrospective are signed.
pub(super) fn close(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let (positional, _) = match parsed(lang, err, args, &[], &[]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let [file] = &positional[..] else {
        return usage(lang, err, "cli.error.missing_file", &[]);
    };
    let result = Project::open(&PathBuf::from(file))
        .and_then(|mut p| crate::archive::close(p.conn_mut(), &author()));
    match result {
        Ok(s) => {
            let at = s.closed_at.unwrap_or_default();
            let _ = writeln!(
                out,
                "{}",
                i18n::format(lang, "cli.close.done", &[("path", file), ("at", &at)])
            );
            Invocation::Exit(0)
        }
        Err(e) => failed_write(lang, err, e),
    }
}

/// `liaison export-all FILE --out FOLDER [--lang zh|en]`: every document as PDF and every attached
/// file, into a new folder inside FOLDER.
pub(super) fn export_all(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let (positional, values) = match parsed(lang, err, args, &["--out", "-o", "--lang"], &[]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let [file] = &positional[..] else {
        return usage(lang, err, "cli.error.missing_file", &[]);
    };
    let Some(dest) = out_option(&values) else {
        return usage(lang, err, "cli.error.missing_out", &[]);
    };
    let doc_lang = match option(&values, "--lang") {
        Some(l) => match Lang::parse(l) {
            Some(l) => l,
            None => return usage(lang, err, "cli.error.bad_lang", &[]),
        },
        None => lang,
    };
    let result = (|| {
        let fonts = crate::pdf::Fonts::shared(&[])?;
        let mut project = Project::open(&PathBuf::from(file))?;
        crate::archive::export_all(
            project.conn_mut(),
            &PathBuf::from(dest),
            doc_lang,
            &author(),
            fonts,
            &mut |_, _, _| {},
        )
    })();
    match result {
        Ok(d) => {
            let _ = writeln!(
                out,
                "{}",
                i18n::format(
                    lang,
                    "cli.export_all.done",
                    &[
                        ("folder", &d.folder.display().to_string()),
                        ("documents", &d.documents.to_string()),
                        ("attachments", &d.attachments.to_string()),
                        ("pages", &d.pages.to_string()),
                    ],
                )
            );
            Invocation::Exit(0)
        }
        Err(e) => failed_write(lang, err, e),
    }
}

/// `liaison search FOLDER QUERY… [--kind K] [--index FILE] [--json]`: the knowledge base across
/// the project files in FOLDER (the index is brought up to date first).
pub(super) fn search(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let options = ["--kind", "--index", "--limit"];
    let (positional, values) = match parsed(lang, err, args, &options, &["--json"]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let [folder, words @ ..] = &positional[..] else {
        return usage(lang, err, "cli.error.missing_file", &[]);
    };
    if words.is_empty() {
        return usage(lang, err, "cli.error.missing_query", &[]);
    }
    let kind = option(&values, "--kind");
    if kind.is_some_and(|k| !crate::library::KINDS.contains(&k)) {
        return usage(
            lang,
            err,
            "cli.error.bad_kind",
            &[("kind", kind.unwrap_or_default())],
        );
    }
    let folder = PathBuf::from(folder);
    let index = option(&values, "--index")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::library::index_path(&crate::prefs::config_dir(), &folder));
    let limit: usize = option(&values, "--limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(20);
    let result = (|| {
        let mut lib = crate::library::Library::open(&index)?;
        let refreshed = lib.refresh(&folder, None, lang)?;
        let started = std::time::Instant::now();
        let hits = lib.search(&words.join(" "), kind, limit)?;
        Ok::<_, crate::Error>((refreshed, hits, started.elapsed()))
    })();
    match result {
        Ok((r, hits, took)) => {
            if flag(&values, "--json") {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&hits).unwrap_or_default()
                );
                return Invocation::Exit(0);
            }
            for (path, why) in &r.failed {
                let _ = writeln!(err, "{}: {why}", path.display());
            }
            for h in &hits {
                let _ = writeln!(
                    out,
                    "[{}] {} · {}\n    {}\n    {}#{}",
                    i18n::text(lang, &format!("library.kind.{}", h.kind)),
                    h.project,
                    h.title,
                    h.snippet,
                    h.path.display(),
                    h.record
                );
            }
            let _ = writeln!(
                out,
                "{}",
                i18n::format(
                    lang,
                    "cli.search.summary",
                    &[
                        ("hits", &hits.len().to_string()),
                        ("projects", &r.projects.to_string()),
                        ("indexed", &r.indexed.to_string()),
                        ("ms", &format!("{:.1}", took.as_secs_f64() * 1000.0)),
                    ],
                )
            );
            Invocation::Exit(if hits.is_empty() { 1 } else { 0 })
        }
        Err(e) => failed(lang, err, e),
    }
}
