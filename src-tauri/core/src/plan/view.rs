//! The task list and Gantt rows: filter, sort and group a computed plan for display. Runs on the plan
//! in memory, so that filtering 10,000 tasks stays within a frame (see `benches`).

use super::{schedule::Violation, Baseline, Plan};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// What the user asked to see.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Query {
    pub department: Option<i64>,
    pub owner: Option<i64>,
    pub status: Option<String>,
    pub overdue: bool,
    /// Matches the name or the outline number.
    pub text: String,
    /// `outline` (default), `start`, `finish`, `department`, `owner`, `status`, `percent`, `name`.
    pub sort: String,
    pub desc: bool,
    /// Group by lead department.
    pub group: bool,
}

/// One line of the list or the chart.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewRow {
    /// `task` or `group`.
    pub kind: &'static str,
    pub id: i64,
    pub outline: String,
    pub name: String,
    pub depth: usize,
    pub lead: String,
    pub lead_id: Option<i64>,
    pub owner: String,
    pub owner_id: Option<i64>,
    pub start: Option<NaiveDate>,
    /// The last day of work.
    pub finish: Option<NaiveDate>,
    /// The deadline including the buffer (only when there is one).
    pub buffer_finish: Option<NaiveDate>,
    pub duration: i64,
    pub buffer: i64,
    /// Working days of buffer to suggest (10–15 %) when the task has none.
    pub suggested_buffer: Option<i64>,
    pub milestone: bool,
    pub summary: bool,
    pub percent: i64,
    pub status: String,
    pub overdue: bool,
    pub violated: bool,
    pub baseline_start: Option<NaiveDate>,
    pub baseline_finish: Option<NaiveDate>,
    /// Working days the deadline moved since the baseline (positive: later).
    pub finish_slip: i64,
    /// Group rows: the label and how many tasks it holds.
    pub label: String,
    pub count: usize,
}

/// Names of departments and people by id, for display.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub departments: Vec<(i64, String)>,
    pub people: HashMap<i64, String>,
}

/// The rows to show for `q` on `today`, and the ids of the tasks whose dependencies are broken.
pub fn rows(
    plan: &Plan,
    names: &Names,
    baseline: Option<&Baseline>,
    violations: &[Violation],
    q: &Query,
    today: NaiveDate,
) -> Vec<ViewRow> {
    let dept: HashMap<i64, &str> = names
        .departments
        .iter()
        .map(|(i, n)| (*i, n.as_str()))
        .collect();
    let violated: HashSet<i64> = violations.iter().map(|v| v.link.successor).collect();
    let text = q.text.trim().to_lowercase();
    let mut out: Vec<ViewRow> = Vec::new();
    for (t, r) in plan.tasks.iter().zip(&plan.rows) {
        let overdue = !r.summary && t.status != "done" && r.finish.is_some_and(|f| f < today);
        if q.department.is_some()
            && t.lead_department != q.department
            && !q
                .department
                .is_some_and(|d| t.collab_departments.contains(&d))
        {
            continue;
        }
        if q.owner.is_some()
            && t.owner_id != q.owner
            && !q.owner.is_some_and(|o| t.collaborators.contains(&o))
        {
            continue;
        }
        if q.status
            .as_deref()
            .is_some_and(|s| !s.is_empty() && s != t.status)
        {
            continue;
        }
        if q.overdue && !overdue {
            continue;
        }
        if !text.is_empty()
            && !t.name.to_lowercase().contains(&text)
            && !r.outline.starts_with(&text)
        {
            continue;
        }
        let base = baseline.and_then(|b| b.spans.get(&t.id));
        let finish_slip = match (base.and_then(|b| b.1), r.finish) {
            (Some(b), Some(f)) => super::slip(&plan.calendar, b, f),
            _ => 0,
        };
        let suggested_buffer = (!r.summary && !t.milestone && t.buffer == 0)
            .then(|| super::schedule::suggested_buffer(t.duration).map(|(low, _)| low))
            .flatten();
        out.push(ViewRow {
            kind: "task",
            id: t.id,
            outline: r.outline.clone(),
            name: t.name.clone(),
            depth: r.depth,
            lead: t
                .lead_department
                .and_then(|d| dept.get(&d).map(|s| s.to_string()))
                .unwrap_or_default(),
            lead_id: t.lead_department,
            owner: t
                .owner_id
                .and_then(|p| names.people.get(&p).cloned())
                .unwrap_or_default(),
            owner_id: t.owner_id,
            start: r.start,
            finish: r.work_finish,
            buffer_finish: (r.finish != r.work_finish).then_some(r.finish).flatten(),
            duration: if r.summary {
                match (r.start, r.finish) {
                    (Some(s), Some(f)) => plan.calendar.working_days(s, f),
                    _ => 0,
                }
            } else {
                t.duration
            },
            buffer: t.buffer,
            suggested_buffer,
            milestone: t.milestone,
            summary: r.summary,
            percent: r.percent,
            status: t.status.clone(),
            overdue,
            violated: violated.contains(&t.id),
            baseline_start: base.and_then(|b| b.0),
            baseline_finish: base.and_then(|b| b.1),
            finish_slip,
            ..Default::default()
        });
    }
    sort(&mut out, q, &names.departments);
    if q.group {
        out = group(out, &names.departments);
    }
    out
}

