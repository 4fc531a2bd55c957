//! Acceptance, retrospective and archive.

use super::harness::*;
use liaison_core::Project;
use std::process::Command;

/// Every task of the example done and its open work settled: what the acceptance needs first.
pub(crate) fn ready_for_acceptance(conn: &mut rusqlite::Connection) {
    for t in liaison_core::plan::load(conn).unwrap().tasks {
        let done = liaison_core::plan::Task {
            status: "done".into(),
            percent_done: 100,
            ..t
        };
        liaison_core::plan::update_task(conn, "张伟", &done).unwrap();
    }
    liaison_core::demo::settle_example(conn).unwrap();
}

/// The sample, ready for acceptance, and its archived companion, where the app looks for them.
fn sample_ready_for_acceptance(env: &Env) {
    let dir = env.path("docs").join("Liaison");
    std::fs::create_dir_all(&dir).unwrap();
    let mut p =
        liaison_core::demo::write_example(&dir.join("新品上市项目（示例）.liaison")).unwrap();
    ready_for_acceptance(p.conn_mut());
    drop(p);
    drop(
        liaison_core::demo::write_closed_example(
            &dir.join("往期项目：春季促销项目（已归档）.liaison"),
            "春季促销项目",
            1,
        )
        .unwrap(),
    );
}

