//! Hostile and broken input to the JSON import, the spreadsheet import and opening a project file:
//! each case of issue 16 (items 2, 3, 7 and 8) through the real binary — exit code, a refusal in
//! Chinese naming the bad value with no library or debug text, the input unchanged, nothing
//! written, bounded time — and a bounded mutation loop ("fuzz") over the same three paths.
//! Large inputs are generated here, never committed.

use crate::util::*;
use liaison_core::interchange::{json, tasks};
use liaison_core::{Lang, Project};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Words of library or debug text that must never reach a user (a refusal is in the catalog's
/// words, with paths and values filled in).
const FOREIGN: &[&str] = &[
    "error", "Error", "expected", "invalid", "failed", "os error", "Some(", "None", "{", "}",
    "at line", "EOF", "Xml", "Zip", "sqlite", "SQLITE",
];

fn assert_plain(message: &str) {
    let text = without_paths(message);
    for w in FOREIGN {
        assert!(!text.contains(w), "library/debug text {w:?} in {message:?}");
    }
}

/// `message` without the JSON paths and file paths it names (they hold whatever the input held,
/// e.g. a mutated column name), which end at a space or the first non-ASCII character.
fn without_paths(message: &str) -> String {
    let mut out = String::new();
    let mut in_path = false;
    for c in message.chars() {
        if !in_path && (c == '$' || c == '/') {
            in_path = true;
        } else if in_path && (c.is_whitespace() || !c.is_ascii()) {
            in_path = false;
        }
        if !in_path {
            out.push(c);
        }
    }
    out
}

/// The sample project as JSON (what `export-json` writes).
fn sample_json(dir: &Path) -> Value {
    let project = demo_file(dir, "sample.liaison");
    let p = Project::open(&project).unwrap();
    let v = json::export(p.conn()).unwrap();
    drop(p);
    std::fs::remove_file(&project).unwrap();
    v
}

/// Runs `import-json` on `v` written to a file; asserts a refusal (exit 1), nothing written, the
/// input unchanged and a plain message, and returns the message.
fn refused_json(dir: &Path, v: &Value) -> String {
    let input = dir.join("in.json");
    let text = serde_json::to_string(v).unwrap();
    std::fs::write(&input, &text).unwrap();
    let out = dir.join("out.liaison");
    let started = Instant::now();
    let o = liaison(
        dir,
        &[
            "import-json",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(!out.exists(), "a refused import left a file");
    assert!(
        std::fs::read_to_string(&input).unwrap() == text,
        "the input changed"
    );
    let message = stderr(&o);
    assert_plain(&message);
    message
}

fn index_of_task(v: &Value, nth: usize) -> (usize, i64) {
    let id = v["tables"]["task"][nth]["id"].as_i64().unwrap();
    (nth, id)
}

#[test]
fn import_json_applies_the_checks_of_typed_content() {
    let dir = tempfile::tempdir().unwrap();
    let good = sample_json(dir.path());
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        edit(&mut v);
        v
    };
    // A NUL in the project's name (it would abort the window title).
    let m = refused_json(
        dir.path(),
        &with(&|v| v["tables"]["registration"][0]["name"] = "新品\u{0}上市".into()),
    );
    assert!(
        m.contains("$.tables.registration[0].name") && m.contains("控制字符"),
        "{m}"
    );
    // A duration of 2^63 − 1 working days.
    let m = refused_json(
        dir.path(),
        &with(&|v| v["tables"]["task"][2]["duration"] = i64::MAX.into()),
    );
    assert!(m.contains("$.tables.task[2].duration"), "{m}");
    // Three 20,000-character task names: the plan's own limit refuses them, quickly.
    let started = Instant::now();
    let m = refused_json(
        dir.path(),
        &with(&|v| {
            for i in 1..4 {
                v["tables"]["task"][i]["name"] = "长".repeat(20_000).into();
            }
        }),
    );
    assert!(
        m.contains("$.tables.task[1].name") && m.contains("过长"),
        "{m}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    // A lag beyond ten years of working days.
    let m = refused_json(
        dir.path(),
        &with(&|v| v["tables"]["dependency"][0]["lag"] = i64::MIN.into()),
    );
    assert!(m.contains("$.tables.dependency[0].lag"), "{m}");
    // A date in an absurd year, in a task and in a plain column.
    let m = refused_json(
        dir.path(),
        &with(&|v| v["tables"]["task"][3]["start_date"] = "99999-01-01".into()),
    );
    assert!(m.contains("$.tables.task[3].start_date"), "{m}");
    let m = refused_json(
        dir.path(),
        &with(&|v| v["tables"]["registration"][0]["end_date"] = "0001-01-01".into()),
    );
    assert!(
        m.contains("$.tables.registration[0].end_date") && m.contains("2000"),
        "{m}"
    );
    // JSON inside a text column must have its form.
    let m = refused_json(
        dir.path(),
        &with(&|v| v["tables"]["task"][0]["collaborators"] = "[\"七\"".into()),
    );
    assert!(m.contains("$.tables.task[0].collaborators"), "{m}");
    let m = refused_json(
        dir.path(),
        &with(&|v| v["tables"]["task"][0]["collaborators"] = "[987654]".into()),
    );
    assert!(
        m.contains("$.tables.task[0].collaborators") && m.contains("person"),
        "{m}"
    );
    let m = refused_json(
        dir.path(),
        &with(&|v| v["tables"]["comm_plan"][0]["recurrence"] = "[]".into()),
    );
    assert!(m.contains("$.tables.comm_plan[0].recurrence"), "{m}");
    // A loop in the task tree: the first task's parent is the second, whose parent is the first.
    let m = refused_json(
        dir.path(),
        &with(&|v| {
            let (_, a) = index_of_task(v, 0);
            let (_, b) = index_of_task(v, 1);
            v["tables"]["task"][0]["parent_id"] = b.into();
            v["tables"]["task"][1]["parent_id"] = a.into();
        }),
    );
    assert!(m.contains("$.tables.task[") && m.contains("循环"), "{m}");
    // A loop of dependencies: the reverse of an existing one.
    let m = refused_json(
        dir.path(),
        &with(&|v| {
            let mut back = v["tables"]["dependency"][0].clone();
            let (p, s) = (back["predecessor_id"].clone(), back["successor_id"].clone());
            back["predecessor_id"] = s;
            back["successor_id"] = p;
            back["id"] = 9_999.into();
            v["tables"]["dependency"].as_array_mut().unwrap().push(back);
        }),
    );
    assert!(
        m.contains("$.tables.dependency[") && m.contains("循环"),
        "{m}"
    );
    // The refusals are in the user's language: the same case in English.
    let input = dir.path().join("in.json");
    let o = Command::new(bin())
        .args(["import-json", input.to_str().unwrap(), "--out"])
        .arg(dir.path().join("en.liaison"))
        .env("LIAISON_LANG", "en")
        .env("LIAISON_CONFIG_DIR", dir.path().join("config"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("loop"), "{}", stderr(&o));
}

#[test]
fn a_thirty_thousand_level_tree_is_refused_quickly_and_small() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = sample_json(dir.path());
    let tasks = v["tables"]["task"].as_array_mut().unwrap();
    let template = tasks[0].clone();
    let mut parent = Value::Null;
    for i in 0..30_000 {
        let mut t = template.clone();
        let id = 100_000 + i;
        t["id"] = id.into();
        t["parent_id"] = parent;
        t["position"] = 0.into();
        t["name"] = format!("层级 {i}").into();
        parent = id.into();
        tasks.push(t);
    }
    let started = Instant::now();
    let m = refused_json(dir.path(), &v);
    assert!(m.contains("$.tables.task[") && m.contains("20"), "{m}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn json_with_a_byte_order_mark_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let good = sample_json(dir.path());
    let input = dir.path().join("bom.json");
    let text = format!("\u{feff}{}", serde_json::to_string_pretty(&good).unwrap());
    std::fs::write(&input, &text).unwrap();
    let out = dir.path().join("from-bom.liaison");
    let o = liaison(
        dir.path(),
        &[
            "import-json",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = liaison(dir.path(), &["check", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Runs `import-tasks --dry-run` on `sheet` against a fresh sample; returns (exit code, stdout,
/// stderr) after checking the time bound, the sheet unchanged and the project unchanged.
fn import_sheet(dir: &Path, sheet: &Path) -> (Option<i32>, String, String) {
    let project = dir.join("target.liaison");
    if !project.exists() {
        demo_file(dir, "target.liaison");
    }
    // The plan as it was (a dry run must not add to it; the open stamp may change).
    let tasks = || -> Vec<String> {
        let c = rusqlite::Connection::open(&project).unwrap();
        let mut s = c.prepare("SELECT name FROM task ORDER BY id").unwrap();
        let names = s.query_map([], |r| r.get(0)).unwrap();
        names.map(Result::unwrap).collect()
    };
    let before = tasks();
    let sheet_before = std::fs::symlink_metadata(sheet)
        .ok()
        .filter(|m| m.is_file())
        .map(|_| std::fs::read(sheet).unwrap());
    let started = Instant::now();
    let o = liaison(
        dir,
        &[
            "import-tasks",
            project.to_str().unwrap(),
            sheet.to_str().unwrap(),
            "--dry-run",
        ],
    );
    assert!(
        started.elapsed() < Duration::from_secs(40),
        "{:?}",
        started.elapsed()
    );
    if let Some(b) = sheet_before {
        assert!(std::fs::read(sheet).unwrap() == b, "the sheet changed");
    }
    assert!(tasks() == before, "a dry run changed the plan");
    (o.status.code(), stdout(&o), stderr(&o))
}

/// Writes an .xlsx made by hand (Python's zipfile): the sheet XML `sheet`, and a shared-strings
/// part of `filler` zero characters (to make a zip bomb).
fn handmade_xlsx(path: &Path, sheet: &str, filler: usize) {
    let script = r#"
import sys, zipfile
path, sheet, filler = sys.argv[1], sys.argv[2], int(sys.argv[3])
ct = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
rels = '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
wb = '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
wbrels = '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', ct)
    z.writestr('_rels/.rels', rels)
    z.writestr('xl/workbook.xml', wb)
    z.writestr('xl/_rels/workbook.xml.rels', wbrels)
    z.writestr('xl/worksheets/sheet1.xml', sheet)
    if filler:
        with z.open('xl/sharedStrings.xml', 'w') as f:
            chunk = b'0' * (1 << 20)
            for _ in range(filler >> 20):
                f.write(chunk)
"#;
    let o = Command::new("/usr/bin/python3")
        .args(["-c", script])
        .arg(path)
        .arg(sheet)
        .arg(filler.to_string())
        .output()
        .expect("python3");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

const SHEET_HEAD: &str = r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>任务名称</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>需求评审</t></is></c></row>"#;

#[test]
fn spreadsheets_are_read_within_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A small workbook by hand is read (the hand-made form is a real workbook).
    let fine = d.join("fine.xlsx");
    handmade_xlsx(&fine, &format!("{SHEET_HEAD}</sheetData></worksheet>"), 0);
    let (code, out, err) = import_sheet(d, &fine);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("需求评审"), "{out}");
    // A cell at XFD1048576 in a 2 KB file (declared and used): refused, no allocation.
    let far = d.join("far.xlsx");
    handmade_xlsx(
        &far,
        &format!(
            r#"{SHEET_HEAD}<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#
        ),
        0,
    );
    assert!(std::fs::metadata(&far).unwrap().len() < 4096);
    let (code, _, err) = import_sheet(d, &far);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("20000") && err.contains("100"), "{err}");
    assert_plain(&err);
    // A zip bomb: a small file whose shared strings unpack to 256 MB.
    let bomb = d.join("bomb.xlsx");
    handmade_xlsx(
        &bomb,
        &format!("{SHEET_HEAD}</sheetData></worksheet>"),
        256 << 20,
    );
    assert!(std::fs::metadata(&bomb).unwrap().len() < 3 << 20);
    let (code, _, err) = import_sheet(d, &bomb);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("解压后"), "{err}");
    assert_plain(&err);
    // Not a workbook at all, and an old format.
    let junk = d.join("junk.xlsx");
    std::fs::write(&junk, b"PK\x03\x04 not really").unwrap();
    let (code, _, err) = import_sheet(d, &junk);
    assert_eq!(code, Some(1));
    assert!(err.contains("无法作为 Excel 工作簿"), "{err}");
    let old = d.join("old.xls");
    std::fs::write(&old, b"\xD0\xCF\x11\xE0").unwrap();
    let (code, _, err) = import_sheet(d, &old);
    assert_eq!(code, Some(1));
    assert!(err.contains(".xlsx"), "{err}");
}

#[test]
fn devices_and_pipes_named_csv_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let zero = d.join("zero.csv");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let (code, _, err) = import_sheet(d, &zero);
    assert_eq!(code, Some(1));
    assert!(err.contains("不是普通文件"), "{err}");
    let fifo = d.join("fifo.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let (code, _, err) = import_sheet(d, &fifo);
    assert_eq!(code, Some(1));
    assert!(err.contains("不是普通文件"), "{err}");
    // A CSV larger than any task table.
    let big = d.join("big.csv");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(tasks::MAX_SHEET_BYTES + 1).unwrap();
    let (code, _, err) = import_sheet(d, &big);
    assert_eq!(code, Some(1));
    assert!(err.contains("MB"), "{err}");
    assert_plain(&err);
}

#[test]
fn utf16_csv_is_read_with_or_without_its_mark() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = "任务名称,主导部门,工期\r\n需求评审,研发部,3\r\nPilot run,市场部,2\r\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    for (name, bytes) in [
        ("le-bom.csv", [&[0xFF, 0xFE][..], &le].concat()),
        ("le.csv", le.clone()),
        ("be-bom.csv", [&[0xFE, 0xFF][..], &be].concat()),
        ("be.csv", be.clone()),
    ] {
        let path = d.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let (code, out, err) = import_sheet(d, &path);
        assert!(!err.contains("找不到表头"), "{name}: {err}");
        assert!(
            out.contains("需求评审") && out.contains("Pilot run"),
            "{name}: {out}{err}"
        );
        assert_eq!(code, Some(0), "{name}: {out}{err}");
    }
}

/// A small deterministic generator (xorshift), so that a failing case can be found again.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One random change to `input`: bytes flipped, inserted, removed, repeated, cut off, or a
/// hostile value put in place of a number or a string.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    let at = rng.below(v.len());
    match rng.below(8) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(v.len());
                if let Some(b) = v.get_mut(i) {
                    *b ^= 1 << rng.below(8);
                }
            }
        }
        1 => {
            let junk: &[&[u8]] = &[
                b"\0",
                b"\xFF\xFE",
                b"\"",
                b",",
                b"\n",
                b"{",
                b"]",
                b"\xE4\xB8",
            ];
            let j = junk[rng.below(junk.len())];
            v.splice(at..at, j.iter().copied());
        }
        2 => {
            let end = (at + rng.below(64)).min(v.len());
            v.drain(at..end);
        }
        3 => {
            let end = (at + rng.below(256)).min(v.len());
            let chunk = v[at..end].to_vec();
            v.splice(at..at, chunk);
        }
        4 => v.truncate(at),
        5 => {
            // A digit run becomes 2^63 − 1.
            if let Some(i) = v[at..].iter().position(u8::is_ascii_digit) {
                let s = at + i;
                let e = s + v[s..].iter().take_while(|b| b.is_ascii_digit()).count();
                v.splice(s..e, i64::MAX.to_string().bytes());
            }
        }
        6 => {
            // A string value becomes long, or holds a NUL escape.
            if let Some(i) = v[at..].iter().position(|b| *b == b'"') {
                let s = at + i + 1;
                let add = if rng.below(2) == 0 {
                    "长".repeat(300).into_bytes()
                } else {
                    b"\\u0000".to_vec()
                };
                v.splice(s..s, add);
            }
        }
        _ => {
            let i = rng.below(v.len());
            if i < v.len() {
                v[i] = rng.next() as u8;
            }
        }
    }
    v
}

