//! What a user met in the interface (issue 15): confirmations that never asked, refusals shown as
//! failed saves, dates in the system's locale, an archive whose screens still offered edits, and
//! lists squashed in their cells.

use super::harness::*;
use liaison_core::Project;
use serde_json::json;
use std::path::{Path, PathBuf};

const ESC: &str = "\u{E00C}";
const TAB: &str = "\u{E004}";

/// A project in draft: two tasks, a retrospective entry with text and an evidence file on the first
/// task. Returns the path, the kept task's id, the retro entry's id and the evidence's id.
fn draft_project(dir: &Path) -> (PathBuf, i64, i64, i64) {
    use liaison_core::plan::{self, NewTask};
    let path = dir.join("界面.liaison");
    let mut p = Project::create(&path, "界面").unwrap();
    let conn = p.conn_mut();
    let task = |name: &str| NewTask {
        parent_id: None,
        after: None,
        name: name.into(),
        milestone: false,
    };
    let keep = plan::add_task(conn, "张伟", &task("保留的任务"))
        .unwrap()
        .id;
    plan::add_task(conn, "张伟", &task("要删除的任务")).unwrap();
    let entry = liaison_core::retro::save_entry(
        conn,
        "张伟",
        &liaison_core::retro::Entry {
            section: "problem".into(),
            text: "要删除的复盘条目".into(),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    let evidence =
        liaison_core::acceptance::add_evidence(conn, "张伟", keep, "验收证明.txt", b"ok").unwrap();
    (path, keep, entry, evidence)
}

impl App {
    /// Waits for the confirmation dialog and returns its message and its two buttons' labels.
    async fn confirmation(&self) -> R<(String, String, String)> {
        self.wait_js("const d = document.getElementById('confirm-dialog'); return d && d.open;")
            .await?;
        let v = self
            .js(
                "return ['confirm-message', 'confirm-ok', 'confirm-cancel'].map(id => document.getElementById(id).textContent);",
                vec![],
            )
            .await?;
        let s = |i: usize| v[i].as_str().unwrap_or_default().to_string();
        Ok((s(0), s(1), s(2)))
    }

    async fn confirmation_gone(&self) -> R<()> {
        self.wait_js("return !document.getElementById('confirm-dialog');")
            .await
            .map(|_| ())
    }

    /// Goes to another stage and back, so that the screen is read again from the project.
    async fn reload_stage(&self, stage: &str) -> R<()> {
        self.click("#stage-registration").await?;
        self.find("liaison-registration").await?;
        self.click(&format!("#stage-{stage}")).await
    }

    /// Replaces a field's text by typing `text` over it, then leaves it with Tab (one change event;
    /// clearing first would send an empty value and redraw the editor).
    async fn retype(&self, css: &str, text: &str) -> R<()> {
        self.find(css).await?;
        self.js(
            "const e = document.querySelector(arguments[0]); e.focus(); e.select();",
            vec![json!(css)],
        )
        .await?;
        self.find(css)
            .await?
            .send_keys(&format!("{text}{TAB}"))
            .await
            .map_err(err)
    }

    async fn exists(&self, css: &str) -> R<bool> {
        let v = self
            .js(
                "return Boolean(document.querySelector(arguments[0]));",
                vec![json!(css)],
            )
            .await?;
        Ok(v == json!(true))
    }
}

#[test]
fn e2e_ui_cancel_keeps_and_ok_removes_a_task_a_retro_entry_and_evidence() {
    run(async {
        let env = Env::new();
        let (file, keep, entry, evidence) = draft_project(env.dir.path());
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                // Delete task: Cancel keeps it (also when the plan is read again), OK deletes it.
                app.click("#stage-plan").await?;
                app.click_row("要删除的任务").await?;
                app.editing("要删除的任务").await?;
                app.click("#task-delete").await?;
                let (message, ok, cancel) = app.confirmation().await?;
                assert!(message.contains("要删除的任务"), "{message}");
                assert_eq!((ok.as_str(), cancel.as_str()), ("删除", "取消"));
                app.shot("confirm-delete-task").await;
                app.click("#confirm-cancel").await?;
                app.confirmation_gone().await?;
                app.reload_stage("plan").await?;
                app.click_row("要删除的任务").await?;
                app.editing("要删除的任务").await?;
                app.click("#task-delete").await?;
                app.confirmation().await?;
                app.click("#confirm-ok").await?;
                app.wait_js("return ![...document.querySelectorAll('.gantt-row')].some(r => r.textContent.includes('要删除的任务'));")
                    .await?;

                // A retrospective entry: Esc cancels, OK deletes.
                app.click("#stage-retrospective").await?;
                let del = format!("#retro-delete-{entry}");
                app.click(&del).await?;
                let (message, ok, _) = app.confirmation().await?;
                assert!(message.contains("删除"), "{message}");
                assert_eq!(ok, "删除");
                app.find("#confirm-ok").await?.send_keys(ESC).await.map_err(err)?;
                app.confirmation_gone().await?;
                app.reload_stage("retrospective").await?;
                app.find(&del).await?;
                app.click(&del).await?;
                app.confirmation().await?;
                app.click("#confirm-ok").await?;
                app.wait_js(&format!("return !document.querySelector('{del}');")).await?;

                // Acceptance evidence: Cancel keeps it, Enter (OK) removes it.
                app.click("#stage-acceptance").await?;
                let remove = format!("#acc-evidence-remove-{evidence}");
                app.click(&remove).await?;
                let (message, ok, _) = app.confirmation().await?;
                assert!(message.contains("验收证明.txt"), "{message}");
                assert_eq!(ok, "移除");
                app.shot("confirm-remove-evidence").await;
                app.click("#confirm-cancel").await?;
                app.confirmation_gone().await?;
                app.reload_stage("acceptance").await?;
                app.click(&remove).await?;
                app.confirmation().await?;
                app.find("#confirm-ok").await?.send_keys(ENTER).await.map_err(err)?;
                app.wait_js(&format!("return !document.querySelector('{remove}');")).await?;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        // The file: the task, the entry and the evidence are gone; the other task stays.
        let p = Project::open(&file).map_err(err)?;
        let names: Vec<String> = liaison_core::plan::load(p.conn())
            .map_err(err)?
            .tasks
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(names, vec!["保留的任务".to_string()]);
        let entries = liaison_core::retro::entries(p.conn()).map_err(err)?;
        assert!(entries.iter().all(|e| e.id != entry), "{entries:?}");
        let items = liaison_core::acceptance::load(p.conn()).map_err(err)?.items;
        let item = items
            .iter()
            .find(|i| i.task_id == keep)
            .expect("the kept task");
        assert!(item.evidence.is_empty());
        Ok(())
    });
}

#[test]
fn e2e_ui_archiving_asks_first_cancel_and_esc_keep_the_file_open_ok_archives_it_read_only() {
    run(async {
        let env = Env::new();
        let file = env.path("待归档.liaison");
        {
            let mut p = liaison_core::demo::write_example(&file).unwrap();
            super::closing::ready_for_acceptance(p.conn_mut());
            liaison_core::demo::accept_example(p.conn_mut(), 1).unwrap();
            liaison_core::demo::review_example(p.conn_mut(), 1).unwrap();
        }
        let open = "const b = document.getElementById('archive-close'); return b && !b.disabled;";
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.click("#stage-archive").await?;
                app.wait_js(open).await?;
                app.click("#archive-close").await?;
                let (message, ok, cancel) = app.confirmation().await?;
                assert!(message.contains("永久只读"), "{message}");
                assert_eq!((ok.as_str(), cancel.as_str()), ("归档", "取消"));
                app.shot("confirm-archive").await;
                app.click("#confirm-cancel").await?;
                app.confirmation_gone().await?;
                app.click("#archive-close").await?;
                app.confirmation().await?;
                app.find("#confirm-cancel")
                    .await?
                    .send_keys(ESC)
                    .await
                    .map_err(err)?;
                app.confirmation_gone().await?;
                assert!(!app.exists("#project-archived").await?);
                app.wait_js(open).await?;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        {
            let p = Project::open(&file).map_err(err)?;
            let closed = liaison_core::archive::closed_at(p.conn()).map_err(err)?;
            assert!(closed.is_none(), "cancelled, yet archived at {closed:?}");
        }
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.click("#stage-archive").await?;
                app.wait_js(open).await?;
                app.click("#archive-close").await?;
                app.confirmation().await?;
                app.click("#confirm-ok").await?;
                app.find("#archive-closed").await?;
                app.find("#project-archived").await?;
                // Every screen: no edit control enabled; looking and exporting still work.
                let edits = [
                    ("registration", "liaison-registration input"),
                    ("organization", "#dept-new"),
                    ("organization", "#comms-add"),
                    ("plan", "#task-add"),
                    ("meetings", "#meeting-add"),
                    ("tracking", "#tab-risks"),
                    ("acceptance", "#acc-overall"),
                    ("retrospective", "liaison-retro textarea"),
                ];
                for (stage, css) in edits {
                    app.click(&format!("#stage-{stage}")).await?;
                    app.find(css).await?;
                    // Wait until the screen has drawn (its async load) and the read-only state applied.
                    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
                    let enabled = app
                        .js(
                            "return [...document.querySelectorAll('#view-body textarea, #view-body input:not([type=search]):not([type=checkbox]), #view-body button')]
                              .filter(e => !e.disabled && !e.closest('.tabs, .filters, .seg') && !/^(tab-|xlsx-|export|plan-history|history-open|calendar-open|view-)/.test(e.id)
                                && !(e.id || '').includes('export') && e.textContent !== '历史记录' && !e.matches('button.stat, .warning-link'))
                              .map(e => e.id || e.className || e.textContent);",
                            vec![],
                        )
                        .await?;
                    let enabled: Vec<String> = enabled
                        .as_array()
                        .map(|a| a.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect())
                        .unwrap_or_default();
                    assert!(
                        enabled.iter().all(|e| !e.starts_with('+') && !e.contains("risk-") && !e.starts_with("task-") && !e.starts_with("dept-") && !e.starts_with("meeting-") && !e.starts_with("retro-") && !e.starts_with("acc-")),
                        "{stage}: edit controls still enabled: {enabled:?}"
                    );
                    assert!(
                        app.js("return [...document.querySelectorAll('#view-body textarea, #view-body input[type=text]:not(.filters *)')].every(e => e.disabled);", vec![]).await? == json!(true),
                        "{stage}: a text field is still editable"
                    );
                    if stage == "tracking" {
                        app.click("#tab-risks").await?;
                        app.wait_js("const d = document.getElementById('risk-new-description'); return d && d.disabled && document.getElementById('risk-add').disabled;")
                            .await?;
                        app.shot("archived-risks").await;
                    }
                    if stage == "plan" {
                        app.wait_js("const b = document.getElementById('xlsx-allocation'); return b && !b.disabled && document.getElementById('task-add').disabled;")
                            .await?;
                        app.shot("archived-plan").await;
                    }
                }
                app.click("#stage-archive").await?;
                app.wait_js("const b = document.getElementById('archive-export-all'); return b && !b.disabled;")
                    .await?;
                app.shot("archived-archive").await;
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
        Ok(())
    });
}

#[test]
fn e2e_ui_a_refusal_is_shown_beside_its_control_and_the_indicator_does_not_say_failed() {
    run(async {
        let env = Env::new();
        with_app(&env, None, |app| async move {
            let r = async {
                // A follow-up dated in the future is refused by the rules (nothing failed to save).
                app.click("#stage-meetings").await?;
                app.click("#tab-ledger").await?;
                app.find("#ledger tr[data-action]").await?;
                app.js("document.querySelector('#ledger tr[data-action]').click();", vec![]).await?;
                app.find("#fu-add").await?;
                app.set("#fu-progress", "已与研发部对齐参数").await?;
                app.set("#fu-at", "2099-12-31").await?;
                app.click("#fu-add").await?;
                let refusal = app.refusal().await?;
                assert!(!refusal.is_empty());
                let placed = app
                    .js(
                        "const b = document.getElementById('fu-add').getBoundingClientRect();
                         const r = document.querySelector('.refusal.floating').getBoundingClientRect();
                         return r.top >= b.bottom - 1 && r.top - b.bottom < 40 && Math.abs(r.left - b.left) < 120;",
                        vec![],
                    )
                    .await?;
                assert_eq!(placed, json!(true), "the refusal is not beside its button");
                let state = app.text("#save-state").await?;
                let kind = app
                    .js("return document.getElementById('save-state').dataset.state;", vec![])
                    .await?;
                assert_eq!(kind, json!("refused"));
                assert!(!state.contains("保存失败"), "{state}");
                assert!(!app.exists("#banners .banner.error").await?);
                // The log in the settings folder has the project opened and the refusal by its
                // key, never what was typed.
                let log = std::fs::read_to_string(app.config.join("liaison.log"))
                    .map_err(|e| format!("no log file: {e}"))?;
                assert!(log.contains("starting") && log.contains("opened "), "{log}");
                assert!(log.contains("refused: "), "{log}");
                assert!(!log.contains("已与研发部对齐参数"), "user text in the log: {log}");
                app.shot("refusal-beside-control").await;
                // Dismissed, it goes.
                app.click(".refusal.floating .refusal-dismiss").await?;
                app.wait_js("return !document.querySelector('.refusal.floating');").await?;

                // Escalating an issue asks for its reason in the same dialog: OK waits for a text,
                // Cancel escalates nothing, OK with a reason escalates one level.
                app.click("#stage-tracking").await?;
                app.click("#tab-issues").await?;
                let level = "const s = document.querySelector('section.issue'); const m = s && s.className.match(/ladder-(\\d)/); return m && m[1];";
                let before = app.wait_js(level).await?;
                app.find("[data-escalate]").await?;
                app.click("[data-escalate]").await?;
                app.confirmation().await?;
                let ok_disabled = app
                    .js("return document.getElementById('confirm-ok').disabled;", vec![])
                    .await?;
                assert_eq!(ok_disabled, json!(true), "OK without a reason");
                app.click("#confirm-cancel").await?;
                app.confirmation_gone().await?;
                assert_eq!(app.wait_js(level).await?, before);
                app.click("[data-escalate]").await?;
                app.confirmation().await?;
                app.type_into("#confirm-input", "48 小时内未拿出方案").await?;
                app.shot("confirm-escalate").await;
                app.click("#confirm-ok").await?;
                app.confirmation_gone().await?;
                let after = app
                    .wait_js(&format!(
                        "const s = document.querySelector('section.issue'); const m = s && s.className.match(/ladder-(\\d)/); return m && m[1] !== '{}' && m[1];",
                        before.as_str().unwrap_or_default()
                    ))
                    .await?;
                assert!(after.as_str().is_some(), "{after}");
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}

#[test]
fn e2e_ui_a_date_types_and_reads_back_as_yyyy_mm_dd_and_year_0016_is_refused() {
    run(async {
        let env = Env::new();
        let (file, keep, _, _) = draft_project(env.dir.path());
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.click("#stage-plan").await?;
                app.click_row("保留的任务").await?;
                app.editing("保留的任务").await?;
                let field = app
                    .js(
                        "const e = document.getElementById('task-start'); return [e.type, e.placeholder, e.value];",
                        vec![],
                    )
                    .await?;
                assert_eq!(field, json!(["text", "YYYY-MM-DD", ""]), "an empty date field shows no value");
                app.retype("#task-start", "2026-12-16").await?;
                app.wait_saved().await?;
                app.wait_js("return document.getElementById('task-start').value === '2026-12-16';")
                    .await?;
                app.shot("date-field").await;
                // Year 0016: said beside the field, nothing sent, the stored date stays.
                app.retype("#task-start", "0016-12-16").await?;
                let said = app
                    .wait_js("const m = document.querySelector('#task-start + .date-error'); return m && m.textContent;")
                    .await?;
                assert!(said.as_str().unwrap_or_default().contains("2000"), "{said}");
                app.shot("date-field-refused").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        let p = Project::open(&file).map_err(err)?;
        let plan = liaison_core::plan::load(p.conn()).map_err(err)?;
        let task = plan.tasks.iter().find(|t| t.id == keep).expect("task");
        assert_eq!(task.start_date.as_deref(), Some("2026-12-16"));
        Ok(())
    });
}

#[test]
fn e2e_ui_lists_show_whole_words_and_the_gantt_opens_on_today() {
    run(async {
        let env = Env::new();
        let (file, keep, _, _) = draft_project(env.dir.path());
        {
            // The kept task runs from two weeks ago for two months: today is inside the project.
            let mut p = Project::open(&file).unwrap();
            let conn = p.conn_mut();
            let mut t = liaison_core::plan::load(conn)
                .unwrap()
                .tasks
                .into_iter()
                .find(|t| t.id == keep)
                .unwrap();
            let start = chrono::Local::now().date_naive() - chrono::Days::new(14);
            t.start_date = Some(start.format("%Y-%m-%d").to_string());
            t.duration = 40;
            liaison_core::plan::update_task(conn, "张伟", &t).unwrap();
        }
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.click("#stage-plan").await?;
                app.find("liaison-gantt .gantt-bar").await?;
                // Today's line is in the visible part of the chart, not months away.
                app.wait_js(
                    "const p = document.querySelector('liaison-gantt .gantt-today-pill'), pane = document.querySelector('liaison-gantt .gantt-pane');
                     if (!p || p.hidden || !pane) return false;
                     const a = p.getBoundingClientRect(), b = pane.getBoundingClientRect();
                     return a.left >= b.left && a.right <= b.right;",
                )
                .await?;
                app.shot("gantt-today").await;
                // The task moved years away: the chart follows it instead of staying where today was.
                app.click_row("保留的任务").await?;
                app.editing("保留的任务").await?;
                app.retype("#task-start", "2023-08-01").await?;
                app.wait_saved().await?;
                app.wait_js(
                    "const bar = document.querySelector('liaison-gantt .gantt-bar'), pane = document.querySelector('liaison-gantt .gantt-pane');
                     if (!bar || !pane) return false;
                     const a = bar.getBoundingClientRect(), b = pane.getBoundingClientRect();
                     return a.right > b.left && a.left < b.right;",
                )
                .await?;
                app.shot("gantt-moved").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        // The sample: the communication plan's weekday and the risk form's lists show their words.
        // Each list's chosen text, measured in its own font, fits between its padding (where the
        // chevron is drawn), so it is not cut to one character.
        let fits = "const c = document.createElement('canvas').getContext('2d');
            return [...document.querySelectorAll(arguments[0])].map(s => {
              const cs = getComputedStyle(s); c.font = `${cs.fontSize} ${cs.fontFamily}`;
              const o = s.options[s.selectedIndex]; const need = c.measureText(o ? o.textContent : '').width;
              // The chevron is drawn 9 px from the right edge and is 10 px wide: the text must end before it.
              const room = s.getBoundingClientRect().width - parseFloat(cs.paddingLeft) - 22;
              return room + 1 >= need ? true : `${o && o.textContent}: ${room} < ${need}`;
            });";
        let env = Env::new();
        with_app(&env, None, |app| async move {
            let r = async {
                app.click("#stage-organization").await?;
                app.find("#comms select.recur-weekday").await?;
                app.js("document.getElementById('comms').scrollIntoView();", vec![])
                    .await?;
                app.shot("comms-weekday").await;
                let v = app
                    .js(fits, vec![json!("#comms select.recur-weekday")])
                    .await?;
                assert!(
                    v.as_array()
                        .is_some_and(|a| !a.is_empty() && a.iter().all(|x| x == &json!(true))),
                    "weekday squashed: {v}"
                );
                app.click("#stage-tracking").await?;
                app.click("#tab-risks").await?;
                app.find("#risk-new-level").await?;
                let v = app
                    .js(
                        fits,
                        vec![json!(
                            "#risk-new-level, select[id^=risk-level-], select[id^=risk-status-]"
                        )],
                    )
                    .await?;
                assert!(
                    v.as_array()
                        .is_some_and(|a| a.len() > 1 && a.iter().all(|x| x == &json!(true))),
                    "risk lists cut off: {v}"
                );
                app.shot("risk-lists").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}
