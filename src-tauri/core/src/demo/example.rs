//! The worked example of domain.md ("新品上市项目"): its registration and people, the shift that
//! dates it relative to today, writing it, and its departments and communication plan.

use super::example_plan::{publish_plan, write_plan};
use super::example_records::{write_control, write_meetings};
use super::{sign_round, DEMO_ACTOR};
use crate::comms::{self, CommItem, Recurrence};
use crate::error::Result;
use crate::org;
use crate::people::{self, Person};
use crate::plan;
use crate::registration::{self, Milestone, Registration};
use crate::signoff::Decision;
use crate::storage::Project;
use rusqlite::Connection;
use std::path::Path;

/// The worked example of domain.md: a new product launch by 产品部 with 研发部, 市场部 and 销售部.
pub fn worked_example() -> Registration {
    let s = |x: &str| x.to_string();
    Registration {
        name: s("新品上市项目"),
        background: s("公司新一代产品计划于第四季度上市，需要产品、研发、市场、销售四个部门协同完成上市准备、渠道铺货与销售培训。"),
        initiating_department: s("产品部"),
        collaborating_departments: vec![s("研发部"), s("市场部"), s("销售部")],
        contacts: [("产品部", "何芳"), ("研发部", "赵敏"), ("市场部", "孙丽"), ("销售部", "周杰")]
            .iter()
            .map(|(d, p)| registration::Contact {
                department: s(d),
                person: s(p),
            })
            .collect(),
        owner: s("张伟"),
        start_date: shifted("2023-10-01"),
        end_date: shifted("2023-12-31"),
        core_goal: s("3个月内完成新品上市，上市首月销量达1万件"),
        key_deliverables: s("销售培训材料（覆盖核心卖点与竞品对比）；渠道铺货方案（30个核心城市，覆盖率90%）；售后响应手册（客诉48小时内解决）"),
        milestones: vec![
            Milestone { date: shifted("2023-10-15"), node: s("产品技术参数定稿，移交销售培训材料制作") },
            Milestone { date: shifted("2023-11-10"), node: s("销售培训完成，通过销售团队评审") },
            Milestone { date: shifted("2023-11-30"), node: s("30个核心城市渠道铺货完成，覆盖率达90%") },
            Milestone { date: shifted("2023-12-31"), node: s("上市首月销量达1万件，项目验收") },
        ],
        current_progress: s("已完成立项，正在组建跨部门项目组。"),
        risk_notes: s("技术参数定稿延迟会推迟培训材料制作；物流与财务支持不足可能影响渠道铺货进度。"),
        suggested_departments: vec![s("财务部"), s("物流部"), s("客服部")],
    }
}

/// The people of the worked example: the owner, each department's head and interface person, and
/// the decision layer.
pub fn worked_example_people() -> Vec<Person> {
    let p = |name: &str, department: &str, role: &str| Person {
        id: 0,
        name: name.into(),
        department: department.into(),
        role: role.into(),
        ..Default::default()
    };
    vec![
        p("张伟", "产品部", "owner"),
        p("李娜", "产品部", "head"),
        p("何芳", "产品部", "interface"),
        p("王强", "研发部", "head"),
        p("赵敏", "研发部", "interface"),
        p("陈静", "市场部", "head"),
        p("孙丽", "市场部", "interface"),
        p("刘洋", "销售部", "head"),
        p("周杰", "销售部", "interface"),
        p("吴建国", "总经理办公会", "decision"),
    ]
}

