//! The communication log: communications outside meetings (date, participants, topic, summary);
//! their action items are ordinary action items pointing to an entry.

use crate::clock::parse_date;
use crate::error::Result;
use crate::meetings::{json_list, log};
use crate::validate::{check_text, invalid};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CommEntry {
    pub id: i64,
    pub day: String,
    pub participants: Vec<i64>,
    pub topic: String,
    pub summary: String,
}

pub fn comm_log(conn: &Connection) -> Result<Vec<CommEntry>> {
    let mut stmt = conn.prepare(
        "SELECT id, day, participants, topic, summary FROM comm_log ORDER BY day DESC, id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(CommEntry {
            id: r.get(0)?,
            day: r.get(1)?,
            participants: json_list(&r.get::<_, String>(2)?),
            topic: r.get(3)?,
            summary: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds (id 0) or saves an entry of the communication log (date, participants, topic, summary);
/// its action items are ordinary action items pointing to it.
pub fn save_comm(conn: &mut Connection, actor: &str, c: &CommEntry) -> Result<CommEntry> {
    let mut c = c.clone();
    c.topic = c.topic.trim().to_string();
    if c.topic.is_empty() {
        return Err(invalid("field.comm.topic", "validation.required"));
    }
    check_text("field.comm.topic", &c.topic, 200)?;
    check_text("field.comm.summary", &c.summary, 8000)?;
    c.day = parse_date(&c.day)
        .ok_or_else(|| invalid("field.comm.day", "validation.date"))?
        .to_string();
    for p in &c.participants {
        crate::people::get(conn, *p)?;
    }
    let participants = serde_json::to_string(&c.participants).expect("serializes");
    let tx = conn.transaction()?;
    if c.id > 0 {
        tx.execute("UPDATE comm_log SET day = ?1, participants = ?2, topic = ?3, summary = ?4 WHERE id = ?5", params![c.day, participants, c.topic, c.summary, c.id])?;
    } else {
        tx.execute(
            "INSERT INTO comm_log (day, participants, topic, summary) VALUES (?1, ?2, ?3, ?4)",
            params![c.day, participants, c.topic, c.summary],
        )?;
        c.id = tx.last_insert_rowid();
    }
    log(
        &tx,
        actor,
        &format!("comm_log:{}", c.id),
        "saved",
        None,
        Some(&serde_json::to_string(&c).expect("serializes")),
    )?;
    tx.commit()?;
    Ok(c)
}
