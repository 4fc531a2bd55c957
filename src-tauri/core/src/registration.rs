//! The registration form (跨部门协作任务登记表 / 合作需求表) and the rules it must meet.

use crate::clock::parse_date;
use crate::error::{Error, Result};
use crate::kind::DocKind;
use crate::people::Person;
use crate::signoff;
use crate::wording;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The longest text a single field accepts (characters).
pub const MAX_TEXT: usize = 20_000;

/// All fields of the registration form, as the UI sees them (camelCase on the wire).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Registration {
    pub name: String,
    pub background: String,
    pub initiating_department: String,
    pub collaborating_departments: Vec<String>,
    /// The interface person (对接人) each department names, for the initiating and the
    /// collaborating departments. Left out of the signed content while empty, so registrations
    /// signed before it existed keep their fingerprint.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    pub owner: String,
    /// `YYYY-MM-DD`, empty when not set yet.
    pub start_date: String,
    pub end_date: String,
    pub core_goal: String,
    pub key_deliverables: String,
    pub milestones: Vec<Milestone>,
    pub current_progress: String,
    pub risk_notes: String,
    pub suggested_departments: Vec<String>,
}

/// A milestone of the registration: a date and the node reached by then.
/// A department's interface person (对接人) in the registration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Contact {
    pub department: String,
    pub person: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Milestone {
    pub date: String,
    pub node: String,
}

/// One problem found in the form: `error` blocks approval, `warning` only advises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The form field, e.g. `coreGoal` or `milestones.2.date`.
    pub field: String,
    pub severity: Severity,
    /// Catalog key of the message.
    pub key: String,
    /// Values for the message's placeholders.
    pub params: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The registration as stored, with when it was last saved.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub registration: Registration,
    pub updated_at: String,
    pub findings: Vec<Finding>,
    /// Draft (editable), in sign-off or signed (both locked).
    pub state: crate::signoff::State,
}

/// The project's name (the registration's), without loading the rest of the form.
pub fn name(conn: &Connection) -> Result<String> {
    Ok(
        conn.query_row("SELECT name FROM registration WHERE id = 1", [], |r| {
            r.get(0)
        })?,
    )
}

/// Reads the registration, its sign-off state and the current findings.
pub fn load(conn: &Connection) -> Result<Snapshot> {
    let (mut reg, updated_at) = conn.query_row(
        "SELECT name, background, initiating_department, collaborating_departments, owner,
                start_date, end_date, core_goal, key_deliverables, current_progress, risk_notes,
                suggested_departments, updated_at, contacts
         FROM registration WHERE id = 1",
        [],
        |r| {
            Ok((
                Registration {
                    name: r.get(0)?,
                    background: r.get(1)?,
                    initiating_department: r.get(2)?,
                    collaborating_departments: list_from_json(&r.get::<_, String>(3)?),
                    contacts: serde_json::from_str(&r.get::<_, String>(13)?).unwrap_or_default(),
                    owner: r.get(4)?,
                    start_date: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                    end_date: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                    core_goal: r.get(7)?,
                    key_deliverables: r.get(8)?,
                    milestones: Vec::new(),
                    current_progress: r.get(9)?,
                    risk_notes: r.get(10)?,
                    suggested_departments: list_from_json(&r.get::<_, String>(11)?),
                },
                r.get::<_, String>(12)?,
            ))
        },
    )?;
    let mut stmt = conn.prepare("SELECT due_date, node FROM milestone ORDER BY position, id")?;
    reg.milestones = stmt
        .query_map([], |r| {
            Ok(Milestone {
                date: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                node: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let findings = validate(&reg);
    Ok(Snapshot {
        registration: reg,
        updated_at,
        findings,
        state: crate::doc_state::state(conn, crate::DocKind::Registration, 1)?,
    })
}

/// Saves the whole form in one durable transaction. Drafts with errors are saved too (nothing typed
/// is lost); the errors are returned and block approval.
/// Every changed field is written to the audit log as `actor`'s edit. A document in sign-off or
/// signed is refused (and the storage triggers refuse it too).
pub fn save(conn: &mut Connection, actor: &str, reg: &Registration) -> Result<Snapshot> {
    let reg = normalized(reg)?;
    crate::doc_state::ensure_editable(conn, crate::DocKind::Registration, 1)?;
    let before = load(conn)?.registration;
    let tx = conn.transaction()?;
    let now = now();
    tx.execute(
        "UPDATE registration SET name = ?1, background = ?2, initiating_department = ?3,
            collaborating_departments = ?4, owner = ?5, start_date = ?6, end_date = ?7,
            core_goal = ?8, key_deliverables = ?9, current_progress = ?10, risk_notes = ?11,
            suggested_departments = ?12, updated_at = ?13, contacts = ?14
         WHERE id = 1",
        params![
            reg.name,
            reg.background,
            reg.initiating_department,
            list_to_json(&reg.collaborating_departments),
            reg.owner,
            none_if_empty(&reg.start_date),
            none_if_empty(&reg.end_date),
            reg.core_goal,
            reg.key_deliverables,
            reg.current_progress,
            reg.risk_notes,
            list_to_json(&reg.suggested_departments),
            now,
            serde_json::to_string(&reg.contacts).expect("serializes"),
        ],
    )?;
    tx.execute("DELETE FROM milestone", [])?;
    for (i, m) in reg.milestones.iter().enumerate() {
        tx.execute(
            "INSERT INTO milestone (position, due_date, node) VALUES (?1, ?2, ?3)",
            params![i as i64, none_if_empty(&m.date), m.node],
        )?;
    }
    audit_changes(&tx, actor, &before, &reg)?;
    bump_revision(&tx)?;
    tx.commit()?;
    load(conn)
}

/// Appends one audit entry per changed field (lists and milestones as canonical JSON).
fn audit_changes(
    conn: &Connection,
    actor: &str,
    before: &Registration,
    after: &Registration,
) -> Result<()> {
    let value = |r: &Registration| serde_json::to_value(r).expect("serializes");
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => crate::fingerprint::canonical(other),
    };
    let changes = crate::audit::diff_with(Some(&value(before)), &value(after), text);
    crate::audit::append_diff(conn, actor, "registration:1", &changes)
}

/// The project's edit counter, raised by every committed edit.
pub fn revision(conn: &Connection) -> Result<i64> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM project_meta WHERE key = 'revision'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|s| s.parse().ok()).unwrap_or(0))
}

