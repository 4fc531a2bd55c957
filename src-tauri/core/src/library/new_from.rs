//! Starting a project from an archived one: its departments, people, communication plan, and its
//! improvements as a checklist.

use super::*;

/// What "new project from…" copied.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Carried {
    pub departments: usize,
    pub people: usize,
    pub comm_plan: usize,
    pub checklist: usize,
}

/// Creates a project at `target` named `name` from the project read through `source`: its
/// departments (duties, deliverables, standards, resources), its heads, interface persons and
/// decision makers, its communication plan, and its improvements marked "carry forward" as the
/// new project's checklist.
pub fn new_from(
    source: &Connection,
    target: &Path,
    name: &str,
    actor: &str,
) -> Result<(Project, Carried)> {
    let source_name = crate::registration::name(source)?;
    let mut project = Project::create(target, name)?;
    let mut carried = Carried::default();
    let conn = project.conn_mut();
    let tx = conn.transaction()?;
    let depts = collect(
        source,
        "department",
        "SELECT name, position, duties, deliverables, quality_standard, res_people, res_budget,
                res_material, res_gap FROM department ORDER BY position, id",
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
            ))
        },
    )?;
    for d in &depts {
        tx.execute(
            "INSERT INTO department (name, position, duties, deliverables, quality_standard,
                res_people, res_budget, res_material, res_gap)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![d.0, d.1, d.2, d.3, d.4, d.5, d.6, d.7, d.8],
        )?;
        carried.departments += 1;
    }
    let comm = collect(
        source,
        "comm_plan",
        "SELECT position, scenario, channel, participants, recurrence, time_limit FROM comm_plan
         ORDER BY position, id",
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
            ))
        },
    )?;
    let in_comm: Vec<i64> = comm
        .iter()
        .flat_map(|c| serde_json::from_str::<Vec<i64>>(&c.3).unwrap_or_default())
        .collect();
    let people = collect(
        source,
        "person",
        "SELECT id, name, department, role, contact FROM person ORDER BY id",
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        },
    )?;
    let mut ids: HashMap<i64, i64> = HashMap::new();
    for p in people.iter().filter(|p| {
        matches!(p.3.as_str(), "head" | "interface" | "decision") || in_comm.contains(&p.0)
    }) {
        tx.execute(
            "INSERT INTO person (name, department, role, contact) VALUES (?1, ?2, ?3, ?4)",
            params![p.1, p.2, p.3, p.4],
        )?;
        ids.insert(p.0, tx.last_insert_rowid());
        carried.people += 1;
    }
    for c in &comm {
        let participants: Vec<i64> = serde_json::from_str::<Vec<i64>>(&c.3)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| ids.get(&p).copied())
            .collect();
        tx.execute(
            "INSERT INTO comm_plan (position, scenario, channel, participants, recurrence, time_limit)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                c.0,
                c.1,
                c.2,
                serde_json::to_string(&participants).expect("ids serialize"),
                c.4,
                c.5
            ],
        )?;
        carried.comm_plan += 1;
    }
    let owners: HashMap<i64, String> = people
        .iter()
        .map(|p| {
            let who = if p.2.is_empty() {
                p.1.clone()
            } else {
                format!("{}（{}）", p.1, p.2)
            };
            (p.0, who)
        })
        .collect();
    let improvements = collect(
        source,
        "retro_entry",
        "SELECT text, owner_id FROM retro_entry WHERE section = 'improvement' AND carry = 1
         ORDER BY position, id",
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?)),
    )?;
    for (i, (text, owner)) in improvements.iter().enumerate() {
        tx.execute(
            "INSERT INTO checklist_item (position, text, owner, source) VALUES (?1, ?2, ?3, ?4)",
            params![
                i as i64 + 1,
                text,
                owner
                    .and_then(|o| owners.get(&o).cloned())
                    .unwrap_or_default(),
                source_name
            ],
        )?;
        carried.checklist += 1;
    }
    let summary = format!(
        "{source_name}: {} departments, {} people, {} communication rules, {} improvements",
        carried.departments, carried.people, carried.comm_plan, carried.checklist
    );
    crate::audit::append(
        &tx,
        actor,
        &[crate::audit::Change {
            record: "project:1",
            field: "created_from",
            before: None,
            after: Some(&summary),
        }],
    )?;
    tx.commit()?;
    Ok((project, carried))
}
