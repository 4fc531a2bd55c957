//! Interchange on real project files: the JSON round trip, malformed JSON refused by path with
//! nothing written, the JSON Schema in the repo, and the task import's preview and refusals.

use super::json;
use super::tasks;
use crate::demo;
use crate::error::Error;
use crate::storage::Project;
use crate::Lang;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn refusal(e: Error) -> (String, String) {
    let message = e.message(Lang::Zh);
    match e {
        Error::Refused { key, .. } => (key, message),
        Error::At { source, .. } => match *source {
            Error::Refused { key, .. } => (key, message),
            Error::Integrity { .. } => ("json.integrity".into(), message),
            other => (format!("{other:?}"), message),
        },
        other => (format!("{other:?}"), message),
    }
}

/// Only `keep` is in `dir` (nothing half-written, no temporary file left).
fn only(dir: &Path, keep: &[&str]) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    let mut keep: Vec<String> = keep.iter().map(|s| s.to_string()).collect();
    keep.sort();
    assert_eq!(names, keep);
}

#[test]
fn a_project_goes_to_json_and_back_to_the_same_json_and_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    for (name, closed) in [("open", false), ("closed", true)] {
        let src = dir.path().join(format!("{name}.liaison"));
        let mut p = demo::write_example(&src).unwrap();
        if closed {
            demo::close_example(p.conn_mut(), 1).unwrap();
        }
        let first = json::export_text(p.conn()).unwrap();
        drop(p);
        let copy = dir.path().join(format!("{name}-copy.liaison"));
        let done = json::import(&first, &copy).unwrap();
        assert!(done.rows > 300, "{done:?}");
        let summary = crate::integrity::check(&copy).unwrap();
        assert!(summary.signed_documents >= 3 && summary.audit_entries > 100);
        let again = Project::open(&copy).unwrap();
        assert_eq!(
            json::export_text(again.conn()).unwrap(),
            first,
            "{name}: round trip"
        );
        // The copy keeps the project's identity, attachments and (for the closed one) its archive lock.
        let v: Value = serde_json::from_str(&first).unwrap();
        assert!(v["tables"]["audit_log"].as_array().unwrap().len() > 100);
        if closed {
            assert!(crate::archive::closed_at(again.conn()).unwrap().is_some());
            let e = again
                .conn()
                .execute("UPDATE task SET name = 'x'", [])
                .unwrap_err();
            assert!(e.to_string().contains("liaison:closed"));
            assert!(!v["tables"]["evidence"][0]["data"]["base64"]
                .as_str()
                .unwrap()
                .is_empty());
        }
    }
}

