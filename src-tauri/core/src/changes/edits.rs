//! A request's edits: the task each leaves, the edits in words, and applying them to the plan.

use super::*;

/// The task as an edit leaves it (for `addTask`: the new task, id 0).
pub(super) fn edited(conn: &Connection, plan: &plan::Plan, e: &Edit) -> Result<Task> {
    let bad = || invalid(&format!("change.field.{}", e.field), "change.bad_value");
    if e.field == "addTask" {
        let parent = (e.task > 0).then_some(e.task);
        if parent.is_some_and(|p| plan.task(p).is_none()) {
            return Err(Error::refused("plan.no_task", &[]));
        }
        plan.check_child_depth(parent, 1)?;
        let v = &e.value;
        let text = |key: &str| v[key].as_str().unwrap_or_default().trim().to_string();
        let task = Task {
            parent_id: parent,
            name: text("name"),
            start_date: Some(text("start")).filter(|s| !s.is_empty()),
            duration: v["duration"].as_i64().unwrap_or(1),
            lead_department: v["lead"].as_i64(),
            owner_id: v["owner"].as_i64(),
            delivery_standard: text("deliveryStandard"),
            ..Default::default()
        };
        // A new task arrives complete: a second request must not be needed to finish it.
        for (missing, field) in [
            (task.name.is_empty(), "name"),
            (task.start_date.is_none(), "start"),
            (task.duration < 1, "duration"),
            (task.lead_department.is_none(), "lead"),
            (task.owner_id.is_none(), "owner"),
            (task.delivery_standard.is_empty(), "deliveryStandard"),
        ] {
            if missing {
                return Err(invalid(
                    &format!("change.field.{field}"),
                    "change.add_task_incomplete",
                ));
            }
        }
        if let Some(d) = task.lead_department {
            crate::org::get(conn, d)
                .map_err(|_| invalid("change.field.lead", "org.no_department"))?;
        }
        if let Some(o) = task.owner_id {
            if !crate::people::list(conn)?.iter().any(|p| p.id == o) {
                return Err(invalid("change.field.owner", "change.bad_value"));
            }
        }
        return plan::checked(conn, &task);
    }
    let mut t = plan
        .task(e.task)
        .cloned()
        .ok_or_else(|| Error::refused("plan.no_task", &[]))?;
    let row = plan.row(e.task).expect("row").clone();
    if row.summary && matches!(e.field.as_str(), "start" | "finish" | "duration" | "buffer") {
        return Err(invalid("change.field.start", "change.summary_dates"));
    }
    match e.field.as_str() {
        "start" => t.start_date = Some(e.value.as_str().ok_or_else(bad)?.to_string()),
        "finish" => {
            // A new deadline keeps the buffer and changes the working days of work.
            let finish = e
                .value
                .as_str()
                .and_then(crate::clock::parse_date)
                .ok_or_else(bad)?;
            let start = row.start.ok_or_else(bad)?;
            let days = plan
                .calendar
                .working_days(start, finish)
                .saturating_sub(t.buffer);
            if days < 1 {
                return Err(invalid("change.field.finish", "change.finish_before_start"));
            }
            t.duration = days;
        }
        "duration" => t.duration = e.value.as_i64().ok_or_else(bad)?,
        "buffer" => t.buffer = e.value.as_i64().ok_or_else(bad)?,
        "lead" => t.lead_department = Some(e.value.as_i64().ok_or_else(bad)?),
        "addDepartment" => {
            let d = e.value.as_i64().ok_or_else(bad)?;
            crate::org::get(conn, d)
                .map_err(|_| invalid("change.field.addDepartment", "org.no_department"))?;
            if !t.collab_departments.contains(&d) {
                t.collab_departments.push(d);
            }
        }
        "owner" => t.owner_id = Some(e.value.as_i64().ok_or_else(bad)?),
        "name" => t.name = e.value.as_str().ok_or_else(bad)?.to_string(),
        "deliveryStandard" => t.delivery_standard = e.value.as_str().ok_or_else(bad)?.to_string(),
        _ => return Err(bad()),
    }
    plan::checked(conn, &t)
}

