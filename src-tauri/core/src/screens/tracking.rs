//! The Tracking stage's screen: dashboard, risks, issues with their clocks, change requests and
//! the warning settings, with the choices the change request editor offers.

use crate::changes;
use crate::control::{self, Clock, Issue, Risk};
use crate::dashboard::{self, Dashboard};
use crate::people::Person;
use crate::warnings::{self, Settings};
use crate::Result;
use chrono::NaiveDateTime;
use rusqlite::Connection;
use serde::Serialize;

/// An issue with its clocks at the moment the screen was built.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssueView {
    #[serde(flatten)]
    pub issue: Issue,
    pub clock: Clock,
}

/// Everything the Tracking stage draws.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingView {
    pub dashboard: Dashboard,
    pub risks: Vec<Risk>,
    pub issues: Vec<IssueView>,
    pub changes: Vec<changes::View>,
    pub settings: Settings,
    pub people: Vec<Person>,
    pub departments: Vec<(i64, String)>,
    /// Tasks as `(id, "1.2 name", summary)`, for the change request editor.
    pub tasks: Vec<(i64, String, bool)>,
    pub published: bool,
}

/// The Tracking stage at `now`.
pub fn view(c: &Connection, now: NaiveDateTime) -> Result<TrackingView> {
    let settings = warnings::settings(c)?;
    let plan = crate::plan::load(c)?;
    Ok(TrackingView {
        dashboard: dashboard::build(c, now)?,
        risks: control::risks(c)?,
        issues: control::issues(c)?
            .into_iter()
            .map(|i| IssueView {
                clock: i.clock(
                    now,
                    settings.issue_meeting_hours,
                    settings.issue_solution_hours,
                ),
                issue: i,
            })
            .collect(),
        changes: changes::views(c)?,
        people: crate::people::list(c)?,
        departments: super::department_names(c)?,
        tasks: plan
            .rows
            .iter()
            .map(|r| (r.id, plan.label(r.id), r.summary))
            .collect(),
        published: crate::plan::baseline(c)?.is_some(),
        settings,
    })
}

/// The warnings at `now` for the notification shown when a project opens, with the project's
/// name; nothing when the project switched that notification off.
pub fn warnings_on_open(
    c: &Connection,
    now: NaiveDateTime,
) -> Result<(Vec<warnings::Warning>, String)> {
    if !warnings::settings(c)?.notify_on_open {
        return Ok((Vec::new(), String::new()));
    }
    Ok((
        warnings::for_project(c, now)?,
        crate::registration::name(c)?,
    ))
}

/// The notification's text for `list`: how many warnings of each severity.
pub fn warnings_summary(list: &[warnings::Warning], lang: crate::Lang) -> String {
    let n = |sev: &str| {
        list.iter()
            .filter(|w| w.severity == sev)
            .count()
            .to_string()
    };
    crate::i18n::format(
        lang,
        "warnings.summary",
        &[
            ("critical", &n("critical")),
            ("warning", &n("warning")),
            ("info", &n("info")),
        ],
    )
}
