//! The pages of each document kind, built from the content its fingerprint covers.

use super::{Kind, Section};
use crate::error::Result;
use crate::i18n::{self, Lang};
use crate::pdf::{Block, Column, Table};
use crate::people::Person;
use crate::signoff;
use rusqlite::Connection;
use serde_json::Value;
use std::collections::HashMap;

fn t(lang: Lang, key: &str) -> String {
    i18n::text(lang, key)
}

/// A string field of a JSON object ("" when absent).
fn s(v: &Value, key: &str) -> String {
    match &v[key] {
        Value::String(x) => x.clone(),
        Value::Null => String::new(),
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect::<Vec<_>>()
            .join("、"),
        other => other.to_string(),
    }
}

/// The catalog name of a content field, for a document of `kind` (`coreGoal` → 核心目标).
pub fn field_name(kind: Kind, key: &str, lang: Lang) -> String {
    let snake: String = key
        .chars()
        .flat_map(|c| {
            if c.is_ascii_uppercase() {
                vec!['_', c.to_ascii_lowercase()]
            } else {
                vec![c]
            }
        })
        .collect();
    let groups: &[&str] = match kind {
        Kind::Registration => &["field", "field.milestone"],
        Kind::Allocation => &["field.task", "doc.field"],
        Kind::Minutes => &["field.meeting", "field.topic", "field.action", "doc.field"],
        Kind::ChangeRequest => &["field.change", "doc.field"],
        Kind::Acceptance => &["field.acceptance", "field.evaluation", "doc.field"],
        Kind::Retrospective => &["field.retro", "doc.field"],
    };
    let catalog = i18n::catalog();
    for g in groups {
        for k in [format!("{g}.{key}"), format!("{g}.{snake}")] {
            if catalog.contains_key(&k) {
                return t(lang, &k);
            }
        }
    }
    let special = match key {
        "collaborating" => Some("field.task.collab"),
        "startsAt" => Some("field.meeting.starts_at"),
        _ => None,
    };
    special
        .map(|k| t(lang, k))
        .unwrap_or_else(|| key.to_string())
}

/// The blocks of a document.
pub fn blocks(
    conn: &Connection,
    kind: Kind,
    sections: &[Section],
    lang: Lang,
) -> Result<Vec<Block>> {
    let people = crate::people::list(conn)?;
    let attendees: HashMap<i64, Vec<i64>> = if kind == Kind::Minutes {
        crate::meetings::meetings(conn)?
            .into_iter()
            .map(|m| (m.id, m.attendees))
            .collect()
    } else {
        HashMap::new()
    };
    let mut out = Vec::new();
    for (i, sec) in sections.iter().enumerate() {
        if sections.len() > 1 {
            let title = s(&sec.content, "title");
            out.push(Block::Bookmark(title.clone()));
            if i > 0 && kind == Kind::ChangeRequest {
                out.push(Block::PageBreak);
            }
            let when = s(&sec.content, "startsAt").replace('T', " ");
            let head = match kind {
                Kind::Minutes => format!("{} {}", when.get(..16).unwrap_or(&when), title),
                _ => format!("#{} {title}", sec.id),
            };
            out.push(Block::Heading(head));
        }
        let required: Vec<i64> = match kind {
            Kind::Minutes => attendees.get(&sec.id).cloned().unwrap_or_default(),
            _ => signoff::panel(conn, sec.kind, sec.id)?.suggested,
        };
        match kind {
            Kind::Registration => registration(&mut out, &sec.content, lang),
            Kind::Allocation => allocation(&mut out, &sec.content, lang),
            Kind::Minutes => minutes(&mut out, &sec.content, lang, sections.len() > 1),
            Kind::ChangeRequest => change_request(&mut out, &sec.content, lang),
            Kind::Acceptance => acceptance(&mut out, &sec.content, lang),
            Kind::Retrospective => retrospective(&mut out, &sec.content, lang),
        }
        let row = if sections.len() > 1 { 20.0 } else { 28.0 };
        signoff_block(conn, &mut out, sec, &required, &people, lang, row)?;
    }
    Ok(out)
}

