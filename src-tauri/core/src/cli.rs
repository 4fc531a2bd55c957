//! The command line of the `liaison` binary, parsed before any window exists (works without a display).

use crate::i18n::{self, Lang};
use crate::output::{self, Output};
use crate::storage::Project;
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

/// What the binary should do after parsing its arguments.
#[derive(Debug, PartialEq, Eq)]
pub enum Invocation {
    /// Start the desktop app.
    Gui(GuiOptions),
    /// A command ran (or the arguments were wrong): exit with this code.
    Exit(u8),
}

/// Options of the desktop app.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct GuiOptions {
    /// A project file to open, created when it does not exist yet.
    pub file: Option<PathBuf>,
    /// Print the time to the first painted page and the memory then, and quit (benchmarks).
    pub measure_startup: bool,
}

/// Parses `args` (without the program name) and runs any command-line command. Everything it
/// prints goes through [`Visible`]: project text never reaches the terminal as control codes.
pub fn run(args: Vec<OsString>, out: &mut dyn Write, err: &mut dyn Write) -> Invocation {
    dispatch(args, &mut Visible(out), &mut Visible(err))
}

/// `text` with every control character shown as a visible sign: C0 codes as their Unicode
/// pictures (ESC → ␛, BEL → ␇, NUL → ␀), DEL as ␡, C1 codes and the bidirectional overrides
/// (which reorder what a terminal shows) as `\u0085`-style escapes (also valid inside JSON
/// strings). Line breaks and tabs stay.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !hidden(c) => out.push(c),
            '\u{0}'..='\u{1F}' => {
                out.push(char::from_u32(0x2400 + c as u32).expect("control pictures"))
            }
            '\u{7F}' => out.push('\u{2421}'),
            c => out.push_str(&format!("\\u{:04x}", c as u32)),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A writer that passes text through [`visible`].
struct Visible<'a>(&'a mut dyn Write);

