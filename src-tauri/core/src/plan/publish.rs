//! Publication of the plan: the countersigned content, its signers and checks, the published
//! baseline and the comparison of the current plan with it.

use super::calendar::Calendar;
use super::{calendar_days, load, Plan};
use crate::clock::parse_date;
use crate::error::{Error, Result};
use crate::kind::DocKind;
use crate::people::Person;
use crate::signoff;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// The content the plan is countersigned on: every task with its schedule and responsibilities
/// (names, not ids, so the frozen baseline reads on its own), the dependencies and the calendar.
/// Progress (status, percent) is not part of it: it is reported, not agreed.
pub fn content(conn: &Connection) -> Result<Value> {
    let plan = load(conn)?;
    let depts: HashMap<i64, String> = crate::org::list(conn)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let people: HashMap<i64, String> = crate::people::list(conn)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let names = |ids: &[i64], of: &HashMap<i64, String>| -> Vec<String> {
        ids.iter().filter_map(|i| of.get(i).cloned()).collect()
    };
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let tasks: Vec<Value> = plan
        .tasks
        .iter()
        .zip(&plan.rows)
        .map(|(t, r)| {
            json!({
                "id": t.id,
                "outline": r.outline,
                "name": t.name,
                "summary": r.summary,
                "milestone": t.milestone,
                "lead": t.lead_department.and_then(|d| depts.get(&d).cloned()),
                "collaborating": names(&t.collab_departments, &depts),
                "owner": t.owner_id.and_then(|p| people.get(&p).cloned()),
                "collaborators": names(&t.collaborators, &people),
                "start": day(r.start),
                "finish": day(r.finish),
                "duration": t.duration,
                "buffer": t.buffer,
                "deliveryStandard": t.delivery_standard,
                "resourceNeeds": t.resource_needs,
                "riskPlan": t.risk_plan,
            })
        })
        .collect();
    let links: Vec<Value> = plan
        .links
        .iter()
        .map(|l| {
            json!({
                "predecessor": l.predecessor,
                "successor": l.successor,
                "kind": l.kind.code(),
                "lag": l.lag,
            })
        })
        .collect();
    let days = calendar_days(conn)?;
    Ok(json!({
        "tasks": tasks,
        "dependencies": links,
        "calendar": days,
    }))
}

/// The people who must countersign the plan: the head(s) of every department, in department order.
/// Refused when a department has no head.
pub fn countersigners(conn: &Connection) -> Result<Vec<i64>> {
    let people = crate::people::list(conn)?;
    let mut out = Vec::new();
    for d in crate::org::list(conn)? {
        let heads: Vec<i64> = people
            .iter()
            .filter(|p| p.department == d.name && p.role == "head")
            .map(|p| p.id)
            .collect();
        if heads.is_empty() {
            return Err(Error::refused(
                "plan.publish.no_head",
                &[("name", d.name.clone())],
            ));
        }
        out.extend(heads);
    }
    Ok(out)
}

/// Checks that the plan can go to countersign with `signers`: it has tasks, every task has a name
/// and a lead department, and every department head signs.
pub fn check_publishable(conn: &Connection, signers: &[i64]) -> Result<()> {
    let plan = load(conn)?;
    if plan.tasks.is_empty() {
        return Err(Error::refused("plan.publish.empty", &[]));
    }
    for (t, r) in plan.tasks.iter().zip(&plan.rows) {
        if !r.summary && t.lead_department.is_none() {
            return Err(Error::refused(
                "plan.publish.no_lead",
                &[("task", plan.label(t.id))],
            ));
        }
        if !r.summary && r.start.is_none() {
            return Err(Error::refused(
                "plan.publish.no_start",
                &[("task", plan.label(t.id))],
            ));
        }
    }
    let heads = countersigners(conn)?;
    if heads.is_empty() {
        return Err(Error::refused("plan.publish.no_departments", &[]));
    }
    signoff::require_all(conn, &heads, signers, "plan.publish.head_missing")?;
    Ok(())
}

/// Starts the countersign of the plan by every department head.
pub fn publish(conn: &mut Connection, actor: &str) -> Result<signoff::Panel> {
    let signers = countersigners(conn)?;
    signoff::start(conn, actor, &DOCUMENT, 1, &signers)
}

