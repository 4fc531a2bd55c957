//! Demo projects: domain.md's worked example ("新品上市项目"), and a deterministic large project for
//! benchmarks. Later record kinds add themselves here.

use crate::error::Result;
use crate::people::{self, Person};
use crate::registration::{self, Milestone, Registration};
use crate::signoff::{self, Decision, Sign};
use crate::storage::Project;
use std::path::Path;

/// The worked example of domain.md: a new product launch by 产品部 with 研发部, 市场部 and 销售部.
pub fn worked_example() -> Registration {
    let s = |x: &str| x.to_string();
    Registration {
        name: s("新品上市项目"),
        background: s("公司新一代产品计划于第四季度上市，需要产品、研发、市场、销售四个部门协同完成上市准备、渠道铺货与销售培训。"),
        initiating_department: s("产品部"),
        collaborating_departments: vec![s("研发部"), s("市场部"), s("销售部")],
        owner: s("张伟"),
        start_date: s("2023-10-01"),
        end_date: s("2023-12-31"),
        core_goal: s("3个月内完成新品上市，上市首月销量达1万件"),
        key_deliverables: s("销售培训材料（覆盖核心卖点与竞品对比）；渠道铺货方案（30个核心城市，覆盖率90%）；售后响应手册（客诉48小时内解决）"),
        milestones: vec![
            Milestone { date: s("2023-10-15"), node: s("产品技术参数定稿，移交销售培训材料制作") },
            Milestone { date: s("2023-11-10"), node: s("销售培训完成，通过销售团队评审") },
            Milestone { date: s("2023-11-30"), node: s("30个核心城市渠道铺货完成，覆盖率达90%") },
            Milestone { date: s("2023-12-31"), node: s("上市首月销量达1万件，项目验收") },
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
        p("王强", "研发部", "head"),
        p("赵敏", "研发部", "interface"),
        p("陈静", "市场部", "head"),
        p("孙丽", "市场部", "interface"),
        p("刘洋", "销售部", "head"),
        p("周杰", "销售部", "interface"),
        p("吴建国", "总经理办公会", "decision"),
    ]
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
    let panel = signoff::start(conn, DEMO_ACTOR, "registration", 1, &[head])?;
    let round = &panel.rounds[0];
    signoff::sign(
        conn,
        DEMO_ACTOR,
        &Sign {
            round_id: round.id,
            revision: round.revision,
            person_id: head,
            decision: Decision::Approve,
            comment: "目标明确，同意立项。".into(),
        },
    )?;
    Ok(project)
}

/// Writes a large, deterministic project for benchmarks: the worked example with many milestones.
/// Later issues add their records (10,000 tasks, 1,000 meetings, 5,000 action items, 500 risks and
/// issues) here.
pub fn write_large(path: &Path) -> Result<Project> {
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
    Ok(project)
}
