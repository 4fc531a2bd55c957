//! Importing a task allocation table (任务分配表) from .xlsx or .csv. Columns are matched by their
//! header in Chinese or English (任务名称 / Task, 主导部门 / Lead department, …, the headers Liaison's
//! own export writes included). `preview` shows each row as it would be imported and every problem
//! row with its reason; `import` writes all rows in one transaction, or none.

use crate::error::{Error, Result};
use crate::i18n::{self, Lang};
use crate::plan::calendar::Calendar;
use calamine::{Data, Reader};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The fields a column can hold, with the headers that name them (besides the catalog's labels).
const FIELDS: &[(&str, &[&str], &str)] = &[
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
fn normalize(header: &str) -> String {
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
fn field_of(header: &str) -> Option<&'static str> {
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

/// One problem of a row: the column it is in (its header) and the reason, in the user's language.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// The catalog key of the reason (stable, for scripts and tests).
    pub code: String,
    pub column: String,
    pub message: String,
}

/// A row as it will be imported.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    /// The row's number in the sheet (the header is row 1).
    pub line: usize,
    pub outline: String,
    pub name: String,
    pub lead: String,
    pub collaborating: Vec<String>,
    pub owner: String,
    pub collaborators: Vec<String>,
    pub start: Option<String>,
    pub finish: Option<String>,
    /// Working days of work.
    pub duration: i64,
    pub buffer: i64,
    pub milestone: bool,
    pub standard: String,
    pub resources: String,
    pub risk_plan: String,
    pub predecessors: Vec<String>,
    pub status: String,
    pub percent: i64,
    pub problems: Vec<Problem>,
    /// The parent row's line (from the outline numbers), if any.
    #[serde(skip)]
    parent: Option<usize>,
    #[serde(skip)]
    links: Vec<(usize, &'static str, i64)>,
}

/// What the import would do.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub sheet: String,
    /// Each header with the field it was matched to (None: ignored).
    pub columns: Vec<(String, Option<String>)>,
    pub rows: Vec<Row>,
    /// Departments and people the rows name that the project does not have yet (created on import
    /// when asked).
    pub new_departments: Vec<String>,
    pub new_people: Vec<String>,
    /// Rows with at least one problem.
    pub refused: usize,
    /// Links between the imported tasks.
    pub links: usize,
}

/// The largest spreadsheet file an import reads (a 10,000-task table is about 1 MB as .xlsx).
pub const MAX_SHEET_BYTES: u64 = 20 << 20;
/// The most a workbook may unpack to, in all and per part (its declared sizes, which the zip
/// reader enforces while it unpacks).
const MAX_UNPACKED: u64 = 200 << 20;
const MAX_PART: u64 = 100 << 20;
/// The most parts a workbook may have.
const MAX_PARTS: usize = 10_000;
/// The rows and columns a task table may use, and the cells it may hold: enough for any plan,
/// and few enough that the table in memory stays small.
pub const MAX_ROWS: u32 = 20_000;
pub const MAX_COLUMNS: u32 = 100;
const MAX_CELLS: usize = 500_000;
/// How long reading a sheet may take.
const MAX_READ_TIME: std::time::Duration = std::time::Duration::from_secs(20);

/// Reads the first sheet of an .xlsx/.xlsm file, or a .csv (UTF-8 with or without BOM, UTF-16
/// with or without BOM, or GB18030 as Chinese Excel writes it), as rows of cell texts; dates come
/// as `YYYY-MM-DD`. Everything is bounded: a regular file of at most `MAX_SHEET_BYTES`, a workbook
/// that unpacks to at most `MAX_UNPACKED`, cells within `MAX_ROWS` × `MAX_COLUMNS`, and
/// `MAX_READ_TIME`; the sheet is read cell by cell, so no range is ever allocated from what the
/// file declares.
pub fn read_table(path: &Path) -> Result<(String, Vec<Vec<String>>)> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    if ext == "csv" {
        let bytes = super::read_bounded(path, MAX_SHEET_BYTES)?;
        let text = decode_csv(&bytes)?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        return Ok((name, parse_csv(&text)));
    }
    if matches!(ext.as_str(), "xls" | "ods") {
        return Err(Error::refused(
            "import.old_format",
            &[("path", path.display().to_string())],
        ));
    }
    if !matches!(ext.as_str(), "xlsx" | "xlsm") {
        return Err(Error::refused(
            "import.bad_extension",
            &[("path", path.display().to_string())],
        ));
    }
    super::check_regular(path, MAX_SHEET_BYTES)?;
    read_xlsx(path)
}

