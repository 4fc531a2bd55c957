//! The plan: dependencies, the Gantt chart (and its benchmark), the sample in both languages.

use super::harness::*;
use liaison_core::Project;
use serde_json::{json, Value};

#[test]
fn e2e_plan_a_dependency_draws_an_arrow_and_a_cycle_is_refused() {
    run(async {
        let env = Env::new();
        let file = env.path("计划.liaison");
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                // Organization: two departments.
                app.click("#stage-organization").await?;
                for name in ["产品部", "销售部"] {
                    app.type_into("#dept-new", name).await?;
                    app.click("#dept-add").await?;
                    app.find(&format!("tr[data-department='{name}']")).await?;
                }
                let checks = app.text("#org-findings").await?;
                assert!(checks.contains("「销售部」没有部门负责人"), "{checks}");
                app.shot("organization").await;
                let sales = app
                    .js(
                        "return [...document.querySelectorAll('#departments tbody tr')].findIndex(r => r.dataset.department === '销售部');",
                        vec![],
                    )
                    .await?;
                assert_eq!(sales, json!(1));

                // Plan: two tasks, the second after the first.
                app.click("#stage-plan").await?;
                app.find("liaison-gantt").await?;
                let dept_id = app
                    .js(
                        "return [...document.querySelectorAll('#filter-department option')].find(o => o.textContent === '销售部').value;",
                        vec![],
                    )
                    .await?;
                let dept_id = dept_id.as_str().unwrap_or_default().to_string();
                app.add_task("销售培训材料制作", &dept_id, "2023-08-01", "5").await?;
                app.add_task("渠道铺货执行", &dept_id, "2023-08-10", "9").await?;
                let pred = app
                    .wait_js(
                        "const o = [...document.querySelectorAll('#link-pred option')].find(o => o.textContent.includes('销售培训材料制作')); return o && o.value;",
                    )
                    .await?;
                app.set("#link-pred", pred.as_str().unwrap_or_default()).await?;
                app.click("#link-add").await?;
                app.find("#predecessors .link-row").await?;
                // The arrow: a drawn dependency path in the chart.
                app.wait_js(
                    "const p = document.querySelector('liaison-gantt path.gantt-link'); return p && /M/.test(p.getAttribute('d') || '');",
                )
                .await?;
                app.shot("plan-dependency").await;

                // The first task now depending on the second would close a loop: refused, named.
                app.click_row("销售培训材料制作").await?;
                app.editing("销售培训材料制作").await?;
                let pred = app
                    .wait_js(
                        "const o = [...document.querySelectorAll('#link-pred option')].find(o => o.textContent.includes('渠道铺货执行')); return o && o.value;",
                    )
                    .await?;
                app.set("#link-pred", pred.as_str().unwrap_or_default()).await?;
                app.click("#link-add").await?;
                let banner = app.refusal().await?;
                assert!(banner.contains("循环"), "{banner}");
                assert!(
                    banner.contains("2 渠道铺货执行 → 1 销售培训材料制作 → 2 渠道铺货执行"),
                    "{banner}"
                );
                app.shot("plan-cycle-refused").await;
                let preds = app
                    .js("return document.querySelectorAll('#predecessors .link-row').length;", vec![])
                    .await?;
                assert_eq!(preds, json!(0), "the refused dependency was not added");
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        // What the user saw is what the file holds.
        let project = Project::open(&file).map_err(err)?;
        let plan = liaison_core::plan::load(project.conn()).map_err(err)?;
        assert_eq!(plan.tasks.len(), 2);
        assert_eq!(plan.links.len(), 1);
        assert_eq!(plan.label(plan.links[0].successor), "2 渠道铺货执行");
        Ok(())
    });
}