/// Rust debug text, which never reaches a user on any path (braces alone may be SQLite quoting a
/// token, counted as library text).
const DEBUG: &[&str] = &["Some(", "None", "Os {", "kind:", "Signed {", "AuditEntry("];

/// The mutation loop: each input path gets mutated inputs until the time is up. The run fails on a
/// panic (caught, with the seed and the round), on a refusal with library or debug text, on an
/// input file that changed, or on one case taking too long.
fn fuzz_for(budget: Duration, seed: u64) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sample = sample_json(d);
    let json_seed = serde_json::to_vec(&sample).unwrap();
    let project = demo_file(d, "fuzz-target.liaison");
    let xlsx = d.join("seed.xlsx");
    let o = liaison(
        d,
        &[
            "export-xlsx",
            "allocation",
            project.to_str().unwrap(),
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let xlsx_seed = std::fs::read(&xlsx).unwrap();
    let csv_seed = "编号,任务名称,主导部门,负责人,开始时间,工期,前置任务\n1,需求评审,研发部,,2023-10-09,3,\n1.1,方案,研发部,,2023-10-12,2,1FS+1\n"
        .as_bytes()
        .to_vec();
    let file_seed = std::fs::read(demo_file(d, "file-seed.liaison")).unwrap();
    let target = Project::open(&project).unwrap();
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut rounds = 0;
    let mut library_text = 0;
    while started.elapsed() < budget {
        let kind = rounds % 4;
        let (seed_bytes, name): (&[u8], &str) = match kind {
            0 => (&json_seed, "case.json"),
            1 => (&xlsx_seed, "case.xlsx"),
            2 => (csv_seed.as_slice(), "case.csv"),
            _ => (&file_seed, "case.liaison"),
        };
        let mut input = mutate(&mut rng, seed_bytes);
        if rng.below(3) == 0 {
            input = mutate(&mut rng, &input);
        }
        let path: PathBuf = d.join(name);
        std::fs::write(&path, &input).unwrap();
        let out = d.join("fuzz-out.liaison");
        let _ = std::fs::remove_file(&out);
        let one = Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match kind {
            0 => json::import_file(&path, &out).err(),
            1 | 2 => tasks::preview(target.conn(), &path, rounds % 8 < 4, Lang::Zh).err(),
            _ => liaison_core::integrity::check(&path)
                .err()
                .or_else(|| Project::open(&path).err()),
        }));
        let e = result.unwrap_or_else(|_| panic!("panic: seed {seed}, round {rounds}, {name}"));
        if let Some(e) = e {
            let message = e.message(Lang::Zh);
            if kind == 3 {
                // Opening a damaged file: storage's messages (another item of the issue) may
                // still quote SQLite; debug text is refused here too.
                for w in DEBUG {
                    assert!(!message.contains(w), "round {rounds}: {w:?} in {message:?}");
                }
                if FOREIGN.iter().any(|w| without_paths(&message).contains(w)) {
                    library_text += 1;
                }
            } else {
                assert_plain(&message);
            }
            if kind == 0 {
                assert!(
                    !out.exists(),
                    "a refused import left a file (round {rounds})"
                );
            }
        }
        if kind != 3 {
            assert_eq!(
                std::fs::read(&path).unwrap(),
                input,
                "round {rounds} changed its input"
            );
        }
        assert!(
            one.elapsed() < Duration::from_secs(30),
            "round {rounds} ({name}) took {:?}",
            one.elapsed()
        );
        rounds += 1;
    }
    if library_text > 0 {
        eprintln!("fuzz: {library_text} refusals on opening a damaged file quote SQLite");
    }
    rounds
}

/// A short run in the normal suite; `LIAISON_FUZZ_SECONDS` (set by `scripts/fuzz`) makes it long,
/// `LIAISON_FUZZ_SEED` picks another sequence.
#[test]
fn fuzz() {
    let seconds = std::env::var("LIAISON_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let seed = std::env::var("LIAISON_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_1DEA_u64);
    let rounds = fuzz_for(Duration::from_secs(seconds), seed);
    eprintln!("fuzz: {rounds} rounds in {seconds} s (seed {seed})");
    assert!(rounds >= 4, "only {rounds} rounds");
}
