//! The organization stage: departments with their head and interface persons (people by role), the
//! responsibility matrix (duties, deliverables, delivery time; each task's lead and collaborating
//! departments) and the resource and delivery plan (people, budget, material committed; gaps).

use crate::audit::{self, Change};
use crate::error::{Error, Result};
use crate::people::{self, Person};
use crate::registration;
use crate::validate::{check_text, invalid};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Department {
    pub id: i64,
    pub name: String,
    pub duties: String,
    pub deliverables: String,
    /// The delivery time of the deliverables, `YYYY-MM-DD`.
    pub delivery_date: Option<String>,
    pub quality_standard: String,
    pub res_people: i64,
    /// Budget committed, in yuan.
    pub res_budget: i64,
    pub res_material: String,
    /// What is missing (资源缺口).
    pub res_gap: String,
}

/// A department as the matrix shows it: its record, its people by role and its share of the tasks.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MatrixRow {
    #[serde(flatten)]
    pub department: Department,
    pub heads: Vec<Person>,
    pub interfaces: Vec<Person>,
    pub members: Vec<Person>,
    pub lead_tasks: i64,
    pub collab_tasks: i64,
}

/// A check of the matrix, shown as a warning; `key` is the catalog message, `params` fill it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub key: String,
    pub params: Vec<(String, String)>,
    pub department: Option<i64>,
    pub task: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Matrix {
    pub departments: Vec<MatrixRow>,
    pub people: Vec<Person>,
    pub findings: Vec<Finding>,
    /// Departments named in the registration that are not set up yet.
    pub missing_from_registration: Vec<String>,
}

const COLUMNS: &str = "id, name, duties, deliverables, delivery_date, quality_standard, res_people,
    res_budget, res_material, res_gap";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Department> {
    Ok(Department {
        id: r.get(0)?,
        name: r.get(1)?,
        duties: r.get(2)?,
        deliverables: r.get(3)?,
        delivery_date: r.get(4)?,
        quality_standard: r.get(5)?,
        res_people: r.get(6)?,
        res_budget: r.get(7)?,
        res_material: r.get(8)?,
        res_gap: r.get(9)?,
    })
}

/// The departments in the user's order.
pub fn list(conn: &Connection) -> Result<Vec<Department>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM department ORDER BY position, id"
    ))?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Department> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM department WHERE id = ?1"),
        [id],
        row,
    )
    .optional()?
    .ok_or_else(|| Error::refused("org.no_department", &[]))
}

/// Refuses a delivery date after the project's end (the registration's end date).
fn check_delivery(conn: &Connection, d: &Department) -> Result<()> {
    if let Some(day) = d
        .delivery_date
        .as_deref()
        .and_then(crate::clock::parse_date)
    {
        let end: Option<String> = conn
            .query_row("SELECT end_date FROM registration WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()?
            .flatten();
        if let Some(end) = end.as_deref().and_then(crate::clock::parse_date) {
            if day > end {
                return Err(Error::refused(
                    "org.delivery_after_end",
                    &[("end", end.to_string())],
                ));
            }
        }
    }
    Ok(())
}

pub(crate) fn checked(d: &Department) -> Result<Department> {
    let mut d = d.clone();
    d.name = d.name.trim().to_string();
    if d.name.is_empty() || d.name.contains('\n') {
        return Err(invalid("field.department.name", "validation.required"));
    }
    check_text("field.department.name", &d.name, 100)?;
    for (field, value) in [
        ("field.department.duties", &d.duties),
        ("field.department.deliverables", &d.deliverables),
        ("field.department.quality_standard", &d.quality_standard),
        ("field.department.res_material", &d.res_material),
        ("field.department.res_gap", &d.res_gap),
    ] {
        check_text(field, value, 4000)?;
    }
    d.delivery_date = match d.delivery_date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(
            crate::clock::parse_date(s)
                .ok_or_else(|| invalid("field.department.delivery_date", "validation.date"))?
                .to_string(),
        ),
    };
    if d.res_people < 0 || d.res_people > 1_000_000 {
        return Err(invalid("field.department.res_people", "validation.number"));
    }
    if d.res_budget < 0 || d.res_budget > 1_000_000_000_000 {
        return Err(invalid("field.department.res_budget", "validation.number"));
    }
    Ok(d)
}