fn bump_revision(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT INTO project_meta (key, value) VALUES ('revision', '1')
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
        [],
    )?;
    Ok(())
}

/// Every rule of the form: required fields, dates, a measurable goal, vague wording.
pub fn validate(reg: &Registration) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut add = |field: &str, severity, key: &str, params: &[(&str, &str)]| {
        out.push(Finding {
            field: field.to_string(),
            severity,
            key: key.to_string(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        })
    };
    let required = [
        ("name", reg.name.as_str()),
        ("background", &reg.background),
        ("initiatingDepartment", &reg.initiating_department),
        ("owner", &reg.owner),
        ("startDate", &reg.start_date),
        ("endDate", &reg.end_date),
        ("coreGoal", &reg.core_goal),
        ("keyDeliverables", &reg.key_deliverables),
    ];
    for (field, value) in required {
        if value.trim().is_empty() {
            add(field, Severity::Error, "validation.required", &[]);
        }
    }
    if reg.collaborating_departments.is_empty() {
        add(
            "collaboratingDepartments",
            Severity::Error,
            "validation.required",
            &[],
        );
    }
    let start = parse_date(&reg.start_date);
    let end = parse_date(&reg.end_date);
    for (field, raw, parsed) in [
        ("startDate", &reg.start_date, start),
        ("endDate", &reg.end_date, end),
    ] {
        if !raw.trim().is_empty() && parsed.is_none() {
            add(field, Severity::Error, "validation.date", &[("value", raw)]);
        }
    }
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            add(
                "endDate",
                Severity::Error,
                "validation.end_before_start",
                &[],
            );
        }
    }
    if !reg.core_goal.trim().is_empty() && !wording::is_measurable(&reg.core_goal) {
        add(
            "coreGoal",
            Severity::Error,
            "validation.goal_not_measurable",
            &[],
        );
    }
    for (field, text) in [
        ("coreGoal", &reg.core_goal),
        ("keyDeliverables", &reg.key_deliverables),
    ] {
        for term in wording::vague_terms(text) {
            add(
                field,
                Severity::Warning,
                "validation.vague",
                &[("term", term)],
            );
        }
    }
    for (i, m) in reg.milestones.iter().enumerate() {
        let date_field = format!("milestones.{i}.date");
        let node_field = format!("milestones.{i}.node");
        match parse_date(&m.date) {
            None if m.date.trim().is_empty() => {
                add(&date_field, Severity::Error, "validation.required", &[])
            }
            None => add(
                &date_field,
                Severity::Error,
                "validation.date",
                &[("value", &m.date)],
            ),
            Some(d) => {
                if start.is_some_and(|s| d < s) || end.is_some_and(|e| d > e) {
                    add(
                        &date_field,
                        Severity::Warning,
                        "validation.milestone_outside",
                        &[],
                    );
                }
            }
        }
        if m.node.trim().is_empty() {
            add(&node_field, Severity::Error, "validation.required", &[]);
        }
        for term in wording::vague_terms(&m.node) {
            add(
                &node_field,
                Severity::Warning,
                "validation.vague",
                &[("term", term)],
            );
        }
    }
    out
}