/// A refusal of `path` with the catalog message `key`.
fn sheet_refusal(path: &Path, key: &str, params: &[(&str, String)]) -> Error {
    let mut all = vec![("path", path.display().to_string())];
    all.extend(params.iter().map(|(k, v)| (*k, v.clone())));
    Error::refused(key, &all)
}

/// Refuses a workbook whose parts would unpack to more than the limits allow, before anything is
/// unpacked.
fn check_workbook_size(path: &Path) -> Result<()> {
    let not_workbook = || sheet_refusal(path, "import.not_workbook", &[]);
    let file = std::fs::File::open(path).map_err(|_| not_workbook())?;
    let mut zip =
        zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|_| not_workbook())?;
    if zip.len() > MAX_PARTS {
        return Err(sheet_refusal(
            path,
            "import.too_big_unpacked",
            &[("mb", (MAX_UNPACKED >> 20).to_string())],
        ));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|_| not_workbook())?;
        total = total.saturating_add(part.size());
        if part.size() > MAX_PART || total > MAX_UNPACKED {
            return Err(sheet_refusal(
                path,
                "import.too_big_unpacked",
                &[("mb", (MAX_UNPACKED >> 20).to_string())],
            ));
        }
    }
    Ok(())
}

fn read_xlsx(path: &Path) -> Result<(String, Vec<Vec<String>>)> {
    let started = std::time::Instant::now();
    check_workbook_size(path)?;
    let not_workbook = || sheet_refusal(path, "import.not_workbook", &[]);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(|_| not_workbook())?;
    let name = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| sheet_refusal(path, "import.no_sheet", &[]))?;
    let mut cells = wb
        .worksheet_cells_reader(&name)
        .map_err(|_| not_workbook())?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut count = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|_| not_workbook())? {
        if started.elapsed() > MAX_READ_TIME {
            return Err(sheet_refusal(
                path,
                "import.too_slow",
                &[("seconds", MAX_READ_TIME.as_secs().to_string())],
            ));
        }
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        let (row, col) = cell.get_position();
        count += 1;
        if row >= MAX_ROWS || col >= MAX_COLUMNS || count > MAX_CELLS {
            return Err(sheet_refusal(
                path,
                "import.too_many_cells",
                &[
                    ("rows", MAX_ROWS.to_string()),
                    ("columns", MAX_COLUMNS.to_string()),
                ],
            ));
        }
        let (row, col) = (row as usize, col as usize);
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let line = &mut rows[row];
        if line.len() <= col {
            line.resize(col + 1, String::new());
        }
        line[col] = text;
    }
    Ok((name, rows))
}

/// The text of a .csv file: UTF-8 (a BOM is dropped), UTF-16 (little or big endian, told by its
/// BOM or, without one, by where its zero bytes are), else GB18030. A file with NUL characters
/// in its text is not a table.
fn decode_csv(bytes: &[u8]) -> Result<String> {
    let utf16 = if bytes.starts_with(b"\xFF\xFE") {
        Some((encoding_rs::UTF_16LE, &bytes[2..]))
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some((encoding_rs::UTF_16BE, &bytes[2..]))
    } else {
        // UTF-8 and GB18030 text has no zero bytes; UTF-16 has one in every ASCII character
        // (commas, line breaks), on the odd places (little endian) or the even ones (big).
        let sample = &bytes[..bytes.len().min(1 << 16)];
        let zeros = |parity: usize| {
            sample
                .iter()
                .enumerate()
                .filter(|(i, b)| i % 2 == parity && **b == 0)
                .count()
        };
        let (even, odd) = (zeros(0), zeros(1));
        if odd > 0 && even * 10 <= odd {
            Some((encoding_rs::UTF_16LE, bytes))
        } else if even > 0 && odd * 10 <= even {
            Some((encoding_rs::UTF_16BE, bytes))
        } else {
            None
        }
    };
    let text = match utf16 {
        Some((encoding, body)) => encoding.decode_without_bom_handling(body).0.into_owned(),
        None => match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
            Ok(t) => t.to_string(),
            Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
        },
    };
    if text.contains('\0') {
        return Err(Error::refused("import.not_text", &[]));
    }
    Ok(text)
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
    }
}