fn ensure_unique(conn: &Connection, name: &str, id: i64) -> Result<()> {
    let taken: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM department WHERE name = ?1 AND id <> ?2)",
        params![name, id],
        |r| r.get(0),
    )?;
    if taken {
        return Err(Error::refused(
            "org.duplicate_department",
            &[("name", name.to_string())],
        ));
    }
    Ok(())
}

/// Adds a department at the end of the list.
pub fn add(conn: &mut Connection, actor: &str, name: &str) -> Result<Department> {
    let d = checked(&Department {
        name: name.into(),
        ..Default::default()
    })?;
    ensure_unique(conn, &d.name, 0)?;
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO department (name, position)
         VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM department))",
        [&d.name],
    )?;
    let id = tx.last_insert_rowid();
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &format!("department:{id}"),
            field: "created",
            before: None,
            after: Some(&d.name),
        }],
    )?;
    tx.commit()?;
    get(conn, id)
}

/// Saves a department's fields; a new name is carried over to its people.
pub fn update(conn: &mut Connection, actor: &str, d: &Department) -> Result<Department> {
    let before = get(conn, d.id)?;
    let d = checked(d)?;
    ensure_unique(conn, &d.name, d.id)?;
    if d.delivery_date != before.delivery_date {
        check_delivery(conn, &d)?;
    }
    if d.name != before.name {
        // The plan being countersigned names its departments: keep them as signed.
        crate::doc_state::ensure_editable(conn, crate::DocKind::Plan, 1)?;
    }
    let old = serde_json::to_value(&before).expect("serializes");
    let new = serde_json::to_value(&d).expect("serializes");
    let record = format!("department:{}", d.id);
    let changes = audit::diff(Some(&old), &new);
    if changes.is_empty() {
        return Ok(d);
    }
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE department SET name = ?1, duties = ?2, deliverables = ?3, delivery_date = ?4,
            quality_standard = ?5, res_people = ?6, res_budget = ?7, res_material = ?8, res_gap = ?9
         WHERE id = ?10",
        params![
            d.name,
            d.duties,
            d.deliverables,
            d.delivery_date,
            d.quality_standard,
            d.res_people,
            d.res_budget,
            d.res_material,
            d.res_gap,
            d.id
        ],
    )?;
    if before.name != d.name {
        tx.execute(
            "UPDATE person SET department = ?1 WHERE department = ?2",
            params![d.name, before.name],
        )?;
    }
    audit::append_diff(&tx, actor, &record, &changes)?;
    tx.commit()?;
    Ok(d)
}

/// Removes a department that no task and no person belongs to.
pub fn remove(conn: &mut Connection, actor: &str, id: i64) -> Result<()> {
    let d = get(conn, id)?;
    let used: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM task WHERE lead_department = ?1)
              + (SELECT count(*) FROM task, json_each(task.collab_departments) WHERE json_each.value = ?1)
              + (SELECT count(*) FROM person WHERE department = ?2)",
        params![id, d.name],
        |r| r.get(0),
    )?;
    if used > 0 {
        return Err(Error::refused(
            "org.department_in_use",
            &[("name", d.name.clone())],
        ));
    }
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM department WHERE id = ?1", [id])?;
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &format!("department:{id}"),
            field: "deleted",
            before: Some(&d.name),
            after: None,
        }],
    )?;
    tx.commit()?;
    Ok(())
}

