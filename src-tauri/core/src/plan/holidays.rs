//! The official calendars of China's statutory holidays (法定节假日) and make-up working days
//! (调休), as the State Council's yearly notices (国务院办公厅关于XXXX年部分节假日安排的通知) set
//! them. New projects start with them; an existing project adds them with one click; each day
//! stays an ordinary, editable entry of the project's calendar.
//!
//! Years shipped: 2024 (notice of 2023-10-25), 2025 (notice of 2024-11-12) and 2026 (notice of
//! 2025-11-04). 2027 is left out: its notice could not be confirmed.

use super::{parse_date, CalendarDay};
use crate::audit::{self, Change};
use crate::error::Result;
use crate::i18n::{self, Lang};
use rusqlite::{params, Connection};

/// One festival of a year's notice: its days off (first and last, both included, as the notice
/// states them) and the weekend days worked instead (调休上班).
pub struct Festival {
    /// Names the festival in the catalog: `holiday.<code>`.
    pub code: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub workdays: &'static [&'static str],
}

/// A year's notice.
pub struct Notice {
    pub year: i32,
    /// When the State Council's General Office issued it.
    pub issued: &'static str,
    pub festivals: &'static [Festival],
}

const fn f(
    code: &'static str,
    from: &'static str,
    to: &'static str,
    workdays: &'static [&'static str],
) -> Festival {
    Festival {
        code,
        from,
        to,
        workdays,
    }
}

/// The notices shipped, oldest first.
pub const NOTICES: &[Notice] = &[
    Notice {
        year: 2024,
        issued: "2023-10-25",
        festivals: &[
            f("new_year", "2024-01-01", "2024-01-01", &[]),
            f(
                "spring_festival",
                "2024-02-10",
                "2024-02-17",
                &["2024-02-04", "2024-02-18"],
            ),
            f("qingming", "2024-04-04", "2024-04-06", &["2024-04-07"]),
            f(
                "labour_day",
                "2024-05-01",
                "2024-05-05",
                &["2024-04-28", "2024-05-11"],
            ),
            f("dragon_boat", "2024-06-10", "2024-06-10", &[]),
            f("mid_autumn", "2024-09-15", "2024-09-17", &["2024-09-14"]),
            f(
                "national_day",
                "2024-10-01",
                "2024-10-07",
                &["2024-09-29", "2024-10-12"],
            ),
        ],
    },
    Notice {
        year: 2025,
        issued: "2024-11-12",
        festivals: &[
            f("new_year", "2025-01-01", "2025-01-01", &[]),
            f(
                "spring_festival",
                "2025-01-28",
                "2025-02-04",
                &["2025-01-26", "2025-02-08"],
            ),
            f("qingming", "2025-04-04", "2025-04-06", &[]),
            f("labour_day", "2025-05-01", "2025-05-05", &["2025-04-27"]),
            f("dragon_boat", "2025-05-31", "2025-06-02", &[]),
            f(
                "national_day_mid_autumn",
                "2025-10-01",
                "2025-10-08",
                &["2025-09-28", "2025-10-11"],
            ),
        ],
    },
    Notice {
        year: 2026,
        issued: "2025-11-04",
        festivals: &[
            f("new_year", "2026-01-01", "2026-01-03", &["2026-01-04"]),
            f(
                "spring_festival",
                "2026-02-15",
                "2026-02-23",
                &["2026-02-14", "2026-02-28"],
            ),
            f("qingming", "2026-04-04", "2026-04-06", &[]),
            f("labour_day", "2026-05-01", "2026-05-05", &["2026-05-09"]),
            f("dragon_boat", "2026-06-19", "2026-06-21", &[]),
            f("mid_autumn", "2026-09-25", "2026-09-27", &[]),
            f(
                "national_day",
                "2026-10-01",
                "2026-10-07",
                &["2026-09-20", "2026-10-10"],
            ),
        ],
    },
];

/// Every day of the shipped notices as a calendar entry, with its note in `lang` ("春节",
/// "春节调休上班"), in date order.
pub fn official_days(lang: Lang) -> Vec<CalendarDay> {
    let mut out = Vec::new();
    for notice in NOTICES {
        for fest in notice.festivals {
            let name = i18n::text(lang, &format!("holiday.{}", fest.code));
            let (Some(mut day), Some(last)) = (parse_date(fest.from), parse_date(fest.to)) else {
                continue;
            };
            while day <= last {
                out.push(CalendarDay {
                    day: day.to_string(),
                    kind: "holiday".into(),
                    note: name.clone(),
                });
                day = day.succ_opt().expect("a date in range");
            }
            for w in fest.workdays {
                out.push(CalendarDay {
                    day: (*w).to_string(),
                    kind: "workday".into(),
                    note: i18n::format(lang, "holiday.makeup", &[("name", &name)]),
                });
            }
        }
    }
    out.sort_by(|a, b| a.day.cmp(&b.day));
    out
}

/// The years shipped, as "2024–2026".
pub fn years() -> String {
    match (NOTICES.first(), NOTICES.last()) {
        (Some(a), Some(b)) => format!("{}–{}", a.year, b.year),
        _ => String::new(),
    }
}