fn registration(out: &mut Vec<Block>, v: &Value, lang: Lang) {
    let f = |k: &str| t(lang, &format!("field.{k}"));
    let dates = match (s(v, "startDate"), s(v, "endDate")) {
        (a, b) if a.is_empty() && b.is_empty() => String::new(),
        (a, b) => format!("{a} — {b}"),
    };
    out.push(Block::Heading(t(lang, "reg.section.basics")));
    out.push(Block::Fields(vec![
        (f("name"), s(v, "name")),
        (f("background"), s(v, "background")),
        (f("initiatingDepartment"), s(v, "initiatingDepartment")),
        (
            f("collaboratingDepartments"),
            s(v, "collaboratingDepartments"),
        ),
        (
            f("contacts"),
            v["contacts"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| format!("{}：{}", s(c, "department"), s(c, "person")))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (f("owner"), s(v, "owner")),
        (t(lang, "doc.field.period"), dates),
    ]));
    out.push(Block::Heading(t(lang, "reg.section.goal")));
    out.push(Block::Fields(vec![
        (f("coreGoal"), s(v, "coreGoal")),
        (f("keyDeliverables"), s(v, "keyDeliverables")),
    ]));
    out.push(Block::Heading(t(lang, "reg.section.milestones")));
    let rows: Vec<Vec<String>> = v["milestones"]
        .as_array()
        .map(|a| a.iter().map(|m| vec![s(m, "date"), s(m, "node")]).collect())
        .unwrap_or_default();
    if rows.is_empty() {
        out.push(Block::Para(t(lang, "reg.milestone.none")));
    } else {
        out.push(Block::Table(Table {
            columns: vec![
                Column::new(t(lang, "field.milestone.date"), 0.22),
                Column::new(t(lang, "field.milestone.node"), 0.78),
            ],
            rows,
            label_first: false,
            min_row: 0.0,
        }));
    }
    out.push(Block::Heading(t(lang, "reg.section.status")));
    out.push(Block::Fields(vec![
        (f("currentProgress"), s(v, "currentProgress")),
        (f("riskNotes"), s(v, "riskNotes")),
        (f("suggestedDepartments"), s(v, "suggestedDepartments")),
    ]));
}

fn allocation(out: &mut Vec<Block>, v: &Value, lang: Lang) {
    let tasks = v["tasks"].as_array().cloned().unwrap_or_default();
    let outline: HashMap<i64, String> = tasks
        .iter()
        .filter_map(|x| Some((x["id"].as_i64()?, s(x, "outline"))))
        .collect();
    let mut preds: HashMap<i64, Vec<String>> = HashMap::new();
    for l in v["dependencies"].as_array().into_iter().flatten() {
        let (Some(p), Some(succ)) = (l["predecessor"].as_i64(), l["successor"].as_i64()) else {
            continue;
        };
        let lag = l["lag"].as_i64().unwrap_or(0);
        let lag = match lag {
            0 => String::new(),
            n if n > 0 => format!("+{n}"),
            n => n.to_string(),
        };
        preds.entry(succ).or_default().push(format!(
            "{}{}{lag}",
            outline.get(&p).cloned().unwrap_or_default(),
            s(l, "kind").to_uppercase()
        ));
    }
    let summaries = tasks.iter().filter(|x| x["summary"] == true).count();
    let milestones = tasks.iter().filter(|x| x["milestone"] == true).count();
    out.push(Block::Note(i18n::format(
        lang,
        "doc.allocation.summary",
        &[
            ("tasks", &(tasks.len() - summaries).to_string()),
            ("milestones", &milestones.to_string()),
        ],
    )));
    let rows = tasks
        .iter()
        .map(|x| {
            let mut name = s(x, "name");
            if x["milestone"] == true {
                name = format!("◆ {name}");
            }
            let days = if x["summary"] == true {
                String::new()
            } else {
                let buffer = x["buffer"].as_i64().unwrap_or(0);
                let d = s(x, "duration");
                if buffer > 0 {
                    format!("{d}+{buffer}")
                } else {
                    d
                }
            };
            let people = [s(x, "owner"), s(x, "collaborators")]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" / ");
            let extra = [
                ("field.task.delivery_standard", s(x, "deliveryStandard")),
                ("field.task.resource_needs", s(x, "resourceNeeds")),
                ("field.task.risk_plan", s(x, "riskPlan")),
            ]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{}：{v}", t(lang, k)))
            .collect::<Vec<_>>()
            .join("\n");
            vec![
                s(x, "outline"),
                name,
                s(x, "lead"),
                s(x, "collaborating"),
                people,
                s(x, "start"),
                s(x, "finish"),
                days,
                x["id"]
                    .as_i64()
                    .and_then(|id| preds.get(&id))
                    .map(|p| p.join(", "))
                    .unwrap_or_default(),
                extra,
            ]
        })
        .collect();
    out.push(Block::Table(Table {
        columns: vec![
            Column::new(t(lang, "doc.field.outline"), 0.05),
            Column::new(t(lang, "field.task.name"), 0.16),
            Column::new(t(lang, "field.task.lead"), 0.08),
            Column::new(t(lang, "field.task.collab"), 0.09),
            Column::new(t(lang, "doc.field.people"), 0.1),
            Column::new(t(lang, "field.task.start"), 0.075),
            Column::new(t(lang, "field.task.finish"), 0.075),
            Column::new(t(lang, "doc.field.days"), 0.06),
            Column::new(t(lang, "doc.field.predecessors"), 0.07),
            Column::new(t(lang, "doc.field.standard_needs_risks"), 0.24),
        ],
        rows,
        label_first: false,
        min_row: 0.0,
    }));
    out.push(Block::Note(t(lang, "doc.allocation.legend")));
}