/// The edits in words, checked against the plan as it is now.
pub fn describe(conn: &Connection, edits: &[Edit]) -> Result<Vec<Described>> {
    let plan = plan::load(conn)?;
    let depts: std::collections::HashMap<i64, String> = crate::org::list(conn)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let people: std::collections::HashMap<i64, String> = crate::people::list(conn)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut out = Vec::new();
    for e in edits {
        let after_task = edited(conn, &plan, e)?;
        let show_field = |field: &str, t: &Task| -> String {
            match field {
                "start" => t.start_date.clone().unwrap_or_default(),
                "duration" => t.duration.to_string(),
                "buffer" => t.buffer.to_string(),
                "lead" => t
                    .lead_department
                    .and_then(|d| depts.get(&d).cloned())
                    .unwrap_or_default(),
                "addDepartment" => t
                    .collab_departments
                    .iter()
                    .filter_map(|d| depts.get(d).cloned())
                    .collect::<Vec<_>>()
                    .join("、"),
                "owner" => t
                    .owner_id
                    .and_then(|p| people.get(&p).cloned())
                    .unwrap_or_default(),
                "name" => t.name.clone(),
                "deliveryStandard" => t.delivery_standard.clone(),
                _ => String::new(),
            }
        };
        let show = |t: &Task, finish: Option<String>| -> String {
            if e.field == "finish" {
                finish.unwrap_or_default()
            } else {
                show_field(&e.field, t)
            }
        };
        if e.field == "addTask" {
            out.push(Described {
                task: if e.task > 0 {
                    plan.label(e.task)
                } else {
                    String::new()
                },
                field: e.field.clone(),
                before: String::new(),
                after: format!(
                    "{} · {} · {}",
                    after_task.name,
                    after_task.start_date.clone().unwrap_or_default(),
                    after_task.duration
                ),
                details: [
                    "name",
                    "start",
                    "duration",
                    "lead",
                    "owner",
                    "deliveryStandard",
                ]
                .iter()
                .map(|f| (f.to_string(), show_field(f, &after_task)))
                .collect(),
            });
            continue;
        }
        let before_task = plan.task(e.task).expect("checked by edited").clone();
        let before_finish = plan
            .row(e.task)
            .and_then(|r| r.finish)
            .map(|d| d.to_string());
        let after_finish = e.value.as_str().map(String::from);
        out.push(Described {
            task: plan.label(e.task),
            field: e.field.clone(),
            before: show(&before_task, before_finish),
            after: show(&after_task, after_finish),
            details: Vec::new(),
        });
    }
    Ok(out)
}

/// Applies an approved request's edits to the plan, inside the caller's transaction (the one that
/// records the last approval). Any failure aborts that transaction: nothing of it stays.
pub(crate) fn apply(tx: &Connection, actor: &str, id: i64) -> Result<()> {
    let c = get(tx, id)?;
    let record = format!("change_request:{id}");
    for e in &c.edits {
        // Each edit sees the plan as the previous ones left it.
        let plan = plan::load(tx)?;
        let after = edited(tx, &plan, e)?;
        if e.field == "addTask" {
            let position = plan
                .tasks
                .iter()
                .filter(|t| t.parent_id == after.parent_id)
                .count() as i64;
            tx.execute(
                "INSERT INTO task (parent_id, position, name) VALUES (?1, ?2, ?3)",
                params![after.parent_id, position, after.name],
            )?;
            let new = Task {
                id: tx.last_insert_rowid(),
                position,
                ..after
            };
            plan::write_task(tx, &new)?;
            plan::audit_task(
                tx,
                actor,
                new.id,
                &[("created".into(), record.clone(), new.name.clone())],
            )?;
            continue;
        }
        let before = plan.task(e.task).expect("checked by edited").clone();
        let mut changes = plan::task_changes(&before, &after);
        plan::write_task(tx, &after)?;
        changes.push(("changeRequest".into(), String::new(), record.clone()));
        plan::audit_task(tx, actor, after.id, &changes)?;
    }
    tx.execute(
        "UPDATE change_request SET applied_at = ?1 WHERE id = ?2",
        params![crate::clock::stamp(crate::clock::now()), id],
    )?;
    audit::append(
        tx,
        actor,
        &[Change {
            record: &record,
            field: "applied",
            before: None,
            after: Some(&c.edits.len().to_string()),
        }],
    )?;
    Ok(())
}
