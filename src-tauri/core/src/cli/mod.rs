//! The command line of the `liaison` binary, parsed before any window exists (works without a display):
//! dispatch, usage and the shared argument helpers; the commands live in the submodules by job.

use crate::i18n::{self, Lang};
use crate::output::{self, Output};
use crate::storage::Project;
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

mod closing;
mod documents;
mod interchange;
mod keys;
mod project;
mod send;
mod term;

use closing::{close, export_all, search};
use documents::{export, verify};
use interchange::{export_json, export_xlsx, import_json, import_tasks};
use project::{check, demo, new_from, warnings};
pub use term::visible;
use term::Visible;

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
        "key" => keys::key(lang, &args[1..], out, err),
        "bind" => keys::bind(lang, &args[1..], out, err),
        "request" => keys::request(lang, &args[1..], out, err),
        "sign" => keys::sign(lang, &args[1..], out, err),
        "accept" => keys::accept(lang, &args[1..], out, err),
        "send" => send::send(lang, &args[1..], out, err),
        _ => gui(lang, &args, err),
    }
}

fn gui(lang: Lang, args: &[String], err: &mut dyn Write) -> Invocation {
    let (positional, values) = match parsed(lang, err, args, &[], &["--measure-startup"]) {
        Ok(x) => x,
        Err(exit) => return exit,
    };
    let file = match &positional[..] {
        [] => None,
        [a] if looks_like_path(a) => Some(PathBuf::from(a)),
        [a] => return usage(lang, err, "cli.error.unknown_command", &[("command", a)]),
        [_, extra, ..] => {
            return usage(
                lang,
                err,
                "cli.error.extra_argument",
                &[("argument", extra)],
            )
        }
    };
    Invocation::Gui(GuiOptions {
        file,
        measure_startup: flag(&values, "--measure-startup"),
    })
}