fn minutes(out: &mut Vec<Block>, v: &Value, lang: Lang, compact: bool) {
    let form = match s(v, "form").as_str() {
        "" => String::new(),
        f => t(lang, &format!("meetings.form.{f}")),
    };
    let when = s(v, "startsAt").replace('T', " ");
    if compact {
        // In the document of all minutes: the meeting's data as one paragraph.
        let mut parts = vec![
            format!(
                "{} {} · {} {}",
                t(lang, "field.meeting.starts_at"),
                when.get(..16).unwrap_or(&when),
                s(v, "duration"),
                t(lang, "doc.minutes_unit")
            ),
            [form.clone(), s(v, "place")]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        ];
        for (key, field) in [
            ("doc.field.recorder", "recorder"),
            ("doc.field.attendees", "attendees"),
        ] {
            if !s(v, field).is_empty() {
                parts.push(format!("{}：{}", t(lang, key), s(v, field)));
            }
        }
        let mut line = parts
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        if !s(v, "agenda").is_empty() {
            line = format!(
                "{line}\n{}：{}",
                t(lang, "field.meeting.agenda"),
                s(v, "agenda")
            );
        }
        out.push(Block::Para(line));
    }
    if !compact {
        let mut fields = vec![
            (t(lang, "field.meeting.title"), s(v, "title")),
            (
                t(lang, "field.meeting.starts_at"),
                format!(
                    "{} · {} {}",
                    when.get(..16).unwrap_or(&when),
                    s(v, "duration"),
                    t(lang, "doc.minutes_unit")
                ),
            ),
            (
                t(lang, "meetings.form"),
                [form, s(v, "place")]
                    .into_iter()
                    .filter(|x| !x.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · "),
            ),
            (t(lang, "doc.field.recorder"), s(v, "recorder")),
            (t(lang, "doc.field.attendees"), s(v, "attendees")),
        ];
        if !s(v, "agenda").is_empty() {
            fields.push((t(lang, "field.meeting.agenda"), s(v, "agenda")));
        }
        out.push(Block::Fields(fields));
    }
    let topics: Vec<Vec<String>> = v["topics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            let disputes = [s(x, "disputes"), s(x, "settlement")]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join("\n→ ");
            vec![s(x, "title"), s(x, "discussion"), s(x, "result"), disputes]
        })
        .collect();
    if !topics.is_empty() {
        if !compact {
            out.push(Block::Heading(t(lang, "doc.minutes.topics")));
        }
        out.push(Block::Table(Table {
            columns: vec![
                Column::new(t(lang, "field.topic.title"), 0.18),
                Column::new(t(lang, "field.topic.discussion"), 0.32),
                Column::new(t(lang, "field.topic.result"), 0.28),
                Column::new(t(lang, "doc.field.disputes"), 0.22),
            ],
            rows: topics,
            label_first: false,
            min_row: 0.0,
        }));
    }
    let actions: Vec<Vec<String>> = v["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            let who = [s(x, "person"), s(x, "department")]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            vec![s(x, "description"), who, s(x, "standard"), s(x, "deadline")]
        })
        .collect();
    if !actions.is_empty() {
        if !compact {
            out.push(Block::Heading(t(lang, "doc.minutes.actions")));
        }
        out.push(Block::Table(Table {
            columns: vec![
                Column::new(t(lang, "field.action.description"), 0.38),
                Column::new(t(lang, "field.action.person"), 0.2),
                Column::new(t(lang, "field.action.standard"), 0.27),
                Column::new(t(lang, "field.action.deadline"), 0.15),
            ],
            rows: actions,
            label_first: false,
            min_row: 0.0,
        }));
    }
    if !s(v, "resources").is_empty() {
        out.push(Block::Fields(vec![(
            t(lang, "field.meeting.resources"),
            s(v, "resources"),
        )]));
    }
}