fn normalized(reg: &Registration) -> Result<Registration> {
    let list = |v: &[String], field: &str| -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        for item in v {
            let item = clean(item, field)?;
            if !item.is_empty() && !out.contains(&item) {
                out.push(item);
            }
        }
        Ok(out)
    };
    Ok(Registration {
        name: clean(&reg.name, "field.name")?,
        background: clean(&reg.background, "field.background")?,
        initiating_department: clean(&reg.initiating_department, "field.initiatingDepartment")?,
        collaborating_departments: list(
            &reg.collaborating_departments,
            "field.collaboratingDepartments",
        )?,
        contacts: {
            // One person per department named in the form, in the form's order of departments.
            let collab = list(
                &reg.collaborating_departments,
                "field.collaboratingDepartments",
            )?;
            let initiating = clean(&reg.initiating_department, "field.initiatingDepartment")?;
            let mut out: Vec<Contact> = Vec::new();
            for dept in std::iter::once(&initiating).chain(&collab) {
                let person = reg
                    .contacts
                    .iter()
                    .find(|c| c.department.trim() == dept.as_str())
                    .map(|c| clean(&c.person, "field.contacts"))
                    .transpose()?
                    .unwrap_or_default();
                if !dept.is_empty()
                    && !person.is_empty()
                    && !out.iter().any(|c| &c.department == dept)
                {
                    out.push(Contact {
                        department: dept.clone(),
                        person,
                    });
                }
            }
            out
        },
        owner: clean(&reg.owner, "field.owner")?,
        start_date: reg.start_date.trim().to_string(),
        end_date: reg.end_date.trim().to_string(),
        core_goal: clean(&reg.core_goal, "field.coreGoal")?,
        key_deliverables: clean(&reg.key_deliverables, "field.keyDeliverables")?,
        milestones: reg
            .milestones
            .iter()
            .map(|m| {
                Ok(Milestone {
                    date: m.date.trim().to_string(),
                    node: clean(&m.node, "field.milestones")?,
                })
            })
            .collect::<Result<_>>()?,
        current_progress: clean(&reg.current_progress, "field.currentProgress")?,
        risk_notes: clean(&reg.risk_notes, "field.riskNotes")?,
        suggested_departments: list(&reg.suggested_departments, "field.suggestedDepartments")?,
    })
}

/// Trims a text and refuses one that is too long or holds control characters other than line breaks.
fn clean(s: &str, field: &str) -> Result<String> {
    let t = s.trim();
    if crate::validate::too_long(t, MAX_TEXT) {
        return Err(invalid(field, "validation.too_long"));
    }
    if crate::validate::has_control(t, &['\n', '\t', '\r']) {
        return Err(invalid(field, "validation.control_chars"));
    }
    Ok(t.to_string())
}

fn invalid(field: &str, detail_key: &str) -> Error {
    Error::Invalid {
        field: field.to_string(),
        detail: detail_key.to_string(),
    }
}

fn none_if_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

