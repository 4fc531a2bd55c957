//! Excel export (rust_xlsxwriter): the task allocation table, the follow-up ledger, the issue log,
//! the risk register and the change requests, for the people who only read spreadsheets. Headers
//! in the user's language, dates as real Excel dates, status as words, column widths that fit,
//! the header row frozen and filters on.

use crate::error::{Error, Result};
use crate::i18n::{self, Lang};
use chrono::{NaiveDate, NaiveDateTime};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook};
use std::collections::HashMap;
use std::path::Path;

/// The sheets Liaison writes, by their command-line names.
pub const KINDS: &[&str] = &["allocation", "ledger", "issues", "risks", "changes"];

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Time(NaiveDateTime),
    Empty,
}

/// A sheet before it is written: a title, column headers and rows.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn text(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

fn date(s: Option<&str>) -> Cell {
    s.and_then(|d| NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok())
        .map(Cell::Date)
        .unwrap_or(Cell::Empty)
}

fn time(s: Option<&str>) -> Cell {
    match s.and_then(crate::clock::parse_time) {
        Some(t) => Cell::Time(t),
        None => Cell::Empty,
    }
}

/// The sheet of `kind` as the project holds it now.
pub fn sheet(conn: &rusqlite::Connection, kind: &str, lang: Lang) -> Result<Sheet> {
    let t = |k: &str| i18n::text(lang, k);
    let people: HashMap<i64, String> = crate::people::list(conn)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let person =
        |id: Option<i64>| text(id.and_then(|i| people.get(&i).cloned()).unwrap_or_default());
    let heads = |keys: &[&str]| keys.iter().map(|k| t(k)).collect::<Vec<_>>();
    match kind {
        "allocation" => {
            let plan = crate::plan::load(conn)?;
            let depts: HashMap<i64, String> = crate::org::list(conn)?
                .into_iter()
                .map(|d| (d.id, d.name))
                .collect();
            let outline: HashMap<i64, String> = plan
                .rows
                .iter()
                .map(|r| (r.id, r.outline.clone()))
                .collect();
            let mut preds: HashMap<i64, Vec<String>> = HashMap::new();
            for l in &plan.links {
                let kind = serde_json::to_value(l.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_uppercase))
                    .unwrap_or_default();
                let lag = match l.lag {
                    0 => String::new(),
                    n if n > 0 => format!("+{n}"),
                    n => n.to_string(),
                };
                preds.entry(l.successor).or_default().push(format!(
                    "{}{kind}{lag}",
                    outline.get(&l.predecessor).cloned().unwrap_or_default()
                ));
            }
            let names = |ids: &[i64], of: &HashMap<i64, String>| {
                text(
                    ids.iter()
                        .filter_map(|i| of.get(i).cloned())
                        .collect::<Vec<_>>()
                        .join("、"),
                )
            };
            let rows = plan
                .tasks
                .iter()
                .zip(&plan.rows)
                .map(|(task, r)| {
                    vec![
                        text(r.outline.clone()),
                        text(task.name.clone()),
                        text(
                            task.lead_department
                                .and_then(|d| depts.get(&d).cloned())
                                .unwrap_or_default(),
                        ),
                        names(&task.collab_departments, &depts),
                        person(task.owner_id),
                        names(&task.collaborators, &people),
                        r.start.map(Cell::Date).unwrap_or(Cell::Empty),
                        r.finish.map(Cell::Date).unwrap_or(Cell::Empty),
                        if r.summary {
                            Cell::Empty
                        } else {
                            Cell::Number(task.duration as f64)
                        },
                        if r.summary {
                            Cell::Empty
                        } else {
                            Cell::Number(task.buffer as f64)
                        },
                        text(if task.milestone {
                            t("xlsx.yes")
                        } else {
                            String::new()
                        }),
                        text(task.delivery_standard.clone()),
                        text(task.resource_needs.clone()),
                        text(task.risk_plan.clone()),
                        text(preds.remove(&task.id).unwrap_or_default().join(", ")),
                        text(t(&format!("status.{}", task.status))),
                        Cell::Number(r.percent as f64 / 100.0),
                    ]
                })
                .collect();
            Ok(Sheet {
                name: t("xlsx.sheet.allocation"),
                headers: heads(&[
                    "xlsx.col.outline",
                    "field.task.name",
                    "field.task.lead",
                    "field.task.collab",
                    "field.task.owner",
                    "field.task.collaborators",
                    "field.task.start",
                    "field.task.finish",
                    "field.task.duration",
                    "field.task.buffer",
                    "field.task.milestone",
                    "field.task.delivery_standard",
                    "field.task.resource_needs",
                    "field.task.risk_plan",
                    "xlsx.col.predecessors",
                    "field.task.status",
                    "field.task.percent",
                ]),
                rows,
            })
        }
        "ledger" => {
            let rows = crate::meetings::ledger(
                conn,
                &crate::meetings::LedgerQuery::default(),
                crate::clock::now(),
            )?
            .into_iter()
            .map(|r| {
                vec![
                    text(r.meeting),
                    text(r.action.departments().join("、")),
                    text(r.person),
                    text(r.action.description),
                    text(r.action.standard),
                    date(r.action.deadline.as_deref()),
                    date(r.action.due.as_deref()),
                    text(t(&format!("status.{}", r.action.status))),
                    text(if r.action.urgent {
                        t("xlsx.yes")
                    } else {
                        String::new()
                    }),
                    Cell::Number(r.follow_ups as f64),
                    time(r.last_follow_up.as_deref()),
                    text(if r.overdue {
                        t("xlsx.yes")
                    } else {
                        String::new()
                    }),
                ]
            })
            .collect();
            Ok(Sheet {
                name: t("xlsx.sheet.ledger"),
                headers: heads(&[
                    "xlsx.col.source",
                    "xlsx.col.department",
                    "field.action.person",
                    "field.action.description",
                    "field.action.standard",
                    "field.action.deadline",
                    "xlsx.col.due",
                    "field.action.status",
                    "xlsx.col.urgent",
                    "xlsx.col.follow_ups",
                    "xlsx.col.last_follow_up",
                    "xlsx.col.overdue",
                ]),
                rows,
            })
        }
        "issues" => {
            let rows = crate::control::issues(conn)?
                .into_iter()
                .map(|i| {
                    vec![
                        Cell::Number(i.id as f64),
                        text(i.description),
                        text(i.impact),
                        text(i.expected_solution),
                        person(i.raised_by),
                        time(Some(&i.raised_at)),
                        text(t(&format!("xlsx.scope.{}", i.scope))),
                        text(t(&format!("issue.ladder.{}", i.ladder))),
                        text(if i.dispute {
                            t("xlsx.yes")
                        } else {
                            String::new()
                        }),
                        time(i.meeting_at.as_deref()),
                        text(i.solution),
                        person(i.solution_owner),
                        date(i.solution_deadline.as_deref()),
                        time(i.solved_at.as_deref()),
                        time(i.closed_at.as_deref()),
                        text(i.decision),
                    ]
                })
                .collect();
            Ok(Sheet {
                name: t("xlsx.sheet.issues"),
                headers: heads(&[
                    "xlsx.col.id",
                    "field.issue.description",
                    "field.issue.impact",
                    "field.issue.expected_solution",
                    "field.issue.raised_by",
                    "xlsx.col.raised_at",
                    "xlsx.col.scope",
                    "xlsx.col.ladder",
                    "xlsx.col.dispute",
                    "field.issue.meeting_at",
                    "field.issue.solution",
                    "field.issue.solution_owner",
                    "field.issue.solution_deadline",
                    "field.issue.solved_at",
                    "field.issue.closed_at",
                    "field.issue.decision",
                ]),
                rows,
            })
        }
        "risks" => {
            let rows = crate::control::risks(conn)?
                .into_iter()
                .map(|r| {
                    vec![
                        Cell::Number(r.id as f64),
                        text(r.description),
                        text(t(&format!("risk.level.{}", r.level))),
                        person(r.owner_id),
                        text(r.measures),
                        text(r.contingency),
                        time(Some(&r.raised_at)),
                        text(t(&format!("risk.status.{}", r.status))),
                    ]
                })
                .collect();
            Ok(Sheet {
                name: t("xlsx.sheet.risks"),
                headers: heads(&[
                    "xlsx.col.id",
                    "field.risk.description",
                    "field.risk.level",
                    "field.risk.owner",
                    "field.risk.measures",
                    "field.risk.contingency",
                    "xlsx.col.raised_at",
                    "risk.status",
                ]),
                rows,
            })
        }
        "changes" => {
            let mut list = crate::changes::views(conn)?;
            list.sort_by_key(|v| v.request.id);
            let rows = list
                .into_iter()
                .map(|v| {
                    let c = v.request;
                    let aspects = c
                        .aspects
                        .iter()
                        .map(|a| t(&format!("change.aspect.{a}")))
                        .collect::<Vec<_>>()
                        .join("、");
                    let edits = v
                        .described
                        .iter()
                        .map(|d| format!("{} · {}：{} → {}", d.task, d.field, d.before, d.after))
                        .collect::<Vec<_>>()
                        .join("\n");
                    vec![
                        Cell::Number(c.id as f64),
                        text(c.title),
                        text(aspects),
                        text(c.reason),
                        text(c.impact),
                        text(c.alternatives),
                        text(edits),
                        text(t(&format!("change.state.{}", v.state))),
                        time(Some(&c.created_at)),
                        time(c.applied_at.as_deref()),
                    ]
                })
                .collect();
            Ok(Sheet {
                name: t("xlsx.sheet.changes"),
                headers: heads(&[
                    "xlsx.col.id",
                    "field.change.title",
                    "field.change.aspects",
                    "field.change.reason",
                    "field.change.impact",
                    "field.change.alternatives",
                    "field.change.edits",
                    "xlsx.col.state",
                    "xlsx.col.created_at",
                    "xlsx.col.applied_at",
                ]),
                rows,
            })
        }
        other => Err(Error::refused(
            "xlsx.unknown_kind",
            &[("kind", other.to_string())],
        )),
    }
}

