//! Meetings: confirmation by every attendee, the ledger (and its benchmark).

use super::harness::*;
use serde_json::json;

#[test]
fn e2e_a_meeting_is_confirmed_by_every_attendee_locked_and_its_items_are_in_the_ledger() {
    run(async {
        let env = Env::new();
        with_app(&env, None, |app| async move {
            let r = async {
                app.click("#stage-meetings").await?;
                app.type_into("#meeting-new-title", "铺货资金协调会").await?;
                app.set("#meeting-new-at", "2023-11-01T10:00").await?;
                app.click("#meeting-add").await?;
                app.wait_js("const e = document.getElementById('m-title'); return e && e.value === '铺货资金协调会';")
                    .await?;
                let person = |name: &str| {
                    format!(
                        "return [...document.querySelectorAll('#m-attendees label')].find(l => l.textContent.trim() === '{name}').querySelector('input').dataset.person;"
                    )
                };
                let idle = "const v = document.querySelector('liaison-meetings'); return v && !v.dataset.busy;";
                let mut ids = Vec::new();
                for name in ["张伟", "刘洋"] {
                    let id = app.wait_js(&person(name)).await?;
                    let id = id.as_str().unwrap_or_default().to_string();
                    app.click(&format!("#m-attendees input[data-person='{id}']")).await?;
                    app.wait_js(idle).await?;
                    app.wait_js(&format!("return document.querySelector(\"#m-attendees input[data-person='{id}']\").checked"))
                        .await?;
                    ids.push(id);
                }
                app.set("#m-recorder", &ids[0]).await?;
                app.wait_js(idle).await?;
                app.wait_js(&format!("return document.getElementById('m-recorder').value === '{}'", ids[0]))
                    .await?;
                for (what, who, day) in [("确认预付比例", &ids[1], "2023-11-03"), ("提交预付款申请", &ids[0], "2023-11-06")] {
                    let before = app
                        .js("return document.querySelectorAll('#minutes tr[data-action]').length;", vec![])
                        .await?;
                    app.set("#minutes .action-new-description", what).await?;
                    app.set("#minutes .action-new-person", who).await?;
                    app.set("#minutes .action-new-deadline", day).await?;
                    app.click("#minutes .action-add").await?;
                    app.wait_js(idle).await?;
                    app.wait_js(&format!(
                        "return document.querySelectorAll('#minutes tr[data-action]').length > {before};"
                    ))
                    .await?;
                }
                app.shot("meeting-minutes-draft").await;
                app.click("#minutes-send").await?;
                app.wait_js(idle).await?;
                // Every attendee confirms in the minutes' own panel.
                for _ in 0..2 {
                    let left = app
                        .wait_js("return document.querySelectorAll('#minutes-signoff button[data-sign=confirm]').length;")
                        .await?;
                    app.click("#minutes-signoff button[data-sign=confirm]").await?;
                    let n = left.as_i64().unwrap_or(0);
                    app.wait_js(&format!(
                        "return document.querySelectorAll('#minutes-signoff button[data-sign=confirm]').length < {n};"
                    ))
                    .await?;
                }
                app.wait_js("const s = document.getElementById('minutes-state'); return s && s.textContent.includes('锁定');")
                    .await?;
                let disabled = app
                    .js("return document.getElementById('m-title').disabled && !document.getElementById('minutes-send');", vec![])
                    .await?;
                assert_eq!(disabled, json!(true), "confirmed minutes are read-only");
                app.shot("meeting-minutes-locked").await;

                app.click("#tab-ledger").await?;
                let meeting = app
                    .wait_js("const o = [...document.querySelectorAll('#ledger-meeting option')].find(o => o.textContent === '铺货资金协调会'); return o && o.value;")
                    .await?;
                app.set("#ledger-meeting", meeting.as_str().unwrap_or_default()).await?;
                app.wait_js("return document.querySelectorAll('#ledger tbody tr[data-action]').length === 2;")
                    .await?;
                let ledger = app.text("#ledger").await?;
                assert!(ledger.contains("确认预付比例") && ledger.contains("提交预付款申请"), "{ledger}");
                app.shot("meeting-ledger").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}

/// Benchmark, not a test (run by `scripts/bench`): the follow-up ledger of the `--large` project
/// (1,000 meetings, 5,000 action items) opening and filtering in the real webview.
#[test]
#[ignore = "benchmark: run by scripts/bench"]
fn bench_ledger_open_and_filter() {
    run(async {
        let env = Env::new();
        let file = env.path("large.liaison");
        drop(liaison_core::demo::write_large(&file).map_err(err)?);
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.click("#stage-meetings").await?;
                app.find("#tab-ledger").await?;
                // Time from the click to the rows painted (two frames), in the page's own clock.
                let open = app
                    .client
                    .execute_async(
                        r#"const done = arguments[0];
                        const t0 = performance.now();
                        document.getElementById('tab-ledger').click();
                        const wait = () => {
                          if (document.querySelectorAll('#ledger tbody tr').length) {
                            requestAnimationFrame(() => requestAnimationFrame(() => done([performance.now() - t0, document.getElementById('ledger-count').textContent])));
                          } else requestAnimationFrame(wait);
                        };
                        wait();"#,
                        vec![],
                    )
                    .await
                    .map_err(err)?;
                let filter = app
                    .client
                    .execute_async(
                        r#"const done = arguments[0];
                        const sel = document.getElementById('ledger-status');
                        const before = document.getElementById('ledger-count').textContent;
                        const t0 = performance.now();
                        sel.value = 'needs_support';
                        sel.dispatchEvent(new Event('change', { bubbles: true }));
                        const wait = () => {
                          const c = document.getElementById('ledger-count');
                          if (c && c.textContent !== before) {
                            requestAnimationFrame(() => requestAnimationFrame(() => done([performance.now() - t0, c.textContent])));
                          } else requestAnimationFrame(wait);
                        };
                        wait();"#,
                        vec![],
                    )
                    .await
                    .map_err(err)?;
                println!("ledger of 5,000 action items: open to painted {:.0} ms ({})", open[0].as_f64().unwrap_or(f64::NAN), open[1]);
                println!("ledger filter by status: {:.0} ms ({})", filter[0].as_f64().unwrap_or(f64::NAN), filter[1]);
                app.shot("ledger-large").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}
