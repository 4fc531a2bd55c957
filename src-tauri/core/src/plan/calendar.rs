//! The project's working-day calendar: Monday to Friday, minus holidays, plus make-up working days
//! (调休). Durations, lags and deadlines in working days are counted on it.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// How far a search for a working day goes before giving up (ten years of holidays is not a plan).
const HORIZON: u32 = 3660;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// A calendar with these holidays and make-up working days; a date in both is a working day.
    pub fn new(
        holidays: impl IntoIterator<Item = NaiveDate>,
        workdays: impl IntoIterator<Item = NaiveDate>,
    ) -> Calendar {
        Calendar {
            holidays: holidays.into_iter().collect(),
            workdays: workdays.into_iter().collect(),
        }
    }

    pub fn holidays(&self) -> impl Iterator<Item = &NaiveDate> {
        self.holidays.iter()
    }

    pub fn workdays(&self) -> impl Iterator<Item = &NaiveDate> {
        self.workdays.iter()
    }

    pub fn is_working(&self, d: NaiveDate) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        !self.holidays.contains(&d) && !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// `d` when it is a working day, else the first working day after it.
    pub fn next_working(&self, d: NaiveDate) -> NaiveDate {
        let mut day = d;
        for _ in 0..HORIZON {
            if self.is_working(day) {
                return day;
            }
            day = step(day, 1);
        }
        d
    }

    /// The date `n` working days after `d` (before it when `n` is negative); `d` itself when `n` is 0.
    pub fn add_working_days(&self, d: NaiveDate, n: i64) -> NaiveDate {
        let dir = if n < 0 { -1 } else { 1 };
        // The walk stops at the horizon anyway; bounding the count keeps `abs` from overflowing.
        let mut left = n.unsigned_abs().min(u64::from(HORIZON) * 4);
        let mut day = d;
        let mut guard = 0u32;
        while left > 0 && guard < HORIZON * 4 {
            day = step(day, dir);
            if self.is_working(day) {
                left -= 1;
            }
            guard += 1;
        }
        day
    }

    /// The working days from `a` to `b`, both included; 0 when `b` is before `a`.
    pub fn working_days(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        if b < a {
            return 0;
        }
        let span = (b - a).num_days() + 1;
        let weeks = span / 7;
        // Whole weeks hold five weekdays each; count the rest one by one, then apply the exceptions.
        let mut count = weeks * 5;
        let mut day = step(a, weeks * 7);
        while day <= b {
            if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                count += 1;
            }
            day = step(day, 1);
        }
        let weekend = |d: &NaiveDate| matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        let off = self
            .holidays
            .range(a..=b)
            .filter(|d| !weekend(d) && !self.workdays.contains(d))
            .count() as i64;
        let extra = self.workdays.range(a..=b).filter(|d| weekend(d)).count() as i64;
        count - off + extra
    }

    /// The last day of work that starts on `start` (or the first working day after it) and takes
    /// `duration` working days; a duration of 0 (a milestone) ends where it starts.
    pub fn finish(&self, start: NaiveDate, duration: i64) -> NaiveDate {
        let first = self.next_working(start);
        if duration <= 0 {
            return first;
        }
        self.add_working_days(first, duration.saturating_sub(1))
    }
}

fn step(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs())).unwrap_or(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// China's 2023 National Day: 9-29 to 10-6 off, 10-7 and 10-8 (Sat, Sun) worked.
    fn national_day() -> Calendar {
        Calendar::new(
            [
                "2023-09-29",
                "2023-10-02",
                "2023-10-03",
                "2023-10-04",
                "2023-10-05",
                "2023-10-06",
            ]
            .map(d),
            ["2023-10-07", "2023-10-08"].map(d),
        )
    }

    #[test]
    fn weekends_are_off_by_default() {
        let c = Calendar::default();
        assert!(c.is_working(d("2023-08-04"))); // Friday
        assert!(!c.is_working(d("2023-08-05")));
        assert!(!c.is_working(d("2023-08-06")));
        assert_eq!(c.next_working(d("2023-08-05")), d("2023-08-07"));
        // A 5-day task from Wednesday ends the next Tuesday.
        assert_eq!(c.finish(d("2023-08-02"), 5), d("2023-08-08"));
        assert_eq!(c.working_days(d("2023-08-01"), d("2023-08-31")), 23);
    }

    #[test]
    fn holidays_and_make_up_days_move_finishes() {
        let c = national_day();
        assert!(!c.is_working(d("2023-10-02")));
        assert!(c.is_working(d("2023-10-07")));
        // Three days from Thursday 9-28: 9-28, then 9-29 is off, the next working day is Saturday 10-7.
        assert_eq!(c.finish(d("2023-09-28"), 3), d("2023-10-08"));
        assert_eq!(c.working_days(d("2023-09-25"), d("2023-10-08")), 6);
        assert_eq!(c.add_working_days(d("2023-10-09"), -3), d("2023-09-28"));
        assert_eq!(c.add_working_days(d("2023-09-28"), 1), d("2023-10-07"));
    }

    #[test]
    fn counting_agrees_with_stepping_over_a_year() {
        let c = national_day();
        let start = d("2023-01-01");
        let mut expected = 0;
        for i in 0..400 {
            let end = step(start, i);
            if c.is_working(end) {
                expected += 1;
            }
            assert_eq!(c.working_days(start, end), expected, "to {end}");
        }
    }

    #[test]
    fn milestones_take_no_time() {
        let c = Calendar::default();
        assert_eq!(c.finish(d("2023-08-07"), 0), d("2023-08-07"));
        assert_eq!(c.finish(d("2023-08-06"), 0), d("2023-08-07"));
        assert_eq!(c.working_days(d("2023-08-07"), d("2023-08-06")), 0);
    }
}
