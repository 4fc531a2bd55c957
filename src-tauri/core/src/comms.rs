//! The communication plan (沟通计划表): per scenario the channel, the participants, a real recurrence
//! (e.g. every Monday 10:00) and a time limit (weekly sync ≤ 30 min, working meeting ≤ 1 h).

use crate::audit::{self, Change};
use crate::error::{Error, Result};
use crate::i18n::{self, Lang};
use crate::validate::invalid;
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// The scenarios of domain.md, plus `other`; labels from the catalog (`comms.scenario.<code>`).
pub const SCENARIOS: &[&str] = &[
    "progress_sync",
    "working_meeting",
    "problem_workshop",
    "decision_review",
    "other",
];

/// The default time limit of a scenario in minutes (the guides' numbers).
pub fn default_limit(scenario: &str) -> i64 {
    match scenario {
        "progress_sync" => 30,
        _ => 60,
    }
}

/// How often a meeting or report recurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "freq")]
pub enum Recurrence {
    /// Every working day at `time`.
    Daily { time: String },
    /// Every `interval` weeks (1: weekly, 2: biweekly) on `weekday` (1 = Monday … 7 = Sunday).
    Weekly {
        interval: u32,
        weekday: u32,
        time: String,
    },
    /// Every month on `day` (1–28, or 31 meaning the last day).
    Monthly { day: u32, time: String },
    /// When needed (e.g. a problem workshop), no fixed time.
    AsNeeded,
}

