//! The plan and its changes as issue 15 met them: a new project starts with the official holidays,
//! the calendar dialog stays open while days are added, a change request that gives a task to
//! another department names that department's head among its signers, and an empty organization
//! does not pass its check.

use super::harness::*;
use liaison_core::people::{self, Person};
use liaison_core::Project;
use serde_json::json;

/// The rows of the calendar dialog's table.
async fn calendar_rows(app: &App) -> R<i64> {
    app.js(
        "return document.querySelectorAll('#calendar-dialog tbody tr').length;",
        vec![],
    )
    .await
    .map(|v| v.as_i64().unwrap_or(-1))
}

#[test]
fn e2e_flow_a_new_project_has_the_official_holidays_and_the_calendar_dialog_stays_open() {
    run(async {
        let env = Env::new();
        let file = env.path("日历.liaison");
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                // The organization is empty: its check says so instead of passing.
                app.click("#stage-organization").await?;
                let summary = app.text("#org-summary").await?;
                assert!(!summary.contains("检查通过"), "{summary}");
                let findings = app.text("#org-findings").await?;
                assert!(findings.contains("组织中还没有部门"), "{findings}");

                app.click("#stage-plan").await?;
                app.click("#calendar-open").await?;
                app.wait_js("return document.getElementById('calendar-dialog').open").await?;
                // The new project's calendar already holds the State Council's days.
                let official = calendar_rows(&app).await?;
                let text = app.text("#calendar-dialog").await?;
                assert!(official > 60, "{official} days: {text}");
                assert!(text.contains("2026-02-15") && text.contains("春节"), "{text}");
                assert!(text.contains("春节调休上班"), "{text}");
                // Two days added one after the other: the dialog stays open after each.
                for (i, day) in ["2026-12-24", "2026-12-31"].iter().enumerate() {
                    app.set("#cal-day", day).await?;
                    app.type_into("#cal-note", "公司年会").await?;
                    app.click("#cal-add").await?;
                    let want = official + 1 + i as i64;
                    app.wait_js(&format!(
                        "return document.querySelectorAll('#calendar-dialog tbody tr').length === {want};"
                    ))
                    .await?;
                    let open = app
                        .js("return document.getElementById('calendar-dialog').open;", vec![])
                        .await?;
                    assert_eq!(open, json!(true), "the dialog closed after adding {day}");
                }
                // Everything is there already: the one-click import adds nothing and says so.
                app.click("#cal-official").await?;
                app.wait_js(
                    "return [...document.querySelectorAll('.toast')].some(t => t.textContent.includes('已全部在日历中'));",
                )
                .await?;
                assert_eq!(calendar_rows(&app).await?, official + 2);
                app.shot("flow-calendar-open").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}

#[test]
fn e2e_flow_a_change_request_giving_a_task_to_another_department_needs_its_head() {
    run(async {
        let env = Env::new();
        let file = env.path("变更.liaison");
        // The published sample with 设计部 and its head, a department the registration does not name.
        let design = {
            let mut p = liaison_core::demo::write_example(&file).unwrap();
            let conn = p.conn_mut();
            let d = liaison_core::org::add(conn, "张伟", "设计部").unwrap();
            people::add(
                conn,
                "张伟",
                &Person {
                    name: "郑雯".into(),
                    department: "设计部".into(),
                    role: "head".into(),
                    ..Default::default()
                },
            )
            .unwrap();
            drop(p);
            d.id
        };
        assert!(Project::open(&file).is_ok());
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.click("#stage-tracking").await?;
                app.click("#tab-changes").await?;
                app.type_into("#change-new-title", "包装交设计部").await?;
                app.click("#change-add").await?;
                let record = app
                    .wait_js("const c = document.querySelector('.card.change.draft'); return c && c.dataset.record;")
                    .await?;
                let record = record.as_str().unwrap_or_default().to_string();
                let card = format!("[data-record='{record}']");
                let id = record.trim_start_matches("change_request:").to_string();
                // Before any edit: the four heads of the registration's departments.
                let before = app.text(&format!("#change-signers-{id}")).await?;
                assert!(!before.contains("郑雯"), "{before}");
                let task = app
                    .wait_js(&format!(
                        "const o = [...document.querySelectorAll(\"{card} #edit-task option\")].find(o => o.textContent.includes('技术参数整理')); return o && o.value;"
                    ))
                    .await?;
                app.set(&format!("{card} #edit-task"), task.as_str().unwrap_or_default()).await?;
                app.set(&format!("{card} #edit-field"), "lead").await?;
                app.set(&format!("{card} #edit-value"), &design.to_string()).await?;
                app.click(&format!("{card} #edit-add")).await?;
                // The required signers now name 设计部's head, before submission.
                app.wait_js(&format!(
                    "const e = document.getElementById('change-signers-{id}'); return e && e.textContent.includes('郑雯（设计部）');"
                ))
                .await?;
                app.click(&format!("#change-submit-{id}")).await?;
                // The round asks her too: five heads sign.
                app.wait_js(&format!(
                    "return document.querySelectorAll(\"{card} button[data-sign=approve]\").length === 5;"
                ))
                .await?;
                let panel = app.text(&format!("{card} liaison-signoff")).await?;
                assert!(panel.contains("郑雯"), "{panel}");
                app.shot("flow-change-signers").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}

#[test]
fn e2e_flow_the_registration_names_an_interface_person_per_department_and_a_version_is_no_measure()
{
    run(async {
        let env = Env::new();
        let file = env.path("对接人.liaison");
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.type_into("#f-initiatingDepartment", "产品部").await?;
                app.type_into("#f-collaboratingDepartments", &format!("研发部{ENTER}"))
                    .await?;
                // One row per department, initiating first.
                app.wait_js("return document.querySelectorAll('.contact-row input').length === 2;")
                    .await?;
                app.type_into(".contact-row input[data-department='研发部']", "赵敏")
                    .await?;
                // A version number does not make the goal measurable.
                app.type_into("#f-coreGoal", "保证产品V2.0版本按时上线，同步市场推广方案")
                    .await?;
                app.wait_saved().await?;
                let msgs = app.field_messages("coreGoal").await?;
                assert!(msgs.contains("必须可衡量"), "{msgs}");
                app.shot("flow-registration-contacts").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        let p = Project::open(&file).map_err(err)?;
        let reg = liaison_core::registration::load(p.conn())
            .map_err(err)?
            .registration;
        let contacts: Vec<(String, String)> = reg
            .contacts
            .iter()
            .map(|c| (c.department.clone(), c.person.clone()))
            .collect();
        assert_eq!(contacts, [("研发部".to_string(), "赵敏".to_string())]);
        Ok(())
    });
}
