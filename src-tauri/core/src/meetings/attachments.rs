//! Background files of a meeting, kept in the project file.

use super::{log, meeting, record};
use crate::clock::{now, stamp};
use crate::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension};

/// The largest background file kept in a project (bytes).
pub const MAX_ATTACHMENT: usize = 20 * 1024 * 1024;

/// Keeps a background file in the project (at most `MAX_ATTACHMENT` bytes).
pub fn attach(
    conn: &mut Connection,
    actor: &str,
    meeting_id: i64,
    name: &str,
    data: &[u8],
) -> Result<i64> {
    meeting(conn, meeting_id)?;
    let name = name.trim();
    if name.is_empty() || data.len() > MAX_ATTACHMENT {
        return Err(Error::refused(
            "meeting.attachment_too_big",
            &[("mb", (MAX_ATTACHMENT / 1024 / 1024).to_string())],
        ));
    }
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO attachment (meeting_id, name, data, added_at) VALUES (?1, ?2, ?3, ?4)",
        params![meeting_id, name, data, stamp(now())],
    )?;
    let id = tx.last_insert_rowid();
    log(
        &tx,
        actor,
        &record(meeting_id),
        "attachment",
        None,
        Some(&format!("{name} ({} bytes)", data.len())),
    )?;
    tx.commit()?;
    Ok(id)
}

/// The background files of a meeting: (id, name, bytes).
pub fn attachments(conn: &Connection, meeting_id: i64) -> Result<Vec<(i64, String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT id, name, length(data) FROM attachment WHERE meeting_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([meeting_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn attachment_data(conn: &Connection, id: i64) -> Result<(String, Vec<u8>)> {
    conn.query_row(
        "SELECT name, data FROM attachment WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| Error::refused("control.no_record", &[]))
}