/// Moves a department one place up (`-1`) or down (`1`) in the list.
pub fn reorder(conn: &mut Connection, id: i64, delta: i64) -> Result<()> {
    let ids: Vec<i64> = list(conn)?.iter().map(|d| d.id).collect();
    let Some(at) = ids.iter().position(|x| *x == id) else {
        return Err(Error::refused("org.no_department", &[]));
    };
    let to = at as i64 + delta.signum();
    if to < 0 || to >= ids.len() as i64 {
        return Ok(());
    }
    let mut ids = ids;
    ids.swap(at, to as usize);
    let tx = conn.transaction()?;
    for (i, d) in ids.iter().enumerate() {
        tx.execute(
            "UPDATE department SET position = ?1 WHERE id = ?2",
            params![i as i64, d],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// The departments the registration names (initiating first) that are not set up yet.
fn missing_from_registration(conn: &Connection, have: &[Department]) -> Result<Vec<String>> {
    let reg = registration::load(conn)?.registration;
    let mut names = vec![reg.initiating_department.clone()];
    names.extend(reg.collaborating_departments.iter().cloned());
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let n = n.trim().to_string();
        if !n.is_empty() && !have.iter().any(|d| d.name == n) && !out.contains(&n) {
            out.push(n);
        }
    }
    Ok(out)
}

/// Sets up the departments the registration names, in its order.
pub fn import_from_registration(conn: &mut Connection, actor: &str) -> Result<Vec<Department>> {
    let missing = missing_from_registration(conn, &list(conn)?)?;
    for name in missing {
        add(conn, actor, &name)?;
    }
    list(conn)
}

/// The matrix with its checks: no department at all; a task without a lead department; a department both leading and
/// collaborating on one task (overlap); a department with neither duties nor tasks (gap); a
/// department without a head or an interface person, or with more than two interface persons.
pub fn matrix(conn: &Connection) -> Result<Matrix> {
    let departments = list(conn)?;
    let everyone = people::list(conn)?;
    let mut findings = Vec::new();
    let mut rows = Vec::new();
    let count =
        |sql: &str, id: i64| -> Result<i64> { Ok(conn.query_row(sql, [id], |r| r.get(0))?) };
    for d in departments {
        let of = |role: &str| -> Vec<Person> {
            everyone
                .iter()
                .filter(|p| p.department == d.name && p.role == role)
                .cloned()
                .collect()
        };
        let heads = of("head");
        let interfaces = of("interface");
        let members = everyone
            .iter()
            .filter(|p| p.department == d.name && p.role != "head" && p.role != "interface")
            .cloned()
            .collect();
        let lead_tasks = count("SELECT count(*) FROM task WHERE lead_department = ?1", d.id)?;
        let collab_tasks = count(
            "SELECT count(*) FROM task, json_each(task.collab_departments) WHERE json_each.value = ?1",
            d.id,
        )?;
        let name = || vec![("name".to_string(), d.name.clone())];
        let mut say = |key: &str| {
            findings.push(Finding {
                key: key.into(),
                params: name(),
                department: Some(d.id),
                task: None,
            })
        };
        if heads.is_empty() {
            say("org.check.no_head");
        }
        if interfaces.is_empty() {
            say("org.check.no_interface");
        } else if interfaces.len() > 2 {
            say("org.check.too_many_interfaces");
        }
        if d.duties.trim().is_empty() && lead_tasks == 0 && collab_tasks == 0 {
            say("org.check.gap");
        }
        rows.push(MatrixRow {
            department: d,
            heads,
            interfaces,
            members,
            lead_tasks,
            collab_tasks,
        });
    }
    // Tasks: leaves without a lead; a lead also listed as collaborating.
    let mut stmt = conn.prepare(
        "SELECT t.id, t.name, t.lead_department, t.collab_departments,
                EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)
         FROM task t ORDER BY t.id",
    )?;
    let tasks = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, bool>(4)?,
        ))
    })?;
    for t in tasks {
        let (id, name, lead, collab, summary) = t?;
        let collab: Vec<i64> = serde_json::from_str(&collab).unwrap_or_default();
        let params = vec![("task".to_string(), name)];
        if lead.is_none() && !summary {
            findings.push(Finding {
                key: "org.check.no_lead".into(),
                params,
                department: None,
                task: Some(id),
            });
        } else if lead.is_some_and(|l| collab.contains(&l)) {
            findings.push(Finding {
                key: "org.check.overlap".into(),
                params,
                department: lead,
                task: Some(id),
            });
        }
    }
    // An organization needs departments before anything else can be checked.
    if rows.is_empty() {
        findings.insert(
            0,
            Finding {
                key: "org.check.no_departments".into(),
                params: Vec::new(),
                department: None,
                task: None,
            },
        );
    }
    let have: Vec<Department> = rows.iter().map(|r| r.department.clone()).collect();
    Ok(Matrix {
        missing_from_registration: missing_from_registration(conn, &have)?,
        departments: rows,
        people: everyone,
        findings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::migrations::{migrate_to, LATEST};

    fn setup() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, LATEST).unwrap();
        crate::storage::init(&conn, "x").unwrap();
        registration::save(&mut conn, "张伟", &crate::demo::worked_example()).unwrap();
        conn
    }

    fn keys(m: &Matrix, dept: &str) -> Vec<String> {
        let id = m
            .departments
            .iter()
            .find(|r| r.department.name == dept)
            .unwrap()
            .department
            .id;
        m.findings
            .iter()
            .filter(|f| f.department == Some(id))
            .map(|f| f.key.clone())
            .collect()
    }

    #[test]
    fn departments_come_from_the_registration_and_are_checked() {
        let mut conn = setup();
        let m = matrix(&conn).unwrap();
        assert_eq!(
            m.missing_from_registration,
            ["产品部", "研发部", "市场部", "销售部"]
        );
        import_from_registration(&mut conn, "张伟").unwrap();
        let m = matrix(&conn).unwrap();
        assert!(m.missing_from_registration.is_empty());
        assert_eq!(
            keys(&m, "市场部"),
            [
                "org.check.no_head",
                "org.check.no_interface",
                "org.check.gap"
            ]
        );
        // A head, an interface person and duties clear all three.
        for (name, role) in [("陈静", "head"), ("孙丽", "interface")] {
            people::add(
                &mut conn,
                "张伟",
                &Person {
                    name: name.into(),
                    department: "市场部".into(),
                    role: role.into(),
                    ..Default::default()
                },
            )
            .unwrap();
        }
        let mut d = m
            .departments
            .iter()
            .find(|r| r.department.name == "市场部")
            .unwrap()
            .department
            .clone();
        d.duties = "渠道推广与宣传物料".into();
        update(&mut conn, "张伟", &d).unwrap();
        assert!(keys(&matrix(&conn).unwrap(), "市场部").is_empty());
    }

    #[test]
    fn an_organization_without_departments_does_not_pass() {
        let mut conn = setup();
        let m = matrix(&conn).unwrap();
        assert!(m.departments.is_empty());
        let keys: Vec<&str> = m.findings.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["org.check.no_departments"]);
        add(&mut conn, "张伟", "市场部").unwrap();
        let m = matrix(&conn).unwrap();
        assert!(m
            .findings
            .iter()
            .all(|f| f.key != "org.check.no_departments"));
    }

    #[test]
    fn renaming_carries_people_along_and_names_stay_unique() {
        let mut conn = setup();
        let d = add(&mut conn, "张伟", "市场部").unwrap();
        add(&mut conn, "张伟", "销售部").unwrap();
        people::add(
            &mut conn,
            "张伟",
            &Person {
                name: "陈静".into(),
                department: "市场部".into(),
                role: "head".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let err = add(&mut conn, "张伟", " 销售部 ").unwrap_err();
        assert_eq!(err.code(), "refused");
        let mut renamed = d.clone();
        renamed.name = "品牌市场部".into();
        update(&mut conn, "张伟", &renamed).unwrap();
        assert_eq!(people::list(&conn).unwrap()[0].department, "品牌市场部");
        // In use by a person: not removed.
        assert_eq!(
            remove(&mut conn, "张伟", d.id).unwrap_err().code(),
            "refused"
        );
        let mut bad = renamed.clone();
        bad.delivery_date = Some("2023-13-01".into());
        assert_eq!(
            update(&mut conn, "张伟", &bad).unwrap_err().code(),
            "invalid"
        );
    }
}
