//! The layering rule of the core, enforced: the layer table below, and a test that reads every
//! source file and fails when a module uses one it may not.
//!
//! The rule: the core's top-level modules are listed in `LAYERS`, lowest first, and a module may
//! use (`crate::x`, `use crate::{x, …}`) only the modules listed before it, in its own layer or a
//! lower one. Test code (`*tests.rs`, `*_tests.rs`, what follows `#[cfg(test)]`) may use anything.
//! A new module must be given its place here, or the test fails.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first; inside a layer, too, a module uses only those before it.
const LAYERS: &[(&str, &[&str])] = &[
    // Depends on nothing of the domain: messages, errors, hashing, wording, the kinds' names,
    // field checks, the clock and date forms, atomic file writes, the audit log, PDF drawing.
    (
        "base",
        &[
            "i18n",
            "error",
            "fingerprint",
            "wording",
            "kind",
            "validate",
            "clock",
            "fsio",
            "audit",
            "pdf",
            "log_file",
        ],
    ),
    // Project files, the files written for the user, and the files of signing by key.
    (
        "storage",
        &[
            "storage",
            "output",
            "prefs",
            "canonical_file",
            "identity",
            "signing_files",
        ],
    ),
    // The records and their rules; the sign-off mechanism low in it (it knows documents only
    // through `signoff::Document`).
    (
        "domain",
        &[
            "doc_state",
            "people",
            "signoff",
            "registration",
            "org",
            "comms",
            "plan",
            "meetings",
            "reports",
            "comm_log",
            "control",
            "changes",
            "closing",
            "acceptance",
            "retro",
            "ics",
        ],
    ),
    // What reads across the domain: the registry of signed documents, `check`, the PDFs,
    // warnings and the dashboard, import and export, the knowledge base, archiving.
    (
        "across",
        &[
            "kinds",
            "documents",
            "remote_sign",
            "integrity",
            "warnings",
            "dashboard",
            "interchange",
            "library",
            "archive",
            // What each stage of the app draws.
            "screens",
            // Reaching the participants: e-mail and group robots, the record of what was sent.
            "send",
        ],
    ),
    // Entry points.
    ("entry", &["demo", "cli"]),
];

/// What `lib.rs` re-exports at the crate root, and the module each comes from.
const REEXPORTS: &[(&str, &str)] = &[
    ("Error", "error"),
    ("Result", "error"),
    ("Lang", "i18n"),
    ("Project", "storage"),
    ("DocKind", "kind"),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to (`plan/tasks.rs` → `plan`), None for `lib.rs`.
fn module_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    if rel.components().count() > 1 {
        return Some(first);
    }
    let stem = first.strip_suffix(".rs")?;
    (stem != "lib").then(|| stem.to_string())
}

fn is_test_file(rel: &Path) -> bool {
    let name = rel.file_name().unwrap().to_str().unwrap();
    name.ends_with("tests.rs") || name.contains("_tests")
}

