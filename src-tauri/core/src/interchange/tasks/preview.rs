//! The row-by-row preview: what each row would import, and every problem with its reason.

use super::*;

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
        } else if crate::validate::too_long(&row.name, 200)
            || crate::validate::has_control(&row.name, &[])
        {
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
        let start = (!start_text.is_empty()).then(|| parse_written_date(&start_text));
        let finish = (!finish_text.is_empty()).then(|| parse_written_date(&finish_text));
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