#[test]
fn e2e_acceptance_is_judged_scored_signed_by_every_head_and_exported_as_pdf() {
    run(async {
        let env = Env::new();
        let docs = env.path("docs");
        sample_ready_for_acceptance(&env);
        with_app(&env, None, |app| async move {
            let r = async {
                app.click("#stage-acceptance").await?;
                app.find("table.acceptance").await?;
                let view = "liaison-acceptance";
                let idle = format!("return !document.querySelector('{view}').dataset.busy;");
                let tasks = app
                    .wait_js("return [...document.querySelectorAll('tr.acc-row')].map(r => r.dataset.task);")
                    .await?;
                let tasks: Vec<String> = tasks
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                    .unwrap_or_default();
                assert!(tasks.len() >= 5, "{tasks:?}");
                // Each task: a result for the first, then pass for every one.
                app.type_into(&format!("#acc-result-{}", tasks[0]), "参数表已交付，研发部确认无遗漏").await?;
                // Leave the field and let its save and redraw finish, so the next click lands on the
                // redrawn row rather than on one that is being replaced.
                app.js("document.activeElement.blur();", vec![]).await?;
                app.wait_saved().await?;
                app.wait_js(&idle).await?;
                for (i, id) in tasks.iter().enumerate().skip(1) {
                    app.click(&format!("#acc-verdict-{id}-pass")).await?;
                    app.wait_js(&format!(
                        "return document.querySelectorAll('tr.acc-row.verdict-pass').length >= {};",
                        i
                    ))
                    .await?;
                    app.wait_js(&idle).await?;
                }
                app.click(&format!("#acc-verdict-{}-pass", tasks[0])).await?;
                app.wait_js(&format!(
                    "return document.querySelectorAll('tr.acc-row.verdict-pass').length === {};",
                    tasks.len()
                ))
                .await?;
                let result = app.value(&format!("#acc-result-{}", tasks[0])).await?;
                assert_eq!(result, "参数表已交付，研发部确认无遗漏");
                // Every department scored: 90 / 80 / 70 gives an average of 80.0.
                let depts = app
                    .wait_js("return [...document.querySelectorAll('input[id^=eval-goal-]')].map(e => e.id.slice(10));")
                    .await?;
                let depts: Vec<String> = depts
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                    .unwrap_or_default();
                assert_eq!(depts.len(), 4);
                for d in &depts {
                    for (key, score) in [("goal", "90"), ("efficiency", "80"), ("communication", "70")] {
                        let css = format!("#eval-{key}-{d}");
                        app.set(&css, score).await?;
                        app.wait_js(&format!(
                            "const e = document.querySelector('{css}'); return e && e.value === '{score}' && !document.querySelector('{view}').dataset.busy;"
                        ))
                        .await?;
                    }
                }
                app.wait_js("return document.getElementById('eval-average').textContent === '80.0';")
                    .await?;
                // Out of range: refused with the reason, the stored value stays.
                app.set(&format!("#eval-goal-{}", depts[0]), "120").await?;
                let refusal = app.refusal().await?;
                assert!(refusal.contains("0 到 100"), "{refusal}");
                app.wait_js(&format!("return document.querySelector('#eval-goal-{}').value === '90';", depts[0]))
                    .await?;
                app.js("document.querySelectorAll('#banners .banner, .refusal').forEach(b => b.remove());", vec![])
                    .await?;
                app.set("#acc-overall", "passed").await?;
                app.wait_js(&idle).await?;
                app.shot("acceptance-filled").await;
                // Every head signs in the panel.
                app.click_settled(&format!("{view} #signoff-start")).await?;
                for _ in 0..4 {
                    let left = app
                        .wait_js(&format!("return document.querySelectorAll('{view} button[data-sign=approve]').length;"))
                        .await?;
                    app.click_settled(&format!("{view} button[data-sign=approve]")).await?;
                    let n = left.as_i64().unwrap_or(0);
                    app.wait_js(&format!(
                        "return document.querySelectorAll('{view} button[data-sign=approve]').length < {n};"
                    ))
                    .await?;
                }
                app.wait_js(&format!(
                    "return document.querySelector('{view} #signoff-state')?.classList.contains('signed');"
                ))
                .await?;
                // Signed: the fields are locked.
                app.wait_js(&format!(
                    "return document.querySelector('#acc-result-{}').disabled && document.querySelector('#acc-overall').disabled;",
                    tasks[0]
                ))
                .await?;
                app.shot("acceptance-signed").await;

                // The Archive stage exports every document; the acceptance report is among them.
                app.click("#stage-archive").await?;
                app.click("#archive-export-all").await?;
                let done = app
                    .wait_js("return document.getElementById('archive-exported')?.textContent;")
                    .await?;
                app.shot("archive-exported").await;
                assert!(done.as_str().unwrap_or_default().contains("归档"), "{done}");
                let pdfs = pdfs_under(&docs);
                let acceptance = pdfs
                    .iter()
                    .find(|p| p.to_string_lossy().contains("项目验收报告"))
                    .ok_or_else(|| format!("no acceptance PDF among {pdfs:?}"))?;
                let text = String::from_utf8(
                    Command::new("pdftotext")
                        .arg(acceptance)
                        .arg("-")
                        .output()
                        .map_err(err)?
                        .stdout,
                )
                .map_err(err)?;
                for needle in ["项目验收报告", "目标达成度", "参数表已交付", "80.0", "李娜", "同意"] {
                    assert!(text.contains(needle), "{needle} not in the PDF:\n{text}");
                }
                assert!(!text.contains("待签"), "every head has signed:\n{text}");

                // The knowledge base finds a lesson of the archived past project next to the sample.
                app.click("#tab-knowledge").await?;
                app.find("#library-stats").await?;
                app.type_into("#kb-query", "锁定物流").await?;
                let hit = app
                    .wait_js("return document.querySelector('.hit.lesson mark')?.textContent;")
                    .await?;
                assert_eq!(hit.as_str(), Some("锁定物流"));
                app.shot("knowledge-search").await;
                app.click("#tab-program").await?;
                app.find("#program-table").await?;
                app.shot("program-metrics").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}

#[test]
fn e2e_a_confirmed_retrospective_lets_the_project_be_archived_and_then_nothing_changes() {
    run(async {
        let env = Env::new();
        let file = env.path("accepted.liaison");
        {
            let mut p = liaison_core::demo::write_example(&file).unwrap();
            ready_for_acceptance(p.conn_mut());
            liaison_core::demo::accept_example(p.conn_mut(), 1).unwrap();
        }
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.click("#stage-retrospective").await?;
                let view = "liaison-retro";
                let idle = format!("return !document.querySelector('{view}').dataset.busy;");
                // One entry in each part; the problem gets its cause, the improvement its owner.
                for (section, text) in [
                    ("success", "接口人制度让问题当天找到对口的人"),
                    ("problem", "物流商预付款审批慢"),
                    ("improvement", "立项时把财务部列为协作部门"),
                ] {
                    app.click(&format!("#retro-add-{section}")).await?;
                    let id = app
                        .wait_js(&format!(
                            "const l = document.querySelectorAll('#retro-{section} .retro-entry'); return l.length && l[l.length - 1].dataset.record.slice(6);"
                        ))
                        .await?;
                    let id = id.as_str().unwrap_or_default().to_string();
                    app.wait_js(&idle).await?;
                    // Each field is left (saved, and the list redrawn) before the next is typed into.
                    let leave = "document.activeElement.blur();";
                    app.type_into(&format!("#retro-text-{id}"), text).await?;
                    app.js(leave, vec![]).await?;
                    app.wait_js(&format!("return document.querySelector('#retro-text-{id}').defaultValue === '{text}';")).await?;
                    app.wait_js(&idle).await?;
                    if section == "problem" {
                        app.type_into(&format!("#retro-cause-{id}"), "财务部不在协作名单中").await?;
                        app.js(leave, vec![]).await?;
                        app.wait_js(&format!("return document.querySelector('#retro-cause-{id}').defaultValue !== '';")).await?;
                        app.wait_js(&idle).await?;
                    }
                    if section == "improvement" {
                        let owner = app
                            .wait_js(&format!(
                                "const o = [...document.querySelectorAll('#retro-owner-{id} option')].find(o => o.textContent.startsWith('张伟')); return o && o.value;"
                            ))
                            .await?;
                        app.set(&format!("#retro-owner-{id}"), owner.as_str().unwrap_or_default()).await?;
                        app.wait_js(&idle).await?;
                        app.click(&format!("#retro-carry-{id}")).await?;
                        app.wait_js(&format!("return document.querySelector('#retro-carry-{id}').checked;"))
                            .await?;
                    }
                    app.wait_js(&idle).await?;
                }
                app.wait_js(&format!(
                    "return [...document.querySelectorAll('{view} textarea')].filter(t => t.value).length === 4;"
                ))
                .await?;
                app.click_settled(&format!("{view} #signoff-start")).await?;
                for _ in 0..4 {
                    let left = app
                        .wait_js(&format!("return document.querySelectorAll('{view} button[data-sign=confirm]').length;"))
                        .await?;
                    app.click_settled(&format!("{view} button[data-sign=confirm]")).await?;
                    let n = left.as_i64().unwrap_or(0);
                    app.wait_js(&format!(
                        "return document.querySelectorAll('{view} button[data-sign=confirm]').length < {n};"
                    ))
                    .await?;
                }
                app.wait_js(&format!("return document.querySelector('{view} #signoff-state')?.classList.contains('signed');"))
                    .await?;
                app.shot("retrospective-confirmed").await;

                // Both signed: the project can be archived, and is read-only from then on.
                app.click("#stage-archive").await?;
                app.wait_js("const b = document.getElementById('archive-close'); return b && !b.disabled;")
                    .await?;
                app.click("#archive-close").await?;
                app.click("#confirm-ok").await?;
                app.find("#archive-closed").await?;
                app.find("#project-archived").await?;
                app.shot("archive-closed").await;
                app.click("#stage-tracking").await?;
                app.click("#tab-risks").await?;
                // Read-only: the form that would add a risk is disabled (storage refuses it anyway).
                app.wait_js("const d = document.getElementById('risk-new-description'), b = document.getElementById('risk-add'); return d && b && d.disabled && b.disabled;")
                    .await?;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        // The file says the same without the app: the background is unchanged, and it is sound.
        let p = Project::open(&file).map_err(err)?;
        let risks = liaison_core::control::risks(p.conn()).map_err(err)?;
        assert!(risks.iter().all(|r| r.description != "归档后再加一条风险"));
        assert!(liaison_core::archive::closed_at(p.conn())
            .map_err(err)?
            .is_some());
        let entries = liaison_core::retro::entries(p.conn()).map_err(err)?;
        assert_eq!(entries.len(), 3);
        assert!(entries.iter().any(|e| e.carry && e.owner_id.is_some()));
        Ok(())
    });
}