/// Adds every official day the project's calendar does not hold yet (a day the user already set
/// keeps the user's choice), in one transaction with one audit entry per day; returns how many
/// were added. Refused like any calendar edit while the plan is under signature or signed.
pub fn apply(conn: &mut Connection, actor: &str, lang: Lang) -> Result<usize> {
    crate::doc_state::ensure_editable(conn, crate::DocKind::Plan, 1)?;
    let have: std::collections::HashSet<String> = super::calendar_days(conn)?
        .into_iter()
        .map(|d| d.day)
        .collect();
    let new: Vec<CalendarDay> = official_days(lang)
        .into_iter()
        .filter(|d| !have.contains(&d.day))
        .collect();
    if new.is_empty() {
        return Ok(0);
    }
    let tx = conn.transaction()?;
    for d in &new {
        tx.execute(
            "INSERT INTO calendar_day (day, kind, note) VALUES (?1, ?2, ?3)",
            params![d.day, d.kind, d.note],
        )?;
    }
    let changes: Vec<Change> = new
        .iter()
        .map(|d| Change {
            record: "calendar:1",
            field: &d.day,
            before: None,
            after: Some(&d.kind),
        })
        .collect();
    audit::append(&tx, actor, &changes)?;
    tx.commit()?;
    Ok(new.len())
}

/// Creates a new project file (see [`crate::Project::create`]) whose calendar starts with the
/// official holidays and make-up days, noted in `lang`.
pub fn create_project(
    path: &std::path::Path,
    name: &str,
    actor: &str,
    lang: Lang,
) -> Result<crate::Project> {
    let mut project = crate::Project::create(path, name)?;
    apply(project.conn_mut(), actor, lang)?;
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate, Weekday};

    fn date(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn the_notices_are_consistent_with_the_weekdays_they_name() {
        // Each make-up working day is a weekend day; each festival lies in its own year.
        for n in NOTICES {
            for fest in n.festivals {
                assert!(date(fest.from) <= date(fest.to), "{} {}", n.year, fest.code);
                assert_eq!(date(fest.from).year(), n.year);
                for w in fest.workdays {
                    let wd = date(w).weekday();
                    assert!(matches!(wd, Weekday::Sat | Weekday::Sun), "{w} is a {wd}");
                }
            }
        }
        // The weekdays the notices print beside their dates.
        for (day, wd) in [
            ("2025-01-28", Weekday::Tue), // 农历除夕、周二
            ("2025-02-04", Weekday::Tue),
            ("2025-10-08", Weekday::Wed),
            ("2026-01-01", Weekday::Thu),
            ("2026-02-15", Weekday::Sun), // 农历腊月二十八、周日
            ("2026-02-23", Weekday::Mon),
            ("2026-10-07", Weekday::Wed),
            ("2024-02-18", Weekday::Sun),
            ("2024-10-12", Weekday::Sat),
        ] {
            assert_eq!(date(day).weekday(), wd, "{day}");
        }
        assert_eq!(years(), "2024–2026");
    }

    #[test]
    fn the_official_calendar_counts_the_working_days_of_a_golden_week() {
        let days = official_days(Lang::Zh);
        let of = |kind: &str| -> Vec<NaiveDate> {
            days.iter()
                .filter(|d| d.kind == kind)
                .map(|d| date(&d.day))
                .collect()
        };
        let cal = super::super::Calendar::new(of("holiday"), of("workday"));
        // 2025-09-28 (Sunday) is worked, 10-01..10-08 are off, 10-11 (Saturday) is worked.
        assert_eq!(cal.working_days(date("2025-09-28"), date("2025-10-12")), 6);
        assert!(cal.is_working(date("2025-10-11")));
        assert!(!cal.is_working(date("2025-10-08")));
        // Spring Festival 2026: nine days off, worked Saturdays either side.
        assert_eq!(cal.working_days(date("2026-02-14"), date("2026-02-28")), 6);
        let spring: Vec<_> = days
            .iter()
            .filter(|d| d.day.starts_with("2026-02") && d.kind == "holiday")
            .collect();
        assert_eq!(spring.len(), 9);
        assert_eq!(spring[0].note, "春节");
        let en = official_days(Lang::En);
        assert!(en
            .iter()
            .any(|d| d.kind == "workday" && d.note.contains("Spring Festival")));
    }

    #[test]
    fn a_new_project_starts_with_the_official_calendar() {
        let dir = tempfile::tempdir().unwrap();
        let p = create_project(&dir.path().join("n.liaison"), "新项目", "测试", Lang::Zh).unwrap();
        let days = super::super::calendar_days(p.conn()).unwrap();
        assert_eq!(days, official_days(Lang::Zh));
        let cal = super::super::load_calendar(p.conn()).unwrap();
        assert!(!cal.is_working(date("2026-10-01")));
        assert!(cal.is_working(date("2026-09-20")));
    }

    #[test]
    fn applying_adds_what_is_missing_once_and_keeps_the_users_days() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::storage::migrations::migrate_to(&mut conn, crate::storage::migrations::LATEST)
            .unwrap();
        crate::storage::init(&conn, "x").unwrap();
        // The user already made 2026-10-07 a working day.
        super::super::set_calendar_day(&mut conn, "测试", "2026-10-07", Some("workday"), "值班")
            .unwrap();
        let all = official_days(Lang::Zh).len();
        let added = apply(&mut conn, "测试", Lang::Zh).unwrap();
        assert_eq!(added, all - 1);
        let days = super::super::calendar_days(&conn).unwrap();
        assert_eq!(days.len(), all);
        let kept = days.iter().find(|d| d.day == "2026-10-07").unwrap();
        assert_eq!(
            (kept.kind.as_str(), kept.note.as_str()),
            ("workday", "值班")
        );
        assert_eq!(apply(&mut conn, "测试", Lang::Zh).unwrap(), 0);
        // Each added day is in the calendar's history and stays editable.
        let history = crate::audit::history(&conn, &["calendar:1".to_string()]).unwrap();
        assert_eq!(history.len(), all);
        super::super::set_calendar_day(&mut conn, "测试", "2026-02-15", None, "").unwrap();
        assert_eq!(super::super::calendar_days(&conn).unwrap().len(), all - 1);
    }
}
