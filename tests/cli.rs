//! The command line of the real binary: demo, check, version, help and usage errors.

use crate::util::*;
use liaison_core::{Lang, Project};

#[test]
fn demo_writes_the_worked_example_and_check_accepts_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("演示.liaison");
    let out = liaison(dir.path(), &["demo", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = liaison(dir.path(), &["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let line = stdout(&out);
    assert_eq!(line.lines().count(), 1, "one-line summary: {line}");
    assert!(
        line.contains("新品上市项目")
            && line.contains("4 个里程碑")
            && line.contains("9 个任务（计划已发布 1 版）"),
        "{line}"
    );

    // A second demo onto the same file is refused without --force, and the file is unchanged.
    let before = std::fs::read(&file).unwrap();
    let out = liaison(dir.path(), &["demo", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn check_never_writes_and_says_what_the_app_says() {
    let dir = tempfile::tempdir().unwrap();
    let good = demo_file(dir.path(), "good.liaison");
    let before = std::fs::read(&good).unwrap();
    let out = liaison(dir.path(), &["check", good.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(std::fs::read(&good).unwrap(), before);
    assert_eq!(listing(dir.path()), vec!["good.liaison"]);

    let bad = dir.path().join("bad.liaison");
    std::fs::write(&bad, "不是项目").unwrap();
    let out = liaison(dir.path(), &["check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let app_message = Project::open(&bad).err().unwrap().message(Lang::Zh);
    assert_eq!(stderr(&out).trim(), app_message);
}

#[test]
fn demo_large_is_deterministic_and_checkable() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.liaison");
    let out = liaison(dir.path(), &["demo", a.to_str().unwrap(), "--large"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = liaison(dir.path(), &["check", a.to_str().unwrap()]);
    assert!(stdout(&out).contains("1000 个里程碑"), "{}", stdout(&out));
    assert!(stdout(&out).contains("10000 个任务"), "{}", stdout(&out));
}

#[test]
fn version_help_and_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = liaison(dir.path(), &["--version"]);
    assert_eq!(
        stdout(&out).trim(),
        format!("liaison {}", env!("CARGO_PKG_VERSION"))
    );
    let out = liaison(dir.path(), &["help"]);
    assert!(out.status.success() && stdout(&out).contains("liaison check"));
    for args in [
        &["frobnicate"][..],
        &["--nope"],
        &["check"],
        &["demo"],
        &["check", "a", "b"],
    ] {
        let out = liaison(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains("用法"), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn warnings_lists_the_rules_that_fire_on_a_day_as_text_or_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.liaison");
    let f = file.to_str().unwrap();
    assert!(liaison(dir.path(), &["demo", f]).status.success());
    let out = liaison(
        dir.path(),
        &["warnings", f, "--today", "2023-10-24", "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let list = list.as_array().unwrap();
    let has = |rule: &str, label: &str| {
        list.iter()
            .any(|w| w["rule"] == rule && w["label"].as_str().unwrap().contains(label))
    };
    // 1.2 ends 10-25 (buffer included), 40 % done with 75 % of its days gone.
    assert!(has("task_due_soon", "销售培训材料制作"), "{list:?}");
    assert!(has("schedule_deviation", "销售培训材料制作"), "{list:?}");
    assert!(has("predecessor_due", "销售培训材料制作"), "{list:?}");
    for w in list {
        for key in ["rule", "severity", "object", "message"] {
            assert!(w[key].is_string(), "{key} in {w}");
        }
        assert!(w["messages"]["en"].is_string() && w["messages"]["zh-CN"].is_string());
    }
    // Text, in the user's language; a file is read, never written.
    let before = std::fs::read(&file).unwrap();
    let out = liaison(dir.path(), &["warnings", f, "--today", "2023-11-20"]);
    assert!(
        stdout(&out).contains("[严重] 任务「2.1 渠道铺货执行」已逾期"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
    let out = liaison(dir.path(), &["warnings", f, "--today", "10/24"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("YYYY-MM-DD"), "{}", stderr(&out));
}

#[test]
fn closing_on_the_command_line_archive_search_and_new_from() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("库");
    std::fs::create_dir(&library).unwrap();
    let old = library.join("往期.liaison");
    let open = library.join("进行中.liaison");
    let arg = |p: &std::path::Path| p.to_str().unwrap().to_string();
    // An open project cannot be archived: acceptance and retrospective are not signed.
    assert!(liaison(dir.path(), &["demo", &arg(&open)]).status.success());
    let out = liaison(dir.path(), &["close", &arg(&open)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("验收报告尚未"), "{}", stderr(&out));
    // A closed demo: archived, read-only, sound.
    let out = liaison(dir.path(), &["demo", &arg(&old), "--closed"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = liaison(dir.path(), &["close", &arg(&old)]);
    assert!(stderr(&out).contains("只读"), "{}", stderr(&out));
    assert!(liaison(dir.path(), &["check", &arg(&old)]).status.success());
    // The knowledge base finds a lesson of the archived project by a Chinese substring.
    let index = dir.path().join("index.sqlite");
    let out = liaison(
        dir.path(),
        &[
            "search",
            &arg(&library),
            "锁定物流",
            "--kind",
            "lesson",
            "--index",
            &arg(&index),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("大促前两周提前锁定物流档期"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("往期.liaison"), "{}", stdout(&out));
    let out = liaison(
        dir.path(),
        &[
            "search",
            &arg(&library),
            "没有这句话",
            "--index",
            &arg(&index),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    // Every document and attachment into a new folder.
    let exports = dir.path().join("导出");
    std::fs::create_dir(&exports).unwrap();
    let out = liaison(
        dir.path(),
        &["export-all", &arg(&old), "--out", &arg(&exports)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("9 份文档"), "{}", stdout(&out));
    // A new project from the archived one carries its improvements as a checklist.
    let new = dir.path().join("新项目.liaison");
    let out = liaison(
        dir.path(),
        &["new-from", &arg(&old), &arg(&new), "--name", "夏季新品"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("2 条改进建议"), "{}", stdout(&out));
    let p = Project::open(&new).unwrap();
    let list = liaison_core::retro::checklist(p.conn()).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].text, liaison_core::demo::SHARED_LESSON);
    assert_eq!(
        liaison_core::registration::name(p.conn()).unwrap(),
        "夏季新品"
    );
}

#[test]
fn export_takes_one_name_per_kind_and_still_the_earlier_ones() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_file(dir.path(), "p.liaison");
    let f = file.to_str().unwrap();
    let kinds = [
        ("plan", "a.pdf"),
        ("allocation", "b.pdf"),
        ("change_request", "c.pdf"),
        ("change-request", "d.pdf"),
    ];
    for (kind, name) in kinds {
        let pdf = dir.path().join(name);
        let out = liaison(
            dir.path(),
            &["export", kind, f, "--out", pdf.to_str().unwrap()],
        );
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        let out = liaison(dir.path(), &["verify", pdf.to_str().unwrap(), f]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", stdout(&out));
    }
    // Either spelling prints the same document, recorded under its one name.
    let (conn, _) = Project::read_only(&file).unwrap();
    let recorded: Vec<String> = conn
        .prepare("SELECT kind FROM document_export ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        recorded,
        ["plan", "plan", "change_request", "change_request"]
    );
    drop(conn);
    // An unknown kind is refused with the names to use, and nothing is written.
    let pdf = dir.path().join("e.pdf");
    let out = liaison(
        dir.path(),
        &["export", "Plan", f, "--out", pdf.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Plan") && stderr(&out).contains("change_request"),
        "{}",
        stderr(&out)
    );
    assert!(!pdf.exists());
}
