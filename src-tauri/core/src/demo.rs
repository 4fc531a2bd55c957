//! Demo projects: domain.md's worked example ("新品上市项目"), and a deterministic large project for
//! benchmarks. Later record kinds add themselves here.

use crate::changes::{self, ChangeRequest};
use crate::comm_log;
use crate::comms::{self, CommItem, Recurrence};
use crate::control;
use crate::error::Result;
use crate::meetings;
use crate::org;
use crate::people::{self, Person};
use crate::plan::{self, schedule::LinkKind, NewTask};
use crate::registration::{self, Milestone, Registration};
use crate::signoff::{self, Decision, Sign};
use crate::storage::Project;
use rusqlite::{params, Connection};
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

/// Who records the demo's edits: the overall owner.
pub const DEMO_ACTOR: &str = "张伟";

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
    static SHIFT: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

/// The day the worked example's own timeline calls today: Friday of its fourth week, the kick-off
/// and one weekly sync behind it, the first task done and the next ones under way.
pub const EXAMPLE_TODAY: (i32, u32, u32) = (2023, 10, 27);

/// `date` ("YYYY-MM-DD", optionally followed by a time) moved by the current shift.
fn shifted(date: &str) -> String {
    let by = SHIFT.with(|c| c.get());
    match (date.get(..10).and_then(registration::parse_date), by) {
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
        .and_then(|v| registration::parse_date(&v))
        .unwrap_or_else(|| control::now().date())
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
    let panel = signoff::start(conn, DEMO_ACTOR, "registration", 1, &[head])?;
    sign_round(
        conn,
        &panel.rounds[0],
        1,
        Decision::Approve,
        "目标明确，同意立项。",
    )?;
    Ok(project)
}

/// Writes a large, deterministic project for benchmarks: the worked example with many milestones.
/// Later issues add their records (10,000 tasks, 1,000 meetings, 5,000 action items, 500 risks and
/// issues) here.
pub fn write_large(path: &Path) -> Result<Project> {
    write_large_sized(path, LARGE_TASKS)
}

/// `write_large` with `tasks` tasks (the Gantt chart's benchmark uses 2,000).
pub fn write_large_sized(path: &Path, tasks: usize) -> Result<Project> {
    let mut project = Project::create(path, "新品上市项目（大型基准）")?;
    let mut reg = worked_example();
    reg.name = "新品上市项目（大型基准）".into();
    reg.start_date = "2023-01-02".into();
    reg.end_date = "2027-12-31".into();
    let start = registration::parse_date(&reg.start_date).expect("valid date");
    reg.milestones = (0..1000)
        .map(|i| Milestone {
            date: (start + chrono::Days::new(i as u64 + 1))
                .format("%Y-%m-%d")
                .to_string(),
            node: format!("第{}个里程碑：完成第{}批渠道的铺货与培训", i + 1, i + 1),
        })
        .collect();
    registration::save(project.conn_mut(), DEMO_ACTOR, &reg)?;
    for p in worked_example_people() {
        people::add(project.conn_mut(), DEMO_ACTOR, &p)?;
    }
    org::import_from_registration(project.conn_mut(), DEMO_ACTOR)?;
    write_large_plan(project.conn_mut(), start, tasks)?;
    write_large_meetings(project.conn_mut(), start, LARGE_MEETINGS, 5)?;
    write_large_control(project.conn_mut(), start, LARGE_RISKS)?;
    Ok(project)
}

/// How many risks (and as many issues) the large project has.
pub const LARGE_RISKS: usize = 250;

/// `n` risks and `n` issues, in one transaction.
fn write_large_control(conn: &mut Connection, start: chrono::NaiveDate, n: usize) -> Result<()> {
    let everyone: Vec<i64> = people::list(conn)?.into_iter().map(|p| p.id).collect();
    let levels = ["low", "medium", "high"];
    let tx = conn.transaction()?;
    for i in 0..n {
        let day = start + chrono::Days::new((i * 7) as u64);
        tx.execute(
            "INSERT INTO risk (description, level, owner_id, measures, contingency, raised_at, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                format!("第{}批渠道的物流与库存风险：城市{}的仓储容量不足", i + 1, i % 30 + 1),
                levels[i % 3],
                everyone[i % everyone.len()],
                format!("与第{}家物流商签订备用运力协议", i % 5 + 1),
                if i % 3 == 2 { "启用备选仓库，优先保障核心城市" } else { "" },
                format!("{day}T09:00:00"),
                if i % 4 == 0 { "closed" } else { "open" },
            ],
        )?;
        tx.execute(
            "INSERT INTO issue (description, impact, expected_solution, raised_by, raised_at,
                                scope, ladder, ladder_since, dispute, solution)
             VALUES (?1, ?2, ?3, ?4, ?5, 'cross', ?6, ?5, ?7, ?8)",
            params![
                format!("第{}批铺货的结算口径在销售部与财务部之间不一致", i + 1),
                format!("城市{}的首批铺货", i % 30 + 1),
                "按合同价结算，差额由市场部预算承担",
                everyone[(i + 1) % everyone.len()],
                format!("{day}T14:00:00"),
                1 + (i % 3) as i64,
                (i % 10 == 0) as i64,
                if i % 2 == 0 {
                    "双方确认按合同价结算"
                } else {
                    ""
                },
            ],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// How many meetings the large project has (each with five action items).
pub const LARGE_MEETINGS: usize = 1_000;

/// `n` weekly meetings with `per` action items each, in one transaction (the benchmark's ledger).
fn write_large_meetings(
    conn: &mut Connection,
    start: chrono::NaiveDate,
    n: usize,
    per: usize,
) -> Result<()> {
    let everyone: Vec<(i64, String)> = people::list(conn)?
        .into_iter()
        .map(|p| (p.id, p.department))
        .collect();
    let statuses = meetings::ACTION_STATUSES;
    let tx = conn.transaction()?;
    for i in 0..n {
        let day = start + chrono::Days::new((i * 2) as u64);
        tx.execute(
            "INSERT INTO meeting (title, starts_at, duration, agenda) VALUES (?1, ?2, 30, '[\"进度同步\"]')",
            params![format!("第{}次协调会：渠道批次{}", i + 1, i / 5 + 1), format!("{day}T10:00:00")],
        )?;
        let m = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO document_state (kind, doc_id, state) VALUES ('minutes', ?1, 'draft')",
            [m],
        )?;
        for j in 0..per {
            let (person, dept) = &everyone[(i + j) % everyone.len()];
            let due = day + chrono::Days::new((3 + j * 2) as u64);
            tx.execute(
                "INSERT INTO action_item (meeting_id, person_id, department, description, standard, deadline, due, status, urgent, created_at)
                 VALUES (?1, ?2, ?3, ?4, '书面确认', ?5, ?5, ?6, ?7, ?8)",
                params![m, person, dept, format!("行动项{}-{}：落实第{}城市的铺货与培训", i + 1, j + 1, j + 1), due.to_string(), statuses[(i + j) % statuses.len()], (i + j) % 7 == 0, format!("{day}T11:00:00")],
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// How many tasks the large project has (the figure the plan's benchmarks are set for).
pub const LARGE_TASKS: usize = 10_000;

/// The worked example's departments: duties, deliverables and resources (the responsibility matrix
/// and the resource plan), the communication plan, and the 2023 National Day holidays.
fn write_organization(conn: &mut Connection) -> Result<()> {
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

/// The worked example's tasks (the guides' tasks, moved into the project's dates) with their
/// dependencies.
fn write_plan(conn: &mut Connection) -> Result<()> {
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
        let reported = registration::parse_date(start)
            .filter(|_| status == "done")
            .and_then(|d| (d + chrono::Days::new(days.max(1) as u64 - 1)).and_hms_opt(17, 0, 0));
        match reported {
            Some(at) => control::at_time(at, || plan::update_task(conn, DEMO_ACTOR, &task))?,
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
fn publish_plan(conn: &mut Connection) -> Result<()> {
    let publish = |conn: &mut Connection| -> Result<()> {
        let panel = plan::publish(conn, DEMO_ACTOR)?;
        sign_round(conn, &panel.rounds[0], usize::MAX, Decision::Approve, "")
    };
    if SHIFT.with(|c| c.get()) != 0 {
        let at = control::parse_time(&shifted("2023-10-08T17:00:00")).expect("time");
        control::at_time(at, || publish(conn))?;
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

/// The kick-off with confirmed minutes and three action items (one followed up with a moved
/// deadline), and a weekly sync whose minutes wait for confirmation.
fn write_meetings(conn: &mut Connection) -> Result<()> {
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
        control::parse_time(&shifted("2023-10-07T09:00:00")).expect("time"),
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
        control::parse_time(&shifted("2023-10-10T17:00:00")).expect("time"),
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
        control::parse_time(&shifted("2023-10-23T16:00:00")).expect("time"),
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

/// Records `decision` for the first `n` signers of a round, each with `comment`.
/// Signs `round` as its first `n` signers, each with `decision`.
pub(crate) fn sign_round(
    conn: &mut Connection,
    round: &signoff::Round,
    n: usize,
    decision: Decision,
    comment: &str,
) -> Result<()> {
    for s in round.signers.iter().take(n) {
        signoff::sign(
            conn,
            DEMO_ACTOR,
            &Sign {
                round_id: round.id,
                revision: round.revision,
                person_id: s.person.id,
                decision,
                comment: comment.into(),
            },
        )?;
    }
    Ok(())
}

/// The id of the person of the project called `name`.
fn person_id(conn: &Connection, name: &str) -> Option<i64> {
    people::list(conn)
        .ok()?
        .into_iter()
        .find(|p| p.name == name)
        .map(|p| p.id)
}

/// A few risks and issues of the worked example, one escalated and counted as a dispute.
fn write_control(conn: &mut Connection) -> Result<()> {
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
        control::parse_time(&shifted("2023-10-26T10:00:00")).expect("time"),
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

/// `n` tasks in phases of 50 (a summary with 49 subtasks), each subtask after the previous one,
/// written in one transaction: the benchmark's plan, not an audited history.
fn write_large_plan(conn: &mut Connection, start: chrono::NaiveDate, n: usize) -> Result<()> {
    let depts: Vec<i64> = org::list(conn)?.iter().map(|d| d.id).collect();
    let owners: Vec<i64> = people::list(conn)?.iter().map(|p| p.id).collect();
    let statuses = plan::STATUSES;
    let tx = conn.transaction()?;
    let mut parent = 0i64;
    let mut prev: Option<i64> = None;
    for i in 0..n {
        let phase = i / 50;
        if i % 50 == 0 {
            tx.execute(
                "INSERT INTO task (parent_id, position, name, duration) VALUES (NULL, ?1, ?2, 0)",
                params![
                    phase as i64,
                    format!("第{}阶段：渠道批次{}", phase + 1, phase + 1)
                ],
            )?;
            parent = tx.last_insert_rowid();
            prev = None;
            continue;
        }
        let day = start + chrono::Days::new((phase * 7 + (i % 50) / 3) as u64);
        tx.execute(
            "INSERT INTO task (parent_id, position, name, lead_department, owner_id, start_date,
                duration, buffer, status, percent_done, collab_departments)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                parent,
                (i % 50) as i64,
                format!("任务{}：第{}城市铺货与培训", i + 1, i % 50),
                depts[i % depts.len()],
                owners[i % owners.len()],
                day.to_string(),
                (i % 9) as i64 + 1,
                (i % 3) as i64,
                statuses[i % statuses.len()],
                ((i * 7) % 101) as i64,
                format!("[{}]", depts[(i + 1) % depts.len()]),
            ],
        )?;
        let id = tx.last_insert_rowid();
        if let Some(p) = prev {
            tx.execute(
                "INSERT INTO dependency (predecessor_id, successor_id, kind, lag) VALUES (?1, ?2, 'ss', 0)",
                params![p, id],
            )?;
        }
        prev = Some(id);
    }
    tx.commit()?;
    Ok(())
}

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
        control::at_time(day.and_hms_opt(17, 0, 0).expect("time"), || {
            plan::update_task(conn, DEMO_ACTOR, &done)
        })?;
    }
    let accepted = chrono::NaiveDate::from_ymd_opt(2023, 12, 18).expect("date")
        + chrono::Days::new((variant % 10) as u64);
    let at = |day: chrono::NaiveDate, hour: u32| day.and_hms_opt(hour, 0, 0).expect("time");
    control::at_time(at(accepted, 9), || settle_example(conn))?;
    control::at_time(at(accepted, 10), || accept_example(conn, variant))?;
    control::at_time(at(accepted + chrono::Days::new(2), 15), || {
        review_example(conn, variant)
    })?;
    control::at_time(at(accepted + chrono::Days::new(3), 9), || {
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
    let panel = signoff::start(conn, DEMO_ACTOR, "acceptance", 1, &heads)?;
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
    let panel = signoff::start(conn, DEMO_ACTOR, "retrospective", 1, &heads)?;
    sign_round(conn, &panel.rounds[0], heads.len(), Decision::Confirm, "")
}

/// A closed past project for the knowledge base: the worked example under another name and
/// period, accepted, reviewed and archived.
pub fn write_closed_example(path: &Path, name: &str, variant: usize) -> Result<Project> {
    let mut project = write_example(path)?;
    let conn = project.conn_mut();
    // The name lives in the signed registration: rename through a new revision.
    signoff::new_revision(conn, DEMO_ACTOR, "registration", 1, "归档示例更名")?;
    let mut reg = registration::load(conn)?.registration;
    reg.name = name.to_string();
    registration::save(conn, DEMO_ACTOR, &reg)?;
    close_example(conn, variant)?;
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate};

    fn day(s: &str) -> NaiveDate {
        registration::parse_date(&s[..10]).unwrap()
    }

    #[test]
    fn the_sample_is_dated_relative_to_today_and_stays_sound() {
        let dir = tempfile::tempdir().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let path = dir.path().join("sample.liaison");
        let p = write_example_on(&path, today).unwrap();
        let conn = p.conn();
        let reg = registration::load(conn).unwrap().registration;
        let start = day(&reg.start_date);
        // In its fourth week at most: registration three to five weeks ago, weekdays kept.
        let age = (today - start).num_days();
        assert!((21..=35).contains(&age), "started {age} days ago");
        assert_eq!(start.weekday(), chrono::Weekday::Sun);
        let plan = plan::load(conn).unwrap();
        let finish = |name: &str| {
            let t = plan.tasks.iter().position(|t| t.name == name).unwrap();
            (
                plan.tasks[t].status.clone(),
                plan.rows[t].start.unwrap(),
                plan.rows[t].finish.unwrap(),
            )
        };
        let (status, _, done_by) = finish("技术参数整理");
        assert_eq!(status, "done");
        assert!(done_by < today && (today - done_by).num_days() < 40);
        let (_, later, _) = finish("首月销量复盘");
        assert!(later > today, "the last task is still ahead: {later}");
        // Meetings behind today; the plan published before the kick-off, not today.
        let kickoff: String = conn
            .query_row("SELECT min(starts_at) FROM meeting", [], |r| r.get(0))
            .unwrap();
        let kickoff = day(&kickoff);
        assert!(kickoff > start && kickoff < today);
        let published = day(&plan::baseline(conn).unwrap().unwrap().published_at);
        assert!(
            published <= kickoff,
            "published {published}, kick-off {kickoff}"
        );
        // The official holidays, not 2023's.
        let cal = plan::calendar_days(conn).unwrap();
        assert_eq!(cal, plan::holidays::official_days(crate::i18n::Lang::Zh));
        drop(p);
        assert!(Project::check(&path).is_ok());
        // On its own day, the example is the 2023 one the tests read.
        let own = NaiveDate::from_ymd_opt(2023, 10, 30).unwrap();
        let q = write_example_on(&dir.path().join("own.liaison"), own).unwrap();
        let reg = registration::load(q.conn()).unwrap().registration;
        assert_eq!(reg.start_date, "2023-10-01");
    }
}
