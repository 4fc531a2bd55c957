//! Registration, refused files, user text as text, and signing the registration.

use super::harness::*;
use crate::util::*;
use liaison_core::Project;
use serde_json::json;

#[test]
fn e2e_registration_is_saved_and_comes_back_after_reopening() {
    run(async {
        let env = Env::new();
        let file = env.path("新项目.liaison");
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                assert_eq!(app.value("#f-name").await?, "新项目", "a new file starts named after itself");
                app.type_into("#f-name", "跨部门新品上市").await?;
                app.type_into("#f-background", "第四季度新品上市，需四个部门协同").await?;
                app.type_into("#f-initiatingDepartment", "产品部").await?;
                app.type_into("#f-owner", "张伟").await?;
                app.type_into("#f-collaboratingDepartments", &format!("研发部{ENTER}")).await?;
                app.type_into("#f-collaboratingDepartments", &format!("市场部{ENTER}")).await?;
                app.type_into("#f-startDate", "2023-10-01").await?;
                app.type_into("#f-endDate", "2023-12-31").await?;
                app.type_into("#f-coreGoal", "首月销量达1万件").await?;
                app.type_into("#f-keyDeliverables", "销售培训材料").await?;
                app.click("#milestone-add").await?;
                app.type_into(".milestone-row [data-part=date]", "2023-11-30").await?;
                app.type_into(".milestone-row [data-part=node]", "渠道铺货完成").await?;
                app.wait_saved().await?;
                app.wait_js("return document.querySelector('#form-summary .count.ok')").await?;
                let topbar = app.text("#project-name").await?;
                assert_eq!(topbar, "跨部门新品上市");

                // A vague goal is flagged beside the field, in the user's language.
                app.type_into("#f-coreGoal", "尽快提升效率").await?;
                app.wait_saved().await?;
                let msgs = app.field_messages("coreGoal").await?;
                assert!(msgs.contains("措辞含糊") && msgs.contains("尽快"), "{msgs}");
                assert!(msgs.contains("必须可衡量"), "{msgs}");

                // Switching the language changes the labels and the messages.
                assert!(app.text("label[for='f-name']").await?.starts_with("项目名称"));
                app.click("#lang-button").await?;
                app.wait_js("return document.querySelector(\"label[for='f-name']\").textContent.startsWith('Project name')").await?;
                let msgs = app.field_messages("coreGoal").await?;
                assert!(msgs.contains("Vague wording") && msgs.contains("尽快"), "{msgs}");
                app.shot("registration-vague-en").await;
                assert_eq!(app.text("#stage-plan .stage-label").await?, "Plan");

                app.type_into("#f-coreGoal", "首月销量达1万件").await?;
                app.wait_saved().await?;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;

        // Reopen: everything typed is there, and the language was remembered.
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                assert_eq!(app.value("#f-name").await?, "跨部门新品上市");
                assert_eq!(app.value("#f-owner").await?, "张伟");
                assert_eq!(app.value("#f-startDate").await?, "2023-10-01");
                assert_eq!(app.value("#f-coreGoal").await?, "首月销量达1万件");
                let tags = app
                    .text("liaison-tag-input[name=collaboratingDepartments]")
                    .await?;
                assert!(tags.contains("研发部") && tags.contains("市场部"), "{tags}");
                assert_eq!(
                    app.value(".milestone-row [data-part=node]").await?,
                    "渠道铺货完成"
                );
                assert!(app
                    .text("label[for='f-name']")
                    .await?
                    .starts_with("Project name"));
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}

#[test]
fn e2e_foreign_and_busy_files_are_refused_with_a_message() {
    run(async {
        let env = Env::new();
        let foreign = env.path("表格.liaison");
        std::fs::write(&foreign, "姓名,部门\n王芳,市场部\n").unwrap();
        let before = std::fs::read(&foreign).unwrap();
        with_app(&env, Some(&foreign), |app| async move {
            let r = async {
                let banner = app.text(".banner.error .banner-text").await?;
                assert!(banner.contains("不是 Liaison 项目文件"), "{banner}");
                app.shot("start-foreign-file").await;
                assert!(banner.contains("表格.liaison"), "{banner}");
                app.find("#start-new").await?;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        assert_eq!(std::fs::read(&foreign).unwrap(), before);

        let busy = demo_file(env.dir.path(), "busy.liaison");
        let held = Project::open(&busy).unwrap();
        with_app(&env, Some(&busy), |app| async move {
            let r = async {
                let banner = app.text(".banner.error .banner-text").await?;
                assert!(banner.contains("已在另一个窗口或程序中打开"), "{banner}");
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        drop(held);
        Ok(())
    });
}

#[test]
fn e2e_user_text_is_shown_as_text_never_as_markup() {
    const IMG: &str = "<img src=x onerror=alert(1)>";
    const SCRIPT: &str = "<script>window.__pwned=1</script>";
    const SVG: &str = "\"><svg onload=alert(2)>";
    run(async {
        let env = Env::new();
        let file = env.path("xss.liaison");
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.type_into("#f-name", IMG).await?;
                app.type_into("#f-owner", SCRIPT).await?;
                app.type_into("#f-collaboratingDepartments", &format!("{SVG}{ENTER}"))
                    .await?;
                app.type_into("#f-coreGoal", SVG).await?;
                app.wait_saved().await?;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                assert_eq!(app.value("#f-name").await?, IMG);
                assert_eq!(app.value("#f-owner").await?, SCRIPT);
                assert_eq!(app.value("#f-coreGoal").await?, SVG);
                assert_eq!(app.text("#project-name").await?, IMG);
                assert_eq!(app.text("liaison-tag-input .tag-text").await?, SVG);
                let injected = app
                    .js(
                        "return [document.querySelectorAll('img[src=\"x\"], svg').length,
                                 [...document.scripts].filter(s => s.textContent.includes('__pwned')).length,
                                 typeof window.__pwned];",
                        vec![],
                    )
                    .await?;
                assert_eq!(injected, json!([0, 0, "undefined"]));
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}

#[test]
fn e2e_signing_locks_the_registration_and_history_shows_it() {
    run(async {
        let env = Env::new();
        let (file, li_na, wang_qiang) = unsigned_project(env.dir.path());
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                // The initiating department's head is suggested; add the second head and start.
                app.wait_js(&format!("return document.querySelector('input[data-person=\"{li_na}\"]')?.checked")).await?;
                app.click(&format!("input[data-person='{wang_qiang}']")).await?;
                app.click("#signoff-start").await?;
                app.wait_js("return document.getElementById('signoff-state')?.textContent.includes('签核中')").await?;
                app.wait_js("return document.getElementById('f-name').disabled").await?;
                app.js("document.querySelector('liaison-signoff').scrollIntoView()", vec![]).await?;
                app.shot("signoff-open").await;

                for person in [li_na, wang_qiang] {
                    app.click(&format!("button[data-sign='approve'][data-person='{person}']")).await?;
                    app.wait_js(&format!("return !document.querySelector(\"button[data-sign='approve'][data-person='{person}']\")")).await?;
                }
                app.wait_js("return document.getElementById('signoff-state')?.textContent.includes('已签核')").await?;
                let banner = app.text("#lock-banner").await?;
                assert!(banner.contains("已签核锁定"), "{banner}");
                let disabled = app
                    .js("return [...document.querySelectorAll('.card:not(.signoff) input, .card:not(.signoff) textarea')].every(e => e.disabled)", vec![])
                    .await?;
                assert_eq!(disabled, json!(true), "every field is read-only");

                // The backend refuses the edit too, whatever the UI allows.
                app.js(
                    "window.__TAURI__.core.invoke('save_registration', {registration: {name: '改名'}})
                       .then(() => window.__saved = 'ok', e => window.__saved = e.code);",
                    vec![],
                )
                .await?;
                let code = app.wait_js("return window.__saved").await?;
                assert_eq!(code, json!("locked"));
                assert_eq!(app.value("#f-name").await?, "新品上市项目");

                // History lists the edits and the signatures.
                app.click("#history-open").await?;
                app.wait_js("return document.getElementById('history-dialog').open").await?;
                app.shot("signoff-history").await;
                let history = app.text("liaison-history").await?;
                assert!(history.contains("李娜") && history.contains("王强"), "{history}");
                assert!(history.contains("核心目标") && history.contains("发起签核"), "{history}");
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        // The signed file passes the integrity check.
        let out = liaison(env.dir.path(), &["check", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        Ok(())
    });
}
