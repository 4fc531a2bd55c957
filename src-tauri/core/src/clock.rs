//! The clock and the stored forms of dates and times: the bottom of the core (nothing of the
//! domain below it).
//!
//! `now()` is the local wall clock, or a moment the demo fixed on this thread (`at_time`). What is
//! stored, and stays as it is in existing files (audit entries and signed content are hashed):
//! - local date and time without offset, `2023-10-09T10:00:00` (`stamp`, `TIME_FORMAT`): the
//!   records' own times (meetings, risks, issues, follow-ups, exports, closing);
//! - RFC 3339 with the local offset and milliseconds, `2023-10-09T10:00:00.123+08:00`
//!   (`now_rfc3339(false)`): the audit log, the registration's and the project's creation times;
//! - RFC 3339 in seconds, `2023-10-09T10:00:00+08:00` (`now_rfc3339(true)`): sign-off rounds and
//!   signatures;
//! - RFC 3339 as chrono writes it by default (`opened_at`, the open stamp);
//! - dates as `YYYY-MM-DD` (`parse_date`), years 2000–2100 (`validate::YEARS`).
//!
//! `parse_time` reads the local forms (and minutes or a date alone); `parse_date` the stored date;
//! `parse_written_date` the ways people write a date in a sheet.

use chrono::{Duration, NaiveDate, NaiveDateTime};

/// Local date and time as stored: `2023-10-09T10:00:00`.
pub const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

thread_local! {
    /// A moment `now()` is fixed at on this thread (demo data dated in its own past).
    static FIXED_NOW: std::cell::Cell<Option<NaiveDateTime>> = const { std::cell::Cell::new(None) };
}

/// The local time: the wall clock, or the moment `at_time` fixed on this thread.
pub fn now() -> NaiveDateTime {
    FIXED_NOW
        .with(|f| f.get())
        .unwrap_or_else(|| chrono::Local::now().naive_local())
}

/// `now()` as RFC 3339 with the local offset, to `seconds` or milliseconds.
pub fn now_rfc3339(seconds: bool) -> String {
    use chrono::TimeZone;
    let format = if seconds {
        chrono::SecondsFormat::Secs
    } else {
        chrono::SecondsFormat::Millis
    };
    match FIXED_NOW.with(|f| f.get()) {
        Some(t) => chrono::Local
            .from_local_datetime(&t)
            .earliest()
            .map(|d| d.to_rfc3339_opts(format, false))
            .unwrap_or_else(|| t.format(TIME_FORMAT).to_string()),
        None => chrono::Local::now().to_rfc3339_opts(format, false),
    }
}

/// Runs `f` with `now()` (and the times sign-offs and the audit log record) fixed at `at` on this
/// thread: the demo's closed projects are accepted and archived on dates of their own timeline.
pub fn at_time<T>(at: NaiveDateTime, f: impl FnOnce() -> T) -> T {
    let before = FIXED_NOW.with(|c| c.replace(Some(at)));
    let out = f();
    FIXED_NOW.with(|c| c.set(before));
    out
}

/// A moment in the stored local form (`TIME_FORMAT`).
pub fn stamp(t: NaiveDateTime) -> String {
    t.format(TIME_FORMAT).to_string()
}

/// Reads a stored time; also accepts minutes only (`2023-10-09T10:00`) or a date.
pub fn parse_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, TIME_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .ok()
        .filter(|t| crate::validate::plausible(t.date()))
        .or_else(|| parse_date(s).and_then(|d| d.and_hms_opt(0, 0, 0)))
}

/// A `YYYY-MM-DD` date with a plausible year (`validate::YEARS`), or `None`: the stored form, and
/// what every form and JSON import must give.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| crate::validate::plausible(*d))
}

/// A date as people write it in a sheet: 2023-10-09, 2023/10/9, 2023.10.09, 2023年10月9日 (a
/// four-digit, plausible year), or `None`.
pub fn parse_written_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let cleaned: String = s
        .replace(['年', '月', '/', '.'], "-")
        .trim_end_matches('日')
        .to_string();
    let cleaned = cleaned
        .get(..10.min(cleaned.len()))
        .unwrap_or(&cleaned)
        .trim_end_matches('-')
        .to_string();
    let parts: Vec<&str> = cleaned.split('-').collect();
    let [y, m, d] = parts[..] else {
        return None;
    };
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        .filter(|d| y.len() == 4 && crate::validate::plausible(*d))
}

/// The moment a deadline on `day` passes: the end of that day.
pub fn deadline(day: NaiveDate) -> NaiveDateTime {
    (day + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_stored_date_form_and_the_written_ones() {
        let d = NaiveDate::from_ymd_opt(2023, 10, 9).unwrap();
        assert_eq!(parse_date(" 2023-10-09 "), Some(d));
        assert_eq!(parse_date("2023/10/9"), None, "the stored form only");
        assert_eq!(parse_date("1999-12-31"), None, "years 2000-2100");
        for s in ["2023-10-09", "2023/10/9", "2023.10.09", "2023年10月9日"] {
            assert_eq!(parse_written_date(s), Some(d), "{s}");
        }
        assert_eq!(parse_written_date("23/10/9"), None);
        assert_eq!(parse_written_date("2023-02-30"), None);
        assert_eq!(parse_time("2023-10-09"), d.and_hms_opt(0, 0, 0));
        assert_eq!(parse_time("2023-10-09T10:00"), d.and_hms_opt(10, 0, 0));
        assert_eq!(
            stamp(d.and_hms_opt(10, 0, 0).unwrap()),
            "2023-10-09T10:00:00"
        );
        assert_eq!(
            deadline(d),
            d.succ_opt().unwrap().and_hms_opt(0, 0, 0).unwrap()
        );
    }

    #[test]
    fn the_demo_clock_is_fixed_on_its_thread_only() {
        let at = NaiveDate::from_ymd_opt(2023, 10, 9)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        at_time(at, || {
            assert_eq!(now(), at);
            assert!(now_rfc3339(true).starts_with("2023-10-09T10:00:00"));
            let other = std::thread::spawn(now).join().unwrap();
            assert_ne!(other, at);
        });
        assert_ne!(now(), at);
    }
}
