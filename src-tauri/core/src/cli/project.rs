//! The project commands: `demo`, `check`, `warnings` and `new-from`.

use super::*;

pub(super) fn demo(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let flags = ["--large", "--closed", "--force"];
    let sizes = ["--tasks", "--meetings"];
    let (positional, values) = match parsed(lang, err, args, &sizes, &flags) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let file = match one_file(lang, err, &positional) {
        Ok(f) => PathBuf::from(f),
        Err(exit) => return exit,
    };
    let [large, closed, force] = flags.map(|f| flag(&values, f));
    // --tasks N and --meetings M size the --large project (the bench's cost curve).
    let mut size = crate::demo::LargeSize::default();
    for (name, field) in [
        ("--tasks", &mut size.tasks),
        ("--meetings", &mut size.meetings),
    ] {
        if let Some(v) = option(&values, name) {
            match v.parse() {
                Ok(n) => *field = n,
                Err(_) => return usage(lang, err, "cli.error.bad_number", &[("option", name)]),
            }
        }
    }
    let large = large || size != crate::demo::LargeSize::default();
    if file.exists() && !force {
        let _ = writeln!(
            err,
            "{}",
            i18n::format(
                lang,
                "cli.demo.exists",
                &[("path", &file.display().to_string())]
            )
        );
        return Invocation::Exit(1);
    }
    let started = std::time::Instant::now();
    let written = if large {
        crate::demo::write_large_with(&file, size)
    } else if closed {
        crate::demo::write_example(&file).and_then(|mut p| {
            crate::demo::close_example(p.conn_mut(), 1)?;
            Ok(p)
        })
    } else {
        // The sample is dated relative to today (its archived companion keeps its own past).
        crate::demo::write_example_on(&file, crate::demo::demo_today())
    };
    match written {
        Ok(project) => {
            drop(project);
            let _ = writeln!(
                out,
                "{}",
                i18n::format(
                    lang,
                    "cli.demo.written",
                    &[
                        ("path", &file.display().to_string()),
                        ("ms", &started.elapsed().as_millis().to_string()),
                    ],
                )
            );
            Invocation::Exit(0)
        }
        Err(e) => failed_write(lang, err, e),
    }
}

pub(super) fn check(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let path = match parsed(lang, err, args, &[], &[]) {
        Ok((positional, _)) => match one_file(lang, err, &positional) {
            Ok(f) => PathBuf::from(f),
            Err(exit) => return exit,
        },
        Err(exit) => return exit,
    };
    match crate::integrity::check(&path) {
        Ok(s) => {
            let _ = writeln!(
                out,
                "{}",
                i18n::format(
                    lang,
                    "cli.check.ok",
                    &[
                        ("path", &s.path.display().to_string()),
                        ("name", &s.name),
                        ("version", &s.schema_version.to_string()),
                        ("milestones", &s.milestones.to_string()),
                        ("audit", &s.audit_entries.to_string()),
                        ("signed", &s.signed_documents.to_string()),
                        ("tasks", &s.tasks.to_string()),
                        ("versions", &s.plan_versions.to_string()),
                        ("kb", &s.bytes.div_ceil(1024).to_string()),
                    ],
                )
            );
            Invocation::Exit(0)
        }
        Err(e) => {
            let _ = writeln!(err, "{}", e.message(lang));
            Invocation::Exit(1)
        }
    }
}

/// `liaison warnings FILE [--today YYYY-MM-DD] [--json]`: the early warnings at a moment (now, or
/// the start of the day given), as lines in the user's language or as a JSON array.
pub(super) fn warnings(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let (positional, values) = match parsed(lang, err, args, &["--today"], &["--json"]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let file = match one_file(lang, err, &positional) {
        Ok(f) => PathBuf::from(f),
        Err(exit) => return exit,
    };
    let json = flag(&values, "--json");
    let now = match option(&values, "--today").map(crate::clock::parse_date) {
        Some(Some(d)) => d.and_hms_opt(0, 0, 0).expect("midnight"),
        Some(None) => return usage(lang, err, "cli.error.bad_date", &[("option", "--today")]),
        None => crate::clock::now(),
    };
    let list = Project::read_only(&file).and_then(|(conn, version)| {
        if version < 4 {
            return Err(crate::Error::refused("cli.warnings.old", &[]));
        }
        crate::warnings::for_project(&conn, now)
    });
    let list = match list {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(err, "{}", e.message(lang));
            return Invocation::Exit(1);
        }
    };
    if json {
        let items: Vec<serde_json::Value> = list
            .iter()
            .map(|w| {
                serde_json::json!({
                    "rule": w.rule,
                    "severity": w.severity,
                    "object": w.object,
                    "label": w.label,
                    "message": w.message.get(lang),
                    "messages": w.message,
                    "action": w.action.get(lang),
                })
            })
            .collect();
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&items).expect("serializes")
        );
    } else if list.is_empty() {
        let _ = writeln!(out, "{}", i18n::text(lang, "cli.warnings.none"));
    } else {
        for w in &list {
            let _ = writeln!(
                out,
                "[{}] {} — {}",
                i18n::text(lang, &format!("severity.{}", w.severity)),
                w.message.get(lang),
                w.action.get(lang)
            );
        }
    }
    Invocation::Exit(0)
}

/// `liaison new-from SOURCE TARGET [--name NAME]`: a new project with the departments, people,
/// communication plan and carried-forward improvements of SOURCE.
pub(super) fn new_from(
    lang: Lang,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Invocation {
    let (positional, values) = match parsed(lang, err, args, &["--name"], &["--force"]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let [source, target] = &positional[..] else {
        return usage(lang, err, "cli.error.missing_file", &[]);
    };
    let target = PathBuf::from(target);
    if same_file(&PathBuf::from(source), &target) {
        return failed(
            lang,
            err,
            crate::Error::refused(
                "output.same_as_input",
                &[("path", target.display().to_string())],
            ),
        );
    }
    if target.exists() && !flag(&values, "--force") {
        let _ = writeln!(
            err,
            "{}",
            i18n::format(
                lang,
                "cli.demo.exists",
                &[("path", &target.display().to_string())]
            )
        );
        return Invocation::Exit(1);
    }
    let name = option(&values, "--name")
        .map(str::to_string)
        .unwrap_or_else(|| {
            target
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default()
        });
    let result = Project::read_only(&PathBuf::from(source)).and_then(|(conn, _)| {
        output::check(&target, Output::Project, true)?;
        crate::library::new_from(&conn, &target, &name, &author())
    });
    match result {
        Ok((_, c)) => {
            let _ = writeln!(
                out,
                "{}",
                i18n::format(
                    lang,
                    "cli.new_from.done",
                    &[
                        ("path", &target.display().to_string()),
                        ("departments", &c.departments.to_string()),
                        ("people", &c.people.to_string()),
                        ("comm", &c.comm_plan.to_string()),
                        ("checklist", &c.checklist.to_string()),
                    ],
                )
            );
            Invocation::Exit(0)
        }
        Err(e) => failed_write(lang, err, e),
    }
}