fn sort(rows: &mut [ViewRow], q: &Query, departments: &[(i64, String)]) {
    let dept_order: HashMap<i64, usize> = departments
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    let status_order = |s: &str| super::STATUSES.iter().position(|x| *x == s).unwrap_or(99);
    // Stable sorts on the outline order the rows come in, so ties stay in plan order.
    match q.sort.as_str() {
        "start" => rows.sort_by_key(|r| (r.start.is_none(), r.start)),
        "finish" => rows.sort_by_key(|r| (r.finish.is_none(), r.buffer_finish.or(r.finish))),
        "department" => rows.sort_by_key(|r| {
            r.lead_id
                .and_then(|d| dept_order.get(&d).copied())
                .unwrap_or(usize::MAX)
        }),
        "owner" => {
            rows.sort_by(|a, b| (a.owner.is_empty(), &a.owner).cmp(&(b.owner.is_empty(), &b.owner)))
        }
        "status" => rows.sort_by_key(|r| status_order(&r.status)),
        "percent" => rows.sort_by_key(|r| r.percent),
        "name" => rows.sort_by(|a, b| a.name.cmp(&b.name)),
        _ => {}
    }
    if q.desc {
        rows.reverse();
    }
}

/// Groups rows by lead department, in the departments' order; tasks without one come last.
fn group(rows: Vec<ViewRow>, departments: &[(i64, String)]) -> Vec<ViewRow> {
    let mut buckets: HashMap<Option<i64>, Vec<ViewRow>> = HashMap::new();
    for r in rows {
        buckets.entry(r.lead_id).or_default().push(r);
    }
    let mut out = Vec::new();
    let order = departments
        .iter()
        .map(|(id, name)| (Some(*id), name.clone()))
        .chain(std::iter::once((None, String::new())));
    for (id, label) in order {
        if let Some(list) = buckets.remove(&id) {
            out.push(ViewRow {
                kind: "group",
                id: -id.unwrap_or(0) - 1,
                label,
                count: list.len(),
                lead_id: id,
                ..Default::default()
            });
            out.extend(list);
        }
    }
    out
}

/// A dependency as the screen shows it: ends by id and label, and whether the dates break it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkView {
    pub id: i64,
    pub from: i64,
    pub to: i64,
    pub from_label: String,
    pub to_label: String,
    pub kind: super::schedule::LinkKind,
    pub lag: i64,
    pub violated: bool,
    /// When broken: the earliest start (finish for FF) the successor may have.
    pub earliest: Option<NaiveDate>,
}

/// Everything the Plan screen draws.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanView {
    pub rows: Vec<ViewRow>,
    pub total: usize,
    pub links: Vec<LinkView>,
    pub calendar: Vec<super::CalendarDay>,
    /// The years of the official holiday calendars shipped ("2024–2026").
    pub official_years: String,
    pub departments: Vec<(i64, String)>,
    pub people: Vec<crate::people::Person>,
    pub state: crate::signoff::State,
    /// The project is archived: the plan is shown, never revised.
    pub closed: bool,
    pub baseline: Option<Baseline>,
    pub comparison: Option<super::Comparison>,
    /// Tasks without an owner, blocked or needing support without a reason, and the like.
    pub findings: Vec<crate::org::Finding>,
}

