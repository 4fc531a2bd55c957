//! The field rules an imported project must meet before it becomes a file: the same limits and
//! checks the app applies to typed content (`validate.rs` and each module's own checks), plus what
//! no form can produce but a hand-made file can: loops and excess depth in the task tree, loops of
//! dependencies, broken JSON inside text columns, dates in absurd years. Each refusal names the
//! JSON path of the bad value (`$.tables.task[3].name`) and says why in the user's language.

use crate::clock::parse_date;
use crate::error::{Error, Result};
use crate::plan::{self, schedule, MAX_DAYS, MAX_DEPTH};
use crate::registration::MAX_TEXT;
use rusqlite::types::Value as Sql;
use rusqlite::Connection;
use serde_json::Value;
use std::collections::{HashMap, HashSet, VecDeque};

/// What a JSON text column must hold.
#[derive(Clone, Copy)]
enum Shape {
    /// An array of record ids.
    Ids,
    /// An array of texts, each at most this many characters.
    Texts(usize),
    /// An object.
    Object,
    /// An array of objects.
    Objects,
    /// An array of objects, or the empty text (not frozen yet).
    ObjectsOrEmpty,
    /// Any JSON value (verified elsewhere, e.g. by its fingerprint).
    Any,
}

const JSON_COLUMNS: &[(&str, &str, Shape)] = &[
    (
        "registration",
        "collaborating_departments",
        Shape::Texts(100),
    ),
    ("registration", "suggested_departments", Shape::Texts(100)),
    ("comm_plan", "participants", Shape::Ids),
    ("comm_plan", "recurrence", Shape::Object),
    ("task", "collab_departments", Shape::Ids),
    ("task", "collaborators", Shape::Ids),
    ("change_request", "aspects", Shape::Texts(100)),
    ("change_request", "edits", Shape::Objects),
    ("change_request", "frozen", Shape::ObjectsOrEmpty),
    ("meeting", "agenda", Shape::Texts(500)),
    ("comm_log", "participants", Shape::Ids),
    ("signoff_round", "content", Shape::Any),
];

/// Id lists and the table their ids refer to.
const ID_LISTS: &[(&str, &str, &str)] = &[
    ("task", "collab_departments", "department"),
    ("task", "collaborators", "person"),
    ("comm_plan", "participants", "person"),
    ("comm_log", "participants", "person"),
];

/// Text columns longer than typed text may be: frozen content and the audit log's values.
const LONG_COLUMNS: &[(&str, &str)] = &[
    ("signoff_round", "content"),
    ("change_request", "edits"),
    ("change_request", "frozen"),
    ("audit_log", "before"),
    ("audit_log", "after"),
    ("document_export", "sections"),
    ("person_key", "card"),
    ("signature_method", "response"),
];

/// The limits the forms apply to the columns no module check below covers (characters).
const LIMITS: &[(&str, &str, usize)] = &[
    ("calendar_day", "note", 200),
    ("meeting", "title", 200),
    ("meeting", "place", 500),
    ("meeting", "resources", 4000),
    ("topic", "title", 8000),
    ("topic", "discussion", 8000),
    ("topic", "result", 8000),
    ("topic", "disputes", 8000),
    ("topic", "settlement", 8000),
    ("action_item", "description", 2000),
    ("action_item", "standard", 2000),
    ("comm_log", "topic", 200),
    ("comm_log", "summary", 8000),
    ("weekly_report", "problems", 4000),
    ("weekly_report", "resources", 4000),
    ("retro_entry", "text", 4000),
    ("retro_entry", "cause", 4000),
    ("acceptance", "conclusion", 4000),
    ("acceptance_item", "result", 4000),
    ("evaluation", "comment", 2000),
    ("evidence", "name", 255),
    ("attachment", "name", 255),
    ("risk", "description", 4000),
    ("risk", "measures", 4000),
    ("risk", "contingency", 4000),
    ("issue", "description", 4000),
    ("issue", "impact", 4000),
    ("issue", "expected_solution", 4000),
    ("issue", "solution", 4000),
    ("issue", "decision", 4000),
];

