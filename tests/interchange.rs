//! Interchange through the real binary, read back by independent tools: the .xlsx files by Python's
//! openpyxl, the project JSON by a JSON Schema validator (both installed by scripts/setup), and the
//! JSON round trip of the sample and the --large project.

use crate::util::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Runs a Python script (with `/usr/bin/python3`, where setup installs openpyxl and jsonschema)
/// and parses the JSON it prints.
fn python(script: &str, args: &[&Path]) -> Value {
    let out = Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("/usr/bin/python3 with openpyxl and jsonschema (installed by scripts/setup)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

const READ_XLSX: &str = r#"
import json, sys, datetime, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
def cell(c):
    v = c.value
    if isinstance(v, datetime.datetime):
        return {"date": v.isoformat(), "format": c.number_format}
    if isinstance(v, (int, float)):
        return {"number": v, "format": c.number_format}
    return v
print(json.dumps({
    "title": ws.title,
    "freeze": ws.freeze_panes,
    "filter": ws.auto_filter.ref,
    "widths": {k: d.width for k, d in ws.column_dimensions.items()},
    "rows": [[cell(c) for c in row] for row in ws.iter_rows()],
}, ensure_ascii=False))
"#;

#[test]
fn exported_workbooks_open_in_openpyxl_with_real_dates_a_frozen_header_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let project = demo_file(dir.path(), "p.liaison");
    let p = project.to_str().unwrap();
    for (kind, lang) in [
        ("allocation", "zh"),
        ("risks", "en"),
        ("ledger", "zh"),
        ("issues", "zh"),
        ("changes", "zh"),
    ] {
        let out = dir.path().join(format!("{kind}.xlsx"));
        let o = liaison(
            dir.path(),
            &[
                "export-xlsx",
                kind,
                p,
                "--out",
                out.to_str().unwrap(),
                "--lang",
                lang,
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let v = python(READ_XLSX, &[&out]);
        assert_eq!(v["freeze"], "A2", "{kind}: header row frozen");
        let rows = v["rows"].as_array().unwrap();
        let last = format!("{}", rows.len());
        assert!(
            v["filter"].as_str().unwrap().starts_with("A1:")
                && v["filter"].as_str().unwrap().ends_with(&last),
            "{kind}: {}",
            v["filter"]
        );
        match kind {
            "allocation" => {
                assert_eq!(v["title"], "任务分配表");
                let head: Vec<&str> = rows[0]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap())
                    .collect();
                assert_eq!(&head[..3], ["编号", "任务名称", "主导部门"]);
                let row = rows.iter().find(|r| r[1] == "销售培训材料制作").unwrap();
                assert_eq!(row[0], "1.2");
                assert_eq!(row[2], "销售部");
                assert_eq!(
                    row[6]["date"], "2023-10-16T00:00:00",
                    "the start is a real date"
                );
                assert_eq!(row[6]["format"], "yyyy-mm-dd");
                assert_eq!(row[8]["number"], 7, "working days as a number");
                assert_eq!(row[14], "1.1FS");
                assert_eq!(row[15], "进行中", "status as words");
                assert_eq!(row[16]["number"], 0.4);
                assert_eq!(row[16]["format"], "0%");
                // The name column is wider than the outline column: widths fit their text.
                let w = &v["widths"];
                assert!(
                    w["B"].as_f64().unwrap() > w["A"].as_f64().unwrap() + 4.0,
                    "{w}"
                );
            }
            "risks" => {
                assert_eq!(v["title"], "Risk register");
                assert_eq!(rows[0][2], "Level");
                let high = rows
                    .iter()
                    .find(|r| r[2] == "High")
                    .expect("a high risk, in English");
                assert_eq!(high[6]["date"], "2023-10-16T09:30:00");
            }
            "ledger" => assert!(
                rows.len() >= 5 && rows[1][5]["date"].is_string(),
                "{rows:?}"
            ),
            "issues" => assert!(rows.iter().any(|r| r[8] == "是"), "the dispute is marked"),
            _ => assert!(rows.iter().any(|r| r[1] == "渠道铺货推迟两个工作日")),
        }
    }
}

#[test]
fn the_json_of_the_sample_and_the_large_project_round_trips_and_follows_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/liaison-project.schema.json");
    for (name, args) in [("sample", vec![]), ("large", vec!["--large"])] {
        let project = dir.path().join(format!("{name}.liaison"));
        let mut demo = vec!["demo", project.to_str().unwrap()];
        demo.extend(args);
        assert!(liaison(dir.path(), &demo).status.success());
        let first = dir.path().join(format!("{name}.json"));
        let o = liaison(
            dir.path(),
            &[
                "export-json",
                project.to_str().unwrap(),
                "--out",
                first.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let copy = dir.path().join(format!("{name}-copy.liaison"));
        let o = liaison(
            dir.path(),
            &[
                "import-json",
                first.to_str().unwrap(),
                "--out",
                copy.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let o = liaison(dir.path(), &["check", copy.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        let second = dir.path().join(format!("{name}-again.json"));
        let o = liaison(
            dir.path(),
            &[
                "export-json",
                copy.to_str().unwrap(),
                "--out",
                second.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(),
            "{name}: the round trip changed the JSON"
        );
        if name == "sample" {
            let v = python(
                "import json, sys, jsonschema\n\
                 schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))\n\
                 jsonschema.Draft202012Validator.check_schema(schema)\n\
                 errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]\n\
                 doc['tables']['task'][0]['duration'] = 'five'\n\
                 bad = [list(e.absolute_path) for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]\n\
                 print(json.dumps({'errors': errors, 'bad': bad}))",
                &[&schema, &first],
            );
            assert_eq!(
                v["errors"],
                serde_json::json!([]),
                "the export follows the schema"
            );
            assert_eq!(
                v["bad"],
                serde_json::json!([["tables", "task", 0, "duration"]]),
                "and the schema can fail"
            );
        }
    }
    // A malformed file: refused with its path, nothing written.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"format\": \"liaison-project\", \"formatVersion\": 1, \"schemaVersion\": 8, \"tables\": {\"gantt\": []}}").unwrap();
    let target = dir.path().join("never.liaison");
    let o = liaison(
        dir.path(),
        &[
            "import-json",
            bad.to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("$.tables.gantt"), "{}", stderr(&o));
    assert!(!target.exists());
}

#[test]
fn import_tasks_prints_every_problem_row_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("new.liaison");
    let source = demo_file(dir.path(), "src.liaison");
    assert!(liaison(
        dir.path(),
        &[
            "new-from",
            source.to_str().unwrap(),
            project.to_str().unwrap()
        ]
    )
    .status
    .success());
    let sheet = dir.path().join("tasks.csv");
    std::fs::write(&sheet, "任务名称,主导部门,开始时间,完成时间\n需求评审,产品部,2023-10-09,2023-10-13\n培训,财务部,2023-10-09,2023-10-13\n").unwrap();
    let p = project.to_str().unwrap();
    let s = sheet.to_str().unwrap();
    let o = liaison(dir.path(), &["import-tasks", p, s]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(
        text.contains("第 3 行 ✗ 培训") && text.contains("主导部门：项目中没有部门「财务部」"),
        "{text}"
    );
    assert!(stderr(&o).contains("未导入任何内容"), "{}", stderr(&o));
    // --dry-run with --create: the preview passes, nothing is written.
    let o = liaison(dir.path(), &["import-tasks", p, s, "--create", "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("试运行"));
    let o = liaison(dir.path(), &["import-tasks", p, s, "--create"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("已导入 2 个任务"), "{}", stdout(&o));
}
