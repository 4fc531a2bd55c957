//! A meeting as an iCalendar file (RFC 5545): one VEVENT with its attendees, times in UTC, text
//! escaped and lines folded at 75 octets without splitting a character.

use crate::clock::parse_time;
use crate::error::Result;
use crate::meetings;
use chrono::{Duration, Local, NaiveDateTime, TimeZone, Utc};
use rusqlite::{Connection, OptionalExtension};

fn utc(t: NaiveDateTime) -> String {
    let at = Local
        .from_local_datetime(&t)
        .earliest()
        .map(|l| l.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&t));
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// TEXT values: backslash, semicolon, comma and line breaks escaped.
fn text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// A parameter value: quoted, without the characters a quoted value may not hold.
fn param(s: &str) -> String {
    format!("\"{}\"", s.replace(['"', '\r', '\n'], ""))
}

/// Folds one content line at 75 octets (continuation lines start with a space).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// The meeting `id` as an .ics file.
pub fn meeting(conn: &Connection, id: i64) -> Result<String> {
    invitation(conn, id, None)
}

/// The UID of meeting `id`'s event: the same for every notice of it (the project's identity and
/// the meeting's id, never its time), so a calendar replaces the event when its time moves.
pub fn uid(conn: &Connection, id: i64) -> Result<String> {
    let project: Option<String> = conn
        .query_row(
            "SELECT value FROM project_meta WHERE key = 'project_id'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match project.filter(|p| !p.is_empty()) {
        Some(p) => format!("liaison-{p}-meeting-{id}@liaison.app"),
        None => format!("liaison-meeting-{id}@liaison.app"),
    })
}

/// The meeting `id` as an invitation (METHOD:REQUEST) from `organizer` (name, e-mail address),
/// with its stable UID and the notice's SEQUENCE.
pub fn invitation(conn: &Connection, id: i64, organizer: Option<(&str, &str)>) -> Result<String> {
    let m = meetings::meeting(conn, id)?;
    let start = parse_time(&m.starts_at).unwrap_or_default();
    let end = start + Duration::minutes(m.duration);
    let people = crate::people::list(conn)?;
    let project = crate::registration::name(conn)?;
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        format!(
            "PRODID:-//Liaison//Liaison {}//ZH",
            env!("CARGO_PKG_VERSION")
        ),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:REQUEST".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{}", uid(conn, id)?),
        format!("SEQUENCE:{}", m.sequence),
        format!("DTSTAMP:{}", utc(crate::clock::now())),
        format!("DTSTART:{}", utc(start)),
        format!("DTEND:{}", utc(end)),
        format!("SUMMARY:{}", text(&m.title)),
    ];
    if let Some((name, address)) = organizer {
        lines.push(format!("ORGANIZER;CN={}:mailto:{address}", param(name)));
    }
    if !m.place.is_empty() {
        lines.push(format!("LOCATION:{}", text(&m.place)));
    }
    let mut description = vec![project];
    description.extend(
        m.agenda
            .iter()
            .enumerate()
            .map(|(i, a)| format!("{}. {a}", i + 1)),
    );
    lines.push(format!("DESCRIPTION:{}", text(&description.join("\n"))));
    for p in m
        .attendees
        .iter()
        .filter_map(|a| people.iter().find(|p| p.id == *a))
    {
        let address = match crate::people::email_address(&p.contact) {
            Some(a) => format!("mailto:{a}"),
            None => format!("urn:liaison:person:{}", p.id),
        };
        lines.push(format!(
            "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:{address}",
            param(&p.name)
        ));
    }
    lines.extend(["END:VEVENT".to_string(), "END:VCALENDAR".into()]);
    let mut out = String::new();
    for l in &lines {
        fold(l, &mut out);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_chinese_lines_fold_between_characters() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "跨部门协作".repeat(10)), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(
            unfolded.trim_end(),
            format!("SUMMARY:{}", "跨部门协作".repeat(10))
        );
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
