//! From meeting to archive in the app: the ledger's 完成标准 and added departments, one back-dated
//! follow-up for several items, an action item linked to a task after publishing and done with
//! it, a meeting over its communication plan's limit, minutes refused before the meeting, and the
//! work still open listed and settled before the archive.

use super::closing::ready_for_acceptance;
use super::harness::*;
use liaison_core::meetings;
use liaison_core::Project;

const IDLE: &str =
    "const v = document.querySelector('liaison-meetings'); return v && !v.dataset.busy;";

/// The sample written where the app finds it, and its path.
fn sample(env: &Env) -> std::path::PathBuf {
    let dir = env.path("docs").join("Liaison");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("新品上市项目（示例）.liaison");
    drop(liaison_core::demo::write_example(&path).unwrap());
    path
}

/// Whether the page shows `text` anywhere (a refusal beside its control or in a banner).
fn shows(text: &str) -> String {
    format!("return document.body.innerText.includes('{text}');")
}

#[test]
fn e2e_the_ledger_keeps_an_added_department_shows_the_standard_and_follows_up_two_items_back_dated()
{
    run(async {
        let env = Env::new();
        let file = sample(&env);
        let (items, added) = {
            let p = Project::open(&file).map_err(err)?;
            let items: Vec<meetings::ActionItem> = meetings::actions(p.conn())
                .map_err(err)?
                .into_iter()
                .filter(|a| a.status != "done")
                .take(2)
                .collect();
            let added = liaison_core::org::list(p.conn())
                .map_err(err)?
                .into_iter()
                .map(|d| d.name)
                .find(|d| *d != items[0].department)
                .ok_or("a second department")?;
            (items, added)
        };
        let yesterday = (chrono::Local::now().date_naive() - chrono::Days::new(1)).to_string();
        let (first, second) = (items[0].id, items[1].id);
        with_app(&env, Some(&file), |app| {
            let added = added.clone();
            let yesterday = yesterday.clone();
            let standard = items[0].standard.clone();
            async move {
                let r = async {
                    app.click_settled("#stage-meetings").await?;
                    app.click_settled("#tab-ledger").await?;
                    app.find("#ledger").await?;
                    // The 完成标准 column, with the item's standard.
                    let heads = app.text("#ledger thead").await?;
                    assert!(heads.contains("完成标准"), "{heads}");
                    let cell = app
                        .text(&format!("#ledger tr[data-action='{first}'] .ledger-standard"))
                        .await?;
                    assert_eq!(cell, standard);
                    // Pick the second item, open the first: one entry for both, dated yesterday,
                    // adding a department with its reason.
                    app.click_settled(&format!("#ledger tr[data-action='{second}'] .ledger-pick")).await?;
                    app.find("#ledger-picked").await?;
                    app.click_settled(&format!("#ledger tr[data-action='{first}'] td:nth-child(2)")).await?;
                    app.find("#fu-at").await?;
                    app.set("#fu-at", &yesterday).await?;
                    app.type_into("#fu-progress", "两项一起确认了进度").await?;
                    app.set("#fu-department", &added).await?;
                    app.type_into("#fu-adjustment", "需要该部门协助排期").await?;
                    let label = app.text("#fu-add").await?;
                    assert!(label.contains('2'), "{label}");
                    app.shot("ledger-follow-up-two").await;
                    app.click_settled("#fu-add").await?;
                    app.wait_js(IDLE).await?;
                    app.wait_js(&format!(
                        "return document.querySelector(\"#ledger tr[data-action='{first}'] .ledger-departments\")?.textContent.includes('{added}');"
                    ))
                    .await?;
                    // The department filter finds the item under its added department.
                    app.set("#ledger-department", &added).await?;
                    app.wait_js(IDLE).await?;
                    app.wait_js(&format!(
                        "return !!document.querySelector(\"#ledger tr[data-action='{first}']\");"
                    ))
                    .await?;
                    app.shot("ledger-added-department").await;
                    Ok(())
                }
                .await;
                (app, r)
            }
        })
        .await?;
        // The file: one entry over both items, dated yesterday, recorded now.
        let p = Project::open(&file).map_err(err)?;
        let lines: Vec<meetings::FollowUp> = [first, second]
            .iter()
            .map(|id| meetings::follow_ups(p.conn(), *id).unwrap().pop().unwrap())
            .collect();
        assert!(lines[0].at.starts_with(&yesterday), "{:?}", lines[0]);
        assert_eq!(lines[0].at, lines[1].at);
        assert!(lines[0].entry.is_some() && lines[0].entry == lines[1].entry);
        let today = chrono::Local::now().date_naive().to_string();
        assert!(lines[0]
            .recorded_at
            .as_deref()
            .unwrap_or_default()
            .starts_with(&today));
        let a = meetings::action(p.conn(), first).map_err(err)?;
        assert!(a.departments().contains(&added));
        Ok(())
    });
}

