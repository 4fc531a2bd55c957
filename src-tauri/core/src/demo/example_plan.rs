//! The worked example's plan: its tasks and dependencies, the published baseline and the change
//! requests after it.

use super::example::{shifted, SHIFT};
use super::{sign_round, DEMO_ACTOR};
use crate::changes::{self, ChangeRequest};
use crate::error::Result;
use crate::org;
use crate::people;
use crate::plan::{self, schedule::LinkKind, NewTask};
use crate::signoff::Decision;
use rusqlite::Connection;

/// The worked example's tasks (the guides' tasks, moved into the project's dates) with their
/// dependencies.
pub(super) fn write_plan(conn: &mut Connection) -> Result<()> {
    let depts: Vec<(i64, String)> = org::list(conn)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let dept = |n: &str| depts.iter().find(|d| d.1 == n).map(|d| d.0);
    let everyone = people::list(conn)?;
    let person = |n: &str| everyone.iter().find(|p| p.name == n).map(|p| p.id);
    let new = |conn: &mut Connection, parent: Option<i64>, name: &str, milestone: bool| {
        plan::add_task(
            conn,
            DEMO_ACTOR,
            &NewTask {
                parent_id: parent,
                after: None,
                name: name.into(),
                milestone,
            },
        )
    };
    // (parent index, name, lead, collaborating, owner, start, days, buffer, standard, needs, status, percent)
    type Row<'a> = (
        Option<usize>,
        &'a str,
        &'a str,
        &'a [&'a str],
        &'a str,
        &'a str,
        i64,
        i64,
        &'a str,
        &'a str,
        &'a str,
        i64,
    );
    let rows: [Row; 9] = [
        (
            None,
            "产品准备",
            "产品部",
            &[],
            "李娜",
            "",
            0,
            0,
            "",
            "",
            "in_progress",
            0,
        ),
        (
            Some(0),
            "技术参数整理",
            "产品部",
            &["研发部"],
            "李娜",
            "2023-10-09",
            5,
            0,
            "参数经研发部确认，无遗漏",
            "研发部提供量产参数",
            "done",
            100,
        ),
        (
            Some(0),
            "销售培训材料制作",
            "销售部",
            &["产品部", "市场部"],
            "周杰",
            "2023-10-16",
            7,
            1,
            "覆盖核心卖点与竞品对比，通过销售团队评审",
            "产品部提供技术参数",
            "in_progress",
            40,
        ),
        (
            None,
            "渠道与上市",
            "销售部",
            &[],
            "刘洋",
            "",
            0,
            0,
            "",
            "",
            "not_started",
            0,
        ),
        (
            Some(3),
            "渠道铺货执行",
            "销售部",
            &["市场部"],
            "刘洋",
            "2023-10-26",
            9,
            1,
            "30 个核心城市，铺货率 90%",
            "物流、财务支持",
            "not_started",
            0,
        ),
        (
            Some(3),
            "售后响应手册制定",
            "产品部",
            &["销售部"],
            "李娜",
            "2023-10-19",
            6,
            0,
            "客诉 48 小时内解决",
            "客服团队 2 人",
            "not_started",
            0,
        ),
        (
            Some(3),
            "新品上市发布会",
            "市场部",
            &["销售部", "产品部"],
            "陈静",
            "2023-11-08",
            0,
            0,
            "媒体到场 20 家以上",
            "",
            "not_started",
            0,
        ),
        (
            None,
            "市场推广",
            "市场部",
            &["销售部"],
            "孙丽",
            "2023-11-08",
            15,
            2,
            "曝光量 500 万次，线索 2,000 条",
            "推广预算 30 万元",
            "not_started",
            0,
        ),
        (
            Some(7),
            "首月销量复盘",
            "销售部",
            &["市场部", "产品部"],
            "刘洋",
            "2023-12-08",
            2,
            0,
            "首月销量达 1 万件，偏差分析成文",
            "",
            "not_started",
            0,
        ),
    ];
    let mut ids: Vec<i64> = Vec::new();
    for (
        parent,
        name,
        lead,
        collab,
        owner,
        start,
        days,
        buffer,
        standard,
        needs,
        status,
        percent,
    ) in rows
    {
        let start = &shifted(start);
        let start = start.as_str();
        let t = new(
            conn,
            parent.map(|i| ids[i]),
            name,
            days == 0 && !start.is_empty(),
        )?;
        let task = plan::Task {
            lead_department: dept(lead),
            collab_departments: collab.iter().filter_map(|n| dept(n)).collect(),
            owner_id: person(owner),
            start_date: (!start.is_empty()).then(|| start.to_string()),
            duration: days,
            buffer,
            delivery_standard: standard.into(),
            resource_needs: needs.into(),
            risk_plan: if name == "渠道铺货执行" {
                "物流延误时启用备选物流商".into()
            } else {
                String::new()
            },
            status: status.into(),
            percent_done: percent,
            ..t
        };
        // A task already done was reported done on its last working day, not today.
        let reported = crate::clock::parse_date(start)
            .filter(|_| status == "done")
            .and_then(|d| (d + chrono::Days::new(days.max(1) as u64 - 1)).and_hms_opt(17, 0, 0));
        match reported {
            Some(at) => crate::clock::at_time(at, || plan::update_task(conn, DEMO_ACTOR, &task))?,
            None => plan::update_task(conn, DEMO_ACTOR, &task)?,
        };
        ids.push(task.id);
    }
    let links = [
        (1, 2, LinkKind::Fs, 0),
        (2, 4, LinkKind::Fs, 0),
        (2, 5, LinkKind::Ss, 3),
        (4, 6, LinkKind::Ff, 0),
        (6, 7, LinkKind::Ss, 0),
        (6, 8, LinkKind::Fs, 20),
    ];
    for (p, s, kind, lag) in links {
        plan::add_link(conn, DEMO_ACTOR, ids[p], ids[s], kind, lag)?;
    }
    Ok(())
}