#[test]
fn malformed_or_inconsistent_json_is_refused_by_path_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src.liaison");
    let p = demo::write_example(&src).unwrap();
    let good: Value = serde_json::from_str(&json::export_text(p.conn()).unwrap()).unwrap();
    drop(p);
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let target = out_dir.join("new.liaison");
    let try_text = |text: &str| {
        let e = json::import(text, &target).unwrap_err();
        only(&out_dir, &[]);
        refusal(e)
    };
    let try_value = |edit: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        edit(&mut v);
        try_text(&serde_json::to_string(&v).unwrap())
    };
    let (key, msg) = try_text("{\"format\": \"liaison-project\",\n  \"tables\": [1, 2,]}");
    assert_eq!(key, "json.syntax");
    assert!(msg.contains("第 2 行"), "{msg}");
    assert_eq!(try_text("[1, 2]").0, "json.not_project");
    assert_eq!(
        try_value(&|v| v["format"] = "other".into()).0,
        "json.not_project"
    );
    let (key, msg) = try_value(&|v| v["formatVersion"] = 2.into());
    assert_eq!(key, "json.newer");
    assert!(msg.contains("$.formatVersion"), "{msg}");
    assert_eq!(
        try_value(&|v| v["schemaVersion"] = 99.into()).0,
        "json.schema_version"
    );
    let (key, msg) = try_value(&|v| v["tables"]["gantt"] = Value::Array(vec![]));
    assert_eq!(key, "json.unknown_table");
    assert!(msg.contains("$.tables.gantt"), "{msg}");
    let (key, msg) = try_value(&|v| {
        v["tables"].as_object_mut().unwrap().remove("risk");
    });
    assert_eq!(key, "json.missing");
    assert!(msg.contains("$.tables.risk"), "{msg}");
    let (key, msg) = try_value(&|v| v["tables"]["task"][2]["duration"] = "five".into());
    assert_eq!(key, "json.wrong_type");
    assert!(
        msg.contains("$.tables.task[2].duration") && msg.contains("integer"),
        "{msg}"
    );
    let (key, msg) = try_value(&|v| v["tables"]["task"][1]["name"] = Value::Null);
    assert_eq!(key, "json.null");
    assert!(msg.contains("$.tables.task[1].name"), "{msg}");
    let (key, msg) = try_value(&|v| {
        v["tables"]["person"][0]
            .as_object_mut()
            .unwrap()
            .remove("contact");
    });
    assert_eq!(key, "json.missing");
    assert!(msg.contains("$.tables.person[0].contact"), "{msg}");
    let (key, msg) = try_value(&|v| v["tables"]["person"][0]["nickname"] = "x".into());
    assert_eq!(key, "json.unknown_column");
    assert!(msg.contains("$.tables.person[0].nickname"), "{msg}");
    let (key, msg) = try_value(&|v| {
        let first = v["tables"]["person"][0].clone();
        v["tables"]["person"].as_array_mut().unwrap().push(first);
    });
    assert_eq!(key, "json.rejected");
    assert!(msg.contains("$.tables.person["), "{msg}");
    let (key, msg) = try_value(&|v| v["tables"]["task"][3]["owner_id"] = 9999.into());
    assert_eq!(key, "json.broken_reference", "{msg}");
    assert!(
        msg.contains("$.tables.task[3]") && msg.contains("person"),
        "{msg}"
    );
    let (key, msg) = try_value(&|v| {
        let meeting = v["tables"]["meeting"][0]["id"].clone();
        v["tables"]["attachment"] = serde_json::json!([{
            "id": 1, "meeting_id": meeting, "name": "议程.txt",
            "data": {"base64": "!!"}, "added_at": "2023-10-08T10:00:00"
        }]);
    });
    assert_eq!(key, "json.bad_base64", "{msg}");
    // Content that no longer matches what was signed, and an altered audit entry.
    // Both are named in the user's language, without Rust debug text.
    let (kind, msg) =
        try_value(&|v| v["tables"]["registration"][0]["core_goal"] = "改过的目标".into());
    assert_eq!(kind, "json.integrity", "{msg}");
    assert!(msg.contains("登记表") && !msg.contains("Signed"), "{msg}");
    let (kind, msg) = try_value(&|v| v["tables"]["audit_log"][5]["after"] = "改过".into());
    assert_eq!(kind, "json.integrity", "{msg}");
    assert!(
        msg.contains("审计日志第 6 条") && !msg.contains("AuditEntry"),
        "{msg}"
    );
    // An existing file is never replaced.
    std::fs::write(&target, b"keep").unwrap();
    let e = json::import(&serde_json::to_string(&good).unwrap(), &target).unwrap_err();
    assert_eq!(refusal(e).0, "json.target_exists");
    assert_eq!(std::fs::read(&target).unwrap(), b"keep");
}

fn schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/liaison-project.schema.json")
}

#[test]
fn the_json_schema_in_the_repo_is_the_one_storage_defines() {
    let mut text = serde_json::to_string_pretty(&json::json_schema().unwrap()).unwrap();
    text.push('\n');
    if std::env::var_os("LIAISON_WRITE_SCHEMA").is_some() {
        std::fs::write(schema_path(), &text).unwrap();
    }
    let stored = std::fs::read_to_string(schema_path()).unwrap_or_default();
    assert!(
        stored == text,
        "schema/liaison-project.schema.json is out of date: run LIAISON_WRITE_SCHEMA=1 cargo test -p liaison-core the_json_schema"
    );
}