/// RFC 4180 fields: quotes, doubled quotes, commas and line breaks inside quotes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field).trim().to_string()),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field).trim().to_string());
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field.trim().to_string());
        rows.push(row);
    }
    rows
}

/// A date as people write it: 2023-10-09, 2023/10/9, 2023.10.09, 2023年10月9日.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let cleaned: String = s
        .replace(['年', '月', '/', '.'], "-")
        .trim_end_matches('日')
        .to_string();
    let cleaned = cleaned
        .get(..10.min(cleaned.len()))
        .unwrap_or(&cleaned)
        .trim_end_matches('-')
        .to_string();
    let parts: Vec<&str> = cleaned.split('-').collect();
    let [y, m, d] = parts[..] else {
        return None;
    };
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        .filter(|d| y.len() == 4 && crate::validate::plausible(*d))
}

fn split_list(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ';', '；', '/', '\n'])
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

fn yes(s: &str) -> Option<bool> {
    match normalize(s).as_str() {
        "" | "否" | "no" | "false" | "0" | "n" => Some(false),
        "是" | "yes" | "true" | "1" | "y" | "◆" | "√" | "✓" => Some(true),
        _ => None,
    }
}

/// The status code a cell names (是 the catalog's words in either language, or the code).
fn status_of(s: &str) -> Option<String> {
    let n = normalize(s);
    if n.is_empty() {
        return Some("not_started".into());
    }
    [
        "not_started",
        "in_progress",
        "done",
        "blocked",
        "needs_support",
    ]
    .into_iter()
    .find(|code| {
        n == normalize(code)
            || n == normalize(&i18n::text(Lang::Zh, &format!("status.{code}")))
            || n == normalize(&i18n::text(Lang::En, &format!("status.{code}")))
    })
    .map(str::to_string)
}

/// Percent done: 40, 40%, or a fraction 0.4 (as Excel stores a percentage).
fn percent_of(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() {
        return Some(0);
    }
    let (num, pct) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let v: f64 = num.parse().ok()?;
    let v = if !pct && v > 0.0 && v <= 1.0 && num.contains('.') {
        v * 100.0
    } else {
        v
    };
    let v = if !pct && v == 1.0 && num == "1" {
        100.0
    } else {
        v
    };
    (0.0..=100.0).contains(&v).then(|| v.round() as i64)
}

/// A predecessor reference: `1.2`, `1.2FS+2`, `销售培训材料制作SS`, with its kind and lag.
fn parse_ref(token: &str) -> (String, &'static str, i64) {
    let mut s = token.trim().to_string();
    let mut lag = 0;
    if let Some(i) = s.rfind(['+', '-']) {
        if i > 0 {
            if let Ok(n) = s[i..].parse::<i64>() {
                lag = n;
                s.truncate(i);
            }
        }
    }
    let upper = s.to_uppercase();
    let kind = ["FS", "SS", "FF"]
        .into_iter()
        .find(|k| upper.ends_with(k) && s.len() > 2)
        .unwrap_or("");
    if !kind.is_empty() {
        s.truncate(s.len() - 2);
    }
    let kind = match kind {
        "SS" => "ss",
        "FF" => "ff",
        _ => "fs",
    };
    (s.trim().to_string(), kind, lag)
}

/// Reads `path` and checks every row against the project: what would be imported, and why a row
/// would not. `create` says whether departments and people the project lacks would be created.
pub fn preview(conn: &Connection, path: &Path, create: bool, lang: Lang) -> Result<Preview> {
    let (sheet, table) = read_table(path)?;
    preview_table(conn, sheet, table, create, lang)
}