/// Benchmark, not a test (run by `scripts/bench`): the Gantt chart of a 2,000-task plan in the real
/// webview. Prints the first paint and the per-frame cost of scrolling; asserts nothing about time.
#[test]
#[ignore = "benchmark: run by scripts/bench"]
fn bench_gantt_paint_and_scroll() {
    run(async {
        let env = Env::new();
        let file = env.path("gantt-2000.liaison");
        drop(liaison_core::demo::write_large_sized(&file, 2000).map_err(err)?);
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.click("#stage-plan").await?;
                app.wait_js("const g = document.querySelector('liaison-gantt'); return g && g.renderedRowCount > 0;")
                    .await?;
                let first = app
                    .js("return document.querySelector('liaison-gantt').lastPaintMs;", vec![])
                    .await?;
                // Re-set the same data ten times: the paint of a full 2,000-row model each time.
                let paints = app
                    .client
                    .execute_async(
                        r#"const done = arguments[0];
                        const g = document.querySelector('liaison-gantt');
                        const times = [];
                        let n = 0;
                        const step = () => {
                          const t0 = performance.now();
                          g.data = { ...g.data };
                          times.push(performance.now() - t0);
                          if (++n < 10) requestAnimationFrame(step); else done(times);
                        };
                        requestAnimationFrame(step);"#,
                        vec![],
                    )
                    .await
                    .map_err(err)?;
                // The window's own frame rate with nothing changing, for comparison (Xvfb has no GPU).
                let idle = app
                    .client
                    .execute_async(
                        r#"const done = arguments[0];
                        const times = [];
                        let last = performance.now();
                        const step = (now) => {
                          times.push(now - last);
                          last = now;
                          if (times.length < 30) requestAnimationFrame(step); else done(times);
                        };
                        requestAnimationFrame(step);"#,
                        vec![],
                    )
                    .await
                    .map_err(err)?;
                let mut idle: Vec<f64> = idle
                    .as_array()
                    .map(|a| a.iter().skip(1).filter_map(Value::as_f64).collect())
                    .unwrap_or_default();
                idle.sort_by(f64::total_cmp);
                // Scroll 120 frames, one step per frame, and time each frame's render.
                let frames = app
                    .client
                    .execute_async(
                        r#"const done = arguments[0];
                        const g = document.querySelector('liaison-gantt');
                        const sc = g.querySelector('.gantt-scroll') || g;
                        const times = [];
                        let last = performance.now();
                        let n = 0;
                        const step = (now) => {
                          times.push({ frame: now - last, paint: g.lastPaintMs });
                          last = now;
                          sc.scrollTop += 300;
                          if (++n < 120) requestAnimationFrame(step); else done(times);
                        };
                        requestAnimationFrame(step);"#,
                        vec![],
                    )
                    .await
                    .map_err(err)?;
                let paints: Vec<f64> = paints
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_f64).collect())
                    .unwrap_or_default();
                let mut renders: Vec<f64> = frames
                    .as_array()
                    .map(|a| a.iter().skip(1).filter_map(|f| f["paint"].as_f64()).collect())
                    .unwrap_or_default();
                let mut gaps: Vec<f64> = frames
                    .as_array()
                    .map(|a| a.iter().skip(1).filter_map(|f| f["frame"].as_f64()).collect())
                    .unwrap_or_default();
                renders.sort_by(f64::total_cmp);
                gaps.sort_by(f64::total_cmp);
                let pct = |v: &[f64], p: f64| v.get(((v.len() as f64 - 1.0) * p) as usize).copied().unwrap_or(f64::NAN);
                println!("gantt 2,000 tasks: first paint {first} ms");
                println!("gantt 2,000 tasks: repaint of the whole model, 10 runs (ms): {paints:?}");
                println!(
                    "gantt 2,000 tasks: scroll render per frame median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
                    pct(&renders, 0.5),
                    pct(&renders, 0.95),
                    pct(&renders, 1.0)
                );
                println!(
                    "gantt 2,000 tasks: frame interval while scrolling median {:.1} ms, p95 {:.1} ms",
                    pct(&gaps, 0.5),
                    pct(&gaps, 0.95)
                );
                println!(
                    "window frame interval with nothing changing: median {:.1} ms",
                    pct(&idle, 0.5)
                );
                app.shot("gantt-2000").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}

#[test]
fn e2e_the_sample_shows_its_organization_and_published_plan_in_both_languages() {
    run(async {
        let env = Env::new();
        // No file given: the app writes and opens the sample project.
        with_app(&env, None, |app| async move {
            let r = async {
                app.click("#stage-organization").await?;
                app.find("tr[data-department='销售部']").await?;
                let summary = app.text("#org-summary").await?;
                assert_eq!(summary, "检查通过", "the worked example's matrix is complete");
                let comms = app.text("#comms").await?;
                assert!(comms.contains("每周一 10:00"), "{comms}");
                app.shot("sample-organization").await;

                app.click("#stage-plan").await?;
                let state = app.text("#plan-state").await?;
                assert!(state.contains("已发布 第1版"), "{state}");
                let revisions = app.text("#plan-revisions").await?;
                assert!(revisions.contains("调整"), "{revisions}");
                // The channel roll-out slipped after publication: the launch event's FF link broke.
                let findings = app.text("#plan-findings").await?;
                assert!(
                    findings.contains("「2.3 新品上市发布会」早于「2.1 渠道铺货执行」允许的日期"),
                    "{findings}"
                );
                app.wait_js("return document.querySelectorAll('liaison-gantt path.gantt-link').length > 0")
                    .await?;
                app.shot("sample-plan").await;
                app.click_row("渠道铺货执行").await?;
                app.editing("渠道铺货执行").await?;
                app.shot("sample-plan-editor").await;

                app.click("#view-list").await?;
                app.click("#group-department").await?;
                app.wait_js("return document.querySelector('.gantt-group') !== null").await?;
                app.shot("sample-plan-list").await;

                app.click("#lang-button").await?;
                app.wait_js("return document.getElementById('plan-state').textContent.startsWith('Published v1')")
                    .await?;
                app.click("#view-chart").await?;
                app.shot("sample-plan-en").await;
                app.click("#stage-organization").await?;
                let comms = app.text("#comms").await?;
                assert!(comms.contains("Every Monday at 10:00"), "{comms}");
                app.shot("sample-organization-en").await;

                // Tracking: a high risk without a contingency plan is refused, in the user's language.
                app.click("#stage-tracking").await?;
                app.click("#tab-risks").await?;
                app.type_into("#risk-new-description", "Key supplier may miss the launch").await?;
                app.set("#risk-new-level", "high").await?;
                app.click("#risk-add").await?;
                let banner = app.refusal().await?;
                assert!(banner.contains("contingency plan"), "{banner}");
                app.shot("tracking-risks-en").await;
                app.click("#tab-issues").await?;
                app.find("[data-escalate]").await?;
                app.shot("tracking-issues-en").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}
