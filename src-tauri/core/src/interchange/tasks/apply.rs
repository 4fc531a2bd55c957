//! The all-or-nothing import of a previewed table into the plan.

use super::*;

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