fn change_request(out: &mut Vec<Block>, v: &Value, lang: Lang) {
    let aspects = v["aspects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str())
        .map(|a| t(lang, &format!("change.aspect.{a}")))
        .collect::<Vec<_>>()
        .join("、");
    out.push(Block::Fields(vec![
        (t(lang, "field.change.title"), s(v, "title")),
        (t(lang, "field.change.aspects"), aspects),
        (t(lang, "field.change.reason"), s(v, "reason")),
        (t(lang, "field.change.impact"), s(v, "impact")),
        (t(lang, "field.change.alternatives"), s(v, "alternatives")),
    ]));
    let rows: Vec<Vec<String>> = v["edits"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let field = s(e, "field");
            let key = format!("change.field.{field}");
            let field = if i18n::catalog().contains_key(&key) {
                t(lang, &key)
            } else {
                field
            };
            vec![s(e, "task"), field, s(e, "before"), s(e, "after")]
        })
        .collect();
    if !rows.is_empty() {
        out.push(Block::Heading(t(lang, "field.change.edits")));
        out.push(Block::Table(Table {
            columns: vec![
                Column::new(t(lang, "field.task.name"), 0.34),
                Column::new(t(lang, "doc.field.field"), 0.18),
                Column::new(t(lang, "doc.field.before"), 0.24),
                Column::new(t(lang, "doc.field.after"), 0.24),
            ],
            rows,
            label_first: false,
            min_row: 0.0,
        }));
    }
}

/// A score, or a dash when not given.
fn score(v: &Value) -> String {
    v.as_i64()
        .map(|n| n.to_string())
        .unwrap_or_else(|| "—".into())
}

/// One decimal, or a dash.
fn one_decimal(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "—".into())
}