/// A CSV file with `rows` under the header of Liaison's own export.
fn csv(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_sheet_with_ten_kinds_of_bad_rows_reports_each_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("p.liaison"), "导入").unwrap();
    crate::people::add(
        p.conn_mut(),
        "测试",
        &crate::people::Person {
            name: "李娜".into(),
            department: "产品部".into(),
            role: "head".into(),
            ..Default::default()
        },
    )
    .unwrap();
    crate::org::add(p.conn_mut(), "测试", "产品部").unwrap();
    let file = csv(
        dir.path(),
        "bad.csv",
        "编号,任务名称,主导部门,负责人,开始时间,完成时间,前置任务,里程碑,状态,完成率\n\
         1,需求评审,产品部,李娜,2023-10-09,2023-10-13,,,未开始,0\n\
         2,,产品部,李娜,2023-10-09,2023-10-13,,,,\n\
         3,渠道培训,渠道部,李娜,2023-10-09,2023-10-13,,,,\n\
         4,物料设计,产品部,李娜,2023-13-45,2023-10-13,,,,\n\
         5,物料印刷,产品部,李娜,2023-10-20,2023-10-13,,,,\n\
         6,需求评审,产品部,李娜,2023-10-09,2023-10-13,,,,\n\
         7,发布会,产品部,李娜,2023-10-09,2023-10-13,不存在的任务,,,\n\
         8,甲,产品部,李娜,2023-10-09,2023-10-13,9,,,\n\
         9,乙,产品部,李娜,2023-10-09,2023-10-13,8,,,\n\
         10,复盘,产品部,王五,2023-10-09,2023-10-13,,,,\n\
         11,总结,产品部,李娜,2023-10-09,2023-10-13,,也许,,\n\
         12,验收,产品部,李娜,2023-10-09,2023-10-13,,,差不多,150%\n\
         3.1,子任务,产品部,李娜,2023-10-09,2023-10-13,,,,\n\
         9.9.1,孤儿,产品部,李娜,2023-10-09,2023-10-13,,,,\n",
    );
    let preview = tasks::preview(p.conn(), &file, false, Lang::Zh).unwrap();
    let codes = |line: usize| -> Vec<String> {
        preview
            .rows
            .iter()
            .find(|r| r.line == line)
            .unwrap()
            .problems
            .iter()
            .map(|p| p.code.clone())
            .collect()
    };
    assert!(codes(2).is_empty(), "{:?}", codes(2));
    assert_eq!(codes(3), ["import.no_name"]);
    assert_eq!(codes(4), ["import.unknown_department"]);
    assert_eq!(codes(5), ["import.bad_date"]);
    assert_eq!(codes(6), ["import.finish_before_start"]);
    assert_eq!(codes(7), ["import.duplicate_name"]);
    assert_eq!(codes(8), ["import.unknown_predecessor"]);
    assert_eq!(codes(9), ["import.cycle"]);
    assert_eq!(codes(10), ["import.cycle"]);
    assert_eq!(codes(11), ["import.unknown_person"]);
    assert_eq!(codes(12), ["import.bad_yes_no"]);
    assert_eq!(codes(13), ["import.bad_status", "import.bad_percent"]);
    assert!(codes(14).is_empty(), "3.1 is a child of 3: {:?}", codes(14));
    assert_eq!(codes(15), ["import.no_parent"]);
    let msg = &preview.rows.iter().find(|r| r.line == 4).unwrap().problems[0];
    assert_eq!(msg.column, "主导部门");
    assert!(msg.message.contains("渠道部"), "{}", msg.message);
    assert_eq!(preview.refused, 12);
    // Nothing is written while any row is refused.
    let before = crate::plan::load_tasks(p.conn()).unwrap().len();
    let e = tasks::import(p.conn_mut(), "测试", &preview).unwrap_err();
    assert_eq!(refusal(e).0, "import.has_problems");
    assert_eq!(crate::plan::load_tasks(p.conn()).unwrap().len(), before);
    // Creating what is missing clears the department and person rows only.
    let created = tasks::preview(p.conn(), &file, true, Lang::Zh).unwrap();
    assert_eq!(created.new_departments, ["渠道部"]);
    assert_eq!(created.new_people, ["王五"]);
    assert_eq!(created.refused, 10);
}