/// `preview` on rows already read (the first row holds the headers).
pub fn preview_table(
    conn: &Connection,
    sheet: String,
    table: Vec<Vec<String>>,
    create: bool,
    lang: Lang,
) -> Result<Preview> {
    let Some(header_at) = table
        .iter()
        .position(|r| r.iter().any(|c| field_of(c).is_some()))
    else {
        return Err(Error::refused("import.no_header", &[]));
    };
    let headers = table[header_at].clone();
    let mapped: Vec<Option<&'static str>> = headers.iter().map(|h| field_of(h)).collect();
    let column_of = |field: &str| mapped.iter().position(|m| *m == Some(field));
    if column_of("name").is_none() {
        return Err(Error::refused(
            "import.no_name_column",
            &[("expected", i18n::text(lang, "field.task.name"))],
        ));
    }
    let label = |field: &str| {
        column_of(field)
            .map(|c| headers[c].clone())
            .unwrap_or_else(|| field.to_string())
    };
    let problem = |field: &str, code: &str, args: &[(&str, &str)]| Problem {
        code: code.to_string(),
        column: label(field),
        message: i18n::format(lang, code, args),
    };
    let departments: HashSet<String> = crate::org::list(conn)?
        .into_iter()
        .map(|d| d.name)
        .collect();
    let people: HashSet<String> = crate::people::list(conn)?
        .into_iter()
        .map(|p| p.name)
        .collect();
    let existing_names: HashSet<String> = crate::plan::load_tasks(conn)?
        .into_iter()
        .map(|t| t.name)
        .collect();
    let calendar: Calendar = crate::plan::load_calendar(conn)?;
    let mut rows: Vec<Row> = Vec::new();
    let mut new_departments: Vec<String> = Vec::new();
    let mut new_people: Vec<String> = Vec::new();
    for (i, cells) in table.iter().enumerate().skip(header_at + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |field: &str| {
            column_of(field)
                .and_then(|c| cells.get(c))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let mut row = Row {
            line: i + 1,
            outline: get("outline"),
            name: get("name"),
            lead: get("lead"),
            collaborating: split_list(&get("collab")),
            owner: get("owner"),
            collaborators: split_list(&get("collaborators")),
            standard: get("standard"),
            resources: get("resources"),
            risk_plan: get("risk"),
            predecessors: split_list(&get("predecessors")),
            ..Default::default()
        };
        if row.name.is_empty() {
            row.problems.push(problem("name", "import.no_name", &[]));
        } else if row.name.chars().count() > 200 || row.name.chars().any(char::is_control) {
            row.problems.push(problem("name", "import.bad_name", &[]));
        }
        for (field, list) in [
            ("lead", vec![row.lead.clone()]),
            ("collab", row.collaborating.clone()),
        ] {
            for d in list
                .into_iter()
                .filter(|d| !d.is_empty() && !departments.contains(d))
            {
                if create {
                    if !new_departments.contains(&d) {
                        new_departments.push(d);
                    }
                } else {
                    row.problems
                        .push(problem(field, "import.unknown_department", &[("name", &d)]));
                }
            }
        }
        for (field, list) in [
            ("owner", vec![row.owner.clone()]),
            ("collaborators", row.collaborators.clone()),
        ] {
            for p in list
                .into_iter()
                .filter(|p| !p.is_empty() && !people.contains(p))
            {
                if create {
                    if !new_people.contains(&p) {
                        new_people.push(p);
                    }
                } else {
                    row.problems
                        .push(problem(field, "import.unknown_person", &[("name", &p)]));
                }
            }
        }
        row.milestone = match yes(&get("milestone")) {
            Some(b) => b,
            None => {
                row.problems.push(problem(
                    "milestone",
                    "import.bad_yes_no",
                    &[("value", &get("milestone"))],
                ));
                false
            }
        };
        let (start_text, finish_text) = (get("start"), get("finish"));
        let start = (!start_text.is_empty()).then(|| parse_date(&start_text));
        let finish = (!finish_text.is_empty()).then(|| parse_date(&finish_text));
        if let Some(None) = start {
            row.problems.push(problem(
                "start",
                "import.bad_date",
                &[("value", &start_text)],
            ));
        }
        if let Some(None) = finish {
            row.problems.push(problem(
                "finish",
                "import.bad_date",
                &[("value", &finish_text)],
            ));
        }
        let (start, finish) = (start.flatten(), finish.flatten());
        let duration_text = get("duration");
        let duration: Option<i64> = if duration_text.is_empty() {
            None
        } else {
            match duration_text.parse::<f64>() {
                Ok(d) if d >= 0.0 && d.fract() == 0.0 && d <= crate::plan::MAX_DAYS as f64 => {
                    Some(d as i64)
                }
                _ => {
                    row.problems.push(problem(
                        "duration",
                        "import.bad_number",
                        &[("value", &duration_text)],
                    ));
                    None
                }
            }
        };
        row.buffer = get("buffer").parse::<i64>().unwrap_or(0).max(0);
        if row.buffer > crate::plan::MAX_DAYS {
            row.problems.push(problem(
                "buffer",
                "import.bad_number",
                &[("value", &get("buffer"))],
            ));
            row.buffer = 0;
        }
        // The texts meet the same limits as typed ones.
        for (field, value) in [
            ("standard", &row.standard),
            ("resources", &row.resources),
            ("risk", &row.risk_plan),
        ] {
            if crate::validate::check_text(field, value, 4000).is_err() {
                row.problems.push(problem(field, "import.bad_text", &[]));
            }
        }
        for (field, value) in [("lead", &row.lead), ("owner", &row.owner)]
            .into_iter()
            .chain(row.collaborating.iter().map(|v| ("collab", v)))
            .chain(row.collaborators.iter().map(|v| ("collaborators", v)))
        {
            if crate::validate::check_text(field, value, 100).is_err() {
                row.problems.push(problem(field, "import.bad_text", &[]));
            }
        }
        if row.outline.split('.').count() > crate::plan::MAX_DEPTH {
            row.problems.push(problem(
                "outline",
                "import.too_deep",
                &[("max", &crate::plan::MAX_DEPTH.to_string())],
            ));
        }
        match (start, finish) {
            (Some(s), Some(f)) if f < s => {
                row.problems.push(problem(
                    "finish",
                    "import.finish_before_start",
                    &[("start", &s.to_string()), ("finish", &f.to_string())],
                ));
            }
            // The finish is the deadline (work and buffer): a duration given wins, else it is
            // the working days up to the finish less the buffer.
            (Some(s), Some(f)) => {
                row.duration = if row.milestone {
                    0
                } else {
                    duration.unwrap_or_else(|| {
                        (calendar.working_days(s, f) - row.buffer).clamp(1, crate::plan::MAX_DAYS)
                    })
                };
            }
            (None, Some(_)) if start_text.is_empty() => {
                row.problems
                    .push(problem("start", "import.finish_without_start", &[]));
            }
            _ => {
                row.duration = if row.milestone {
                    0
                } else {
                    duration.unwrap_or(1)
                }
            }
        }
        row.start = start.map(|d| d.to_string());
        row.finish = match (start, finish) {
            (Some(s), None) => Some(calendar.finish(s, row.duration).to_string()),
            (_, f) => f.map(|d| d.to_string()),
        };
        match status_of(&get("status")) {
            Some(s) => row.status = s,
            None => {
                row.status = "not_started".into();
                row.problems.push(problem(
                    "status",
                    "import.bad_status",
                    &[("value", &get("status"))],
                ));
            }
        }
        match percent_of(&get("percent")) {
            Some(p) => row.percent = p,
            None => row.problems.push(problem(
                "percent",
                "import.bad_percent",
                &[("value", &get("percent"))],
            )),
        }
        rows.push(row);
    }
    // Duplicate names: within the sheet and against the plan.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in rows.iter_mut() {
        if row.name.is_empty() {
            continue;
        }
        if let Some(first) = seen.get(&row.name) {
            let first = first.to_string();
            row.problems.push(problem(
                "name",
                "import.duplicate_name",
                &[("line", &first)],
            ));
        } else if existing_names.contains(&row.name) {
            row.problems
                .push(problem("name", "import.name_in_plan", &[]));
        }
        seen.entry(row.name.clone()).or_insert(row.line);
    }
    // Parents from the outline numbers (1.2 is a child of 1).
    let by_outline: HashMap<String, usize> = rows
        .iter()
        .filter(|r| !r.outline.is_empty())
        .map(|r| (r.outline.clone(), r.line))
        .collect();
    for row in rows.iter_mut() {
        if let Some((parent, _)) = row.outline.rsplit_once('.') {
            match by_outline.get(parent) {
                Some(line) => row.parent = Some(*line),
                None => row.problems.push(problem(
                    "outline",
                    "import.no_parent",
                    &[("outline", parent)],
                )),
            }
        }
    }
    // Predecessors, by outline number or name, with their kind and lag.
    let by_name: HashMap<String, usize> = rows.iter().map(|r| (r.name.clone(), r.line)).collect();
    for row in rows.iter_mut() {
        let refs = row.predecessors.clone();
        for token in refs {
            let (target, kind, lag) = parse_ref(&token);
            let found = by_outline
                .get(&target)
                .or_else(|| by_name.get(&target))
                .copied();
            match found {
                Some(line) if line == row.line => {
                    let p = problem("predecessors", "import.self_dependency", &[]);
                    row.problems.push(p);
                }
                Some(_) if !(-crate::plan::MAX_DAYS..=crate::plan::MAX_DAYS).contains(&lag) => {
                    let p = problem("predecessors", "import.bad_number", &[("value", &token)]);
                    row.problems.push(p);
                }
                Some(line) => row.links.push((line, kind, lag)),
                None => {
                    let p = problem(
                        "predecessors",
                        "import.unknown_predecessor",
                        &[("name", &token)],
                    );
                    row.problems.push(p);
                }
            }
        }
    }
    // Cycles among the links: every row on one is named.
    let index: HashMap<usize, usize> = rows.iter().enumerate().map(|(i, r)| (r.line, i)).collect();
    let succ: Vec<Vec<usize>> = {
        let mut s = vec![Vec::new(); rows.len()];
        for (i, r) in rows.iter().enumerate() {
            for (p, _, _) in &r.links {
                s[index[p]].push(i);
            }
        }
        s
    };
    for start in 0..rows.len() {
        // Is `start` reachable from itself?
        let mut stack = succ[start].clone();
        let mut seen = vec![false; rows.len()];
        let mut cyclic = false;
        while let Some(n) = stack.pop() {
            if n == start {
                cyclic = true;
                break;
            }
            if !std::mem::replace(&mut seen[n], true) {
                stack.extend(succ[n].iter().copied());
            }
        }
        if cyclic {
            let p = problem("predecessors", "import.cycle", &[]);
            rows[start].problems.push(p);
        }
    }
    let refused = rows.iter().filter(|r| !r.problems.is_empty()).count();
    let links = rows.iter().map(|r| r.links.len()).sum();
    Ok(Preview {
        sheet,
        columns: headers
            .iter()
            .zip(&mapped)
            .map(|(h, m)| (h.clone(), m.map(str::to_string)))
            .collect(),
        rows,
        new_departments,
        new_people,
        refused,
        links,
    })
}