/// Columns holding a plain date (`YYYY-MM-DD`), besides those a module check reads.
const DATE_COLUMNS: &[(&str, &str)] = &[
    ("registration", "start_date"),
    ("registration", "end_date"),
    ("milestone", "due_date"),
    ("calendar_day", "day"),
    ("action_item", "deadline"),
    ("action_item", "due"),
    ("comm_log", "day"),
    ("issue", "solution_deadline"),
    ("task", "start_date"),
    ("department", "delivery_date"),
];

/// Whether a column holds a time stamp (`YYYY-MM-DDTHH:MM…`) by its name.
fn is_stamp(column: &str) -> bool {
    column.ends_with("_at") || column == "at" || column == "ladder_since"
}

fn path(table: &str, index: usize, column: &str) -> String {
    format!("$.tables.{table}[{index}].{column}")
}

fn refused(table: &str, index: usize, column: &str, key: &str, params: &[(&str, String)]) -> Error {
    let mut all = vec![("path", path(table, index, column))];
    all.extend(params.iter().map(|(k, v)| (*k, v.clone())));
    Error::refused(key, &all)
}

/// The module's own refusal of a field, placed at the row's path.
fn at_row(table: &str, index: usize, e: Error, column_of: impl Fn(&str) -> String) -> Error {
    let column = match &e {
        Error::Invalid { field, .. } => column_of(field),
        _ => String::new(),
    };
    let place = if column.is_empty() {
        format!("$.tables.{table}[{index}]")
    } else {
        path(table, index, &column)
    };
    Error::At {
        path: place,
        source: Box::new(e),
    }
}

/// Checks every imported row (in `conn`, before it is committed); the first problem refuses.
pub fn check(conn: &Connection, tables: &[&str]) -> Result<()> {
    for table in tables {
        check_columns(conn, table)?;
    }
    check_id_lists(conn)?;
    check_tasks(conn)?;
    check_dependencies(conn)?;
    check_departments(conn)?;
    check_people(conn)?;
    Ok(())
}

/// Text of every column: no control characters, the form's length, dates and JSON shapes.
fn check_columns(conn: &Connection, table: &str) -> Result<()> {
    let cols = super::json::columns(conn, table)?;
    let text_cols: Vec<&str> = cols
        .iter()
        .filter(|c| c.kind == "TEXT")
        .map(|c| c.name.as_str())
        .collect();
    if text_cols.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = text_cols.iter().map(|c| format!("\"{c}\"")).collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM \"{table}\" ORDER BY rowid",
        list.join(", ")
    ))?;
    let mut rows = stmt.query([])?;
    let mut index = 0;
    while let Some(r) = rows.next()? {
        for (i, column) in text_cols.iter().enumerate() {
            let Sql::Text(value) = r.get::<_, Sql>(i)? else {
                continue;
            };
            check_value(table, index, column, &value)?;
        }
        index += 1;
    }
    Ok(())
}

fn check_value(table: &str, index: usize, column: &str, value: &str) -> Result<()> {
    if crate::validate::has_control(value, &['\n', '\t', '\r']) {
        return Err(refused(table, index, column, "json.control_chars", &[]));
    }
    let long = LONG_COLUMNS.contains(&(table, column));
    let max = LIMITS
        .iter()
        .find(|(t, c, _)| *t == table && *c == column)
        .map_or(MAX_TEXT, |(_, _, m)| *m);
    if !long && crate::validate::too_long(value, max) {
        return Err(refused(
            table,
            index,
            column,
            "json.too_long",
            &[("max", max.to_string())],
        ));
    }
    if !value.is_empty() {
        let date_ok = |s: &str| parse_date(s).is_some();
        if DATE_COLUMNS.contains(&(table, column)) && !date_ok(value) {
            return Err(refused(table, index, column, "json.bad_date", &[]));
        }
        if is_stamp(column) && !value.get(..10).is_some_and(date_ok) {
            return Err(refused(table, index, column, "json.bad_date", &[]));
        }
    }
    if let Some((_, _, shape)) = JSON_COLUMNS
        .iter()
        .find(|(t, c, _)| *t == table && *c == column)
    {
        if !shape_ok(*shape, value) {
            return Err(refused(table, index, column, "json.bad_inner_json", &[]));
        }
    }
    Ok(())
}