/// A published version: the approved round's number, when, and its frozen tasks.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Baseline {
    pub version: i64,
    pub revision: i64,
    pub published_at: String,
    pub fingerprint: String,
    /// Task id → (start, finish) as frozen.
    #[serde(skip)]
    pub spans: HashMap<i64, (Option<NaiveDate>, Option<NaiveDate>)>,
    #[serde(skip)]
    pub names: HashMap<i64, String>,
}

/// The latest published version of the plan, if any.
pub fn baseline(conn: &Connection) -> Result<Option<Baseline>> {
    let row: Option<(i64, String, String, String, i64)> = conn
        .query_row(
            "SELECT revision, closed_at, content, fingerprint,
                    (SELECT count(*) FROM signoff_round
                     WHERE kind = 'plan' AND doc_id = 1 AND status = 'approved')
             FROM signoff_round WHERE kind = 'plan' AND doc_id = 1 AND status = 'approved'
             ORDER BY revision DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((revision, published_at, content, fingerprint, version)) = row else {
        return Ok(None);
    };
    let content: Value = serde_json::from_str(&content).unwrap_or(Value::Null);
    let mut spans = HashMap::new();
    let mut names = HashMap::new();
    for t in content["tasks"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let Some(id) = t["id"].as_i64() else { continue };
        let d = |k: &str| t[k].as_str().and_then(parse_date);
        spans.insert(id, (d("start"), d("finish")));
        names.insert(id, t["name"].as_str().unwrap_or_default().to_string());
    }
    Ok(Some(Baseline {
        version,
        revision,
        published_at,
        fingerprint,
        spans,
        names,
    }))
}

/// How the current plan differs from its baseline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// Tasks whose start or finish moved: (id, label, start slip, finish slip) in working days,
    /// positive when later than the baseline.
    pub moved: Vec<(i64, String, i64, i64)>,
    pub added: Vec<(i64, String)>,
    pub removed: Vec<(i64, String)>,
}

/// Working days from `a` to `b`: positive when `b` is later.
pub fn slip(cal: &Calendar, a: NaiveDate, b: NaiveDate) -> i64 {
    match b.cmp(&a) {
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => cal.working_days(a, b) - i64::from(cal.is_working(a)),
        std::cmp::Ordering::Less => -(cal.working_days(b, a) - i64::from(cal.is_working(b))),
    }
}

pub fn compare(plan: &Plan, base: &Baseline) -> Comparison {
    let mut out = Comparison::default();
    for r in &plan.rows {
        match base.spans.get(&r.id) {
            None => out.added.push((r.id, plan.label(r.id))),
            Some((bs, bf)) => {
                let d = |a: Option<NaiveDate>, b: Option<NaiveDate>| match (a, b) {
                    (Some(a), Some(b)) => slip(&plan.calendar, a, b),
                    _ => 0,
                };
                let (s, f) = (d(*bs, r.start), d(*bf, r.finish));
                if s != 0 || f != 0 || bs.is_some() != r.start.is_some() {
                    out.moved.push((r.id, plan.label(r.id), s, f));
                }
            }
        }
    }
    let mut removed: Vec<(i64, String)> = base
        .names
        .iter()
        .filter(|(id, _)| plan.task(**id).is_none())
        .map(|(id, n)| (*id, n.clone()))
        .collect();
    removed.sort();
    out.removed = removed;
    out
}

/// The plan as a signed document (one per project): every department head countersigns it (会签);
/// approval publishes it, and the plan stays live (its approved round is the baseline).
pub struct Document;

/// The plan's entry in `kinds`.
pub static DOCUMENT: Document = Document;

impl signoff::Document for Document {
    fn kind(&self) -> DocKind {
        DocKind::Plan
    }

    fn rule(&self) -> signoff::Rule {
        signoff::Rule::all("signoff.who.plan", "draft")
    }

    fn content(&self, conn: &Connection, id: i64) -> Result<Value> {
        signoff::only_one(id)?;
        content(conn)
    }

    fn suggested(&self, conn: &Connection, _: i64, _: &Value, _: &[Person]) -> Vec<i64> {
        countersigners(conn).unwrap_or_default()
    }

    fn check_signers(&self, conn: &Connection, _: i64, signers: &[i64]) -> Result<()> {
        check_publishable(conn, signers)
    }
}
