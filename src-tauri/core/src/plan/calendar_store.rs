//! The working-day calendar's exceptions as stored (holidays and make-up days): reading them
//! into a `Calendar` and marking a day.

use super::calendar::Calendar;
use crate::audit::{self, Change};
use crate::clock::parse_date;
use crate::error::Result;
use crate::validate::{check_text, invalid};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// The calendar's exceptions as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarDay {
    pub day: String,
    /// `holiday` or `workday` (a make-up working day, 调休).
    pub kind: String,
    #[serde(default)]
    pub note: String,
}

pub fn calendar_days(conn: &Connection) -> Result<Vec<CalendarDay>> {
    let mut stmt = conn.prepare("SELECT day, kind, note FROM calendar_day ORDER BY day")?;
    let rows = stmt.query_map([], |r| {
        Ok(CalendarDay {
            day: r.get(0)?,
            kind: r.get(1)?,
            note: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn load_calendar(conn: &Connection) -> Result<Calendar> {
    let days = calendar_days(conn)?;
    let of = |kind: &str| -> Vec<NaiveDate> {
        days.iter()
            .filter(|d| d.kind == kind)
            .filter_map(|d| parse_date(&d.day))
            .collect()
    };
    Ok(Calendar::new(of("holiday"), of("workday")))
}

/// Marks `day` as a holiday or a make-up working day, or (with `kind` None) back to normal.
pub fn set_calendar_day(
    conn: &mut Connection,
    actor: &str,
    day: &str,
    kind: Option<&str>,
    note: &str,
) -> Result<()> {
    crate::doc_state::ensure_editable(conn, crate::DocKind::Plan, 1)?;
    let date = parse_date(day).ok_or_else(|| invalid("field.calendar.day", "validation.date"))?;
    let day = date.to_string();
    if kind.is_some_and(|k| k != "holiday" && k != "workday") {
        return Err(invalid("field.calendar.kind", "validation.required"));
    }
    let note = note.trim();
    check_text("field.calendar.note", note, 200)?;
    let before: Option<String> = conn
        .query_row(
            "SELECT kind FROM calendar_day WHERE day = ?1",
            [&day],
            |r| r.get(0),
        )
        .optional()?;
    let tx = conn.transaction()?;
    match kind {
        Some(k) => tx.execute(
            "INSERT INTO calendar_day (day, kind, note) VALUES (?1, ?2, ?3)
             ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note",
            params![day, k, note],
        )?,
        None => tx.execute("DELETE FROM calendar_day WHERE day = ?1", [&day])?,
    };
    audit::append(
        &tx,
        actor,
        &[Change {
            record: "calendar:1",
            field: &day,
            before: before.as_deref(),
            after: kind,
        }],
    )?;
    tx.commit()?;
    Ok(())
}
