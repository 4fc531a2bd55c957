//! The knowledge base (知识库) across a library folder of project files: a full-text index of
//! lessons learned, decisions in minutes, risks, issues and change requests (SQLite FTS5 with the
//! trigram tokenizer, so any Chinese substring of three characters or more is found through the
//! index; shorter queries scan the same table); the program metrics of every project; and
//! "new project from…" an earlier one.
//!
//! The index is its own SQLite file (in the app's settings folder, not in the library): project
//! files are only ever read, and a file whose size and modification time are unchanged is not
//! read again.

use crate::error::{Error, Result};
use crate::storage::{Project, EXTENSION};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Instant, UNIX_EPOCH};

/// Bumped when what the index holds changes; an index of another version is rebuilt.
const INDEX_VERSION: i64 = 1;

/// The kinds of record the knowledge base finds.
pub const KINDS: &[&str] = &["lesson", "decision", "risk", "issue", "change"];

/// The index of one library folder.
pub struct Library {
    conn: Connection,
}

/// What a refresh did.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Refreshed {
    pub projects: usize,
    pub indexed: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Files that could not be read, with the reason (in the user's language).
    pub failed: Vec<(PathBuf, String)>,
    pub entries: i64,
    pub millis: u128,
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hit {
    pub path: PathBuf,
    pub project: String,
    pub closed: bool,
    /// One of `KINDS`.
    pub kind: String,
    /// The record: retrospective entry, meeting, risk, issue or change request id.
    pub record: i64,
    pub title: String,
    /// The text around the first match, with the match at `[mark_start, mark_end)` (characters).
    pub snippet: String,
    pub mark: Option<(usize, usize)>,
    pub at: String,
}

/// A project's figures for the program view.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Metrics {
    pub name: String,
    pub path: PathBuf,
    pub closed: bool,
    pub start: Option<String>,
    /// Calendar days planned (registration start to end).
    pub planned_days: Option<i64>,
    /// Calendar days from the start to the signed acceptance (or to closing).
    pub cycle_days: Option<i64>,
    /// Tasks whose deadline has passed (by closing, or today).
    pub tasks_due: i64,
    pub tasks_on_time: i64,
    /// Percent of due tasks done by their deadline.
    pub on_time_rate: Option<f64>,
    pub tasks: i64,
    pub issues: i64,
    pub disputes: i64,
    /// Percent: disputed issues per task (collaboration item).
    pub dispute_rate: Option<f64>,
    /// Issues that left the interface persons' level.
    pub escalations: i64,
    pub score_goal: Option<f64>,
    pub score_efficiency: Option<f64>,
    pub score_communication: Option<f64>,
    /// The mean of the three (the satisfaction score).
    pub score: Option<f64>,
    pub lessons: i64,
}

/// The program view: every project's figures and the averages over them.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Program {
    pub projects: Vec<Metrics>,
    pub cycle_days: Option<f64>,
    pub planned_days: Option<f64>,
    pub on_time_rate: Option<f64>,
    pub dispute_rate: Option<f64>,
    pub escalations: i64,
    pub score: Option<f64>,
    pub score_goal: Option<f64>,
    pub score_efficiency: Option<f64>,
    pub score_communication: Option<f64>,
    /// Change of the delivery cycle from the first half of the closed projects (by start) to the
    /// second, in percent (the guides aim at −20 to −25 %).
    pub cycle_trend: Option<f64>,
}

/// One record to index.
struct Doc {
    kind: &'static str,
    record: i64,
    title: String,
    body: String,
    at: String,
}

fn has_table(conn: &Connection, name: &str) -> bool {
    conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
    .unwrap_or(false)
}