fn acceptance(out: &mut Vec<Block>, v: &Value, lang: Lang) {
    let items = v["items"].as_array().cloned().unwrap_or_default();
    let count = |verdict: &str| items.iter().filter(|i| i["verdict"] == verdict).count();
    out.push(Block::Heading(t(lang, "acceptance.section.result")));
    out.push(Block::Fields(vec![
        (
            t(lang, "field.acceptance.overall"),
            t(lang, &format!("acceptance.overall.{}", s(v, "overall"))),
        ),
        (
            t(lang, "acceptance.counts.label"),
            i18n::format(
                lang,
                "acceptance.counts",
                &[
                    ("total", &items.len().to_string()),
                    ("pass", &count("pass").to_string()),
                    ("fail", &count("fail").to_string()),
                    ("pending", &count("pending").to_string()),
                ],
            ),
        ),
        (t(lang, "field.acceptance.conclusion"), s(v, "conclusion")),
    ]));
    out.push(Block::Heading(t(lang, "acceptance.section.items")));
    // Reports signed before dates were added carry none; the others show planned vs actual.
    let dated = items.iter().any(|i| i.get("planned").is_some());
    let span = |v: &Value| -> String {
        let day = |k: usize| v[k].as_str().unwrap_or("—").to_string();
        format!("{}\n{}", day(0), day(1))
    };
    let mut late = Vec::new();
    let rows = items
        .iter()
        .enumerate()
        .map(|(r, i)| {
            let files = i["evidence"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| s(f, "name"))
                .collect::<Vec<_>>()
                .join("\n");
            let mut row = vec![
                format!("{} {}", s(i, "outline"), s(i, "name")),
                s(i, "lead"),
                s(i, "standard"),
                s(i, "result"),
                t(lang, &format!("acceptance.verdict.{}", s(i, "verdict"))),
                files,
            ];
            if dated {
                // Finished after the planned finish: the actual dates are shaded amber.
                let (planned, actual) = (&i["planned"][1], &i["actual"][1]);
                if let (Some(p), Some(a)) = (planned.as_str(), actual.as_str()) {
                    if a > p {
                        late.push((r, 3));
                    }
                }
                row.insert(2, span(&i["planned"]));
                row.insert(3, span(&i["actual"]));
            }
            row
        })
        .collect();
    let columns = if dated {
        vec![
            Column::new(t(lang, "field.task.name"), 0.2),
            Column::new(t(lang, "field.task.lead"), 0.08),
            Column::new(t(lang, "field.acceptance.planned"), 0.11),
            Column::new(t(lang, "field.acceptance.actual"), 0.11),
            Column::new(t(lang, "field.acceptance.standard"), 0.15),
            Column::new(t(lang, "field.acceptance.result"), 0.17),
            Column::new(t(lang, "field.acceptance.verdict"), 0.07),
            Column::new(t(lang, "field.acceptance.evidence"), 0.11),
        ]
    } else {
        vec![
            Column::new(t(lang, "field.task.name"), 0.2),
            Column::new(t(lang, "field.task.lead"), 0.1),
            Column::new(t(lang, "field.acceptance.standard"), 0.22),
            Column::new(t(lang, "field.acceptance.result"), 0.22),
            Column::new(t(lang, "field.acceptance.verdict"), 0.09),
            Column::new(t(lang, "field.acceptance.evidence"), 0.17),
        ]
    };
    let any_late = !late.is_empty();
    out.push(Block::MarkedTable(
        Table {
            columns,
            rows,
            label_first: false,
            min_row: 0.0,
        },
        late,
    ));
    if any_late {
        out.push(Block::Note(t(lang, "acceptance.late_note")));
    }
    out.push(Block::Heading(t(lang, "acceptance.section.evaluation")));
    let evals = v["evaluations"].as_array().cloned().unwrap_or_default();
    let parsed: Vec<crate::acceptance::Evaluation> = evals
        .iter()
        .map(|e| crate::acceptance::Evaluation {
            goal: e["goal"].as_i64(),
            efficiency: e["efficiency"].as_i64(),
            communication: e["communication"].as_i64(),
            ..Default::default()
        })
        .collect();
    let mut rows: Vec<Vec<String>> = evals
        .iter()
        .zip(&parsed)
        .map(|(e, p)| {
            vec![
                s(e, "department"),
                score(&e["goal"]),
                score(&e["efficiency"]),
                score(&e["communication"]),
                one_decimal(p.average()),
                s(e, "comment"),
            ]
        })
        .collect();
    let avg = crate::acceptance::averages(&parsed);
    rows.push(vec![
        t(lang, "evaluation.average_row"),
        one_decimal(avg.goal),
        one_decimal(avg.efficiency),
        one_decimal(avg.communication),
        one_decimal(avg.overall),
        String::new(),
    ]);
    // An average under the target of 80 is shaded amber, as the app marks it.
    let mut below: Vec<(usize, usize)> = parsed
        .iter()
        .enumerate()
        .filter(|(_, p)| p.average().is_some_and(|a| a < 80.0))
        .map(|(r, _)| (r, 4))
        .collect();
    let last = parsed.len();
    for (c, a) in [avg.goal, avg.efficiency, avg.communication, avg.overall]
        .into_iter()
        .enumerate()
    {
        if a.is_some_and(|a| a < 80.0) {
            below.push((last, c + 1));
        }
    }
    let marked = !below.is_empty();
    out.push(Block::MarkedTable(
        Table {
            columns: vec![
                Column::new(t(lang, "field.evaluation.department"), 0.16),
                Column::new(t(lang, "field.evaluation.goal"), 0.13),
                Column::new(t(lang, "field.evaluation.efficiency"), 0.13),
                Column::new(t(lang, "field.evaluation.communication"), 0.13),
                Column::new(t(lang, "field.evaluation.average"), 0.1),
                Column::new(t(lang, "field.evaluation.comment"), 0.35),
            ],
            rows,
            label_first: true,
            min_row: 0.0,
        },
        below,
    ));
    out.push(Block::Note(t(lang, "evaluation.scale_note")));
    if marked {
        out.push(Block::Note(t(lang, "evaluation.below_note")));
    }
}

