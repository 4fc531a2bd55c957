//! The worked example's meetings (confirmed and waiting minutes, action items, follow-ups) and its
//! risks and issues.

use super::example::shifted;
use super::{person_id, sign_round, DEMO_ACTOR};
use crate::comm_log;
use crate::control;
use crate::error::Result;
use crate::meetings;
use crate::people;
use crate::signoff::Decision;
use rusqlite::Connection;

/// The kick-off with confirmed minutes and three action items (one followed up with a moved
/// deadline), and a weekly sync whose minutes wait for confirmation.
pub(super) fn write_meetings(conn: &mut Connection) -> Result<()> {
    let everyone = people::list(conn)?;
    let id = |n: &str| {
        everyone
            .iter()
            .find(|p| p.name == n)
            .map(|p| p.id)
            .expect("demo person")
    };
    let heads: Vec<i64> = ["张伟", "李娜", "王强", "陈静", "刘洋"]
        .iter()
        .map(|n| id(n))
        .collect();
    let kickoff = meetings::save_meeting(
        conn,
        DEMO_ACTOR,
        &meetings::Meeting {
            title: "新品上市项目启动会".into(),
            starts_at: shifted("2023-10-09T10:00:00"),
            duration: 60,
            form: "onsite".into(),
            place: "总部 3 楼会议室 A".into(),
            kind: "kickoff".into(),
            agenda: vec![
                "项目目标与里程碑".into(),
                "各部门职责分工".into(),
                "沟通机制".into(),
            ],
            recorder_id: Some(id("张伟")),
            attendees: heads.clone(),
            ..Default::default()
        },
    )?;
    meetings::send_notice(
        conn,
        DEMO_ACTOR,
        kickoff.id,
        crate::clock::parse_time(&shifted("2023-10-07T09:00:00")).expect("time"),
    )?;
    for (title, discussion, result) in [
        (
            "项目目标与里程碑",
            "首月销量 1 万件的拆解；铺货覆盖 30 个核心城市",
            "目标确认，按登记表里程碑执行",
        ),
        (
            "各部门职责分工",
            "销售部主导培训与铺货，产品部提供技术参数",
            "按职责分工表执行，接口人本周确认",
        ),
    ] {
        meetings::save_topic(
            conn,
            DEMO_ACTOR,
            &meetings::Topic {
                meeting_id: kickoff.id,
                title: title.into(),
                discussion: discussion.into(),
                result: result.into(),
                ..Default::default()
            },
        )?;
    }
    let mut items = Vec::new();
    for (who, what, standard, day, urgent) in [
        (
            "李娜",
            "提供新品技术参数表",
            "参数经研发部确认",
            "2023-10-13",
            true,
        ),
        (
            "刘洋",
            "确认 30 个核心城市的渠道名单",
            "名单经销售部负责人签字",
            "2023-10-20",
            false,
        ),
        (
            "陈静",
            "提交发布会方案初稿",
            "含预算与媒体名单",
            "2023-10-27",
            false,
        ),
    ] {
        items.push(meetings::save_action(
            conn,
            DEMO_ACTOR,
            &meetings::ActionItem {
                meeting_id: Some(kickoff.id),
                person_id: Some(id(who)),
                description: what.into(),
                standard: standard.into(),
                deadline: Some(shifted(day)),
                urgent,
                ..Default::default()
            },
        )?);
    }
    let panel = meetings::send_minutes(
        conn,
        DEMO_ACTOR,
        kickoff.id,
        crate::clock::parse_time(&shifted("2023-10-10T17:00:00")).expect("time"),
    )?;
    sign_round(conn, &panel.rounds[0], usize::MAX, Decision::Confirm, "")?;
    meetings::follow_up(
        conn,
        DEMO_ACTOR,
        &meetings::FollowUp {
            action_id: items[0].id,
            at: shifted("2023-10-12T18:00:00"),
            progress: "参数表已完成 80%".into(),
            problem: "电池参数待研发部复核".into(),
            adjustment: "期限顺延至 10-16：等待研发部复核".into(),
            ..Default::default()
        },
        &meetings::Adjust {
            status: Some("in_progress".into()),
            due: Some(shifted("2023-10-16")),
            ..Default::default()
        },
    )?;
    let sync = meetings::save_meeting(
        conn,
        DEMO_ACTOR,
        &meetings::Meeting {
            title: "周例会（第 3 周）".into(),
            starts_at: shifted("2023-10-23T10:00:00"),
            duration: 30,
            place: "线上腾讯会议".into(),
            agenda: vec!["培训材料进度".into(), "铺货资金".into()],
            recorder_id: Some(id("张伟")),
            attendees: vec![id("张伟"), id("周杰"), id("孙丽"), id("何芳")],
            ..Default::default()
        },
    )?;
    meetings::save_topic(
        conn,
        DEMO_ACTOR,
        &meetings::Topic {
            meeting_id: sync.id,
            title: "铺货资金".into(),
            discussion: "物流商要求预付".into(),
            disputes: "预付比例：销售部 30%，财务建议 20%".into(),
            settlement: "10-26 前由部门负责人商定".into(),
            ..Default::default()
        },
    )?;
    meetings::save_action(
        conn,
        DEMO_ACTOR,
        &meetings::ActionItem {
            meeting_id: Some(sync.id),
            person_id: Some(id("周杰")),
            description: "提交预付款申请".into(),
            standard: "财务系统已受理".into(),
            deadline: Some(shifted("2023-10-25")),
            urgent: true,
            ..Default::default()
        },
    )?;
    let panel = meetings::send_minutes(
        conn,
        DEMO_ACTOR,
        sync.id,
        crate::clock::parse_time(&shifted("2023-10-23T16:00:00")).expect("time"),
    )?;
    // 张伟, the first attendee, has confirmed; three confirmations are still awaited.
    sign_round(conn, &panel.rounds[0], 1, Decision::Confirm, "")?;
    comm_log::save_comm(
        conn,
        DEMO_ACTOR,
        &comm_log::CommEntry {
            day: shifted("2023-10-18"),
            participants: vec![id("孙丽"), id("周杰")],
            topic: "宣传物料图片统一".into(),
            summary: "以产品部定稿图片包为准，两部门统一替换。".into(),
            ..Default::default()
        },
    )?;
    Ok(())
}

