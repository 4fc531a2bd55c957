//! Excel import: a task sheet previewed and imported.

use super::harness::*;
use liaison_core::Project;
use serde_json::json;

#[test]
fn e2e_a_task_sheet_is_previewed_row_by_row_and_imported_whole() {
    run(async {
        let env = Env::new();
        let file = env.path("imported.liaison");
        let sample = env.path("sample-src.liaison");
        {
            let src = liaison_core::demo::write_example(&sample).unwrap();
            drop(liaison_core::library::new_from(src.conn(), &file, "导入演示", "测试").unwrap());
        }
        let sheet = env.path("任务分配表.csv");
        std::fs::write(
            &sheet,
            "编号,任务名称,主导部门,负责人,开始时间,完成时间,前置任务,交付标准\n\
             1,上市准备,产品部,李娜,2024-03-04,2024-03-15,,\n\
             1.1,参数整理,研发部,王强,2024-03-04,2024-03-08,,参数无遗漏\n\
             1.2,预算审批,财务部,李娜,2024-03-11,2024-03-15,1.1,预算获批\n",
        )
        .unwrap();
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.click("#stage-plan").await?;
                app.find("#tasks-import").await?;
                app.js(
                    "document.querySelector('liaison-plan').importFile(arguments[0]);",
                    vec![json!(sheet.to_str().unwrap())],
                )
                .await?;
                app.find("#import-rows").await?;
                // The unknown department is named on its row, and nothing can be imported yet.
                let bad = app.text("#import-rows tr[data-line='4'] td.problems").await?;
                assert!(bad.contains("主导部门") && bad.contains("财务部"), "{bad}");
                app.wait_js("return document.getElementById('import-apply').disabled;").await?;
                app.shot("import-preview-problem").await;
                app.click("#import-create").await?;
                app.wait_js("return !document.getElementById('import-apply').disabled;").await?;
                let summary = app.text("#import-summary").await?;
                assert!(summary.contains("3 行可导入"), "{summary}");
                app.shot("import-preview-ready").await;
                app.click("#import-apply").await?;
                app.wait_js("return !document.getElementById('import-dialog');").await?;
                app.click_settled("#view-list").await?;
                app.wait_js("return [...document.querySelectorAll('.gantt-row')].some(r => r.textContent.includes('预算审批'));")
                    .await?;
                app.shot("import-done").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        let p = Project::open(&file).map_err(err)?;
        let plan = liaison_core::plan::load(p.conn()).map_err(err)?;
        let names: Vec<&str> = plan.tasks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["上市准备", "参数整理", "预算审批"]);
        assert_eq!(plan.links.len(), 1);
        assert!(liaison_core::org::list(p.conn())
            .map_err(err)?
            .iter()
            .any(|d| d.name == "财务部"));
        Ok(())
    });
}