impl Default for Recurrence {
    fn default() -> Self {
        Recurrence::Weekly {
            interval: 1,
            weekday: 1,
            time: "10:00".into(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CommItem {
    pub id: i64,
    pub scenario: String,
    pub channel: String,
    /// Person ids.
    pub participants: Vec<i64>,
    pub recurrence: Recurrence,
    /// Minutes.
    pub time_limit: i64,
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

impl Recurrence {
    fn check(&self) -> Result<()> {
        let time = match self {
            Recurrence::Daily { time } | Recurrence::Monthly { time, .. } => time,
            Recurrence::Weekly {
                interval,
                weekday,
                time,
            } => {
                if !(1..=4).contains(interval) || !(1..=7).contains(weekday) {
                    return Err(invalid("field.comms.recurrence", "validation.number"));
                }
                time
            }
            Recurrence::AsNeeded => return Ok(()),
        };
        if let Recurrence::Monthly { day, .. } = self {
            if !(1..=28).contains(day) && *day != 31 {
                return Err(invalid("field.comms.recurrence", "validation.number"));
            }
        }
        parse_time(time)
            .map(|_| ())
            .ok_or_else(|| invalid("field.comms.recurrence", "validation.time"))
    }

    /// The recurrence in words: 每周一 10:00 / every Monday 10:00.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Recurrence::Daily { time } => {
                i18n::format(lang, "comms.every_day", &[("time", time.as_str())])
            }
            Recurrence::Weekly {
                interval,
                weekday,
                time,
            } => {
                let day = i18n::text(lang, &format!("weekday.{weekday}"));
                let key = if *interval == 1 {
                    "comms.every_week"
                } else {
                    "comms.every_n_weeks"
                };
                i18n::format(
                    lang,
                    key,
                    &[
                        ("n", &interval.to_string()),
                        ("weekday", &day),
                        ("time", time),
                    ],
                )
            }
            Recurrence::Monthly { day, time } => {
                let key = if *day == 31 {
                    "comms.every_month_last"
                } else {
                    "comms.every_month"
                };
                i18n::format(lang, key, &[("day", &day.to_string()), ("time", time)])
            }
            Recurrence::AsNeeded => i18n::text(lang, "comms.as_needed"),
        }
    }

    /// The next `n` times from `from` on (inclusive); weekly series count their weeks from the
    /// Monday of `anchor` (the project's start), so a biweekly meeting keeps its rhythm.
    pub fn next(&self, anchor: NaiveDate, from: NaiveDateTime, n: usize) -> Vec<NaiveDateTime> {
        let mut out = Vec::new();
        let time = match self {
            Recurrence::Daily { time }
            | Recurrence::Weekly { time, .. }
            | Recurrence::Monthly { time, .. } => parse_time(time),
            Recurrence::AsNeeded => None,
        };
        let Some(time) = time else {
            return out;
        };
        let anchor_monday = anchor.week(Weekday::Mon).first_day();
        let mut day = from.date();
        // Two years of days is more than any n asked for here.
        for _ in 0..800 {
            if out.len() >= n {
                break;
            }
            let hit = match self {
                Recurrence::Daily { .. } => day.weekday().number_from_monday() <= 5,
                Recurrence::Weekly {
                    interval, weekday, ..
                } => {
                    let weeks = (day.week(Weekday::Mon).first_day() - anchor_monday).num_days() / 7;
                    day.weekday().number_from_monday() == *weekday
                        && weeks.rem_euclid(i64::from(*interval)) == 0
                }
                Recurrence::Monthly { day: d, .. } => {
                    if *d == 31 {
                        day.checked_add_days(Days::new(1))
                            .is_some_and(|next| next.month() != day.month())
                    } else {
                        day.day() == *d
                    }
                }
                Recurrence::AsNeeded => false,
            };
            let at = day.and_time(time);
            if hit && at >= from {
                out.push(at);
            }
            day = match day.checked_add_days(Days::new(1)) {
                Some(d) => d,
                None => break,
            };
        }
        out
    }
}

fn checked(item: &CommItem) -> Result<CommItem> {
    let mut c = item.clone();
    if !SCENARIOS.contains(&c.scenario.as_str()) {
        c.scenario = "other".into();
    }
    c.channel = c.channel.trim().to_string();
    if crate::validate::too_long(&c.channel, 200) || crate::validate::has_control(&c.channel, &[]) {
        return Err(invalid("field.comms.channel", "validation.too_long"));
    }
    if !(0..=1440).contains(&c.time_limit) {
        return Err(invalid("field.comms.time_limit", "validation.number"));
    }
    c.recurrence.check()?;
    let mut seen = Vec::new();
    c.participants.retain(|p| {
        let fresh = !seen.contains(p);
        seen.push(*p);
        fresh
    });
    Ok(c)
}

pub fn list(conn: &Connection) -> Result<Vec<CommItem>> {
    let mut stmt = conn.prepare(
        "SELECT id, scenario, channel, participants, recurrence, time_limit FROM comm_plan
         ORDER BY position, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(CommItem {
            id: r.get(0)?,
            scenario: r.get(1)?,
            channel: r.get(2)?,
            participants: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default(),
            recurrence: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or_default(),
            time_limit: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn shown(c: &CommItem) -> String {
    serde_json::to_string(c).expect("serializes")
}

/// Adds or (with an id) replaces an entry of the plan.
pub fn save(conn: &mut Connection, actor: &str, item: &CommItem) -> Result<CommItem> {
    let mut c = checked(item)?;
    for p in &c.participants {
        crate::people::get(conn, *p)?;
    }
    let participants = serde_json::to_string(&c.participants).expect("serializes");
    let recurrence = serde_json::to_string(&c.recurrence).expect("serializes");
    let before: Option<CommItem> = if c.id > 0 {
        Some(
            list(conn)?
                .into_iter()
                .find(|x| x.id == c.id)
                .ok_or_else(|| Error::refused("comms.no_entry", &[]))?,
        )
    } else {
        None
    };
    if before.as_ref() == Some(&c) {
        return Ok(c);
    }
    let tx = conn.transaction()?;
    if c.id > 0 {
        tx.execute(
            "UPDATE comm_plan SET scenario = ?1, channel = ?2, participants = ?3, recurrence = ?4,
                time_limit = ?5 WHERE id = ?6",
            params![
                c.scenario,
                c.channel,
                participants,
                recurrence,
                c.time_limit,
                c.id
            ],
        )?;
    } else {
        tx.execute(
            "INSERT INTO comm_plan (position, scenario, channel, participants, recurrence, time_limit)
             VALUES ((SELECT coalesce(max(position), 0) + 1 FROM comm_plan), ?1, ?2, ?3, ?4, ?5)",
            params![c.scenario, c.channel, participants, recurrence, c.time_limit],
        )?;
        c.id = tx.last_insert_rowid();
    }
    let before_text = before.as_ref().map(shown);
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &format!("comm_plan:{}", c.id),
            field: if before.is_some() {
                "updated"
            } else {
                "created"
            },
            before: before_text.as_deref(),
            after: Some(&shown(&c)),
        }],
    )?;
    tx.commit()?;
    Ok(c)
}

pub fn remove(conn: &mut Connection, actor: &str, id: i64) -> Result<()> {
    let before = list(conn)?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or_else(|| Error::refused("comms.no_entry", &[]))?;
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM comm_plan WHERE id = ?1", [id])?;
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &format!("comm_plan:{id}"),
            field: "deleted",
            before: Some(&shown(&before)),
            after: None,
        }],
    )?;
    tx.commit()?;
    Ok(())
}

