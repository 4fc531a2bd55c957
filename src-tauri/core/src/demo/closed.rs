//! Closed timelines for the knowledge base: the worked example accepted, settled, reviewed and
//! closed, under other names and periods.

use super::example::write_example;
use super::{person_id, sign_round, DEMO_ACTOR};
use crate::error::Result;
use crate::meetings;
use crate::plan;
use crate::registration;
use crate::signoff::Decision;
use crate::storage::Project;
use rusqlite::Connection;
use std::path::Path;

/// Lessons the demo's closed projects share (the knowledge base finds them across files).
pub const SHARED_LESSON: &str = "大促前两周提前锁定物流档期";

/// Closes a project written by `write_example`: every task accepted (one failed in every third
/// variant), each department scored, the acceptance signed by every head, a retrospective
/// confirmed by every head, and the project closed. `variant` varies the scores and texts.
pub fn close_example(conn: &mut Connection, variant: usize) -> Result<()> {
    // Every task done on its deadline (in every fourth variant the last one two days late), each
    // step dated on the project's own timeline.
    let plan = plan::load(conn)?;
    let last = plan.tasks.len().saturating_sub(1);
    for (i, (t, r)) in plan.tasks.iter().zip(&plan.rows).enumerate() {
        let Some(finish) = r.finish.filter(|_| !r.summary && t.status != "done") else {
            continue;
        };
        let day = if variant.is_multiple_of(4) && i == last {
            finish + chrono::Days::new(2)
        } else {
            finish
        };
        let mut done = t.clone();
        done.status = "done".into();
        done.percent_done = 100;
        crate::clock::at_time(day.and_hms_opt(17, 0, 0).expect("time"), || {
            plan::update_task(conn, DEMO_ACTOR, &done)
        })?;
    }
    let accepted = chrono::NaiveDate::from_ymd_opt(2023, 12, 18).expect("date")
        + chrono::Days::new((variant % 10) as u64);
    let at = |day: chrono::NaiveDate, hour: u32| day.and_hms_opt(hour, 0, 0).expect("time");
    crate::clock::at_time(at(accepted, 9), || settle_example(conn))?;
    crate::clock::at_time(at(accepted, 10), || accept_example(conn, variant))?;
    crate::clock::at_time(at(accepted + chrono::Days::new(2), 15), || {
        review_example(conn, variant)
    })?;
    crate::clock::at_time(at(accepted + chrono::Days::new(3), 9), || {
        crate::archive::close(conn, DEMO_ACTOR).map(|_| ())
    })
}

/// Settles the work a demo project still has open before its acceptance: action items are done
/// (a follow-up says so), everything else is carried over to the next project with a reason.
pub fn settle_example(conn: &mut Connection) -> Result<()> {
    for item in crate::closing::unresolved(conn)? {
        if item.kind == "action" {
            meetings::follow_up(
                conn,
                DEMO_ACTOR,
                &meetings::FollowUp {
                    action_id: item.id,
                    progress: "已完成".into(),
                    ..Default::default()
                },
                &meetings::Adjust {
                    status: Some("done".into()),
                    ..Default::default()
                },
            )?;
        } else {
            crate::closing::dispose(
                conn,
                DEMO_ACTOR,
                &item.kind,
                item.id,
                "carried_over",
                "转入下一期跟进",
            )?;
        }
    }
    Ok(())
}

