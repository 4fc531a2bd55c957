//! Tracking: a change request signed by every head moves the Gantt chart.

use super::harness::*;

#[test]
fn e2e_a_change_request_approved_by_every_head_moves_the_gantt_chart() {
    run(async {
        let env = Env::new();
        with_app(&env, None, |app| async move {
            let r = async {
                // The published sample: 3.1 首月销量复盘 takes 2 working days from Fri 12-08.
                app.click("#stage-plan").await?;
                app.click("#view-list").await?;
                app.click_row("首月销量复盘").await?;
                let row = "//div[contains(concat(' ', normalize-space(@class), ' '), ' gantt-row ')][contains(., '首月销量复盘')]";
                let before = app
                    .wait_js(&format!(
                        "const r = document.evaluate(\"{row}\", document, null, 9, null).singleNodeValue; return r && r.textContent;"
                    ))
                    .await?;
                let before = before.as_str().unwrap_or_default();
                assert!(before.contains("2023-12-11"), "{before}");
                // Editing it directly is refused: the editor points to a change request.
                app.find("#task-change-request").await?;

                app.click("#stage-tracking").await?;
                let warnings = app.text("#warnings").await?;
                assert!(warnings.contains("变更申请「增加物流备选方案评估」等待签署"), "{warnings}");
                app.shot("tracking-dashboard").await;
                app.click("#tab-changes").await?;
                app.type_into("#change-new-title", "复盘延长两天").await?;
                app.click("#change-add").await?;
                let record = app
                    .wait_js("const c = document.querySelector('.card.change.draft'); return c && c.dataset.record;")
                    .await?;
                let card = format!("[data-record='{}']", record.as_str().unwrap_or_default());
                let task = app
                    .wait_js(&format!(
                        "const o = [...document.querySelectorAll(\"{card} #edit-task option\")].find(o => o.textContent.includes('首月销量复盘')); return o && o.value;"
                    ))
                    .await?;
                app.set(&format!("{card} #edit-task"), task.as_str().unwrap_or_default()).await?;
                app.set(&format!("{card} #edit-field"), "duration").await?;
                app.set(&format!("{card} #edit-value"), "4").await?;
                app.click(&format!("{card} #edit-add")).await?;
                app.wait_js(&format!(
                    "return document.querySelectorAll(\"{card} table.edits tbody tr\").length === 1"
                ))
                .await?;
                let id = record.as_str().unwrap_or_default().trim_start_matches("change_request:").to_string();
                app.click(&format!("#change-submit-{id}")).await?;
                // Every head approves, one after the other, in the request's sign-off panel.
                for _ in 0..4 {
                    let left = app
                        .wait_js(&format!(
                            "return document.querySelectorAll(\"{card} button[data-sign=approve]\").length;"
                        ))
                        .await?;
                    app.click(&format!("{card} button[data-sign=approve]")).await?;
                    let n = left.as_i64().unwrap_or(0);
                    app.wait_js(&format!(
                        "return document.querySelectorAll(\"{card} button[data-sign=approve]\").length < {n};"
                    ))
                    .await?;
                }
                app.wait_js(&format!(
                    "const c = document.querySelector(\"{card}\"); return c && c.classList.contains('applied');"
                ))
                .await?;
                app.shot("tracking-change-applied").await;

                app.click("#stage-plan").await?;
                app.click("#view-list").await?;
                app.wait_js(&format!(
                    "const r = document.evaluate(\"{row}\", document, null, 9, null).singleNodeValue; return r && r.textContent.includes('2023-12-13');"
                ))
                .await?;
                app.click("#view-chart").await?;
                app.shot("plan-after-change").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}
