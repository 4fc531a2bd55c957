//! Early warnings (预警): a pure function of the project, a moment and the working-day calendar.
//! Every number is a per-project setting with domain.md's defaults.

use crate::control::{self, Issue};
use crate::error::Result;
use crate::i18n::{self, Lang};
use crate::plan::{self, Plan};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The rules' numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// A task due within this many hours and not done.
    pub due_soon_hours: i64,
    /// Elapsed share of the working days minus percent done, in points, above which a task deviates.
    pub deviation_points: f64,
    /// A predecessor that must finish within this many days (its successor waits).
    pub predecessor_days: i64,
    /// A task behind schedule this many working days before its deadline must report the delay.
    pub delay_report_working_days: i64,
    /// A cross-department issue needs a meeting within this many hours…
    pub issue_meeting_hours: i64,
    /// …and a solution within this many, else escalation.
    pub issue_solution_hours: i64,
    /// Minutes not confirmed this many working days after they were sent.
    pub minutes_confirm_working_days: i64,
    /// Show one summary notification when the project opens.
    pub notify_on_open: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            due_soon_hours: 48,
            deviation_points: 20.0,
            predecessor_days: 3,
            delay_report_working_days: 2,
            issue_meeting_hours: 24,
            issue_solution_hours: 48,
            minutes_confirm_working_days: 1,
            notify_on_open: true,
        }
    }
}

const SETTINGS_KEY: &str = "warning_settings";