/// How wide text shows in Excel's character units: CJK characters count twice.
fn display_width(s: &str) -> usize {
    s.lines()
        .map(|l| {
            l.chars()
                .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0)
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> Error {
    let detail = match e {
        rust_xlsxwriter::XlsxError::IoError(io) => crate::error::io_reason(&io),
        _ => "reason.sheet_write",
    };
    Error::refused("xlsx.write_error", &[("detail", detail.to_string())])
}

fn excel_date(d: NaiveDate) -> std::result::Result<ExcelDateTime, rust_xlsxwriter::XlsxError> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// The workbook of `sheet` as bytes.
pub fn workbook(sheet: &Sheet) -> Result<Vec<u8>> {
    use chrono::Timelike;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    // Excel refuses some characters and more than 31 in a sheet name.
    let name: String = sheet
        .name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    ws.set_name(name).map_err(xlsx_err)?;
    let head = Format::new()
        .set_bold()
        .set_background_color("DCE6F2")
        .set_border_bottom(FormatBorder::Thin);
    let wrap = Format::new().set_text_wrap();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let minute = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let percent = Format::new().set_num_format("0%");
    let mut widths: Vec<usize> = sheet.headers.iter().map(|h| display_width(h)).collect();
    for (c, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &head)
            .map_err(xlsx_err)?;
    }
    let percent_col = sheet.headers.iter().position(|h| {
        h == &i18n::text(Lang::Zh, "field.task.percent")
            || h == &i18n::text(Lang::En, "field.task.percent")
    });
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            let w = match cell {
                Cell::Text(s) => {
                    if s.contains('\n') {
                        ws.write_string_with_format(r, col, s, &wrap)
                    } else {
                        ws.write_string(r, col, s)
                    }
                    .map_err(xlsx_err)?;
                    display_width(s)
                }
                Cell::Number(n) => {
                    if Some(c) == percent_col {
                        ws.write_number_with_format(r, col, *n, &percent)
                    } else {
                        ws.write_number(r, col, *n)
                    }
                    .map_err(xlsx_err)?;
                    6
                }
                Cell::Date(d) => {
                    ws.write_date_with_format(r, col, &excel_date(*d).map_err(xlsx_err)?, &day)
                        .map_err(xlsx_err)?;
                    10
                }
                Cell::Time(t) => {
                    let dt = excel_date(t.date())
                        .and_then(|d| {
                            d.and_hms(t.hour() as u16, t.minute() as u8, t.second() as f64)
                        })
                        .map_err(xlsx_err)?;
                    ws.write_datetime_with_format(r, col, &dt, &minute)
                        .map_err(xlsx_err)?;
                    16
                }
                Cell::Empty => 0,
            };
            if let Some(x) = widths.get_mut(c) {
                *x = (*x).max(w);
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).clamp(6, 60) as f64 + 2.0)
            .map_err(xlsx_err)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    let last_col = sheet.headers.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, sheet.rows.len() as u32, last_col)
        .map_err(xlsx_err)?;
    wb.save_to_buffer().map_err(xlsx_err)
}

/// Writes the sheet of `kind` to `out` through `output::write_file` (a failure leaves what was
/// there; an existing file is replaced only when `force` is set, a project file never).
pub fn export(
    conn: &rusqlite::Connection,
    kind: &str,
    lang: Lang,
    out: &Path,
    force: bool,
) -> Result<usize> {
    use crate::output::{self, Output};
    output::check(out, Output::Document, force)?;
    let sheet = sheet(conn, kind, lang)?;
    let bytes = workbook(&sheet)?;
    output::write_file(out, &bytes, Output::Document, force)?;
    Ok(sheet.rows.len())
}