#[test]
fn e2e_an_action_item_is_linked_to_a_task_after_publishing_and_done_with_it() {
    run(async {
        let env = Env::new();
        let file = sample(&env);
        let (item, task_id, task_name) = {
            let p = Project::open(&file).map_err(err)?;
            let item = meetings::actions(p.conn())
                .map_err(err)?
                .into_iter()
                .find(|a| a.status != "done" && a.task_id.is_none())
                .ok_or("an open item")?;
            let plan = liaison_core::plan::load(p.conn()).map_err(err)?;
            let task = plan
                .tasks
                .iter()
                .zip(&plan.rows)
                .find(|(t, r)| !r.summary && t.status != "done")
                .map(|(t, _)| t.clone())
                .ok_or("an open task")?;
            (item.id, task.id, task.name)
        };
        with_app(&env, Some(&file), |app| {
            let task_name = task_name.clone();
            async move {
                let r = async {
                    app.click_settled("#stage-meetings").await?;
                    app.click_settled("#tab-ledger").await?;
                    app.click_settled(&format!("#ledger tr[data-action='{item}'] td:nth-child(2)")).await?;
                    // Published: no "转为计划任务", the way out is named; linking is offered.
                    app.find("#fu-published").await?;
                    assert!(app.js("return !document.getElementById('fu-to-task');", vec![]).await?.as_bool() == Some(true));
                    app.set("#fu-task", &task_id.to_string()).await?;
                    app.click_settled("#fu-link").await?;
                    app.wait_js(IDLE).await?;
                    app.wait_js(&format!(
                        "return document.querySelector(\"#ledger tr[data-action='{item}'] .ledger-task\")?.textContent.includes('{task_name}');"
                    ))
                    .await?;
                    app.shot("ledger-linked-task").await;
                    // The task marked done in the plan closes the item.
                    app.click_settled("#stage-plan").await?;
                    app.click_row(&task_name).await?;
                    app.editing(&task_name).await?;
                    app.set("#task-status", "done").await?;
                    app.wait_saved().await?;
                    app.click_settled("#stage-meetings").await?;
                    app.click_settled("#tab-ledger").await?;
                    app.wait_js(&format!(
                        "return !!document.querySelector(\"#ledger tr[data-action='{item}'] .status-chip.done\") && !!document.querySelector(\"#ledger tr[data-action='{item}'] .ledger-task.status-done\");"
                    ))
                    .await?;
                    app.shot("ledger-done-with-task").await;
                    Ok(())
                }
                .await;
                (app, r)
            }
        })
        .await?;
        let p = Project::open(&file).map_err(err)?;
        let a = meetings::action(p.conn(), item).map_err(err)?;
        assert_eq!((a.task_id, a.status.as_str()), (Some(task_id), "done"));
        Ok(())
    });
}