pub fn settings(conn: &Connection) -> Result<Settings> {
    let raw: Option<String> = conn
        .query_row(
            "SELECT value FROM project_meta WHERE key = ?1",
            [SETTINGS_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(raw
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

pub fn save_settings(conn: &mut Connection, actor: &str, s: &Settings) -> Result<Settings> {
    let bad = |field: &str| crate::Error::Invalid {
        field: field.into(),
        detail: "validation.number".into(),
    };
    let hours = 0..=24 * 365;
    if !hours.contains(&s.due_soon_hours)
        || !hours.contains(&s.issue_meeting_hours)
        || !hours.contains(&s.issue_solution_hours)
    {
        return Err(bad("warning.settings.hours"));
    }
    if !(0.0..=100.0).contains(&s.deviation_points)
        || !(0..=365).contains(&s.predecessor_days)
        || !(0..=365).contains(&s.delay_report_working_days)
    {
        return Err(bad("warning.settings.days"));
    }
    let before = settings(conn)?;
    let json = serde_json::to_string(s).expect("serializes");
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO project_meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [SETTINGS_KEY, &json],
    )?;
    crate::audit::append(
        &tx,
        actor,
        &[crate::audit::Change {
            record: "settings:warnings",
            field: "values",
            before: Some(&serde_json::to_string(&before).expect("serializes")),
            after: Some(&json),
        }],
    )?;
    tx.commit()?;
    Ok(s.clone())
}

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Both {
    #[serde(rename = "zh-CN")]
    pub zh: String,
    pub en: String,
}

impl Both {
    fn of(key: &str, params: &[(&str, &str)]) -> Both {
        Both {
            zh: i18n::format(Lang::Zh, key, params),
            en: i18n::format(Lang::En, key, params),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// One warning: which rule, about what, how serious, what it says and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    pub rule: &'static str,
    /// `critical`, `warning` or `info`.
    pub severity: &'static str,
    /// The record it is about, e.g. `task:12` (the UI links to it).
    pub object: String,
    pub label: String,
    pub message: Both,
    pub action: Both,
}

/// Everything the rules read.
pub struct Snapshot {
    pub plan: Plan,
    pub owners: HashMap<i64, String>,
    pub issues: Vec<Issue>,
    /// Change requests waiting for signatures: (id, title, signatures missing).
    pub waiting_changes: Vec<(i64, String, i64)>,
    pub high_risks: Vec<(i64, String)>,
    /// Meetings with the state of their minutes' round (open or not).
    pub meetings: Vec<(crate::meetings::Meeting, bool)>,
    pub actions: Vec<crate::meetings::ActionItem>,
    /// Who has not sent the weekly report, by week (Monday) — computed for the week asked.
    pub missing_reports: Vec<(NaiveDate, Vec<i64>)>,
}

pub fn snapshot(conn: &Connection) -> Result<Snapshot> {
    let plan = plan::load(conn)?;
    let owners = crate::people::list(conn)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let (mut issues, mut waiting_changes, mut high_risks) = (Vec::new(), Vec::new(), Vec::new());
    if control::has_control(conn)? {
        issues = control::issues(conn)?;
        high_risks = control::risks(conn)?
            .into_iter()
            .filter(|r| r.status == "open" && r.for_decision())
            .map(|r| (r.id, r.description))
            .collect();
        let mut stmt = conn.prepare(
            "SELECT c.id, c.title,
                    (SELECT count(*) FROM signoff_signer s
                     WHERE s.round_id = r.id
                       AND NOT EXISTS (SELECT 1 FROM signature g
                                       WHERE g.round_id = r.id AND g.person_id = s.person_id))
             FROM change_request c
             JOIN signoff_round r ON r.kind = 'change_request' AND r.doc_id = c.id AND r.status = 'open'
             ORDER BY c.id",
        )?;
        waiting_changes = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
    }
    let (mut meetings, mut actions) = (Vec::new(), Vec::new());
    if has_meetings(conn)? {
        for m in crate::meetings::meetings(conn)? {
            let open = crate::doc_state::state(conn, crate::DocKind::Minutes, m.id)?
                == crate::signoff::State::InSignoff;
            meetings.push((m, open));
        }
        actions = crate::meetings::actions(conn)?;
    }
    Ok(Snapshot {
        plan,
        owners,
        issues,
        waiting_changes,
        high_risks,
        meetings,
        actions,
        missing_reports: Vec::new(),
    })
}

fn has_meetings(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meeting'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .is_some())
}

/// The warnings of the project at `now`.
pub fn for_project(conn: &Connection, now: NaiveDateTime) -> Result<Vec<Warning>> {
    // A closed project is read-only: nothing it could warn about can be cleared any more.
    if crate::storage::closed_at(conn)?.is_some() {
        return Ok(Vec::new());
    }
    let mut snap = snapshot(conn)?;
    // Work withdrawn or carried over at closing is no longer this project's to clear.
    let settled = crate::closing::settled(conn)?;
    let is = |kind: &str, id: i64| settled.contains(&(kind.to_string(), id));
    snap.actions.retain(|a| !is("action", a.id));
    snap.issues.retain(|i| !is("issue", i.id));
    snap.high_risks.retain(|(id, _)| !is("risk", *id));
    snap.waiting_changes.retain(|(id, _, _)| !is("change", *id));
    if has_meetings(conn)? && now.date().weekday().number_from_monday() >= 5 {
        let week = crate::reports::week_of(now.date());
        snap.missing_reports = vec![(week, crate::reports::missing_reports(conn, now.date())?)];
    }
    Ok(evaluate(&snap, now, &settings(conn)?))
}

/// The moment a task's deadline passes: the end of its last day (buffer included).
pub use crate::clock::deadline;

/// Elapsed working days before `today` as a share (0–100) of the task's working days.
pub fn elapsed_share(plan: &Plan, start: NaiveDate, finish: NaiveDate, today: NaiveDate) -> f64 {
    let total = plan.calendar.working_days(start, finish);
    if total == 0 || today <= start {
        return 0.0;
    }
    let until = (today - Duration::days(1)).min(finish);
    plan.calendar.working_days(start, until) as f64 * 100.0 / total as f64
}

/// Runs every rule. Pure: the same snapshot, moment and settings give the same warnings.
pub fn evaluate(snap: &Snapshot, now: NaiveDateTime, s: &Settings) -> Vec<Warning> {
    let plan = &snap.plan;
    let today = now.date();
    let mut out = Vec::new();
    let mut warn = |rule: &'static str,
                    severity: &'static str,
                    object: String,
                    label: String,
                    params: &[(&str, &str)]| {
        out.push(Warning {
            rule,
            severity,
            object,
            label,
            message: Both::of(&format!("warning.{rule}"), params),
            action: Both::of(&format!("warning.{rule}.action"), params),
        })
    };
    let leaves = plan
        .tasks
        .iter()
        .zip(&plan.rows)
        .filter(|(t, r)| !r.summary && t.status != "done");
    for (t, r) in leaves {
        let (Some(start), Some(finish)) = (r.start, r.finish) else {
            continue;
        };
        let label = plan.label(t.id);
        let object = format!("task:{}", t.id);
        let due = deadline(finish);
        let owner = t
            .owner_id
            .and_then(|o| snap.owners.get(&o).cloned())
            .unwrap_or_default();
        let day = finish.to_string();
        let overdue = now >= due;
        if overdue {
            let late = plan
                .calendar
                .working_days(finish + Duration::days(1), today);
            warn(
                "task_overdue",
                "critical",
                object.clone(),
                label.clone(),
                &[
                    ("task", &label),
                    ("finish", &day),
                    ("days", &late.to_string()),
                    ("owner", &owner),
                ],
            );
        } else if due - now <= Duration::hours(s.due_soon_hours) {
            warn(
                "task_due_soon",
                "warning",
                object.clone(),
                label.clone(),
                &[("task", &label), ("finish", &day), ("owner", &owner)],
            );
        }
        let share = elapsed_share(plan, start, finish, today);
        let behind = share - t.percent_done as f64;
        // An overdue task is already critical; a milestone has no span to be behind on.
        if !overdue && !t.milestone && behind > s.deviation_points {
            warn(
                "schedule_deviation",
                "warning",
                object.clone(),
                label.clone(),
                &[
                    ("task", &label),
                    ("elapsed", &format!("{share:.0}")),
                    ("percent", &t.percent_done.to_string()),
                ],
            );
        }
        let left = plan.calendar.working_days(today, finish);
        if !t.milestone
            && behind > 0.0
            && left > 0
            && left <= s.delay_report_working_days
            && !overdue
        {
            warn(
                "delay_report",
                "warning",
                object.clone(),
                label.clone(),
                &[
                    ("task", &label),
                    ("finish", &day),
                    ("days", &left.to_string()),
                ],
            );
        }
    }
    for l in &plan.links {
        let (Some(pt), Some(pr)) = (plan.task(l.predecessor), plan.row(l.predecessor)) else {
            continue;
        };
        let Some(finish) = pr.finish else { continue };
        if pr.summary || pt.status == "done" {
            continue;
        }
        let due = deadline(finish);
        if now < due && due - now <= Duration::days(s.predecessor_days) {
            let owner = pt
                .owner_id
                .and_then(|o| snap.owners.get(&o).cloned())
                .unwrap_or_default();
            let (pl, sl) = (plan.label(l.predecessor), plan.label(l.successor));
            warn(
                "predecessor_due",
                "info",
                format!("task:{}", l.predecessor),
                pl.clone(),
                &[
                    ("task", &pl),
                    ("successor", &sl),
                    ("finish", &finish.to_string()),
                    ("owner", &owner),
                ],
            );
        }
    }
    for i in snap.issues.iter().filter(|i| i.open()) {
        let clock = i.clock(now, s.issue_meeting_hours, s.issue_solution_hours);
        let label = i.description.chars().take(40).collect::<String>();
        let object = format!("issue:{}", i.id);
        let level = i.ladder.to_string();
        if clock.solution_late {
            let rule = if i.ladder < 3 {
                "issue_unresolved"
            } else {
                "issue_unresolved_top"
            };
            warn(
                rule,
                "critical",
                object,
                label.clone(),
                &[("issue", &label), ("level", &level)],
            );
        } else if clock.meeting_late {
            warn(
                "issue_no_meeting",
                "warning",
                object,
                label.clone(),
                &[("issue", &label), ("level", &level)],
            );
        }
    }
    for (id, title, missing) in &snap.waiting_changes {
        warn(
            "change_waiting",
            "info",
            format!("change_request:{id}"),
            title.clone(),
            &[("title", title), ("missing", &missing.to_string())],
        );
    }
    for (m, open) in &snap.meetings {
        let label = m.title.clone();
        let object = format!("minutes:{}", m.id);
        let start = crate::clock::parse_time(&m.starts_at);
        // The notice: at least one working day ahead.
        if let Some(start) = start {
            let late = match m
                .notice_sent_at
                .as_deref()
                .and_then(crate::clock::parse_time)
            {
                Some(sent) => sent < start && crate::meetings::notice_late(&plan.calendar, m, sent),
                None => now < start && crate::meetings::notice_late(&plan.calendar, m, now),
            };
            if late && now < start {
                warn(
                    "notice_late",
                    "warning",
                    object.clone(),
                    label.clone(),
                    &[
                        ("meeting", &label),
                        ("at", &m.starts_at.replace('T', " ")[..16]),
                    ],
                );
            }
        }
        if let (true, Some(sent)) = (
            *open,
            m.minutes_sent_at
                .as_deref()
                .and_then(crate::clock::parse_time),
        ) {
            let due = plan
                .calendar
                .add_working_days(sent.date(), s.minutes_confirm_working_days)
                .and_time(sent.time());
            if now >= due {
                warn(
                    "minutes_unconfirmed",
                    "warning",
                    object.clone(),
                    label.clone(),
                    &[("meeting", &label)],
                );
            }
        }
    }
    for a in snap.actions.iter().filter(|a| a.status != "done") {
        let Some(due) = a.due.as_deref().and_then(crate::clock::parse_date) else {
            continue;
        };
        let end = deadline(due);
        let label = a.description.chars().take(40).collect::<String>();
        let owner = a
            .person_id
            .and_then(|o| snap.owners.get(&o).cloned())
            .unwrap_or_default();
        let params = [
            ("item", label.as_str()),
            ("due", &due.to_string()),
            ("owner", &owner),
        ];
        if now >= end {
            warn(
                "action_overdue",
                "critical",
                format!("action:{}", a.id),
                label.clone(),
                &params,
            );
        } else if end - now <= Duration::hours(s.due_soon_hours) {
            warn(
                "action_due_soon",
                "warning",
                format!("action:{}", a.id),
                label.clone(),
                &params,
            );
        }
    }
    for (week, people) in &snap.missing_reports {
        for p in people {
            let name = snap.owners.get(p).cloned().unwrap_or_default();
            warn(
                "report_missing",
                "info",
                format!("person:{p}"),
                name.clone(),
                &[("person", &name), ("week", &week.to_string())],
            );
        }
    }
    for (id, description) in &snap.high_risks {
        let label = description.chars().take(40).collect::<String>();
        warn(
            "risk_high",
            "warning",
            format!("risk:{id}"),
            label.clone(),
            &[("risk", &label)],
        );
    }
    let rank = |w: &Warning| match w.severity {
        "critical" => 0,
        "warning" => 1,
        _ => 2,
    };
    out.sort_by_key(rank);
    out
}

#[cfg(test)]
mod tests;