/// What an import wrote.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Imported {
    pub tasks: usize,
    pub links: usize,
    pub departments: usize,
    pub people: usize,
}

/// Imports every row of `preview` into the plan in one transaction, or refuses (writing nothing)
/// when any row has a problem or the plan is published (its changes go through change requests).
pub fn import(conn: &mut Connection, actor: &str, preview: &Preview) -> Result<Imported> {
    if preview.refused > 0 {
        return Err(Error::refused(
            "import.has_problems",
            &[("n", preview.refused.to_string())],
        ));
    }
    if preview.rows.is_empty() {
        return Err(Error::refused("import.empty", &[]));
    }
    if crate::plan::baseline(conn)?.is_some() {
        return Err(Error::refused("import.plan_published", &[]));
    }
    crate::plan::ensure_schedulable(conn)?;
    let tx = conn.transaction()?;
    let mut depts: HashMap<String, i64> = HashMap::new();
    for d in crate::org::list(&tx)? {
        depts.insert(d.name, d.id);
    }
    let mut created_depts = 0;
    for name in &preview.new_departments {
        tx.execute(
            "INSERT INTO department (name, position) VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM department))",
            [name],
        )?;
        depts.insert(name.clone(), tx.last_insert_rowid());
        crate::audit::append(
            &tx,
            actor,
            &[crate::audit::Change {
                record: &format!("department:{}", tx.last_insert_rowid()),
                field: "name",
                before: None,
                after: Some(name),
            }],
        )?;
        created_depts += 1;
    }
    let mut people: HashMap<String, i64> = HashMap::new();
    for p in crate::people::list(&tx)? {
        people.entry(p.name).or_insert(p.id);
    }
    let mut created_people = 0;
    for name in &preview.new_people {
        // A new person joins the department leading the first task that names them.
        let dept = preview
            .rows
            .iter()
            .find(|r| &r.owner == name || r.collaborators.contains(name))
            .map(|r| r.lead.clone())
            .unwrap_or_default();
        tx.execute(
            "INSERT INTO person (name, department, role) VALUES (?1, ?2, 'member')",
            params![name, dept],
        )?;
        let id = tx.last_insert_rowid();
        people.insert(name.clone(), id);
        crate::audit::append(
            &tx,
            actor,
            &[crate::audit::Change {
                record: &format!("person:{id}"),
                field: "name",
                before: None,
                after: Some(name),
            }],
        )?;
        created_people += 1;
    }
    let ids_of = |names: &[String], of: &HashMap<String, i64>| -> String {
        serde_json::to_string(
            &names
                .iter()
                .filter_map(|n| of.get(n).copied())
                .collect::<Vec<_>>(),
        )
        .expect("ids serialize")
    };
    let mut task_of: HashMap<usize, i64> = HashMap::new();
    let mut next_position: HashMap<Option<i64>, i64> = HashMap::new();
    for row in &preview.rows {
        let parent = row.parent.and_then(|l| task_of.get(&l).copied());
        let position = match next_position.get(&parent) {
            Some(p) => *p,
            None => tx.query_row(
                "SELECT coalesce(max(position), -1) + 1 FROM task WHERE parent_id IS ?1",
                [parent],
                |r| r.get(0),
            )?,
        };
        next_position.insert(parent, position + 1);
        tx.execute(
            "INSERT INTO task (parent_id, position, name, lead_department, collab_departments, owner_id,
                               collaborators, start_date, duration, buffer, milestone, delivery_standard,
                               resource_needs, risk_plan, status, percent_done)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![
                parent,
                position,
                row.name,
                depts.get(&row.lead),
                ids_of(&row.collaborating, &depts),
                people.get(&row.owner),
                ids_of(&row.collaborators, &people),
                row.start,
                row.duration,
                row.buffer,
                row.milestone as i64,
                row.standard,
                row.resources,
                row.risk_plan,
                row.status,
                if row.status == "done" { 100 } else { row.percent },
            ],
        )?;
        let id = tx.last_insert_rowid();
        task_of.insert(row.line, id);
        let what = format!(
            "{} · {}",
            row.name,
            i18n::format(
                Lang::Zh,
                "import.audit_line",
                &[("line", &row.line.to_string())]
            )
        );
        crate::audit::append(
            &tx,
            actor,
            &[crate::audit::Change {
                record: &format!("task:{id}"),
                field: "imported",
                before: None,
                after: Some(&what),
            }],
        )?;
    }
    let mut links = 0;
    for row in &preview.rows {
        for (pred, kind, lag) in &row.links {
            tx.execute(
                "INSERT OR IGNORE INTO dependency (predecessor_id, successor_id, kind, lag) VALUES (?1, ?2, ?3, ?4)",
                params![task_of[pred], task_of[&row.line], kind, lag],
            )?;
            links += 1;
        }
    }
    tx.commit()?;
    Ok(Imported {
        tasks: preview.rows.len(),
        links,
        departments: created_depts,
        people: created_people,
    })
}