fn list_from_json(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

fn list_to_json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn now() -> String {
    crate::clock::now_rfc3339(false)
}

/// The registration as a signed document (one per project): the initiating department's head
/// reviews it (domain.md); the owner may add more heads, all of whom must approve.
pub struct Document;

/// The registration's entry in `kinds`.
pub static DOCUMENT: Document = Document;

impl signoff::Document for Document {
    fn kind(&self) -> DocKind {
        DocKind::Registration
    }

    fn rule(&self) -> signoff::Rule {
        signoff::Rule::all("signoff.who.registration", "signed")
    }

    fn content(&self, conn: &Connection, id: i64) -> Result<Value> {
        signoff::only_one(id)?;
        let reg = load(conn)?.registration;
        Ok(serde_json::to_value(reg).expect("registration serializes"))
    }

    fn suggested(&self, _: &Connection, _: i64, content: &Value, everyone: &[Person]) -> Vec<i64> {
        let dept = content["initiatingDepartment"].as_str().unwrap_or_default();
        everyone
            .iter()
            .filter(|p| p.role == "head" && p.department == dept)
            .map(|p| p.id)
            .collect()
    }

    /// A registration with errors is not sent for review.
    fn check_signers(&self, conn: &Connection, _: i64, _: &[i64]) -> Result<()> {
        if load(conn)?
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error)
        {
            return Err(signoff::refuse("signoff.has_errors"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> Registration {
        Registration {
            name: "新品上市项目".into(),
            background: "新品需在年底前上市".into(),
            initiating_department: "产品部".into(),
            collaborating_departments: vec!["研发部".into(), "市场部".into()],
            owner: "张伟".into(),
            start_date: "2023-10-01".into(),
            end_date: "2023-12-31".into(),
            core_goal: "3个月内上市，首月销量达1万件".into(),
            key_deliverables: "销售培训材料、渠道铺货方案".into(),
            milestones: vec![Milestone {
                date: "2023-11-15".into(),
                node: "渠道铺货完成".into(),
            }],
            ..Registration::default()
        }
    }

    fn keys(reg: &Registration) -> Vec<(String, String)> {
        validate(reg)
            .into_iter()
            .map(|f| (f.field, f.key))
            .collect()
    }

    #[test]
    fn a_complete_form_has_no_findings() {
        assert_eq!(keys(&complete()), vec![]);
    }

    #[test]
    fn each_rule_reports_on_its_field() {
        let mut r = complete();
        r.owner = "  ".into();
        assert_eq!(
            keys(&r),
            vec![("owner".into(), "validation.required".into())]
        );

        let mut r = complete();
        r.end_date = "2023-09-30".into();
        r.milestones.clear();
        assert_eq!(
            keys(&r),
            vec![("endDate".into(), "validation.end_before_start".into())]
        );

        let mut r = complete();
        r.end_date = "2023-02-30".into();
        assert_eq!(keys(&r), vec![("endDate".into(), "validation.date".into())]);

        let mut r = complete();
        r.core_goal = "尽快提升销量".into();
        assert_eq!(
            keys(&r),
            vec![
                ("coreGoal".into(), "validation.goal_not_measurable".into()),
                ("coreGoal".into(), "validation.vague".into()),
                ("coreGoal".into(), "validation.vague".into()),
            ]
        );

        // A version number is not a measure (issue 15, item 11).
        let mut r = complete();
        r.core_goal = "保证产品V2.0版本按时上线，同步市场推广方案".into();
        assert_eq!(
            keys(&r),
            vec![("coreGoal".into(), "validation.goal_not_measurable".into())]
        );

        let mut r = complete();
        r.milestones[0].date = "2024-03-01".into();
        assert_eq!(
            keys(&r),
            vec![(
                "milestones.0.date".into(),
                "validation.milestone_outside".into()
            )]
        );
    }

    #[test]
    fn save_normalizes_and_load_returns_what_was_saved() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::storage::migrations::migrate_to(&mut conn, crate::storage::migrations::LATEST)
            .unwrap();
        crate::storage::init(&conn, "x").unwrap();
        // Without 对接人 the signed content has no such field (older signatures still verify).
        let content = crate::kinds::content(&conn, crate::DocKind::Registration, 1).unwrap();
        assert!(content.get("contacts").is_none() && content.get("name").is_some());
        let mut r = complete();
        r.collaborating_departments = vec![
            " 研发部 ".into(),
            "研发部".into(),
            "".into(),
            "市场部".into(),
        ];
        r.contacts = vec![
            Contact {
                department: "市场部".into(),
                person: " 孙丽 ".into(),
            },
            Contact {
                department: "财务部".into(),
                person: "周敏".into(),
            },
            Contact {
                department: "产品部".into(),
                person: "何芳".into(),
            },
        ];
        let snap = save(&mut conn, "王芳", &r).unwrap();
        assert_eq!(
            snap.registration.collaborating_departments,
            vec!["研发部", "市场部"]
        );
        // One 对接人 per named department, in the form's order; a department not named is dropped.
        let contacts: Vec<(&str, &str)> = snap
            .registration
            .contacts
            .iter()
            .map(|c| (c.department.as_str(), c.person.as_str()))
            .collect();
        assert_eq!(contacts, [("产品部", "何芳"), ("市场部", "孙丽")]);
        let content = crate::kinds::content(&conn, crate::DocKind::Registration, 1).unwrap();
        assert_eq!(content["contacts"][1]["person"], "孙丽");
        assert_eq!(snap.registration.milestones, r.milestones);
        assert_eq!(revision(&conn).unwrap(), 1);
        let bad = Registration {
            name: "\u{7}".into(),
            ..complete()
        };
        assert!(save(&mut conn, "王芳", &bad).is_err());
        assert_eq!(load(&conn).unwrap().registration.name, "新品上市项目");
    }
}