fn retrospective(out: &mut Vec<Block>, v: &Value, lang: Lang) {
    let list = |key: &str| v[key].as_array().cloned().unwrap_or_default();
    let numbered = |i: usize| format!("{}", i + 1);
    out.push(Block::Heading(t(lang, "retro.section.success")));
    out.push(Block::Table(Table {
        columns: vec![
            Column::new("#".to_string(), 0.06),
            Column::new(t(lang, "field.retro.text"), 0.94),
        ],
        rows: list("successes")
            .iter()
            .enumerate()
            .map(|(i, e)| vec![numbered(i), s(e, "text")])
            .collect(),
        label_first: false,
        min_row: 0.0,
    }));
    out.push(Block::Heading(t(lang, "retro.section.problem")));
    out.push(Block::Table(Table {
        columns: vec![
            Column::new("#".to_string(), 0.06),
            Column::new(t(lang, "field.retro.problem"), 0.47),
            Column::new(t(lang, "field.retro.cause"), 0.47),
        ],
        rows: list("problems")
            .iter()
            .enumerate()
            .map(|(i, e)| vec![numbered(i), s(e, "text"), s(e, "cause")])
            .collect(),
        label_first: false,
        min_row: 0.0,
    }));
    out.push(Block::Heading(t(lang, "retro.section.improvement")));
    out.push(Block::Table(Table {
        columns: vec![
            Column::new("#".to_string(), 0.06),
            Column::new(t(lang, "field.retro.improvement"), 0.56),
            Column::new(t(lang, "field.retro.owner"), 0.22),
            Column::new(t(lang, "field.retro.carry"), 0.16),
        ],
        rows: list("improvements")
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let owner = match (s(e, "owner"), s(e, "ownerDepartment")) {
                    (o, d) if d.is_empty() => o,
                    (o, d) => format!("{o}（{d}）"),
                };
                let carry = if e["carry"] == true {
                    t(lang, "retro.carry.yes")
                } else {
                    String::new()
                };
                vec![numbered(i), s(e, "text"), owner, carry]
            })
            .collect(),
        label_first: false,
        min_row: 0.0,
    }));
}