thread_local! {
    /// Days every date of the worked example moves by (0: its own 2023 timeline).
    pub(super) static SHIFT: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

/// The day the worked example's own timeline calls today: Friday of its fourth week, the kick-off
/// and one weekly sync behind it, the first task done and the next ones under way.
pub const EXAMPLE_TODAY: (i32, u32, u32) = (2023, 10, 27);

/// `date` ("YYYY-MM-DD", optionally followed by a time) moved by the current shift.
pub(super) fn shifted(date: &str) -> String {
    let by = SHIFT.with(|c| c.get());
    match (date.get(..10).and_then(crate::clock::parse_date), by) {
        (Some(d), by) if by != 0 => {
            let moved = d + chrono::Duration::days(by);
            format!("{moved}{}", &date[10..])
        }
        _ => date.to_string(),
    }
}

/// The day the sample is dated relative to: `LIAISON_DEMO_TODAY` (YYYY-MM-DD, for tests that
/// pin the sample to its own 2023 timeline) or today.
pub fn demo_today() -> chrono::NaiveDate {
    std::env::var("LIAISON_DEMO_TODAY")
        .ok()
        .and_then(|v| crate::clock::parse_date(&v))
        .unwrap_or_else(|| crate::clock::now().date())
}

/// Writes the worked example dated relative to `today`: every date moves by whole weeks (so each
/// keeps its weekday) until the example's own today (`EXAMPLE_TODAY`) falls in the week before
/// `today`, and the calendar holds the official holidays instead of 2023's. The plan is published
/// on the Sunday before the kick-off, not on the day the file is written.
pub fn write_example_on(path: &Path, today: chrono::NaiveDate) -> Result<Project> {
    let (y, m, d) = EXAMPLE_TODAY;
    let own = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let by = (today - own).num_days().div_euclid(7) * 7;
    let before = SHIFT.with(|c| c.replace(by));
    let out = write_example(path);
    SHIFT.with(|c| c.set(before));
    out
}

/// Writes the worked example to `path` (replacing any file there): the registration, the people,
/// and the registration signed by the head of 产品部.
pub fn write_example(path: &Path) -> Result<Project> {
    let mut project = Project::create(path, "新品上市项目")?;
    let conn = project.conn_mut();
    registration::save(conn, DEMO_ACTOR, &worked_example())?;
    let mut head = None;
    for p in worked_example_people() {
        let added = people::add(conn, DEMO_ACTOR, &p)?;
        if p.role == "head" && p.department == "产品部" {
            head = Some(added.id);
        }
    }
    let head = head.expect("the demo has a head of 产品部");
    write_organization(conn)?;
    write_plan(conn)?;
    publish_plan(conn)?;
    write_control(conn)?;
    write_meetings(conn)?;
    let panel = crate::kinds::start(conn, DEMO_ACTOR, crate::DocKind::Registration, 1, &[head])?;
    sign_round(
        conn,
        &panel.rounds[0],
        1,
        Decision::Approve,
        "目标明确，同意立项。",
    )?;
    Ok(project)
}

/// The worked example's departments: duties, deliverables and resources (the responsibility matrix
/// and the resource plan), the communication plan, and the 2023 National Day holidays.
pub(super) fn write_organization(conn: &mut Connection) -> Result<()> {
    org::import_from_registration(conn, DEMO_ACTOR)?;
    // (department, duties, deliverables, delivery date, people, budget, material, gap)
    type Facts<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        i64,
        i64,
        &'a str,
        &'a str,
    );
    let facts: [Facts; 4] = [
        (
            "产品部",
            "定义产品卖点与技术参数，统筹上市节奏",
            "技术参数表、卖点清单",
            "2023-10-20",
            3,
            50_000,
            "样机 20 台",
            "",
        ),
        (
            "研发部",
            "保证量产质量，支持技术答疑",
            "量产质量报告",
            "2023-10-31",
            2,
            0,
            "",
            "测试工程师缺 1 人",
        ),
        (
            "市场部",
            "品牌推广与宣传物料，组织上市发布会",
            "宣传物料、发布会方案",
            "2023-11-15",
            4,
            300_000,
            "展架、海报",
            "",
        ),
        (
            "销售部",
            "渠道铺货与销售培训，达成首月销量",
            "培训材料、铺货报告",
            "2023-11-30",
            6,
            200_000,
            "物流车辆",
            "需财务部支持铺货资金",
        ),
    ];
    let list = org::list(conn)?;
    for (name, duties, deliverables, date, people, budget, material, gap) in facts {
        let mut d = list
            .iter()
            .find(|x| x.name == name)
            .cloned()
            .expect("imported from the registration");
        d.duties = duties.into();
        d.deliverables = deliverables.into();
        d.delivery_date = Some(shifted(date));
        d.quality_standard = "通过部门负责人评审".into();
        d.res_people = people;
        d.res_budget = budget;
        d.res_material = material.into();
        d.res_gap = gap.into();
        org::update(conn, DEMO_ACTOR, &d)?;
    }
    let everyone = people::list(conn)?;
    let ids = |roles: &[&str]| -> Vec<i64> {
        everyone
            .iter()
            .filter(|p| roles.contains(&p.role.as_str()))
            .map(|p| p.id)
            .collect()
    };
    let plan = [
        (
            "progress_sync",
            "周例会（线上腾讯会议）",
            ids(&["owner", "interface"]),
            Recurrence::default(),
            30,
        ),
        (
            "working_meeting",
            "双周工作会（会议室 A）",
            ids(&["owner", "head"]),
            Recurrence::Weekly {
                interval: 2,
                weekday: 3,
                time: "14:00".into(),
            },
            60,
        ),
        (
            "problem_workshop",
            "问题研讨会",
            ids(&["owner", "interface"]),
            Recurrence::AsNeeded,
            60,
        ),
        (
            "decision_review",
            "总经理办公会",
            ids(&["owner", "decision"]),
            Recurrence::Monthly {
                day: 31,
                time: "16:00".into(),
            },
            60,
        ),
    ];
    for (scenario, channel, participants, recurrence, limit) in plan {
        comms::save(
            conn,
            DEMO_ACTOR,
            &CommItem {
                id: 0,
                scenario: scenario.into(),
                channel: channel.into(),
                participants,
                recurrence,
                time_limit: limit,
            },
        )?;
    }
    if SHIFT.with(|c| c.get()) != 0 {
        // Dated relative to today: the official calendars of the years it spans.
        plan::holidays::apply(conn, DEMO_ACTOR, crate::i18n::Lang::Zh)?;
        return Ok(());
    }
    for day in [
        "2023-09-29",
        "2023-10-02",
        "2023-10-03",
        "2023-10-04",
        "2023-10-05",
        "2023-10-06",
    ] {
        plan::set_calendar_day(conn, DEMO_ACTOR, day, Some("holiday"), "国庆节")?;
    }
    for day in ["2023-10-07", "2023-10-08"] {
        plan::set_calendar_day(conn, DEMO_ACTOR, day, Some("workday"), "国庆调休")?;
    }
    Ok(())
}