/// Every head countersigns the plan (version 1, the baseline). Then the channel roll-out slips two
/// days by an approved change request, so the demo shows a revision against the baseline and the
/// dependency it now breaks; a second request waits for signatures.
pub(super) fn publish_plan(conn: &mut Connection) -> Result<()> {
    let publish = |conn: &mut Connection| -> Result<()> {
        let panel = plan::publish(conn, DEMO_ACTOR)?;
        sign_round(conn, &panel.rounds[0], usize::MAX, Decision::Approve, "")
    };
    if SHIFT.with(|c| c.get()) != 0 {
        let at = crate::clock::parse_time(&shifted("2023-10-08T17:00:00")).expect("time");
        crate::clock::at_time(at, || publish(conn))?;
    } else {
        publish(conn)?;
    }
    let current = plan::load(conn)?;
    let task = |name: &str| current.tasks.iter().find(|t| t.name == name).map(|t| t.id);
    let (Some(rollout), Some(sales)) = (task("渠道铺货执行"), task("渠道与上市")) else {
        return Ok(());
    };
    let slip = changes::save(
        conn,
        DEMO_ACTOR,
        &ChangeRequest {
            title: "渠道铺货推迟两个工作日".into(),
            aspects: vec!["time".into()],
            reason: "物流商排期冲突，首批货车 10-30 才能到位".into(),
            impact: "铺货完成推迟至 11-10，上市发布会需相应顺延".into(),
            alternatives: "更换物流商（成本增加约 8%）".into(),
            edits: vec![changes::Edit {
                task: rollout,
                field: "start".into(),
                value: serde_json::json!(shifted("2023-10-30")),
            }],
            ..Default::default()
        },
    )?;
    let panel = changes::submit(conn, DEMO_ACTOR, slip.id)?;
    sign_round(conn, &panel.rounds[0], usize::MAX, Decision::Approve, "")?;
    let finance = changes::save(
        conn,
        DEMO_ACTOR,
        &ChangeRequest {
            title: "增加物流备选方案评估".into(),
            aspects: vec!["scope".into(), "resources".into()],
            reason: "避免再次因物流排期延误铺货".into(),
            impact: "销售部增加 2 个工作日工作量".into(),
            alternatives: "不设备选，接受延误风险".into(),
            edits: vec![changes::Edit {
                task: sales,
                field: "addTask".into(),
                value: serde_json::json!({
                    "name": "物流备选方案评估",
                    "start": shifted("2023-10-30"),
                    "duration": 2,
                    "lead": current.task(rollout).and_then(|t| t.lead_department),
                    "owner": current.task(rollout).and_then(|t| t.owner_id),
                    "deliveryStandard": "两家备选物流商报价与排期对比表，经销售部负责人确认",
                }),
            }],
            ..Default::default()
        },
    )?;
    let panel = changes::submit(conn, DEMO_ACTOR, finance.id)?;
    sign_round(conn, &panel.rounds[0], 1, Decision::Approve, "")?;
    Ok(())
}