/// The acceptance of a demo project written by `write_example`, signed by every head.
pub fn accept_example(conn: &mut Connection, variant: usize) -> Result<()> {
    use crate::acceptance::{self, Evaluation};
    let a = acceptance::load(conn)?;
    for (i, item) in a.items.iter().enumerate() {
        let fail = variant.is_multiple_of(3) && i == 1;
        let result = if fail {
            "覆盖率 82%，低于 90% 的交付标准".to_string()
        } else {
            format!(
                "已交付，经{}确认符合交付标准",
                item.lead.clone().unwrap_or_default()
            )
        };
        acceptance::save_item(
            conn,
            DEMO_ACTOR,
            item.task_id,
            &result,
            if fail { "fail" } else { "pass" },
        )?;
    }
    if let Some(first) = a.items.first() {
        acceptance::add_evidence(
            conn,
            DEMO_ACTOR,
            first.task_id,
            "评审记录.txt",
            "销售团队评审通过，2023-10-08。".as_bytes(),
        )?;
    }
    for (i, e) in a.evaluations.iter().enumerate() {
        let base = 70 + ((variant * 7 + i * 5) % 25) as i64;
        acceptance::save_evaluation(
            conn,
            DEMO_ACTOR,
            &Evaluation {
                department_id: e.department_id,
                goal: Some(base),
                efficiency: Some((base + 4).min(100)),
                communication: Some((base + 8 - (i as i64 % 3) * 4).min(100)),
                comment: format!("{}按时交付，配合顺畅。", e.department),
                ..Default::default()
            },
        )?;
    }
    let overall = if variant.is_multiple_of(3) {
        "conditional"
    } else {
        "passed"
    };
    acceptance::save_overall(
        conn,
        DEMO_ACTOR,
        overall,
        "核心目标达成：首月销量 1.2 万件；渠道铺货覆盖率需在下月补齐。",
    )?;
    let heads = plan::countersigners(conn)?;
    let panel = crate::kinds::start(conn, DEMO_ACTOR, crate::DocKind::Acceptance, 1, &heads)?;
    sign_round(conn, &panel.rounds[0], heads.len(), Decision::Approve, "")
}

/// The retrospective of a demo project, confirmed by every head.
pub fn review_example(conn: &mut Connection, variant: usize) -> Result<()> {
    use crate::retro::{self, Entry};
    let heads = plan::countersigners(conn)?;
    let person = person_id;
    let entries = [
        (
            "success",
            "周例会固定在周一 10:00，30 分钟内结束，议题提前一天发出",
            "",
            None,
            false,
        ),
        (
            "success",
            "接口人制度让问题在 24 小时内找到对口的人",
            "",
            None,
            false,
        ),
        (
            "problem",
            "铺货资金审批卡在财务流程",
            "财务部未列入协作部门，预付款流程没有提前沟通",
            None,
            false,
        ),
        (
            "problem",
            "宣传物料图片版本不一致",
            "定稿图片没有统一的发布渠道",
            None,
            false,
        ),
        ("improvement", SHARED_LESSON, "", Some("刘洋"), true),
        (
            "improvement",
            "立项时把财务部列为协作部门，预付款走绿色通道",
            "",
            Some("张伟"),
            true,
        ),
        (
            "improvement",
            &format!("第{}期项目：物料定稿后统一发布图片包", variant + 1),
            "",
            Some("陈静"),
            false,
        ),
    ];
    for (section, text, cause, owner, carry) in entries {
        retro::save_entry(
            conn,
            DEMO_ACTOR,
            &Entry {
                section: section.into(),
                text: text.to_string(),
                cause: cause.into(),
                owner_id: owner.and_then(|o| person(conn, o)),
                carry,
                ..Default::default()
            },
        )?;
    }
    let panel = crate::kinds::start(conn, DEMO_ACTOR, crate::DocKind::Retrospective, 1, &heads)?;
    sign_round(conn, &panel.rounds[0], heads.len(), Decision::Confirm, "")
}

/// A closed past project for the knowledge base: the worked example under another name and
/// period, accepted, reviewed and archived.
pub fn write_closed_example(path: &Path, name: &str, variant: usize) -> Result<Project> {
    let mut project = write_example(path)?;
    let conn = project.conn_mut();
    // The name lives in the signed registration: rename through a new revision.
    crate::kinds::new_revision(
        conn,
        DEMO_ACTOR,
        crate::DocKind::Registration,
        1,
        "归档示例更名",
    )?;
    let mut reg = registration::load(conn)?.registration;
    reg.name = name.to_string();
    registration::save(conn, DEMO_ACTOR, &reg)?;
    close_example(conn, variant)?;
    Ok(project)
}