/// A bare word is a command; a file name has an extension or a path separator.
fn looks_like_path(a: &str) -> bool {
    a.contains('/') || a.contains('\\') || a.contains('.') || PathBuf::from(a).exists()
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

/// Positional arguments and `(option, value)` pairs.
type Args = (Vec<String>, Vec<(String, String)>);

/// The arguments, or the catalog key and option of a refusal.
type Parsed = std::result::Result<Args, (String, String)>;

/// Splits `args` into positional arguments and `(option, value)` pairs, on lexopt: an option of
/// `options` takes a value (`--out FILE`, `--out=FILE`, `-o FILE`, `-oFILE`), a flag of `flags`
/// none (its value is empty); after `--` everything is positional. A refusal is the catalog key
/// of the reason and the option as typed.
fn parse_options(args: &[String], options: &[&str], flags: &[&str]) -> Parsed {
    use lexopt::Arg;
    let mut parser = lexopt::Parser::from_args(args);
    let (mut positional, mut values) = (Vec::new(), Vec::new());
    let refused = |key: &str, option: String| Err((key.to_string(), option));
    loop {
        let name = match parser.next() {
            Ok(None) => break,
            Ok(Some(Arg::Value(v))) => {
                positional.push(v.to_string_lossy().into_owned());
                continue;
            }
            Ok(Some(Arg::Short(c))) => format!("-{c}"),
            Ok(Some(Arg::Long(l))) => format!("--{l}"),
            // `--flag=value`: a flag given a value.
            Err(lexopt::Error::UnexpectedValue { option, .. }) => {
                return refused("cli.error.flag_value", option)
            }
            Err(e) => return refused("cli.error.unknown_option", e.to_string()),
        };
        if flags.contains(&name.as_str()) {
            values.push((name, String::new()));
        } else if options.contains(&name.as_str()) {
            match parser.value() {
                Ok(v) => values.push((name, v.to_string_lossy().into_owned())),
                Err(_) => return refused("cli.error.missing_value", name),
            }
        } else {
            return refused("cli.error.unknown_option", name);
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

/// Whether the flag `name` was given.
fn flag(values: &[(String, String)], name: &str) -> bool {
    values.iter().any(|(k, _)| k == name)
}

/// The one positional argument a command takes: none is a missing file, a second one is extra.
fn one_file<'a>(
    lang: Lang,
    err: &mut dyn Write,
    positional: &'a [String],
) -> std::result::Result<&'a str, Invocation> {
    match positional {
        [file] => Ok(file),
        [] => Err(usage(lang, err, "cli.error.missing_file", &[])),
        [_, extra, ..] => Err(usage(
            lang,
            err,
            "cli.error.extra_argument",
            &[("argument", extra)],
        )),
    }
}

/// The whole number given to option `name`, if given; refused in the catalog's words.
pub(super) fn number(
    lang: Lang,
    err: &mut dyn Write,
    values: &[(String, String)],
    name: &str,
) -> std::result::Result<Option<i64>, Invocation> {
    match option(values, name) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| usage(lang, err, "cli.error.bad_number", &[("option", name)])),
    }
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

/// The language a document is written in: `--lang`, or the user's.
fn doc_lang(values: &[(String, String)], lang: Lang) -> Option<Lang> {
    match option(values, "--lang") {
        Some(l) => Lang::parse(l),
        None => Some(lang),
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

/// Runs the command line in this process, as the tests do: what it returned, printed and said.
#[cfg(test)]
pub(crate) fn run_captured(args: &[&str]) -> (Invocation, String, String) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> (Invocation, String, String) {
        run_captured(args)
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

    fn split(args: &[&str]) -> Parsed {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        parse_options(&args, &["--out", "-o", "--lang"], &["--force"])
    }

    #[test]
    fn options_take_their_value_in_every_usual_spelling() {
        for spelling in [
            &["p.liaison", "--out", "a.pdf"][..],
            &["p.liaison", "--out=a.pdf"],
            &["p.liaison", "-o", "a.pdf"],
            &["p.liaison", "-oa.pdf"],
            &["--out", "a.pdf", "p.liaison"],
        ] {
            let (positional, values) = split(spelling).unwrap();
            assert_eq!(positional, ["p.liaison"], "{spelling:?}");
            assert_eq!(out_option(&values), Some("a.pdf"), "{spelling:?}");
        }
        // A value may look like an option; after `--` everything is a file.
        let (positional, values) = split(&["--out", "--force", "--", "-odd.liaison"]).unwrap();
        assert_eq!(option(&values, "--out"), Some("--force"));
        assert!(!flag(&values, "--force"));
        assert_eq!(positional, ["-odd.liaison"]);
    }

    #[test]
    fn a_bad_option_is_named_with_the_reason_in_the_catalog() {
        let key = |args: &[&str]| split(args).unwrap_err();
        assert_eq!(
            key(&["--frob"]),
            ("cli.error.unknown_option".into(), "--frob".into())
        );
        assert_eq!(
            key(&["-x"]),
            ("cli.error.unknown_option".into(), "-x".into())
        );
        assert_eq!(
            key(&["a", "--out"]),
            ("cli.error.missing_value".into(), "--out".into())
        );
        assert_eq!(
            key(&["--force=yes"]),
            ("cli.error.flag_value".into(), "--force".into())
        );
        // Through a command: the reason in the user's language, then the usage; exit 2.
        for (args, words) in [
            (&["export-json", "p.liaison", "--force=1"][..], "--force"),
            (&["demo", "--large=yes", "f.liaison"], "--large"),
            (&["export-all", "p.liaison", "--out"], "--out"),
        ] {
            let (inv, _, err) = parse(args);
            assert_eq!(inv, Invocation::Exit(2), "{args:?}");
            assert!(err.contains(words), "{args:?}: {err}");
            assert!(!err.contains("cli.error"), "an untranslated key: {err}");
        }
    }
}
