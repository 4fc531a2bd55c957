//! The acceptance and the retrospective as blocks.

use super::*;

/// A score, or a dash when not given.
pub(super) fn score(v: &Value) -> String {
    v.as_i64()
        .map(|n| n.to_string())
        .unwrap_or_else(|| "—".into())
}

/// One decimal, or a dash.
pub(super) fn one_decimal(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "—".into())
}

pub(super) fn acceptance(out: &mut Vec<Block>, v: &Value, lang: Lang) {
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

pub(super) fn retrospective(out: &mut Vec<Block>, v: &Value, lang: Lang) {
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