/// Everything of the Plan screen that does not depend on the query, read and computed once per
/// change of the file: the Plan screen filters and sorts this in memory.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The connection's change count when this was read (see `Cache`).
    changes: u64,
    plan: Plan,
    names: Names,
    violations: Vec<Violation>,
    base: PlanView,
}

/// Reads the plan and everything around it.
pub fn prepare(conn: &rusqlite::Connection) -> crate::Result<Prepared> {
    let plan = super::load(conn)?;
    let people = crate::people::list(conn)?;
    let names = Names {
        departments: crate::org::list(conn)?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect(),
        people: people.iter().map(|p| (p.id, p.name.clone())).collect(),
    };
    let baseline = super::baseline(conn)?;
    let violations = plan.violations();
    let broken: HashMap<i64, NaiveDate> =
        violations.iter().map(|v| (v.link.id, v.earliest)).collect();
    let links = plan
        .links
        .iter()
        .map(|l| LinkView {
            id: l.id,
            from: l.predecessor,
            to: l.successor,
            from_label: plan.label(l.predecessor),
            to_label: plan.label(l.successor),
            kind: l.kind,
            lag: l.lag,
            violated: broken.contains_key(&l.id),
            earliest: broken.get(&l.id).copied(),
        })
        .collect();
    let mut findings = Vec::new();
    for (t, r) in plan.tasks.iter().zip(&plan.rows) {
        let say = |key: &str| crate::org::Finding {
            key: key.into(),
            params: vec![("task".into(), plan.label(t.id))],
            department: None,
            task: Some(t.id),
        };
        if r.summary {
            continue;
        }
        if t.owner_id.is_none() {
            findings.push(say("plan.check.no_owner"));
        }
        if t.lead_department.is_none() {
            findings.push(say("org.check.no_lead"));
        }
        if (t.status == "blocked" || t.status == "needs_support")
            && (t.status_reason.trim().is_empty() || t.status_suggestion.trim().is_empty())
        {
            findings.push(say("plan.check.no_reason"));
        }
        if !t.milestone && t.delivery_standard.trim().is_empty() {
            findings.push(say("plan.check.no_standard"));
        }
    }
    let base = PlanView {
        rows: Vec::new(),
        total: plan.tasks.len(),
        comparison: baseline.as_ref().map(|b| super::compare(&plan, b)),
        links,
        calendar: super::calendar_days(conn)?,
        official_years: super::holidays::years(),
        departments: names.departments.clone(),
        people,
        state: crate::doc_state::state(conn, crate::DocKind::Plan, 1)?,
        closed: crate::storage::closed_at(conn)?.is_some(),
        baseline,
        findings,
    };
    Ok(Prepared {
        changes: conn.total_changes(),
        plan,
        names,
        violations,
        base,
    })
}

impl Prepared {
    /// The screen for `q` on `today`.
    pub fn view(&self, q: &Query, today: NaiveDate) -> PlanView {
        PlanView {
            rows: rows(
                &self.plan,
                &self.names,
                self.base.baseline.as_ref(),
                &self.violations,
                q,
                today,
            ),
            ..self.base.clone()
        }
    }
}

/// Reads the plan and builds the screen for `q` on `today`.
pub fn build(conn: &rusqlite::Connection, q: &Query, today: NaiveDate) -> crate::Result<PlanView> {
    Ok(prepare(conn)?.view(q, today))
}

/// The prepared plan of one open project, read again only when the connection has written since
/// (every edit goes through the one connection, whose change count only grows).
#[derive(Debug, Default)]
pub struct Cache(Option<Prepared>);

impl Cache {
    pub fn view(
        &mut self,
        conn: &rusqlite::Connection,
        q: &Query,
        today: NaiveDate,
    ) -> crate::Result<PlanView> {
        let fresh = self
            .0
            .as_ref()
            .is_some_and(|p| p.changes == conn.total_changes());
        if !fresh {
            self.0 = Some(prepare(conn)?);
        }
        Ok(self.0.as_ref().expect("prepared").view(q, today))
    }

    /// Forgets the prepared plan (another project was opened).
    pub fn clear(&mut self) {
        self.0 = None;
    }
}
