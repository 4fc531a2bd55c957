//! Matching a column to its field by its header, in Chinese or English.

use super::*;

/// The fields a column can hold, with the headers that name them (besides the catalog's labels).
pub(super) const FIELDS: &[(&str, &[&str], &str)] = &[
    (
        "outline",
        &["编号", "序号", "wbs", "wbs编号", "no", "no.", "outline"],
        "xlsx.col.outline",
    ),
    (
        "name",
        &[
            "任务名称",
            "任务",
            "任务名",
            "工作任务",
            "task",
            "taskname",
            "name",
        ],
        "field.task.name",
    ),
    (
        "lead",
        &[
            "主导部门",
            "牵头部门",
            "负责部门",
            "leaddepartment",
            "lead",
            "leaddept",
        ],
        "field.task.lead",
    ),
    (
        "collab",
        &[
            "协作部门",
            "配合部门",
            "collaboratingdepartments",
            "collaborating",
        ],
        "field.task.collab",
    ),
    (
        "owner",
        &["负责人", "责任人", "owner", "responsible"],
        "field.task.owner",
    ),
    (
        "collaborators",
        &["协作人", "配合人", "collaborators"],
        "field.task.collaborators",
    ),
    (
        "start",
        &[
            "开始时间",
            "开始日期",
            "开始",
            "计划开始",
            "start",
            "startdate",
        ],
        "field.task.start",
    ),
    (
        "finish",
        &[
            "完成时间",
            "完成日期",
            "结束时间",
            "结束日期",
            "截止时间",
            "截止日期",
            "完成",
            "结束",
            "finish",
            "end",
            "finishdate",
            "enddate",
            "due",
        ],
        "field.task.finish",
    ),
    (
        "duration",
        &["工期", "天数", "工作日", "duration", "days"],
        "field.task.duration",
    ),
    (
        "buffer",
        &["缓冲", "缓冲天数", "buffer"],
        "field.task.buffer",
    ),
    (
        "milestone",
        &["里程碑", "milestone"],
        "field.task.milestone",
    ),
    (
        "standard",
        &["交付标准", "验收标准", "deliverystandard", "standard"],
        "field.task.delivery_standard",
    ),
    (
        "resources",
        &["资源需求", "所需资源", "resourceneeds", "resources"],
        "field.task.resource_needs",
    ),
    ("risk", &["风险预案", "riskplan"], "field.task.risk_plan"),
    (
        "predecessors",
        &[
            "前置任务",
            "前置",
            "依赖",
            "依赖任务",
            "predecessors",
            "dependson",
            "dependencies",
        ],
        "xlsx.col.predecessors",
    ),
    ("status", &["状态", "status"], "field.task.status"),
    (
        "percent",
        &[
            "完成率",
            "进度",
            "完成百分比",
            "percent",
            "percentdone",
            "%done",
        ],
        "field.task.percent",
    ),
];

/// A header reduced to what matters for matching: lower case, no spaces, marks or units in
/// brackets (`工期（天）` → `工期`, `Start *` → `start`).
pub(super) fn normalize(header: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in header.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = (depth - 1_i32).max(0),
            _ if depth > 0 => {}
            c if c.is_whitespace() || "*:：_-".contains(c) => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Which field a header names, if any.
pub(super) fn field_of(header: &str) -> Option<&'static str> {
    let h = normalize(header);
    if h.is_empty() {
        return None;
    }
    FIELDS.iter().find_map(|(field, names, key)| {
        let label = |lang| normalize(&i18n::text(lang, key));
        (names.iter().any(|n| normalize(n) == h) || label(Lang::Zh) == h || label(Lang::En) == h)
            .then_some(*field)
    })
}