fn shape_ok(shape: Shape, text: &str) -> bool {
    if matches!(shape, Shape::ObjectsOrEmpty) && text.is_empty() {
        return true;
    }
    let Ok(v) = serde_json::from_str::<Value>(text) else {
        return false;
    };
    match shape {
        Shape::Ids => v
            .as_array()
            .is_some_and(|a| a.iter().all(|x| x.as_i64().is_some())),
        Shape::Texts(max) => v.as_array().is_some_and(|a| {
            a.iter().all(|x| {
                x.as_str()
                    .is_some_and(|s| s.chars().count() <= max && !s.chars().any(char::is_control))
            })
        }),
        Shape::Object => v.is_object(),
        Shape::Objects | Shape::ObjectsOrEmpty => {
            v.as_array().is_some_and(|a| a.iter().all(Value::is_object))
        }
        Shape::Any => true,
    }
}

/// Every id in an id list names an existing record (the forms offer only those).
fn check_id_lists(conn: &Connection) -> Result<()> {
    for (table, column, target) in ID_LISTS {
        let known: HashSet<i64> = indexes(conn, target, "id")?.into_keys().collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT \"{column}\" FROM \"{table}\" ORDER BY rowid"
        ))?;
        let lists = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (index, text) in lists.iter().enumerate() {
            let ids: Vec<i64> = serde_json::from_str(text).unwrap_or_default();
            if ids.iter().any(|id| !known.contains(id)) {
                return Err(refused(
                    table,
                    index,
                    column,
                    "json.broken_reference",
                    &[("table", target.to_string())],
                ));
            }
        }
    }
    Ok(())
}

/// The index of each record in its table's JSON array, by id (storage order is rowid order).
fn indexes(conn: &Connection, table: &str, id: &str) -> Result<HashMap<i64, usize>> {
    let mut stmt = conn.prepare(&format!("SELECT \"{id}\" FROM \"{table}\" ORDER BY rowid"))?;
    let ids = stmt
        .query_map([], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids.into_iter().enumerate().map(|(i, id)| (id, i)).collect())
}

/// Tasks: the tree (no loop of parents, no task deeper than `MAX_DEPTH`), then the plan's own
/// check of every task.
fn check_tasks(conn: &Connection) -> Result<()> {
    let tasks = plan::load_tasks(conn)?;
    let index = indexes(conn, "task", "id")?;
    let at = |id: i64| index.get(&id).copied().unwrap_or(0);
    // The tree first: it is cheap, and a hostile one is refused before any per-task work.
    let parent: HashMap<i64, Option<i64>> = tasks.iter().map(|t| (t.id, t.parent_id)).collect();
    // Depth by walking up, remembering what is known; a walk that meets itself is a loop.
    let mut depth: HashMap<i64, usize> = HashMap::new();
    for t in &tasks {
        let mut chain = Vec::new();
        let mut on_chain = HashSet::new();
        let mut cur = Some(t.id);
        let base = loop {
            match cur {
                None => break 0,
                Some(id) => {
                    if let Some(d) = depth.get(&id) {
                        break *d;
                    }
                    if !on_chain.insert(id) {
                        return Err(refused("task", at(id), "parent_id", "json.task_loop", &[]));
                    }
                    chain.push(id);
                    if chain.len() > MAX_DEPTH {
                        return Err(refused(
                            "task",
                            at(t.id),
                            "parent_id",
                            "json.too_deep",
                            &[("max", MAX_DEPTH.to_string())],
                        ));
                    }
                    cur = parent.get(&id).copied().flatten();
                }
            }
        };
        for (i, id) in chain.iter().rev().enumerate() {
            let d = base + i + 1;
            if d > MAX_DEPTH {
                return Err(refused(
                    "task",
                    at(t.id),
                    "parent_id",
                    "json.too_deep",
                    &[("max", MAX_DEPTH.to_string())],
                ));
            }
            depth.insert(*id, d);
        }
    }
    for t in &tasks {
        // A milestone's check sets its days to 0 rather than judge them; stored days are judged.
        for (column, days) in [("duration", t.duration), ("buffer", t.buffer)] {
            if !(0..=MAX_DAYS).contains(&days) {
                return Err(refused(
                    "task",
                    at(t.id),
                    column,
                    "json.out_of_range",
                    &[("min", "0".into()), ("max", MAX_DAYS.to_string())],
                ));
            }
        }
        plan::checked(conn, t).map_err(|e| {
            at_row("task", at(t.id), e, |field| {
                match field.trim_start_matches("field.task.") {
                    "start" => "start_date",
                    "percent" => "percent_done",
                    "lead" => "lead_department",
                    "owner" => "owner_id",
                    other => other,
                }
                .to_string()
            })
        })?;
    }
    Ok(())
}