/// The sign-off block: every required signer with department, role, decision and date (or
/// pending), and room for a handwritten signature.
fn signoff_block(
    conn: &Connection,
    out: &mut Vec<Block>,
    sec: &Section,
    required: &[i64],
    people: &[Person],
    lang: Lang,
    row_height: f32,
) -> Result<()> {
    let rounds = signoff::rounds(conn, sec.kind, sec.id)?;
    let round = rounds.iter().find(|r| {
        r.fingerprint == sec.fingerprint && (r.status == "approved" || r.status == "open")
    });
    let role = |r: &str| {
        if r.is_empty() {
            String::new()
        } else {
            t(lang, &format!("role.{r}"))
        }
    };
    let pending = t(lang, "signoff.pending");
    let how = crate::remote_sign::methods(conn, sec.kind, sec.id)?;
    let (status, rows): (String, Vec<Vec<String>>) = match round {
        Some(r) => {
            let status = i18n::format(
                lang,
                if r.status == "approved" {
                    "doc.signoff.approved"
                } else {
                    "doc.signoff.open"
                },
                &[("revision", &r.revision.to_string())],
            );
            let rows = r
                .signers
                .iter()
                .map(|sg| match &sg.signature {
                    Some(g) => {
                        let mut decision =
                            t(lang, &format!("decision.{}", decision_code(g.decision)));
                        if !g.comment.is_empty() {
                            decision = format!("{decision}\n{}", g.comment);
                        }
                        vec![
                            g.name.clone(),
                            g.department.clone(),
                            role(&g.role),
                            decision,
                            g.signed_at.get(..10).unwrap_or(&g.signed_at).to_string(),
                            how.iter()
                                .find(|h| h.round_id == r.id && h.person_id == g.person_id)
                                .map(|h| crate::remote_sign::method_label(h, lang))
                                .unwrap_or_default(),
                        ]
                    }
                    None => vec![
                        sg.person.name.clone(),
                        sg.person.department.clone(),
                        role(&sg.person.role),
                        pending.clone(),
                        String::new(),
                        String::new(),
                    ],
                })
                .collect();
            (status, rows)
        }
        None => {
            let key = if rounds.is_empty() {
                "doc.signoff.none"
            } else {
                "doc.signoff.changed"
            };
            let rows = required
                .iter()
                .filter_map(|id| people.iter().find(|p| p.id == *id))
                .map(|p| {
                    vec![
                        p.name.clone(),
                        p.department.clone(),
                        role(&p.role),
                        pending.clone(),
                        String::new(),
                        String::new(),
                    ]
                })
                .collect();
            (t(lang, key), rows)
        }
    };
    // In a document of many records the footer carries the whole fingerprint; each record
    // shows the first 16 digits of its own, enough to tell it apart.
    let fp = if row_height < 28.0 {
        &sec.fingerprint[..16.min(sec.fingerprint.len())]
    } else {
        &sec.fingerprint[..]
    };
    out.push(Block::Heading(t(lang, "doc.signoff")));
    out.push(Block::Note(format!(
        "{status}　{}",
        i18n::format(lang, "doc.section_fingerprint", &[("fp", fp)])
    )));
    if rows.is_empty() {
        out.push(Block::Note(t(lang, "doc.signoff.nobody")));
        return Ok(());
    }
    out.push(Block::Table(Table {
        columns: vec![
            Column::new(t(lang, "field.person.name"), 0.13),
            Column::new(t(lang, "field.person.department"), 0.14),
            Column::new(t(lang, "field.person.role"), 0.13),
            Column::new(t(lang, "doc.field.decision"), 0.22),
            Column::new(t(lang, "doc.field.date"), 0.13),
            Column::new(t(lang, "doc.field.signature"), 0.25),
        ],
        rows,
        label_first: false,
        min_row: row_height,
    }));
    Ok(())
}

fn decision_code(d: signoff::Decision) -> &'static str {
    match d {
        signoff::Decision::Approve => "approve",
        signoff::Decision::Confirm => "confirm",
        signoff::Decision::Reject => "reject",
        signoff::Decision::RequestCorrection => "request_correction",
    }
}