#[test]
fn a_good_sheet_is_imported_whole_with_its_tree_and_dependencies() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("p.liaison"), "导入").unwrap();
    let file = csv(
        dir.path(),
        "good.csv",
        "\u{feff}No.,Task,Lead department,Owner,Start,Finish,Predecessors,Delivery standard\n\
         1,Preparation,Product,Li Na,2023/10/9,2023/10/20,,\n\
         1.1,Parameters,R&D,Wang Qiang,2023-10-09,2023-10-13,,\"confirmed, no gaps\"\n\
         1.2,Training material,Sales,Zhou Jie,2023年10月16日,2023年10月20日,1.1FS+1,\"covers selling points\n\
         passes review\"\n",
    );
    let preview = tasks::preview(p.conn(), &file, true, Lang::En).unwrap();
    assert_eq!(
        preview.refused,
        0,
        "{:?}",
        preview.rows.iter().map(|r| &r.problems).collect::<Vec<_>>()
    );
    assert_eq!(preview.new_departments, ["Product", "R&D", "Sales"]);
    let row = &preview.rows[2];
    assert_eq!(
        (row.start.as_deref(), row.duration),
        (Some("2023-10-16"), 5)
    );
    assert!(
        row.standard.contains('\n'),
        "a quoted line break stays in the cell"
    );
    let done = tasks::import(p.conn_mut(), "测试", &preview).unwrap();
    assert_eq!(
        (done.tasks, done.links, done.departments, done.people),
        (3, 1, 3, 3)
    );
    let plan = crate::plan::load(p.conn()).unwrap();
    let outline: Vec<(String, String)> = plan
        .tasks
        .iter()
        .zip(&plan.rows)
        .map(|(t, r)| (r.outline.clone(), t.name.clone()))
        .collect();
    assert_eq!(
        outline[2],
        ("1.2".to_string(), "Training material".to_string())
    );
    assert!(plan.rows[0].summary);
    assert_eq!(plan.links[0].lag, 1);
    // Importing the same rows again: every name is already in the plan.
    let again = tasks::preview(p.conn(), &file, true, Lang::En).unwrap();
    assert_eq!(again.refused, 3);
    // A published plan takes no import: its changes go through change requests.
    let demo_file = dir.path().join("demo.liaison");
    let mut d = demo::write_example(&demo_file).unwrap();
    let other = csv(
        dir.path(),
        "one.csv",
        "任务名称,开始时间,完成时间\n新任务,2023-10-09,2023-10-10\n",
    );
    let pv = tasks::preview(d.conn(), &other, false, Lang::Zh).unwrap();
    assert_eq!(
        refusal(tasks::import(d.conn_mut(), "测试", &pv).unwrap_err()).0,
        "import.plan_published"
    );
}

#[test]
fn every_sheet_kind_writes_a_workbook_and_an_unknown_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo::write_example(&dir.path().join("p.liaison")).unwrap();
    for kind in super::xlsx::KINDS {
        let sheet = super::xlsx::sheet(p.conn(), kind, Lang::Zh).unwrap();
        assert!(!sheet.rows.is_empty(), "{kind}");
        assert!(
            sheet.rows.iter().all(|r| r.len() == sheet.headers.len()),
            "{kind}"
        );
        assert!(super::xlsx::workbook(&sheet).unwrap().starts_with(b"PK"));
    }
    let e = super::xlsx::sheet(p.conn(), "gantt", Lang::Zh).unwrap_err();
    assert_eq!(refusal(e).0, "xlsx.unknown_kind");
}