/// Entries whose time limit is over the guides' default for their scenario.
pub fn over_limit(items: &[CommItem]) -> Vec<i64> {
    items
        .iter()
        .filter(|c| {
            c.scenario != "other" && c.time_limit > default_limit(&c.scenario) && c.time_limit > 0
        })
        .map(|c| c.id)
        .collect()
}

/// The project start as the anchor of recurrences (today when the registration has none).
pub fn anchor(conn: &Connection) -> Result<NaiveDate> {
    let start: Option<String> = conn
        .query_row(
            "SELECT start_date FROM registration WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(start
        .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn every_monday_at_ten() {
        let r = Recurrence::default();
        let got = r.next(d("2023-10-01"), at("2023-10-02 10:30"), 3);
        assert_eq!(
            got,
            [
                at("2023-10-09 10:00"),
                at("2023-10-16 10:00"),
                at("2023-10-23 10:00")
            ]
        );
        assert_eq!(r.describe(Lang::Zh), "每周一 10:00");
        assert_eq!(r.describe(Lang::En), "Every Monday at 10:00");
    }

    #[test]
    fn biweekly_keeps_its_rhythm_from_the_project_start() {
        let r = Recurrence::Weekly {
            interval: 2,
            weekday: 3,
            time: "14:00".into(),
        };
        // The project starts in the week of Mon 2023-10-02: meetings on 10-04, 10-18, 11-01.
        let got = r.next(d("2023-10-05"), at("2023-10-10 00:00"), 2);
        assert_eq!(got, [at("2023-10-18 14:00"), at("2023-11-01 14:00")]);
    }

    #[test]
    fn monthly_on_the_last_day_and_bad_times_are_refused() {
        let r = Recurrence::Monthly {
            day: 31,
            time: "17:00".into(),
        };
        let got = r.next(d("2023-01-01"), at("2024-02-01 00:00"), 2);
        assert_eq!(got, [at("2024-02-29 17:00"), at("2024-03-31 17:00")]);
        let bad = CommItem {
            scenario: "progress_sync".into(),
            recurrence: Recurrence::Daily {
                time: "25:00".into(),
            },
            ..Default::default()
        };
        assert_eq!(checked(&bad).unwrap_err().code(), "invalid");
    }

    #[test]
    fn a_weekly_sync_over_thirty_minutes_is_flagged() {
        let items = [
            CommItem {
                id: 1,
                scenario: "progress_sync".into(),
                time_limit: 45,
                ..Default::default()
            },
            CommItem {
                id: 2,
                scenario: "working_meeting".into(),
                time_limit: 60,
                ..Default::default()
            },
        ];
        assert_eq!(over_limit(&items), [1]);
    }
}
