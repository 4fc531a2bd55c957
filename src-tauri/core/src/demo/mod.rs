//! Demo projects: domain.md's worked example ("新品上市项目") in `example` (with its plan in
//! `example_plan` and its meetings, risks and issues in `example_records`), its closed timelines for
//! the knowledge base in `closed`, and the deterministic large project for benchmarks in `large`.
//! This file holds what they share. Later record kinds add themselves here.

mod closed;
mod example;
mod example_plan;
mod example_records;
mod large;

pub use closed::{
    accept_example, close_example, review_example, settle_example, write_closed_example,
    SHARED_LESSON,
};
pub use example::{
    demo_today, worked_example, worked_example_people, write_example, write_example_on,
    EXAMPLE_TODAY,
};
pub use large::{
    write_large, write_large_sized, write_large_with, LargeSize, LARGE_MEETINGS, LARGE_RISKS,
    LARGE_TASKS,
};

use crate::error::Result;
use crate::people;
use crate::signoff::{self, Decision, Sign};
use rusqlite::Connection;

/// Who records the demo's edits: the overall owner.
pub const DEMO_ACTOR: &str = "张伟";

/// Records `decision` for the first `n` signers of a round, each with `comment`.
/// Signs `round` as its first `n` signers, each with `decision`.
pub(crate) fn sign_round(
    conn: &mut Connection,
    round: &signoff::Round,
    n: usize,
    decision: Decision,
    comment: &str,
) -> Result<()> {
    for s in round.signers.iter().take(n) {
        crate::kinds::sign(
            conn,
            DEMO_ACTOR,
            &Sign {
                round_id: round.id,
                revision: round.revision,
                person_id: s.person.id,
                decision,
                comment: comment.into(),
            },
        )?;
    }
    Ok(())
}

/// The id of the person of the project called `name`.
pub(super) fn person_id(conn: &Connection, name: &str) -> Option<i64> {
    people::list(conn)
        .ok()?
        .into_iter()
        .find(|p| p.name == name)
        .map(|p| p.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan;
    use crate::registration;
    use chrono::{Datelike, NaiveDate};

    fn day(s: &str) -> NaiveDate {
        crate::clock::parse_date(&s[..10]).unwrap()
    }

    #[test]
    fn the_sample_is_dated_relative_to_today_and_stays_sound() {
        let dir = tempfile::tempdir().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let path = dir.path().join("sample.liaison");
        let p = write_example_on(&path, today).unwrap();
        let conn = p.conn();
        let reg = registration::load(conn).unwrap().registration;
        let start = day(&reg.start_date);
        // In its fourth week at most: registration three to five weeks ago, weekdays kept.
        let age = (today - start).num_days();
        assert!((21..=35).contains(&age), "started {age} days ago");
        assert_eq!(start.weekday(), chrono::Weekday::Sun);
        let plan = plan::load(conn).unwrap();
        let finish = |name: &str| {
            let t = plan.tasks.iter().position(|t| t.name == name).unwrap();
            (
                plan.tasks[t].status.clone(),
                plan.rows[t].start.unwrap(),
                plan.rows[t].finish.unwrap(),
            )
        };
        let (status, _, done_by) = finish("技术参数整理");
        assert_eq!(status, "done");
        assert!(done_by < today && (today - done_by).num_days() < 40);
        let (_, later, _) = finish("首月销量复盘");
        assert!(later > today, "the last task is still ahead: {later}");
        // Meetings behind today; the plan published before the kick-off, not today.
        let kickoff: String = conn
            .query_row("SELECT min(starts_at) FROM meeting", [], |r| r.get(0))
            .unwrap();
        let kickoff = day(&kickoff);
        assert!(kickoff > start && kickoff < today);
        let published = day(&plan::baseline(conn).unwrap().unwrap().published_at);
        assert!(
            published <= kickoff,
            "published {published}, kick-off {kickoff}"
        );
        // The official holidays, not 2023's.
        let cal = plan::calendar_days(conn).unwrap();
        assert_eq!(cal, plan::holidays::official_days(crate::i18n::Lang::Zh));
        drop(p);
        assert!(crate::integrity::check(&path).is_ok());
        // On its own day, the example is the 2023 one the tests read.
        let own = NaiveDate::from_ymd_opt(2023, 10, 30).unwrap();
        let q = write_example_on(&dir.path().join("own.liaison"), own).unwrap();
        let reg = registration::load(q.conn()).unwrap().registration;
        assert_eq!(reg.start_date, "2023-10-01");
    }
}