#[test]
fn e2e_a_meeting_over_its_limit_is_flagged_and_its_minutes_wait_until_it_took_place() {
    run(async {
        let env = Env::new();
        let file = sample(&env);
        let (comm, limit) = {
            let p = Project::open(&file).map_err(err)?;
            let c = liaison_core::comms::list(p.conn())
                .map_err(err)?
                .into_iter()
                .find(|c| {
                    c.time_limit > 0 && c.recurrence != liaison_core::comms::Recurrence::AsNeeded
                })
                .ok_or("a recurring entry with a limit")?;
            (c.id, c.time_limit)
        };
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.click_settled("#stage-meetings").await?;
                let before = app.js("return document.querySelectorAll('.meeting-list li').length;", vec![]).await?;
                app.set("#meeting-from-plan", &comm.to_string()).await?;
                app.wait_js(&format!("return document.querySelectorAll('.meeting-list li').length > {before};"))
                    .await?;
                app.wait_js(IDLE).await?;
                assert!(app.js("return !document.getElementById('m-over-limit');", vec![]).await?.as_bool() == Some(true));
                let longer = (limit * 2).to_string();
                app.set("#notice input[type=number]", &longer).await?;
                app.wait_js(IDLE).await?;
                let flag = app.wait_js("return document.getElementById('m-over-limit')?.textContent;").await?;
                let flag = flag.as_str().unwrap_or_default().to_string();
                assert!(flag.contains(&longer) && flag.contains(&limit.to_string()), "{flag}");
                app.shot("meeting-over-limit").await;
                // The next occurrence lies ahead: its minutes cannot go out yet.
                let recorder = app
                    .wait_js("return document.querySelector('#m-attendees input:checked')?.dataset.person;")
                    .await?;
                app.set("#m-recorder", recorder.as_str().unwrap_or_default()).await?;
                app.wait_js(IDLE).await?;
                app.click_settled("#minutes-send").await?;
                app.wait_js(&shows("会议尚未结束")).await?;
                app.shot("minutes-before-meeting").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}

#[test]
fn e2e_the_archive_lists_work_still_open_and_closes_once_each_is_settled() {
    run(async {
        let env = Env::new();
        let file = env.path("accepted.liaison");
        {
            let mut p = liaison_core::demo::write_example(&file).map_err(err)?;
            let conn = p.conn_mut();
            ready_for_acceptance(conn);
            liaison_core::demo::accept_example(conn, 1).map_err(err)?;
            liaison_core::demo::review_example(conn, 1).map_err(err)?;
            // Work that appeared after the acceptance: an open risk.
            liaison_core::control::save_risk(
                conn,
                "张伟",
                &liaison_core::control::Risk {
                    description: "售后备件不足".into(),
                    level: "medium".into(),
                    ..Default::default()
                },
            )
            .map_err(err)?;
        }
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.click_settled("#stage-archive").await?;
                app.find("#open-work").await?;
                let row = "#open-work tr.open";
                let listed = app.wait_js(&format!("return document.querySelector('{row}')?.textContent;")).await?;
                assert!(listed.as_str().unwrap_or_default().contains("售后备件不足"), "{listed}");
                // Closing is refused, naming it.
                app.click_settled("#archive-close").await?;
                app.click("#confirm-ok").await?;
                app.wait_js(&shows("还有 1 项工作未了结")).await?;
                assert!(app.js("return !document.getElementById('archive-closed');", vec![]).await?.as_bool() == Some(true));
                app.shot("archive-open-work").await;
                app.js("document.querySelectorAll('#banners .banner').forEach(b => b.remove());", vec![]).await?;
                // Carried over with its reason, then the archive closes.
                app.type_into(&format!("{row} .ow-reason"), "转入售后项目跟进").await?;
                app.click_settled(&format!("{row} .ow-carry")).await?;
                app.wait_js("return !document.querySelector('#open-work tr.open') && [...document.querySelectorAll('#open-work tr.settled')].some(r => r.textContent.includes('售后备件不足') && r.textContent.includes('转入售后项目跟进'));")
                    .await?;
                app.click_settled("#archive-close").await?;
                app.click("#confirm-ok").await?;
                app.find("#archive-closed").await?;
                app.shot("archive-closed-settled").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        let p = Project::open(&file).map_err(err)?;
        assert!(liaison_core::archive::closed_at(p.conn())
            .map_err(err)?
            .is_some());
        let later = liaison_core::clock::now() + chrono::Duration::days(90);
        assert!(liaison_core::warnings::for_project(p.conn(), later)
            .map_err(err)?
            .is_empty());
        Ok(())
    });
}

#[test]
fn e2e_acceptance_refuses_to_pass_an_unfinished_task_and_lists_the_open_work_to_finish() {
    run(async {
        let env = Env::new();
        let file = sample(&env);
        let (undone, action) = {
            let p = Project::open(&file).map_err(err)?;
            let a = liaison_core::acceptance::load(p.conn()).map_err(err)?;
            let undone = a
                .items
                .iter()
                .find(|i| i.status != "done")
                .map(|i| (i.task_id, i.name.clone()))
                .ok_or("a task not done")?;
            let action = meetings::actions(p.conn())
                .map_err(err)?
                .into_iter()
                .find(|a| a.status != "done")
                .ok_or("an open action item")?;
            (undone, action)
        };
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.click_settled("#stage-acceptance").await?;
                app.find("table.acceptance").await?;
                // Passing a task that is not done is refused, naming it; the verdict stays pending.
                app.click_settled(&format!("#acc-verdict-{}-pass", undone.0)).await?;
                app.wait_js(&shows("尚未完成，不能判定通过")).await?;
                app.wait_js(&format!(
                    "return document.querySelector(\"tr.acc-row[data-task='{}']\").classList.contains('verdict-pending');",
                    undone.0
                ))
                .await?;
                app.js("document.querySelectorAll('#banners .banner').forEach(b => b.remove());", vec![]).await?;
                // The open work is listed here too; an action item is finished from the list.
                let row = format!("#open-work tr[data-open-work='action-{}']", action.id);
                let text = app.text(&row).await?;
                assert!(text.contains(&action.description), "{text}");
                app.shot("acceptance-open-work").await;
                let before = app.js("return document.querySelectorAll('#open-work tr.open').length;", vec![]).await?;
                app.click_settled(&format!("{row} .ow-finish")).await?;
                app.wait_js(&format!(
                    "return !document.querySelector(\"{row}\") && document.querySelectorAll('#open-work tr.open').length < {before};"
                ))
                .await?;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        let p = Project::open(&file).map_err(err)?;
        assert_eq!(
            meetings::action(p.conn(), action.id).map_err(err)?.status,
            "done"
        );
        Ok(())
    });
}