/// A few risks and issues of the worked example, one escalated and counted as a dispute.
pub(super) fn write_control(conn: &mut Connection) -> Result<()> {
    let person = person_id;
    let risks = [
        (
            "物流延误导致 30 个城市无法按期铺货",
            "high",
            "刘洋",
            "提前锁定两家物流商运力",
            "启用备选物流商，优先保障一线城市",
        ),
        (
            "竞品提前降价，首月销量不达预期",
            "medium",
            "陈静",
            "准备两套促销方案",
            "",
        ),
        (
            "培训材料中的技术参数有误",
            "low",
            "李娜",
            "研发部复核参数",
            "",
        ),
    ];
    for (description, level, owner, measures, contingency) in risks {
        control::save_risk(
            conn,
            DEMO_ACTOR,
            &control::Risk {
                description: description.into(),
                level: level.into(),
                owner_id: person(conn, owner),
                measures: measures.into(),
                contingency: contingency.into(),
                raised_at: shifted("2023-10-16T09:30:00"),
                ..Default::default()
            },
        )?;
    }
    let issue = control::save_issue(
        conn,
        DEMO_ACTOR,
        &control::Issue {
            description: "铺货资金审批卡在财务流程，物流商要求预付".into(),
            impact: "30 个核心城市的首批铺货".into(),
            expected_solution: "财务部 48 小时内特批预付款".into(),
            raised_by: person(conn, "周杰"),
            raised_at: shifted("2023-10-24T10:00:00"),
            dispute: true,
            meeting_at: Some(shifted("2023-10-24T16:00:00")),
            ..Default::default()
        },
    )?;
    control::escalate(
        conn,
        DEMO_ACTOR,
        issue.id,
        "接口人层面 48 小时未解决",
        crate::clock::parse_time(&shifted("2023-10-26T10:00:00")).expect("time"),
    )?;
    control::save_issue(
        conn,
        DEMO_ACTOR,
        &control::Issue {
            description: "宣传物料的产品图片版本不一致".into(),
            impact: "市场部与销售部的物料".into(),
            expected_solution: "以产品部定稿为准统一替换".into(),
            raised_by: person(conn, "孙丽"),
            raised_at: shifted("2023-10-18T14:00:00"),
            scope: "minor".into(),
            meeting_at: Some(shifted("2023-10-18T17:00:00")),
            solution: "产品部发布定稿图片包，两部门统一替换".into(),
            solution_owner: person(conn, "李娜"),
            solution_deadline: Some(shifted("2023-10-20")),
            solved_at: Some(shifted("2023-10-19T18:00:00")),
            ..Default::default()
        },
    )?;
    Ok(())
}