fn collect<T>(
    conn: &Connection,
    table: &str,
    sql: &str,
    f: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    if !has_table(conn, table) {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare(sql)?;
    let out = stmt.query_map([], f)?.collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// The records of a project the knowledge base finds.
fn documents(conn: &Connection) -> Result<Vec<Doc>> {
    let mut out = Vec::new();
    out.extend(collect(
        conn,
        "retro_entry",
        "SELECT id, text, cause FROM retro_entry ORDER BY id",
        |r| {
            let (text, cause): (String, String) = (r.get(1)?, r.get(2)?);
            Ok(Doc {
                kind: "lesson",
                record: r.get(0)?,
                title: text.chars().take(60).collect(),
                body: join(&[&text, &cause]),
                at: String::new(),
            })
        },
    )?);
    out.extend(collect(
        conn,
        "topic",
        "SELECT m.id, m.title, t.title, t.discussion, t.result, t.disputes, t.settlement, m.starts_at
         FROM topic t JOIN meeting m ON m.id = t.meeting_id ORDER BY t.id",
        |r| {
            let v: Vec<String> = (1..8).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
            Ok(Doc {
                kind: "decision",
                record: r.get(0)?,
                title: format!("{} · {}", v[0], v[1]),
                body: join(&[&v[3], &v[5], &v[2], &v[4]]),
                at: v[6].clone(),
            })
        },
    )?);
    out.extend(collect(
        conn,
        "risk",
        "SELECT id, description, measures, contingency, raised_at FROM risk ORDER BY id",
        |r| {
            let v: Vec<String> = (1..5).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
            Ok(Doc {
                kind: "risk",
                record: r.get(0)?,
                title: v[0].chars().take(60).collect(),
                body: join(&[&v[0], &v[1], &v[2]]),
                at: v[3].clone(),
            })
        },
    )?);
    out.extend(collect(
        conn,
        "issue",
        "SELECT id, description, impact, expected_solution, solution, decision, raised_at
         FROM issue ORDER BY id",
        |r| {
            let v: Vec<String> = (1..7).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
            Ok(Doc {
                kind: "issue",
                record: r.get(0)?,
                title: v[0].chars().take(60).collect(),
                body: join(&[&v[0], &v[1], &v[2], &v[3], &v[4]]),
                at: v[5].clone(),
            })
        },
    )?);
    out.extend(collect(
        conn,
        "change_request",
        "SELECT id, title, reason, impact, alternatives, created_at FROM change_request ORDER BY id",
        |r| {
            let v: Vec<String> = (1..6).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
            Ok(Doc {
                kind: "change",
                record: r.get(0)?,
                title: v[0].clone(),
                body: join(&[&v[1], &v[2], &v[3]]),
                at: v[4].clone(),
            })
        },
    )?);
    Ok(out)
}

fn days_between(a: &str, b: &str) -> Option<i64> {
    let a = chrono::NaiveDate::parse_from_str(a.get(..10)?, "%Y-%m-%d").ok()?;
    let b = chrono::NaiveDate::parse_from_str(b.get(..10)?, "%Y-%m-%d").ok()?;
    Some((b - a).num_days())
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A project's figures, read from its file (older files give what they have).
pub fn metrics(conn: &Connection) -> Result<Metrics> {
    let mut m = Metrics::default();
    let reg = crate::registration::load(conn)?.registration;
    m.name = reg.name.clone();
    let closed_at: Option<String> = conn
        .query_row(
            "SELECT value FROM project_meta WHERE key = 'closed_at'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    m.closed = closed_at.is_some();
    if !reg.start_date.is_empty() {
        m.start = Some(reg.start_date.clone());
        m.planned_days = days_between(&reg.start_date, &reg.end_date);
        let accepted: Option<String> = if has_table(conn, "signoff_round") {
            conn.query_row(
                "SELECT max(closed_at) FROM signoff_round
                 WHERE kind = 'acceptance' AND status = 'approved'",
                [],
                |r| r.get(0),
            )?
        } else {
            None
        };
        if let Some(end) = accepted.or(closed_at.clone()) {
            m.cycle_days = days_between(&reg.start_date, &end);
        }
    }
    if has_table(conn, "task") {
        let plan = crate::plan::load(conn)?;
        let reference = closed_at
            .as_deref()
            .and_then(|c| chrono::NaiveDate::parse_from_str(c.get(..10)?, "%Y-%m-%d").ok())
            .unwrap_or_else(|| crate::control::now().date());
        let done_at: HashMap<String, String> = collect(
            conn,
            "audit_log",
            "SELECT record, max(at) FROM audit_log
             WHERE field = 'status' AND after = 'done' AND record LIKE 'task:%' GROUP BY record",
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .into_iter()
        .collect();
        for (t, r) in plan.tasks.iter().zip(&plan.rows) {
            if r.summary {
                continue;
            }
            m.tasks += 1;
            let Some(finish) = r.finish else { continue };
            if finish > reference {
                continue;
            }
            m.tasks_due += 1;
            if t.status == "done" {
                let on_time = done_at
                    .get(&format!("task:{}", t.id))
                    .and_then(|at| at.get(..10))
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .is_none_or(|d| d <= finish);
                if on_time {
                    m.tasks_on_time += 1;
                }
            }
        }
        if m.tasks_due > 0 {
            m.on_time_rate = Some(round1(100.0 * m.tasks_on_time as f64 / m.tasks_due as f64));
        }
    }
    if has_table(conn, "issue") {
        let (issues, disputes, escalations): (i64, i64, i64) = conn.query_row(
            "SELECT count(*), coalesce(sum(dispute), 0), coalesce(sum(ladder > 1), 0) FROM issue",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        m.issues = issues;
        m.disputes = disputes;
        m.escalations = escalations;
        if m.tasks > 0 {
            m.dispute_rate = Some(round1(100.0 * disputes as f64 / m.tasks as f64));
        }
    }
    if has_table(conn, "evaluation") {
        let a = crate::acceptance::averages(&crate::acceptance::evaluations(conn)?);
        m.score_goal = a.goal.map(round1);
        m.score_efficiency = a.efficiency.map(round1);
        m.score_communication = a.communication.map(round1);
        m.score = a.overall.map(round1);
        m.lessons = conn.query_row("SELECT count(*) FROM retro_entry", [], |r| r.get(0))?;
    }
    Ok(m)
}

fn stamp_of(path: &Path) -> Option<(i64, i64)> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos() as i64;
    Some((mtime, meta.len() as i64))
}

/// The project files in `folder` and its subfolders (hidden folders and migration backups left
/// out), sorted.
pub fn project_files(folder: &Path) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
        let Ok(read) = std::fs::read_dir(dir) else {
            return;
        };
        for e in read.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                if depth < 4 {
                    walk(&path, depth + 1, out);
                }
            } else if path.extension().and_then(|x| x.to_str()) == Some(EXTENSION)
                && !name.contains(".backup-v")
            {
                out.push(path);
            }
        }
    }
    if !folder.is_dir() {
        return Err(Error::refused(
            "library.no_folder",
            &[("path", folder.display().to_string())],
        ));
    }
    let mut out = Vec::new();
    walk(folder, 0, &mut out);
    out.sort();
    Ok(out)
}

/// Escapes a term for an FTS5 string: `"…"` with inner quotes doubled.
fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

fn like_pattern(term: &str) -> String {
    let mut out = String::from("%");
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Up to 80 characters around the first place any term occurs, and where it is.
fn snippet(text: &str, terms: &[String]) -> (String, Option<(usize, usize)>) {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = text.to_lowercase().chars().collect();
    let same_len = lower.len() == chars.len();
    let mut found = None;
    for term in terms {
        let t: Vec<char> = term.to_lowercase().chars().collect();
        if t.is_empty() || !same_len {
            continue;
        }
        if let Some(i) = lower.windows(t.len()).position(|w| w == t.as_slice()) {
            if found.is_none_or(|(j, _)| i < j) {
                found = Some((i, t.len()));
            }
        }
    }
    let (start, end, mark) = match found {
        Some((i, n)) => {
            let start = i.saturating_sub(30);
            let end = (i + n + 50).min(chars.len());
            (start, end, Some((i - start, i - start + n)))
        }
        None => (0, chars.len().min(80), None),
    };
    let piece: String = chars[start..end]
        .iter()
        .map(|c| if *c == '\n' { ' ' } else { *c })
        .collect();
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < chars.len() { "…" } else { "" };
    let mark = mark.map(|(a, b)| (a + prefix.chars().count(), b + prefix.chars().count()));
    (format!("{prefix}{piece}{suffix}"), mark)
}

/// Where the index of the library `folder` is kept: one file per folder in the settings folder.
pub fn index_path(config_dir: &Path, folder: &Path) -> PathBuf {
    let key = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
    let hash = crate::fingerprint::sha256_hex(key.to_string_lossy().as_bytes());
    config_dir
        .join("knowledge")
        .join(format!("{}.sqlite", &hash[..16]))
}

impl Library {
    /// Opens (or creates) the index at `path`; an index of another version is rebuilt.
    pub fn open(path: &Path) -> Result<Library> {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let conn = Connection::open(path)?;
        Library::setup(conn)
    }

    /// An index in memory (tests).
    pub fn in_memory() -> Result<Library> {
        Library::setup(Connection::open_in_memory()?)
    }

    fn setup(conn: Connection) -> Result<Library> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version != INDEX_VERSION {
            conn.execute_batch(
                "DROP TABLE IF EXISTS entry_text; DROP TABLE IF EXISTS entry;
                 DROP TABLE IF EXISTS project;",
            )?;
        }
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS project (
                id      INTEGER PRIMARY KEY,
                path    TEXT NOT NULL UNIQUE,
                mtime   INTEGER NOT NULL,
                size    INTEGER NOT NULL,
                name    TEXT NOT NULL,
                closed  INTEGER NOT NULL,
                metrics TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS entry (
                id      INTEGER PRIMARY KEY,
                project INTEGER NOT NULL REFERENCES project (id),
                kind    TEXT NOT NULL,
                record  INTEGER NOT NULL,
                at      TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS entry_project ON entry (project);
            CREATE VIRTUAL TABLE IF NOT EXISTS entry_text
                USING fts5(title, body, tokenize = 'trigram');",
        )?;
        conn.pragma_update(None, "user_version", INDEX_VERSION)?;
        Ok(Library { conn })
    }

    /// Brings the index up to date with the project files in `folder`. `open` is the project open
    /// in the app (a second connection of this process to it is refused): its records are read
    /// through that connection.
    pub fn refresh(
        &mut self,
        folder: &Path,
        open: Option<(&Path, &Connection)>,
        lang: crate::i18n::Lang,
    ) -> Result<Refreshed> {
        let started = Instant::now();
        let files = project_files(folder)?;
        let mut report = Refreshed {
            projects: files.len(),
            ..Default::default()
        };
        let known: HashMap<String, (i64, i64, i64)> = {
            let mut stmt = self
                .conn
                .prepare("SELECT path, id, mtime, size FROM project")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?
                .collect::<rusqlite::Result<_>>()?;
            rows
        };
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let open_path = open.map(|(p, _)| canonical(p));
        let tx = self.conn.transaction()?;
        for (path, (id, _, _)) in &known {
            if !files.iter().any(|f| f.to_string_lossy() == *path) {
                tx.execute("DELETE FROM entry_text WHERE rowid IN (SELECT id FROM entry WHERE project = ?1)", [id])?;
                tx.execute("DELETE FROM entry WHERE project = ?1", [id])?;
                tx.execute("DELETE FROM project WHERE id = ?1", [id])?;
                report.removed += 1;
            }
        }
        for file in &files {
            let key = file.to_string_lossy().to_string();
            let Some((mtime, size)) = stamp_of(file) else {
                continue;
            };
            let is_open = open_path.as_ref() == Some(&canonical(file));
            if !is_open && known.get(&key).is_some_and(|k| k.1 == mtime && k.2 == size) {
                report.unchanged += 1;
                continue;
            }
            let read = |conn: &Connection| -> Result<(Vec<Doc>, Metrics)> {
                Ok((documents(conn)?, metrics(conn)?))
            };
            let got = match open {
                Some((_, conn)) if is_open => read(conn),
                _ => Project::read_only(file).and_then(|(conn, _)| read(&conn)),
            };
            let (docs, mut m) = match got {
                Ok(x) => x,
                Err(e) => {
                    report.failed.push((file.clone(), e.message(lang)));
                    continue;
                }
            };
            m.path = file.clone();
            if let Some((id, _, _)) = known.get(&key) {
                tx.execute("DELETE FROM entry_text WHERE rowid IN (SELECT id FROM entry WHERE project = ?1)", [id])?;
                tx.execute("DELETE FROM entry WHERE project = ?1", [id])?;
            }
            tx.execute(
                "INSERT INTO project (path, mtime, size, name, closed, metrics)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (path) DO UPDATE SET mtime = excluded.mtime, size = excluded.size,
                    name = excluded.name, closed = excluded.closed, metrics = excluded.metrics",
                params![
                    key,
                    mtime,
                    size,
                    m.name,
                    m.closed as i64,
                    serde_json::to_string(&m).expect("metrics serialize")
                ],
            )?;
            let pid: i64 = tx.query_row("SELECT id FROM project WHERE path = ?1", [&key], |r| {
                r.get(0)
            })?;
            {
                let mut entry = tx.prepare(
                    "INSERT INTO entry (project, kind, record, at) VALUES (?1, ?2, ?3, ?4)",
                )?;
                let mut text =
                    tx.prepare("INSERT INTO entry_text (rowid, title, body) VALUES (?1, ?2, ?3)")?;
                for d in docs {
                    entry.execute(params![pid, d.kind, d.record, d.at])?;
                    let id = tx.last_insert_rowid();
                    text.execute(params![id, d.title, d.body])?;
                }
            }
            report.indexed += 1;
        }
        tx.commit()?;
        report.entries = self
            .conn
            .query_row("SELECT count(*) FROM entry", [], |r| r.get(0))?;
        report.millis = started.elapsed().as_millis();
        Ok(report)
    }

    /// Finds `query` (words separated by spaces, all of which must occur) in the indexed records,
    /// best matches first; `kind` limits the search to one of `KINDS`.
    pub fn search(&self, query: &str, kind: Option<&str>, limit: usize) -> Result<Vec<Hit>> {
        let terms: Vec<String> = query
            .split_whitespace()
            .map(str::to_string)
            .filter(|t| !t.is_empty())
            .collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let indexed = terms.iter().all(|t| t.chars().count() >= 3);
        let mut args: Vec<String> = Vec::new();
        let mut sql = String::from(
            "SELECT p.path, p.name, p.closed, e.kind, e.record, x.title, x.body, e.at
             FROM entry_text x JOIN entry e ON e.id = x.rowid JOIN project p ON p.id = e.project
             WHERE ",
        );
        if indexed {
            sql.push_str("entry_text MATCH ?");
            args.push(
                terms
                    .iter()
                    .map(|t| fts_phrase(t))
                    .collect::<Vec<_>>()
                    .join(" AND "),
            );
        } else {
            let conds: Vec<String> = terms
                .iter()
                .map(|t| {
                    args.push(like_pattern(t));
                    args.push(like_pattern(t));
                    "(x.title LIKE ? ESCAPE '\\' OR x.body LIKE ? ESCAPE '\\')".to_string()
                })
                .collect();
            sql.push_str(&conds.join(" AND "));
        }
        if let Some(k) = kind {
            sql.push_str(" AND e.kind = ?");
            args.push(k.to_string());
        }
        sql.push_str(if indexed {
            " ORDER BY bm25(entry_text), e.at DESC LIMIT ?"
        } else {
            " ORDER BY e.at DESC LIMIT ?"
        });
        args.push(limit.to_string());
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (path, project, closed, kind, record, title, body, at) = row?;
            let (snippet, mark) = snippet(&body, &terms);
            out.push(Hit {
                path: PathBuf::from(path),
                project,
                closed: closed != 0,
                kind,
                record,
                title,
                snippet,
                mark,
                at,
            });
        }
        Ok(out)
    }

    /// Every indexed project's figures and the program's averages.
    pub fn program(&self) -> Result<Program> {
        let mut stmt = self.conn.prepare("SELECT metrics FROM project")?;
        let mut projects: Vec<Metrics> = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .filter_map(|s| s.ok().and_then(|s| serde_json::from_str(&s).ok()))
            .collect();
        projects.sort_by(|a, b| a.start.cmp(&b.start).then(a.name.cmp(&b.name)));
        let avg = |f: &dyn Fn(&Metrics) -> Option<f64>| {
            let v: Vec<f64> = projects.iter().filter_map(f).collect();
            (!v.is_empty()).then(|| round1(v.iter().sum::<f64>() / v.len() as f64))
        };
        let cycles: Vec<f64> = projects
            .iter()
            .filter_map(|m| m.cycle_days.map(|d| d as f64))
            .collect();
        let cycle_trend = (cycles.len() >= 2).then(|| {
            let half = cycles.len() / 2;
            let first = cycles[..half].iter().sum::<f64>() / half as f64;
            let second = cycles[half..].iter().sum::<f64>() / (cycles.len() - half) as f64;
            if first > 0.0 {
                round1(100.0 * (second - first) / first)
            } else {
                0.0
            }
        });
        Ok(Program {
            cycle_days: avg(&|m| m.cycle_days.map(|d| d as f64)),
            planned_days: avg(&|m| m.planned_days.map(|d| d as f64)),
            on_time_rate: avg(&|m| m.on_time_rate),
            dispute_rate: avg(&|m| m.dispute_rate),
            escalations: projects.iter().map(|m| m.escalations).sum(),
            score: avg(&|m| m.score),
            score_goal: avg(&|m| m.score_goal),
            score_efficiency: avg(&|m| m.score_efficiency),
            score_communication: avg(&|m| m.score_communication),
            cycle_trend,
            projects,
        })
    }

    /// The index's size in bytes (its file and write-ahead log).
    pub fn size(&self) -> Result<i64> {
        let pages: i64 = self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        let size: i64 = self.conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        Ok(pages * size)
    }
}

/// What "new project from…" copied.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Carried {
    pub departments: usize,
    pub people: usize,
    pub comm_plan: usize,
    pub checklist: usize,
}

