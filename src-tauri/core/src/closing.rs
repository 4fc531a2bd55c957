//! Work still open when a project closes: action items not done, open risks, open issues, change
//! requests not decided and sign-off rounds still waiting. Starting the acceptance round and
//! closing the project are refused, with the list, until each is finished or recorded here as
//! withdrawn or carried over with a reason (audited, shown in the Acceptance and Archive stages).

use crate::audit::{self, Change};
use crate::clock::{now, stamp};
use crate::error::{Error, Result};
use crate::validate::{check_text, invalid};
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::HashMap;

/// The kinds of open work (labels `closing.kind.<kind>`).
pub const KINDS: &[&str] = &["action", "risk", "issue", "change", "round"];

/// How a piece of open work was settled without finishing it (labels `closing.disposition.<code>`).
pub const DISPOSITIONS: &[&str] = &["withdrawn", "carried_over"];

/// A recorded decision on one piece of open work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Disposition {
    pub disposition: String,
    pub reason: String,
    pub decided_at: String,
    pub decided_by: String,
}

/// One piece of work still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenItem {
    /// One of `KINDS`.
    pub kind: String,
    /// The action item, risk, issue, change request or sign-off round.
    pub id: i64,
    /// The item's own text (a round: its document's title where it has one, else empty).
    pub title: String,
    /// The item's status code (`status.<code>` for action items; `in_signoff`, `draft` …), or for
    /// a round the document kind it signs.
    pub status: String,
    /// Set once the item was withdrawn or carried over.
    pub disposition: Option<Disposition>,
}

fn dispositions(conn: &Connection) -> Result<HashMap<(String, i64), Disposition>> {
    let mut stmt = conn.prepare(
        "SELECT kind, record_id, disposition, reason, decided_at, decided_by FROM closing_disposition",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            (r.get::<_, String>(0)?, r.get::<_, i64>(1)?),
            Disposition {
                disposition: r.get(2)?,
                reason: r.get(3)?,
                decided_at: r.get(4)?,
                decided_by: r.get(5)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The (kind, id) of every piece of work withdrawn or carried over: the warnings leave them out.
pub fn settled(conn: &Connection) -> Result<std::collections::HashSet<(String, i64)>> {
    Ok(dispositions(conn)?.into_keys().collect())
}

/// Every piece of work still open, with its disposition when one was recorded.
pub fn open_work(conn: &Connection) -> Result<Vec<OpenItem>> {
    let mut out = Vec::new();
    let mut push = |kind: &str, id: i64, title: String, status: String| {
        out.push(OpenItem {
            kind: kind.into(),
            id,
            title,
            status,
            disposition: None,
        });
    };
    for a in crate::meetings::actions(conn)? {
        if a.status != "done" {
            push("action", a.id, a.description, a.status);
        }
    }
    for r in crate::control::risks(conn)? {
        if r.status == "open" {
            push("risk", r.id, r.description, r.status);
        }
    }
    for i in crate::control::issues(conn)? {
        if i.closed_at.is_none() {
            let status = if i.solved_at.is_some() {
                "solved"
            } else {
                "open"
            };
            push("issue", i.id, i.description, status.into());
        }
    }
    for c in crate::changes::views(conn)? {
        if c.state == "draft" || c.state == "in_signoff" {
            push("change", c.request.id, c.request.title, c.state);
        }
    }
    let meetings: HashMap<i64, String> = crate::meetings::meetings(conn)?
        .into_iter()
        .map(|m| (m.id, m.title))
        .collect();
    let mut stmt = conn.prepare(
        "SELECT id, kind, doc_id FROM signoff_round
         WHERE status = 'open' AND kind NOT IN ('acceptance', 'retrospective', 'change_request')
         ORDER BY id",
    )?;
    let rounds = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, kind, doc) in rounds {
        let title = if kind == crate::DocKind::Minutes.as_str() {
            meetings.get(&doc).cloned().unwrap_or_default()
        } else {
            String::new()
        };
        push("round", id, title, kind);
    }
    let decided = dispositions(conn)?;
    for item in &mut out {
        item.disposition = decided.get(&(item.kind.clone(), item.id)).cloned();
    }
    Ok(out)
}

/// The open work with no disposition: what stops the acceptance round and the closing.
pub fn unresolved(conn: &Connection) -> Result<Vec<OpenItem>> {
    Ok(open_work(conn)?
        .into_iter()
        .filter(|i| i.disposition.is_none())
        .collect())
}

/// Refuses while work is open and not settled, naming it (at most ten, then how many more).
pub fn ensure_settled(conn: &Connection) -> Result<()> {
    let left = unresolved(conn)?;
    if left.is_empty() {
        return Ok(());
    }
    let mut names: Vec<String> = left
        .iter()
        .filter(|i| !i.title.is_empty())
        .take(10)
        .map(|i| format!("「{}」", i.title))
        .collect();
    let unnamed = left.len() - names.len();
    if unnamed > 0 {
        names.push(format!("… +{unnamed}"));
    }
    Err(Error::refused(
        "closing.open_work",
        &[
            ("count", left.len().to_string()),
            ("items", names.join("、")),
        ],
    ))
}

/// Records that a piece of open work is withdrawn or carried over, with the reason (audited).
/// Finishing it happens where it lives (the ledger, the risk register …).
pub fn dispose(
    conn: &mut Connection,
    actor: &str,
    kind: &str,
    id: i64,
    disposition: &str,
    reason: &str,
) -> Result<()> {
    let reason = reason.trim();
    if !DISPOSITIONS.contains(&disposition) {
        return Err(invalid("field.closing.disposition", "validation.required"));
    }
    if reason.is_empty() {
        return Err(invalid("field.closing.reason", "closing.reason_required"));
    }
    check_text("field.closing.reason", reason, 2000)?;
    let open = open_work(conn)?;
    let Some(item) = open.iter().find(|i| i.kind == kind && i.id == id) else {
        return Err(Error::refused("closing.not_open", &[]));
    };
    if item.disposition.is_some() {
        return Err(Error::refused("closing.already_settled", &[]));
    }
    let at = stamp(now());
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO closing_disposition (kind, record_id, disposition, reason, decided_at, decided_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![kind, id, disposition, reason, at, actor],
    )?;
    let after = format!("{disposition} — {reason}");
    audit::append(
        &tx,
        actor,
        &[Change {
            record: &format!("closing:{kind}:{id}"),
            field: "disposition",
            before: None,
            after: Some(&after),
        }],
    )?;
    tx.commit()?;
    Ok(())
}
