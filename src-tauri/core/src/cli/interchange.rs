//! The interchange commands: `export-xlsx`, `import-tasks`, `export-json` and `import-json`.

use super::*;

/// `liaison export-xlsx KIND PROJECT --out FILE.xlsx [--lang zh|en]`.
pub(super) fn export_xlsx(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let (positional, values) =
        match parsed(lang, err, args, &["--out", "-o", "--lang"], &["--force"]) {
            Ok(x) => x,
            Err(exit) => return exit,
        };
    let [kind, file] = &positional[..] else {
        return usage(lang, err, "cli.error.missing_file", &[]);
    };
    if !crate::interchange::xlsx::KINDS.contains(&kind.as_str()) {
        return usage(lang, err, "cli.error.bad_kind", &[("kind", kind)]);
    }
    let Some(dest) = out_option(&values) else {
        return usage(lang, err, "cli.error.missing_out", &[]);
    };
    let Some(sheet_lang) = doc_lang(&values, lang) else {
        return usage(lang, err, "cli.error.bad_lang", &[]);
    };
    let force = flag(&values, "--force");
    let result = output::check(&PathBuf::from(dest), Output::Document, force)
        .and_then(|()| Project::read_only(&PathBuf::from(file)))
        .and_then(|(conn, _)| {
            crate::interchange::xlsx::export(&conn, kind, sheet_lang, &PathBuf::from(dest), force)
        });
    match result {
        Ok(rows) => {
            let _ = writeln!(
                out,
                "{}",
                i18n::format(
                    lang,
                    "xlsx.exported",
                    &[("path", dest), ("rows", &rows.to_string())]
                )
            );
            Invocation::Exit(0)
        }
        Err(e) => failed(lang, err, e),
    }
}

/// `liaison import-tasks PROJECT FILE [--dry-run] [--create]`: the preview, row by row with every
/// problem; exit 1 when any row is refused (then nothing is written).
pub(super) fn import_tasks(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    use crate::interchange::tasks;
    let (positional, values) = match parsed(lang, err, args, &[], &["--dry-run", "--create"]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let [project, file] = &positional[..] else {
        return usage(lang, err, "cli.error.missing_file", &[]);
    };
    let dry = flag(&values, "--dry-run");
    let create = flag(&values, "--create");
    let result = (|| {
        let project = PathBuf::from(project);
        // The sheet is read and previewed on a read-only connection: a missing sheet, a dry run or
        // a refused row leaves the project file untouched (not even its open stamp).
        let (sheet, table) = tasks::read_table(&PathBuf::from(file))?;
        let (conn, _) = Project::read_only(&project)?;
        let preview = tasks::preview_table(&conn, sheet.clone(), table.clone(), create, lang)?;
        drop(conn);
        if dry || preview.refused > 0 {
            return Ok::<_, crate::Error>((preview, None));
        }
        let mut p = Project::open(&project)?;
        // Previewed again on the connection that writes (opening may have migrated the file).
        let preview = tasks::preview_table(p.conn(), sheet, table, create, lang)?;
        let done = match preview.refused {
            0 => Some(tasks::import(p.conn_mut(), &author(), &preview)?),
            _ => None,
        };
        Ok((preview, done))
    })();
    match result {
        Ok((preview, done)) => {
            for r in &preview.rows {
                let key = if r.problems.is_empty() {
                    "cli.import.row_ok"
                } else {
                    "cli.import.row_bad"
                };
                let line = i18n::format(
                    lang,
                    key,
                    &[("line", &r.line.to_string()), ("name", &r.name)],
                );
                let dates = match (&r.start, &r.finish) {
                    (Some(a), Some(b)) => format!("  {a} — {b}"),
                    _ => String::new(),
                };
                let _ = writeln!(out, "{line}{dates}");
                for p in &r.problems {
                    let _ = writeln!(out, "    {}：{}", p.column, p.message);
                }
            }
            let _ = writeln!(
                out,
                "{}",
                i18n::format(
                    lang,
                    "cli.import.summary",
                    &[
                        ("rows", &preview.rows.len().to_string()),
                        ("ok", &(preview.rows.len() - preview.refused).to_string()),
                        ("bad", &preview.refused.to_string()),
                        ("links", &preview.links.to_string()),
                        ("departments", &preview.new_departments.join("、")),
                        ("people", &preview.new_people.join("、")),
                    ],
                )
            );
            match done {
                Some(d) => {
                    let _ = writeln!(
                        out,
                        "{}",
                        i18n::format(
                            lang,
                            "cli.import.done",
                            &[
                                ("tasks", &d.tasks.to_string()),
                                ("links", &d.links.to_string()),
                                ("departments", &d.departments.to_string()),
                                ("people", &d.people.to_string()),
                            ],
                        )
                    );
                    Invocation::Exit(0)
                }
                None if preview.refused > 0 => {
                    let _ = writeln!(
                        err,
                        "{}",
                        i18n::format(
                            lang,
                            "import.has_problems",
                            &[("n", &preview.refused.to_string())]
                        )
                    );
                    Invocation::Exit(1)
                }
                None => {
                    let _ = writeln!(out, "{}", i18n::text(lang, "cli.import.dry_run"));
                    Invocation::Exit(0)
                }
            }
        }
        Err(e) if dry => failed(lang, err, e),
        Err(e) => failed_write(lang, err, e),
    }
}

/// `liaison export-json PROJECT --out FILE.json`: the whole project (read-only).
pub(super) fn export_json(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let (positional, values) = match parsed(lang, err, args, &["--out", "-o"], &["--force"]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let [file] = &positional[..] else {
        return usage(lang, err, "cli.error.missing_file", &[]);
    };
    let Some(dest) = out_option(&values) else {
        return usage(lang, err, "cli.error.missing_out", &[]);
    };
    let force = flag(&values, "--force");
    let dest_path = PathBuf::from(dest);
    let result = output::check(&dest_path, Output::Document, force)
        .and_then(|()| Project::read_only(&PathBuf::from(file)))
        .and_then(|(conn, version)| {
            let text = crate::interchange::json::export_text(&conn)?;
            output::write_file(&dest_path, text.as_bytes(), Output::Document, force)?;
            Ok((
                crate::storage::migrations::expected_tables(version).len(),
                text.len(),
            ))
        });
    match result {
        Ok((tables, bytes)) => {
            let _ = writeln!(
                out,
                "{}",
                i18n::format(
                    lang,
                    "cli.export_json.done",
                    &[
                        ("path", dest),
                        ("tables", &tables.to_string()),
                        ("kb", &bytes.div_ceil(1024).to_string())
                    ],
                )
            );
            Invocation::Exit(0)
        }
        Err(e) => failed(lang, err, e),
    }
}

/// `liaison import-json FILE.json --out PROJECT.liaison`: a new project file from the JSON form.
pub(super) fn import_json(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let (positional, values) = match parsed(lang, err, args, &["--out", "-o"], &[]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let [file] = &positional[..] else {
        return usage(lang, err, "cli.error.missing_file", &[]);
    };
    let Some(dest) = out_option(&values) else {
        return usage(lang, err, "cli.error.missing_out", &[]);
    };
    let result = crate::interchange::json::import_file(&PathBuf::from(file), &PathBuf::from(dest));
    match result {
        Ok(done) => {
            let _ = writeln!(
                out,
                "{}",
                i18n::format(
                    lang,
                    "cli.import_json.done",
                    &[("path", dest), ("rows", &done.rows.to_string())]
                )
            );
            Invocation::Exit(0)
        }
        Err(e) => failed_write(lang, err, e),
    }
}