impl Write for Visible<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // Formatting writes whole `str` pieces, so a piece is valid UTF-8 on its own.
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(visible(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

fn dispatch(args: Vec<OsString>, out: &mut dyn Write, err: &mut dyn Write) -> Invocation {
    let lang = Lang::from_env();
    let args: Vec<String> = match args.into_iter().map(|a| a.into_string()).collect() {
        Ok(v) => v,
        Err(_) => return usage(lang, err, "cli.error.encoding", &[]),
    };
    let Some(first) = args.first() else {
        return Invocation::Gui(GuiOptions::default());
    };
    match first.as_str() {
        "--version" | "-V" | "version" => {
            let _ = writeln!(out, "liaison {}", env!("CARGO_PKG_VERSION"));
            Invocation::Exit(0)
        }
        "help" | "--help" | "-h" => {
            let _ = writeln!(out, "{}", i18n::text(lang, "cli.usage"));
            Invocation::Exit(0)
        }
        "demo" => demo(lang, &args[1..], out, err),
        "check" => check(lang, &args[1..], out, err),
        "warnings" => warnings(lang, &args[1..], out, err),
        "export" => export(lang, &args[1..], out, err),
        "verify" => verify(lang, &args[1..], out, err),
        "close" => close(lang, &args[1..], out, err),
        "export-all" => export_all(lang, &args[1..], out, err),
        "search" => search(lang, &args[1..], out, err),
        "new-from" => new_from(lang, &args[1..], out, err),
        "export-xlsx" => export_xlsx(lang, &args[1..], out, err),
        "import-tasks" => import_tasks(lang, &args[1..], out, err),
        "export-json" => export_json(lang, &args[1..], out, err),
        "import-json" => import_json(lang, &args[1..], out, err),
        _ => gui(lang, &args, err),
    }
}

fn gui(lang: Lang, args: &[String], err: &mut dyn Write) -> Invocation {
    let mut opts = GuiOptions::default();
    for a in args {
        if a == "--measure-startup" {
            opts.measure_startup = true;
        } else if a.starts_with('-') {
            return usage(lang, err, "cli.error.unknown_option", &[("option", a)]);
        } else if opts.file.is_some() {
            return usage(lang, err, "cli.error.extra_argument", &[("argument", a)]);
        } else if looks_like_path(a) {
            opts.file = Some(PathBuf::from(a));
        } else {
            return usage(lang, err, "cli.error.unknown_command", &[("command", a)]);
        }
    }
    Invocation::Gui(opts)
}

/// A bare word is a command; a file name has an extension or a path separator.
fn looks_like_path(a: &str) -> bool {
    a.contains('/') || a.contains('\\') || a.contains('.') || PathBuf::from(a).exists()
}

fn demo(lang: Lang, args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Invocation {
    let mut file = None;
    let (mut large, mut force, mut closed) = (false, false, false);
    for a in args {
        match a.as_str() {
            "--large" => large = true,
            "--closed" => closed = true,
            "--force" => force = true,
            s if s.starts_with('-') => {
                return usage(lang, err, "cli.error.unknown_option", &[("option", s)])
            }
            s if file.is_none() => file = Some(PathBuf::from(s)),
            s => return usage(lang, err, "cli.error.extra_argument", &[("argument", s)]),
        }
    }
    let Some(file) = file else {
        return usage(lang, err, "cli.error.missing_file", &[]);
    };
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
        crate::demo::write_large(&file)
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

fn check(lang: Lang, args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Invocation {
    let [file] = args else {
        return match args.len() {
            0 => usage(lang, err, "cli.error.missing_file", &[]),
            _ => usage(
                lang,
                err,
                "cli.error.extra_argument",
                &[("argument", &args[1])],
            ),
        };
    };
    if file.starts_with('-') {
        return usage(lang, err, "cli.error.unknown_option", &[("option", file)]);
    }
    let path = PathBuf::from(file);
    match Project::check(&path) {
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
fn warnings(lang: Lang, args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Invocation {
    let (mut file, mut today, mut json) = (None, None, false);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--today" => {
                let Some(day) = it.next().and_then(|d| crate::registration::parse_date(d)) else {
                    return usage(lang, err, "cli.error.bad_date", &[("option", "--today")]);
                };
                today = Some(day);
            }
            s if s.starts_with('-') => {
                return usage(lang, err, "cli.error.unknown_option", &[("option", s)])
            }
            s if file.is_none() => file = Some(PathBuf::from(s)),
            s => return usage(lang, err, "cli.error.extra_argument", &[("argument", s)]),
        }
    }
    let Some(file) = file else {
        return usage(lang, err, "cli.error.missing_file", &[]);
    };
    let now = match today {
        Some(d) => d.and_hms_opt(0, 0, 0).expect("midnight"),
        None => crate::control::now(),
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

/// Who the command line acts as: the name set in the app, else the account's.
fn author() -> String {
    let prefs = crate::prefs::Prefs::load(&crate::prefs::config_dir());
    match prefs.display_name.trim() {
        "" => std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .ok()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| i18n::text(prefs.language, "project.user.unset")),
        n => n.to_string(),
    }
}

/// `liaison export KIND PROJECT --out FILE.pdf [--id ID|all] [--lang zh|en]`.
fn export(lang: Lang, args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Invocation {
    use crate::documents::{self, Kind, Target};
    let (mut positional, mut file_out, mut id, mut doc_lang) = (Vec::new(), None, None, lang);
    let mut force = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--force" => force = true,
            "--out" | "-o" => match it.next() {
                Some(f) => file_out = Some(PathBuf::from(f)),
                None => return usage(lang, err, "cli.error.missing_value", &[("option", a)]),
            },
            "--id" => match it.next() {
                Some(v) => id = Some(v.clone()),
                None => return usage(lang, err, "cli.error.missing_value", &[("option", a)]),
            },
            "--lang" => match it.next().and_then(|l| Lang::parse(l)) {
                Some(l) => doc_lang = l,
                None => return usage(lang, err, "cli.error.bad_lang", &[]),
            },
            s if s.starts_with('-') => {
                return usage(lang, err, "cli.error.unknown_option", &[("option", s)])
            }
            s => positional.push(s.to_string()),
        }
    }
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
    let Some(kind) = Kind::parse(kind) else {
        return usage(lang, err, "cli.error.bad_kind", &[("kind", kind)]);
    };
    let Some(target) = Target::parse(id.as_deref()) else {
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
fn verify(lang: Lang, args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Invocation {
    let [pdf, project] = args else {
        return match args.len() {
            0 | 1 => usage(lang, err, "cli.error.missing_file", &[]),
            _ => usage(
                lang,
                err,
                "cli.error.extra_argument",
                &[("argument", &args[2])],
            ),
        };
    };
    let result = Project::read_only(&PathBuf::from(project))
        .and_then(|(conn, _)| crate::documents::verify(&conn, &PathBuf::from(pdf), lang));
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

/// Positional arguments and `(option, value)` pairs.
type Args = (Vec<String>, Vec<(String, String)>);

/// The arguments, or the catalog key and option of a refusal.
type Parsed = std::result::Result<Args, (String, String)>;

/// Splits `args` into positional arguments and `--option value` pairs (`flags` take no value).
fn parse_options(args: &[String], options: &[&str], flags: &[&str]) -> Parsed {
    let (mut positional, mut values) = (Vec::new(), Vec::new());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if flags.contains(&a.as_str()) {
            values.push((a.clone(), String::new()));
        } else if options.contains(&a.as_str()) {
            match it.next() {
                Some(v) => values.push((a.clone(), v.clone())),
                None => return Err(("cli.error.missing_value".into(), a.clone())),
            }
        } else if a.starts_with('-') {
            return Err(("cli.error.unknown_option".into(), a.clone()));
        } else {
            positional.push(a.clone());
        }
    }
    Ok((positional, values))
}

/// `parse_options`, with a refusal already printed as usage (exit 2).
fn parsed(
    lang: Lang,
    err: &mut dyn Write,
    args: &[String],
    options: &[&str],
    flags: &[&str],
) -> std::result::Result<Args, Invocation> {
    parse_options(args, options, flags)
        .map_err(|(key, option)| usage(lang, err, &key, &[("option", &option)]))
}

/// The file given with `--out` or `-o`.
fn out_option(values: &[(String, String)]) -> Option<&str> {
    option(values, "--out").or(option(values, "-o"))
}

fn option<'a>(values: &'a [(String, String)], name: &str) -> Option<&'a str> {
    values
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Prints an error in the user's language and exits with 1 (a command that only reads).
fn failed(lang: Lang, err: &mut dyn Write, e: crate::Error) -> Invocation {
    let _ = writeln!(err, "{}", e.message(lang));
    Invocation::Exit(1)
}

/// `failed` for a command that tried to write: a storage failure says the change was not saved.
fn failed_write(lang: Lang, err: &mut dyn Write, e: crate::Error) -> Invocation {
    let _ = writeln!(err, "{}", e.message_after_write(lang));
    Invocation::Exit(1)
}

/// Whether `a` and `b` name the same existing file (through links or `..` too).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// `liaison close FILE`: archives a project whose acceptance and retrospective are signed.
fn close(lang: Lang, args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Invocation {
    let [file] = args else {
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
fn export_all(lang: Lang, args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Invocation {
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
fn search(lang: Lang, args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Invocation {
    let (positional, values) =
        match parse_options(args, &["--kind", "--index", "--limit"], &["--json"]) {
            Ok(x) => x,
            Err((key, option)) => return usage(lang, err, &key, &[("option", &option)]),
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
            if option(&values, "--json").is_some() {
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

/// `liaison new-from SOURCE TARGET [--name NAME]`: a new project with the departments, people,
/// communication plan and carried-forward improvements of SOURCE.
fn new_from(lang: Lang, args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Invocation {
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
    if target.exists() && option(&values, "--force").is_none() {
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

/// The language a document is written in: `--lang`, or the user's.
fn doc_lang(values: &[(String, String)], lang: Lang) -> Option<Lang> {
    match option(values, "--lang") {
        Some(l) => Lang::parse(l),
        None => Some(lang),
    }
}

/// `liaison export-xlsx KIND PROJECT --out FILE.xlsx [--lang zh|en]`.
fn export_xlsx(
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
    let force = option(&values, "--force").is_some();
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
fn import_tasks(
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
    let dry = option(&values, "--dry-run").is_some();
    let create = option(&values, "--create").is_some();
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
fn export_json(
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
    let force = option(&values, "--force").is_some();
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
fn import_json(
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

fn usage(lang: Lang, err: &mut dyn Write, key: &str, args: &[(&str, &str)]) -> Invocation {
    let _ = writeln!(
        err,
        "{}\n\n{}",
        i18n::format(lang, key, args),
        i18n::text(lang, "cli.usage")
    );
    Invocation::Exit(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> (Invocation, String, String) {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let inv = run(
            args.iter().map(OsString::from).collect(),
            &mut out,
            &mut err,
        );
        (
            inv,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn control_characters_are_shown_never_sent() {
        assert_eq!(visible("plain 中文\n\tok"), "plain 中文\n\tok");
        assert_eq!(visible("a\u{1b}[2Jb\u{7}\u{0}"), "a␛[2Jb␇␀");
        assert_eq!(visible("\r\u{7f}\u{85}\u{202e}"), "␍␡\\u0085\\u202e");
        let mut sink = Vec::new();
        let name = "名\u{1b}]0;x\u{7}";
        write!(Visible(&mut sink), "「{name}」").unwrap();
        assert_eq!(String::from_utf8(sink).unwrap(), "「名␛]0;x␇」");
    }

    #[test]
    fn arguments_choose_between_the_app_and_a_command() {
        assert_eq!(parse(&[]).0, Invocation::Gui(GuiOptions::default()));
        let (inv, _, _) = parse(&["plan.liaison"]);
        assert_eq!(
            inv,
            Invocation::Gui(GuiOptions {
                file: Some("plan.liaison".into()),
                measure_startup: false
            })
        );
        let (inv, out, _) = parse(&["--version"]);
        assert_eq!(inv, Invocation::Exit(0));
        assert!(out.starts_with("liaison "));
        for bad in [
            &["frobnicate"][..],
            &["--frob"],
            &["check"],
            &["check", "a", "b"],
            &["demo", "--x", "f"],
        ] {
            let (inv, _, err) = parse(bad);
            assert_eq!(inv, Invocation::Exit(2), "{bad:?}");
            assert!(err.contains("liaison"), "usage is shown for {bad:?}: {err}");
        }
    }
}