/// The code of a file without comments and test code: comment lines dropped, `#[cfg(test)]` with
/// the item after it (a `mod …;` line, or a `mod tests { … }` to the end of the file).
fn production_code(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("//") {
            continue;
        }
        if t.starts_with("#[cfg(test)]") {
            match lines.next() {
                Some(next) if next.trim_start().starts_with("mod ") && next.contains('{') => break,
                _ => continue,
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The first path segment of every `crate::…` reference, braces included
/// (`use crate::{audit::{self, Change}, error::Result}` → audit, error).
fn crate_refs(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in code.match_indices("crate::") {
        // `liaison_core::crate` does not exist; skip `$crate` and words ending in `crate`.
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && !c.is_whitespace() => {
                        item_start = false;
                        let name = ident(&group[j..]);
                        if !name.is_empty() {
                            out.insert(name);
                        }
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// Every use of a module by another, outside test code: (user, used) → the files.
fn uses() -> BTreeMap<(String, String), BTreeSet<String>> {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let reexports: BTreeMap<&str, &str> = REEXPORTS.iter().copied().collect();
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for path in files {
        let rel = path.strip_prefix(&root).unwrap().to_path_buf();
        let Some(module) = module_of(&rel) else {
            continue;
        };
        if is_test_file(&rel) {
            continue;
        }
        let code = production_code(&std::fs::read_to_string(&path).unwrap());
        for name in crate_refs(&code) {
            let used = reexports
                .get(name.as_str())
                .map(|m| m.to_string())
                .unwrap_or(name);
            if used != module {
                out.entry((module.clone(), used))
                    .or_default()
                    .insert(rel.display().to_string());
            }
        }
    }
    out
}

/// The modules `lib.rs` declares.
fn declared_modules() -> BTreeSet<String> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    production_code(&lib)
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            l.strip_prefix("mod ")?
                .strip_suffix(';')
                .map(str::to_string)
        })
        .collect()
}

/// Each module's place in the total order of `LAYERS`, and its layer's name.
fn ranks() -> BTreeMap<&'static str, (usize, &'static str)> {
    let mut out = BTreeMap::new();
    for (layer, modules) in LAYERS {
        for m in *modules {
            let rank = out.len();
            assert!(
                out.insert(*m, (rank, *layer)).is_none(),
                "{m} is listed twice in LAYERS"
            );
        }
    }
    out
}

/// What breaks the rule: modules missing from the table or not declared, and uses of a module
/// not listed before the user.
fn violations(uses: &BTreeMap<(String, String), BTreeSet<String>>) -> Vec<String> {
    let ranks = ranks();
    let declared = declared_modules();
    let mut out = Vec::new();
    for m in &declared {
        if !ranks.contains_key(m.as_str()) {
            out.push(format!("module {m} has no place in LAYERS"));
        }
    }
    for m in ranks.keys() {
        if !declared.contains(*m) {
            out.push(format!("LAYERS lists {m}, which lib.rs does not declare"));
        }
    }
    for ((user, used), files) in uses {
        let (Some(&(ru, lu)), Some(&(rd, ld))) =
            (ranks.get(user.as_str()), ranks.get(used.as_str()))
        else {
            if declared.contains(used) || ranks.contains_key(used.as_str()) {
                continue; // reported above
            }
            out.push(format!(
                "{user} uses crate::{used}, which is not a module ({files:?})"
            ));
            continue;
        };
        if rd > ru {
            let files: Vec<&String> = files.iter().collect();
            out.push(format!(
                "{user} ({lu}) uses {used} ({ld}), listed after it, in {files:?}"
            ));
        }
    }
    out
}

#[test]
fn every_module_uses_only_modules_below_it() {
    let found = violations(&uses());
    assert!(
        found.is_empty(),
        "the layering rule (src/layers_tests.rs) is broken:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_reader_finds_uses_in_paths_and_use_groups_but_not_in_comments_or_tests() {
    let code = production_code(
        "use crate::{audit::{self, Change}, error::Result};\n\
         /// See [`crate::demo`].\n\
         fn f() { crate::plan::load(); let x = $crate::y; }\n\
         #[cfg(test)]\nmod helpers;\n\
         #[cfg(test)]\nmod tests {\n    use crate::cli;\n}\n",
    );
    let refs: Vec<String> = crate_refs(&code).into_iter().collect();
    assert_eq!(refs, ["audit", "error", "plan"]);
    // An upward use is reported with its file; a lower one is not.
    let mut uses = BTreeMap::new();
    uses.insert(
        ("signoff".to_string(), "plan".to_string()),
        BTreeSet::from(["signoff/mod.rs".to_string()]),
    );
    uses.insert(
        ("plan".to_string(), "signoff".to_string()),
        BTreeSet::from(["plan/publish.rs".to_string()]),
    );
    let found = violations(&uses);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("signoff (domain) uses plan (domain)"));
    assert!(found[0].contains("signoff/mod.rs"));
}