/// Dependencies: the lag the form allows, a known kind, and no loop.
fn check_dependencies(conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare("SELECT id, kind FROM dependency ORDER BY rowid")?;
    let kinds = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let index = indexes(conn, "dependency", "id")?;
    let at = |id: i64| index.get(&id).copied().unwrap_or(0);
    if let Some((id, _)) = kinds
        .iter()
        .find(|(_, k)| schedule::LinkKind::parse(k).is_none())
    {
        return Err(refused(
            "dependency",
            at(*id),
            "kind",
            "json.bad_value",
            &[],
        ));
    }
    let links = plan::load_links(conn)?;
    if let Some(l) = links
        .iter()
        .find(|l| !(-MAX_DAYS..=MAX_DAYS).contains(&l.lag))
    {
        return Err(refused(
            "dependency",
            at(l.id),
            "lag",
            "json.out_of_range",
            &[
                ("min", (-MAX_DAYS).to_string()),
                ("max", MAX_DAYS.to_string()),
            ],
        ));
    }
    // Kahn's algorithm: what is left once every task without open predecessors is taken is a loop.
    let mut incoming: HashMap<i64, usize> = HashMap::new();
    let mut next: HashMap<i64, Vec<i64>> = HashMap::new();
    for l in &links {
        *incoming.entry(l.successor).or_default() += 1;
        incoming.entry(l.predecessor).or_default();
        next.entry(l.predecessor).or_default().push(l.successor);
    }
    let mut ready: VecDeque<i64> = incoming
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(id, _)| *id)
        .collect();
    while let Some(id) = ready.pop_front() {
        for s in next.get(&id).map(Vec::as_slice).unwrap_or_default() {
            let n = incoming.get_mut(s).expect("counted");
            *n -= 1;
            if *n == 0 {
                ready.push_back(*s);
            }
        }
    }
    if let Some(l) = links
        .iter()
        .find(|l| incoming[&l.predecessor] > 0 && incoming[&l.successor] > 0)
    {
        return Err(refused(
            "dependency",
            at(l.id),
            "predecessor_id",
            "json.dependency_loop",
            &[],
        ));
    }
    Ok(())
}

/// Departments: the organization stage's own check of each.
fn check_departments(conn: &Connection) -> Result<()> {
    let index = indexes(conn, "department", "id")?;
    for d in crate::org::list(conn)? {
        crate::org::checked(&d).map_err(|e| {
            at_row("department", index[&d.id], e, |f| {
                f.trim_start_matches("field.department.").to_string()
            })
        })?;
    }
    Ok(())
}

/// People: the people list's own check of each.
fn check_people(conn: &Connection) -> Result<()> {
    let index = indexes(conn, "person", "id")?;
    for p in crate::people::list(conn)? {
        crate::people::checked(&p).map_err(|e| {
            at_row("person", index[&p.id], e, |f| {
                f.trim_start_matches("field.person.").to_string()
            })
        })?;
    }
    Ok(())
}
