//! Hostile and careless use of the real binary: every case checks the exit code, a message in the
//! user's language with no library or debug text, the input files byte for byte, and no panic.

use crate::util::*;
use liaison_core::Project;
use std::path::Path;
use std::process::Output;

/// ASCII words a Chinese message may contain: product and format names, options, our file names.
const ALLOWED: &[&str] = &[
    "Liaison", "liaison", "PDF", "pdf", "JSON", "json", "Excel", "xlsx", "csv", "force", "tmp",
    "SQLite",
];

/// A refusal in Chinese: exit code `code`, a message on stderr, no English or debug text in it
/// (the test folder's path removed first), nothing on stdout that claims success, no panic.
fn refused(out: &Output, code: i32, dir: &Path, says: &str) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}\n{}", stdout(out));
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains(says), "expected «{says}» in: {err}");
    let cleaned = err.replace(dir.to_str().unwrap(), "");
    for bad in [
        "Some(", "None", "{", "}", "Error", "error", "failed", "os error",
    ] {
        assert!(!cleaned.contains(bad), "«{bad}» in: {err}");
    }
    for word in cleaned.split(|c: char| !c.is_ascii_alphabetic()) {
        assert!(
            word.len() < 3 || ALLOWED.contains(&word),
            "English «{word}» in: {err}"
        );
    }
    err
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn exports_never_write_over_a_project_or_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let project = demo_file(d, "p.liaison");
    let other = demo_file(d, "q.liaison");
    let (p_before, q_before) = (bytes(&project), bytes(&other));

    // Over its own input, over another project, with and without --force.
    for args in [
        vec!["export", "registration", s(&project), "--out", s(&project)],
        vec![
            "export",
            "registration",
            s(&project),
            "--out",
            s(&other),
            "--force",
        ],
        vec!["export-json", s(&project), "--out", s(&project), "--force"],
        vec!["export-json", s(&project), "--out", s(&other)],
        vec![
            "export-xlsx",
            "risks",
            s(&project),
            "--out",
            s(&other),
            "--force",
        ],
    ] {
        let out = liaison(d, &args);
        refused(&out, 1, d, "项目文件");
        assert!(bytes(&project) == p_before, "{args:?}");
        assert!(bytes(&other) == q_before, "{args:?}");
    }

    // A project file under another name is still known by its content.
    let disguised = d.join("p-副本.pdf");
    std::fs::copy(&project, &disguised).unwrap();
    let out = liaison(
        d,
        &[
            "export",
            "registration",
            s(&project),
            "--out",
            s(&disguised),
            "--force",
        ],
    );
    refused(&out, 1, d, "项目文件");
    assert!(bytes(&disguised) == p_before, "file changed");

    // Any existing file needs --force; with it, the file is replaced.
    let pdf = d.join("r.pdf");
    let json = d.join("o.json");
    let sheet = d.join("x.xlsx");
    for f in [&pdf, &json, &sheet] {
        std::fs::write(f, "keep me").unwrap();
    }
    for args in [
        vec!["export", "registration", s(&project), "--out", s(&pdf)],
        vec!["export-json", s(&project), "--out", s(&json)],
        vec!["export-xlsx", "risks", s(&project), "--out", s(&sheet)],
    ] {
        let out = liaison(d, &args);
        refused(&out, 1, d, "--force");
    }
    for f in [&pdf, &json, &sheet] {
        assert!(bytes(f) == b"keep me", "file changed");
    }
    // A refused export did not even open the project (no open stamp written).
    assert!(bytes(&project) == p_before, "file changed");
    let out = liaison(
        d,
        &[
            "export",
            "registration",
            s(&project),
            "--out",
            s(&pdf),
            "--force",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(bytes(&pdf).starts_with(b"%PDF-"));

    // new-from onto its own source, and onto an existing project without --force.
    let out = liaison(d, &["new-from", s(&other), s(&other), "--force"]);
    refused(&out, 1, d, "读取");
    let out = liaison(d, &["new-from", s(&project), s(&other)]);
    refused(&out, 1, d, "--force");
    assert!(bytes(&other) == q_before, "file changed");

    // import-json never replaces a file.
    let out = liaison(
        d,
        &["export-json", s(&other), "--out", s(&d.join("q.json"))],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = liaison(
        d,
        &["import-json", s(&d.join("q.json")), "--out", s(&project)],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(bytes(&other) == q_before, "file changed");

    // No temporary file is left anywhere.
    let left: Vec<String> = listing(d)
        .into_iter()
        .filter(|n| n.ends_with(".part") || n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_project_another_liaison_holds_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let held = demo_file(d, "占用.liaison");
    let source = demo_file(d, "源.liaison");
    // This test process is "another Liaison": it holds the file open, as the app does.
    let mut project = Project::open(&held).unwrap();
    for (args, says) in [
        (vec!["demo", s(&held), "--force"], "另一个"),
        (vec!["new-from", s(&source), s(&held), "--force"], "另一个"),
        (
            vec![
                "export",
                "registration",
                s(&source),
                "--out",
                s(&held),
                "--force",
            ],
            "项目文件",
        ),
        (
            vec!["export-json", s(&source), "--out", s(&held), "--force"],
            "项目文件",
        ),
    ] {
        let out = liaison(d, &args);
        refused(&out, 1, d, says);
    }
    // The holder's later edit lands in the file on disk (it was not replaced under it).
    project
        .conn_mut()
        .execute(
            "INSERT INTO project_meta (key, value) VALUES ('hostile_test', 'still here')",
            [],
        )
        .unwrap();
    drop(project);
    let (conn, _) = Project::read_only(&held).unwrap();
    let mark: String = conn
        .query_row(
            "SELECT value FROM project_meta WHERE key = 'hostile_test'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(mark, "still here");
}

#[test]
fn a_dry_run_writes_nothing_even_when_the_sheet_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let project = demo_file(d, "p.liaison");
    let before = bytes(&project);
    let out = liaison(
        d,
        &[
            "import-tasks",
            s(&project),
            s(&d.join("缺.csv")),
            "--dry-run",
        ],
    );
    let err = refused(&out, 1, d, "不存在");
    assert!(!err.contains("没有保存"), "a read-only run: {err}");
    assert!(bytes(&project) == before, "file changed");

    let sheet = d.join("t.csv");
    std::fs::write(&sheet, "任务名称,开始,工期\n新任务,2023-10-09,3\n").unwrap();
    let out = liaison(d, &["import-tasks", s(&project), s(&sheet), "--dry-run"]);
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert!(bytes(&project) == before, "{}", stdout(&out));
    // Without --dry-run, a missing sheet leaves the project untouched too.
    let out = liaison(d, &["import-tasks", s(&project), s(&d.join("缺.csv"))]);
    refused(&out, 1, d, "不存在");
    assert!(bytes(&project) == before, "file changed");
}

#[test]
fn control_characters_in_project_text_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let path = d.join("控.liaison");
    drop(Project::create(&path, "项目\u{1b}]0;pwned\u{7}\u{1b}[2J\u{0}\u{202e}名").unwrap());
    let sheet = d.join("t.csv");
    std::fs::write(
        &sheet,
        "任务名称,开始,工期\n坏\u{1b}[31m名\u{7},2023-10-09,3\n",
    )
    .unwrap();
    for args in [
        vec!["check", s(&path)],
        vec!["import-tasks", s(&path), s(&sheet), "--dry-run"],
        vec!["warnings", s(&path), "--json"],
    ] {
        let out = liaison(d, &args);
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
        for stream in [&out.stdout, &out.stderr] {
            assert!(
                !stream
                    .iter()
                    .any(|b| (*b < 0x20 && *b != b'\n' && *b != b'\t') || *b == 0x7f),
                "{args:?}: raw control bytes in {:?}",
                String::from_utf8_lossy(stream)
            );
            assert!(!String::from_utf8_lossy(stream).contains('\u{202e}'));
        }
        if args[0] == "check" {
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            assert!(
                stdout(&out).contains("项目␛]0;pwned␇␛[2J␀\\u202e名"),
                "{}",
                stdout(&out)
            );
        }
    }
}

/// `pdf` with a standard incremental update appended after its `%%EOF`: a new content stream, a
/// new page showing it, a new page tree and catalog, a cross-reference section for them and a
/// trailer whose `/Prev` points at the original cross-reference.
fn incremental_update(pdf: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(pdf);
    let at = text.rfind("startxref").unwrap();
    let prev: usize = text[at + 9..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let size: usize = {
        let s = text.rfind("/Size").unwrap();
        text[s + 5..]
            .trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let mut out = pdf.to_vec();
    out.push(b'\n');
    let content = b"BT /F1 24 Tf 72 700 Td (FORGED: approved by nobody) Tj ET";
    let (c, page, pages, root) = (size, size + 1, size + 2, size + 3);
    let mut offsets = Vec::new();
    let mut obj = |out: &mut Vec<u8>, body: Vec<u8>| {
        offsets.push(out.len());
        out.extend(body);
    };
    let mut stream = format!("{c} 0 obj\n<< /Length {} >>\nstream\n", content.len()).into_bytes();
    stream.extend_from_slice(content);
    stream.extend_from_slice(b"\nendstream\nendobj\n");
    obj(&mut out, stream);
    obj(
        &mut out,
        format!(
            "{page} 0 obj\n<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] /Contents {c} 0 R >>\nendobj\n"
        )
        .into_bytes(),
    );
    obj(
        &mut out,
        format!("{pages} 0 obj\n<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>\nendobj\n")
            .into_bytes(),
    );
    obj(
        &mut out,
        format!("{root} 0 obj\n<< /Type /Catalog /Pages {pages} 0 R >>\nendobj\n").into_bytes(),
    );
    let xref = out.len();
    let mut section = format!("xref\n{c} 4\n");
    for o in &offsets {
        section.push_str(&format!("{o:010} 00000 n \n"));
    }
    section.push_str(&format!(
        "trailer\n<< /Size {} /Root {root} 0 R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n",
        size + 4
    ));
    out.extend(section.into_bytes());
    out
}

#[test]
fn verify_refuses_an_incremental_update_and_every_changed_byte() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let project = demo_file(d, "p.liaison");
    // A copy made before the export: same project, no record of the PDF.
    let copy = d.join("副本.liaison");
    std::fs::copy(&project, &copy).unwrap();
    let pdf = d.join("r.pdf");
    let out = liaison(
        d,
        &["export", "registration", s(&project), "--out", s(&pdf)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = liaison(d, &["verify", s(&pdf), s(&project)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("一致"), "{}", stdout(&out));
    let genuine = bytes(&pdf);
    let project_before = bytes(&project);

    let updated = d.join("改.pdf");
    let forged = incremental_update(&genuine);
    std::fs::write(&updated, &forged).unwrap();
    let out = liaison(d, &["verify", s(&updated), s(&project)]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("不一致") && text.contains("追加"),
        "{text}"
    );
    assert!(
        text.contains(&(forged.len() - genuine.len()).to_string()),
        "{text}"
    );
    assert!(!text.contains("「」"), "{text}");
    assert!(bytes(&updated) == forged, "file changed");

    // Ten copies with one bit flipped each, at pseudo-random offsets.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..10 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let at = (seed % genuine.len() as u64) as usize;
        let mut flipped = genuine.clone();
        flipped[at] ^= 1 << (seed >> 60 & 7);
        let f = d.join(format!("翻{i}.pdf"));
        std::fs::write(&f, &flipped).unwrap();
        let out = liaison(d, &["verify", s(&f), s(&project)]);
        assert_ne!(out.status.code(), Some(0), "flip at {at}: {}", stdout(&out));
        assert!(
            !stdout(&out).starts_with("一致"),
            "flip at {at}: {}",
            stdout(&out)
        );
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
        if out.status.code() == Some(2) {
            refused(&out, 2, d, "PDF");
        }
        assert!(!stdout(&out).contains("「」"), "{}", stdout(&out));
    }

    // The genuine file against a copy of the project that never recorded it.
    let out = liaison(d, &["verify", s(&pdf), s(&copy)]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("导出记录中没有"), "{}", stdout(&out));
    // verify only reads.
    assert!(bytes(&project) == project_before, "file changed");
    assert!(bytes(&pdf) == genuine, "file changed");
}

#[test]
fn library_failures_are_said_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let project = demo_file(d, "p.liaison");
    let before = bytes(&project);
    let missing = d.join("没有这个文件夹").join("r.pdf");
    let folder = d.join("文件夹");
    std::fs::create_dir(&folder).unwrap();
    let (no_json, new_project, no_project) =
        (d.join("缺.json"), d.join("n.liaison"), d.join("缺.liaison"));
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["export", "registration", s(&project), "--out", s(&missing)],
            "不存在",
        ),
        (
            vec!["export-json", s(&project), "--out", s(&folder)],
            "文件夹",
        ),
        (
            vec!["export-xlsx", "risks", s(&project), "--out", s(&missing)],
            "不存在",
        ),
        (
            vec!["import-json", s(&no_json), "--out", s(&new_project)],
            "不存在",
        ),
        (vec!["check", s(&no_project)], "找不到"),
    ];
    for (args, says) in cases {
        let out = liaison(d, &args);
        refused(&out, 1, d, says);
        assert!(bytes(&project) == before, "{args:?}");
    }
    // Text that is not JSON: the parser's own words stay out of the message.
    let bad = d.join("坏.json");
    std::fs::write(&bad, "{\"format\": tru").unwrap();
    let out = liaison(
        d,
        &["import-json", s(&bad), "--out", s(&d.join("n.liaison"))],
    );
    refused(&out, 1, d, "JSON");
    // A damaged project file: SQLite's words stay out too.
    let damaged = d.join("坏.liaison");
    let mut b = before.clone();
    let page = 4096.min(b.len() / 2);
    for x in &mut b[page..page + 200] {
        *x = 0x55;
    }
    std::fs::write(&damaged, &b).unwrap();
    let out = liaison(d, &["check", s(&damaged)]);
    if out.status.code() != Some(0) {
        let err = refused(&out, 1, d, "坏.liaison");
        assert!(!err.contains("没有保存"), "check only reads: {err}");
    }
    assert!(bytes(&damaged) == b, "file changed");
}