/// Creates a project at `target` named `name` from the project read through `source`: its
/// departments (duties, deliverables, standards, resources), its heads, interface persons and
/// decision makers, its communication plan, and its improvements marked "carry forward" as the
/// new project's checklist.
pub fn new_from(
    source: &Connection,
    target: &Path,
    name: &str,
    actor: &str,
) -> Result<(Project, Carried)> {
    let source_name = crate::registration::name(source)?;
    let mut project = Project::create(target, name)?;
    let mut carried = Carried::default();
    let conn = project.conn_mut();
    let tx = conn.transaction()?;
    let depts = collect(
        source,
        "department",
        "SELECT name, position, duties, deliverables, quality_standard, res_people, res_budget,
                res_material, res_gap FROM department ORDER BY position, id",
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
            ))
        },
    )?;
    for d in &depts {
        tx.execute(
            "INSERT INTO department (name, position, duties, deliverables, quality_standard,
                res_people, res_budget, res_material, res_gap)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![d.0, d.1, d.2, d.3, d.4, d.5, d.6, d.7, d.8],
        )?;
        carried.departments += 1;
    }
    let comm = collect(
        source,
        "comm_plan",
        "SELECT position, scenario, channel, participants, recurrence, time_limit FROM comm_plan
         ORDER BY position, id",
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
            ))
        },
    )?;
    let in_comm: Vec<i64> = comm
        .iter()
        .flat_map(|c| serde_json::from_str::<Vec<i64>>(&c.3).unwrap_or_default())
        .collect();
    let people = collect(
        source,
        "person",
        "SELECT id, name, department, role, contact FROM person ORDER BY id",
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        },
    )?;
    let mut ids: HashMap<i64, i64> = HashMap::new();
    for p in people.iter().filter(|p| {
        matches!(p.3.as_str(), "head" | "interface" | "decision") || in_comm.contains(&p.0)
    }) {
        tx.execute(
            "INSERT INTO person (name, department, role, contact) VALUES (?1, ?2, ?3, ?4)",
            params![p.1, p.2, p.3, p.4],
        )?;
        ids.insert(p.0, tx.last_insert_rowid());
        carried.people += 1;
    }
    for c in &comm {
        let participants: Vec<i64> = serde_json::from_str::<Vec<i64>>(&c.3)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| ids.get(&p).copied())
            .collect();
        tx.execute(
            "INSERT INTO comm_plan (position, scenario, channel, participants, recurrence, time_limit)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                c.0,
                c.1,
                c.2,
                serde_json::to_string(&participants).expect("ids serialize"),
                c.4,
                c.5
            ],
        )?;
        carried.comm_plan += 1;
    }
    let owners: HashMap<i64, String> = people
        .iter()
        .map(|p| {
            let who = if p.2.is_empty() {
                p.1.clone()
            } else {
                format!("{}（{}）", p.1, p.2)
            };
            (p.0, who)
        })
        .collect();
    let improvements = collect(
        source,
        "retro_entry",
        "SELECT text, owner_id FROM retro_entry WHERE section = 'improvement' AND carry = 1
         ORDER BY position, id",
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?)),
    )?;
    for (i, (text, owner)) in improvements.iter().enumerate() {
        tx.execute(
            "INSERT INTO checklist_item (position, text, owner, source) VALUES (?1, ?2, ?3, ?4)",
            params![
                i as i64 + 1,
                text,
                owner
                    .and_then(|o| owners.get(&o).cloned())
                    .unwrap_or_default(),
                source_name
            ],
        )?;
        carried.checklist += 1;
    }
    let summary = format!(
        "{source_name}: {} departments, {} people, {} communication rules, {} improvements",
        carried.departments, carried.people, carried.comm_plan, carried.checklist
    );
    crate::audit::append(
        &tx,
        actor,
        &[crate::audit::Change {
            record: "project:1",
            field: "created_from",
            before: None,
            after: Some(&summary),
        }],
    )?;
    tx.commit()?;
    Ok((project, carried))
}

/// The count of each kind in the index (for the knowledge view's filter).
pub fn kind_counts(lib: &Library) -> Result<BTreeMap<String, i64>> {
    let mut stmt = lib
        .conn
        .prepare("SELECT kind, count(*) FROM entry GROUP BY kind")?;
    let out = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(out)
}
