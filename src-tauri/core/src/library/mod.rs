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

mod new_from;
mod records;
pub use new_from::*;
pub use records::*;

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
