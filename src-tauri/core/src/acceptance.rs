//! Acceptance and evaluation (项目验收报告 / 成果评价表): every task of the plan checked against its
//! delivery standard (result, pass or fail, evidence files kept in the project), each department
//! scored on goal achievement, collaboration efficiency and communication quality (0–100), and the
//! overall result. Signed as ('acceptance', 1) by every department head, then locked in storage.

use crate::error::{Error, Result};
use crate::fingerprint;
use crate::kind::DocKind;
use crate::people::Person;
use crate::signoff;
use crate::validate::{check_text, invalid};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;

/// A task's verdict.
pub const VERDICTS: &[&str] = &["pending", "pass", "fail"];
/// The overall result: passed, passed with conditions (有条件通过), failed.
pub const OVERALLS: &[&str] = &["pending", "passed", "conditional", "failed"];
/// The largest evidence file kept in the project.
pub const MAX_EVIDENCE: usize = crate::meetings::MAX_ATTACHMENT;

/// A file attached as evidence (its bytes stay in the project).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceFile {
    pub id: i64,
    pub task_id: i64,
    pub name: String,
    pub bytes: i64,
    pub sha256: String,
    pub added_at: String,
}

/// One task as acceptance sees it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    pub task_id: i64,
    pub outline: String,
    pub name: String,
    pub lead: Option<String>,
    pub owner: Option<String>,
    pub standard: String,
    pub finish: Option<String>,
    /// Start and finish as the published plan (the baseline) froze them; the live plan's before
    /// the plan is published.
    pub planned_start: Option<String>,
    pub planned_finish: Option<String>,
    /// When work began (the task first left 未开始 or gained progress) and when it was last
    /// marked done, from the task's history; None while not begun or not done.
    pub actual_start: Option<String>,
    pub actual_finish: Option<String>,
    pub status: String,
    pub percent: i64,
    pub result: String,
    pub verdict: String,
    pub evidence: Vec<EvidenceFile>,
}

/// A department's scores (None: not scored yet).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Evaluation {
    pub department_id: i64,
    #[serde(skip_deserializing)]
    pub department: String,
    pub goal: Option<i64>,
    pub efficiency: Option<i64>,
    pub communication: Option<i64>,
    pub comment: String,
}

impl Evaluation {
    /// The mean of the three scores, when all are given.
    pub fn average(&self) -> Option<f64> {
        match (self.goal, self.efficiency, self.communication) {
            (Some(a), Some(b), Some(c)) => Some((a + b + c) as f64 / 3.0),
            _ => None,
        }
    }

    fn complete(&self) -> bool {
        self.average().is_some()
    }
}

/// Averages over the departments scored: goal, efficiency, communication, all three.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Averages {
    pub goal: Option<f64>,
    pub efficiency: Option<f64>,
    pub communication: Option<f64>,
    pub overall: Option<f64>,
}

/// Everything the Acceptance stage shows.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Acceptance {
    pub items: Vec<Item>,
    pub evaluations: Vec<Evaluation>,
    pub overall: String,
    pub conclusion: String,
    /// Tasks passed, failed, not yet judged.
    pub counts: [usize; 3],
    pub averages: Averages,
}

fn mean(values: impl Iterator<Item = i64>) -> Option<f64> {
    let v: Vec<i64> = values.collect();
    (!v.is_empty()).then(|| v.iter().sum::<i64>() as f64 / v.len() as f64)
}

/// The averages of a list of evaluations (only complete ones count).
pub fn averages(list: &[Evaluation]) -> Averages {
    let done: Vec<&Evaluation> = list.iter().filter(|e| e.complete()).collect();
    Averages {
        goal: mean(done.iter().filter_map(|e| e.goal)),
        efficiency: mean(done.iter().filter_map(|e| e.efficiency)),
        communication: mean(done.iter().filter_map(|e| e.communication)),
        overall: mean(
            done.iter()
                .flat_map(|e| [e.goal, e.efficiency, e.communication])
                .flatten(),
        ),
    }
}

/// The evidence files of every task, by task.
fn evidence(conn: &Connection) -> Result<HashMap<i64, Vec<EvidenceFile>>> {
    let mut stmt = conn.prepare(
        "SELECT id, task_id, name, length(data), sha256, added_at FROM evidence ORDER BY id",
    )?;
    let mut out: HashMap<i64, Vec<EvidenceFile>> = HashMap::new();
    for f in stmt.query_map([], |r| {
        Ok(EvidenceFile {
            id: r.get(0)?,
            task_id: r.get(1)?,
            name: r.get(2)?,
            bytes: r.get(3)?,
            sha256: r.get(4)?,
            added_at: r.get(5)?,
        })
    })? {
        let f = f?;
        out.entry(f.task_id).or_default().push(f);
    }
    Ok(out)
}

/// The departments' evaluations, in the matrix's order (unscored departments included).
pub fn evaluations(conn: &Connection) -> Result<Vec<Evaluation>> {
    let mut stmt = conn.prepare(
        "SELECT d.id, d.name, e.goal, e.efficiency, e.communication, coalesce(e.comment, '')
         FROM department d LEFT JOIN evaluation e ON e.department_id = d.id
         ORDER BY d.position, d.id",
    )?;
    let out = stmt
        .query_map([], |r| {
            Ok(Evaluation {
                department_id: r.get(0)?,
                department: r.get(1)?,
                goal: r.get(2)?,
                efficiency: r.get(3)?,
                communication: r.get(4)?,
                comment: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

/// A task's first day of work and the last day it was marked done.
type Actual = (Option<String>, Option<String>);

/// Task id → its actual dates, read from the tasks' history.
fn actual_dates(conn: &Connection) -> Result<HashMap<i64, Actual>> {
    let mut out: HashMap<i64, Actual> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT CAST(substr(record, 6) AS INTEGER),
                min(CASE WHEN (field = 'status' AND after <> 'not_started')
                          OR (field = 'percentDone' AND after <> '0') THEN substr(at, 1, 10) END),
                max(CASE WHEN field = 'status' AND after = 'done' THEN substr(at, 1, 10) END)
         FROM audit_log WHERE record LIKE 'task:%' GROUP BY record",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
        let (id, begun, done): (i64, Option<String>, Option<String>) = row?;
        out.insert(id, (begun.or_else(|| done.clone()), done));
    }
    Ok(out)
}

/// Whether this project's signed acceptance carries planned and actual dates: every project
/// whose acceptance had no round yet when dates were added (older signed reports keep the
/// content they were signed on).
fn dated(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM project_meta WHERE key = 'acceptance_dates'",
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The acceptance as the project holds it now.
pub fn load(conn: &Connection) -> Result<Acceptance> {
    let plan = crate::plan::load(conn)?;
    let depts: HashMap<i64, String> = crate::org::list(conn)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let people: HashMap<i64, String> = crate::people::list(conn)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut judged: HashMap<i64, (String, String)> = HashMap::new();
    let mut stmt = conn.prepare("SELECT task_id, result, verdict FROM acceptance_item")?;
    for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
        let (id, result, verdict): (i64, String, String) = row?;
        judged.insert(id, (result, verdict));
    }
    let mut files = evidence(conn)?;
    let baseline = crate::plan::baseline(conn)?;
    let actual = actual_dates(conn)?;
    let mut items = Vec::new();
    for (t, r) in plan.tasks.iter().zip(&plan.rows) {
        if r.summary {
            continue;
        }
        let (result, verdict) = judged
            .remove(&t.id)
            .unwrap_or_else(|| (String::new(), "pending".into()));
        let planned = baseline
            .as_ref()
            .and_then(|b| b.spans.get(&t.id).copied())
            .unwrap_or((r.start, r.finish));
        let (begun, done) = actual.get(&t.id).cloned().unwrap_or_default();
        items.push(Item {
            task_id: t.id,
            outline: r.outline.clone(),
            name: t.name.clone(),
            lead: t.lead_department.and_then(|d| depts.get(&d).cloned()),
            owner: t.owner_id.and_then(|p| people.get(&p).cloned()),
            standard: t.delivery_standard.clone(),
            finish: r.finish.map(|d| d.to_string()),
            planned_start: planned.0.map(|d| d.to_string()),
            planned_finish: planned.1.map(|d| d.to_string()),
            actual_start: begun,
            actual_finish: done.filter(|_| t.status == "done"),
            status: t.status.clone(),
            percent: r.percent,
            result,
            verdict,
            evidence: files.remove(&t.id).unwrap_or_default(),
        });
    }
    let evaluations = evaluations(conn)?;
    let (overall, conclusion): (String, String) = conn
        .query_row(
            "SELECT overall, conclusion FROM acceptance WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or_else(|| ("pending".into(), String::new()));
    let count = |v: &str| items.iter().filter(|i| i.verdict == v).count();
    Ok(Acceptance {
        counts: [count("pass"), count("fail"), count("pending")],
        averages: averages(&evaluations),
        items,
        evaluations,
        overall,
        conclusion,
    })
}

/// The content the heads sign (what the fingerprint covers): every task with its standard, result,
/// verdict and the evidence files by name and hash; every department's scores; the overall result.
pub fn content(conn: &Connection) -> Result<Value> {
    let a = load(conn)?;
    let dated = dated(conn)?;
    let items: Vec<Value> = a
        .items
        .iter()
        .map(|i| {
            let mut v = json!({
                "taskId": i.task_id,
                "outline": i.outline,
                "name": i.name,
                "lead": i.lead,
                "owner": i.owner,
                "standard": i.standard,
                "result": i.result,
                "verdict": i.verdict,
                "evidence": i.evidence.iter().map(|f| json!({
                    "name": f.name, "bytes": f.bytes, "sha256": f.sha256,
                })).collect::<Vec<_>>(),
            });
            if dated {
                v["planned"] = json!([i.planned_start, i.planned_finish]);
                v["actual"] = json!([i.actual_start, i.actual_finish]);
            }
            v
        })
        .collect();
    let evaluations: Vec<Value> = a
        .evaluations
        .iter()
        .map(|e| {
            json!({
                "department": e.department,
                "goal": e.goal,
                "efficiency": e.efficiency,
                "communication": e.communication,
                "comment": e.comment,
            })
        })
        .collect();
    Ok(json!({
        "items": items,
        "evaluations": evaluations,
        "overall": a.overall,
        "conclusion": a.conclusion,
    }))
}

fn task_exists(conn: &Connection, task_id: i64) -> Result<()> {
    let n: i64 = conn.query_row("SELECT count(*) FROM task WHERE id = ?1", [task_id], |r| {
        r.get(0)
    })?;
    if n == 0 {
        return Err(Error::refused("plan.no_task", &[]));
    }
    Ok(())
}

/// A task passes acceptance only against its delivery standard and only once it is done.
fn passable(i: &Item) -> Result<()> {
    let task = [("task", format!("{} {}", i.outline, i.name))];
    if i.standard.trim().is_empty() {
        return Err(Error::refused("acceptance.pass_no_standard", &task));
    }
    if i.status != "done" {
        return Err(Error::refused("acceptance.pass_not_done", &task));
    }
    Ok(())
}

/// Records a task's result and verdict.
pub fn save_item(
    conn: &mut Connection,
    actor: &str,
    task_id: i64,
    result: &str,
    verdict: &str,
) -> Result<()> {
    crate::doc_state::ensure_editable(conn, crate::DocKind::Acceptance, 1)?;
    task_exists(conn, task_id)?;
    let result = result.trim();
    check_text("field.acceptance.result", result, 4000)?;
    if !VERDICTS.contains(&verdict) {
        return Err(invalid("field.acceptance.verdict", "validation.required"));
    }
    if verdict == "pass" {
        if let Some(i) = load(conn)?.items.iter().find(|i| i.task_id == task_id) {
            passable(i)?;
        }
    }
    let before: Option<(String, String)> = conn
        .query_row(
            "SELECT result, verdict FROM acceptance_item WHERE task_id = ?1",
            [task_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let before_v = before
        .as_ref()
        .map(|(r, v)| json!({"result": r, "verdict": v}));
    let after_v = json!({"result": result, "verdict": verdict});
    if before_v.as_ref() == Some(&after_v) {
        return Ok(());
    }
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO acceptance_item (task_id, result, verdict) VALUES (?1, ?2, ?3)
         ON CONFLICT (task_id) DO UPDATE SET result = excluded.result, verdict = excluded.verdict",
        params![task_id, result, verdict],
    )?;
    crate::audit::record_diff(
        &tx,
        actor,
        &format!("acceptance:task:{task_id}"),
        before_v.as_ref(),
        &after_v,
    )?;
    tx.commit()?;
    Ok(())
}

/// Keeps a file as evidence of a task (at most `MAX_EVIDENCE` bytes).
pub fn add_evidence(
    conn: &mut Connection,
    actor: &str,
    task_id: i64,
    name: &str,
    data: &[u8],
) -> Result<i64> {
    crate::doc_state::ensure_editable(conn, crate::DocKind::Acceptance, 1)?;
    task_exists(conn, task_id)?;
    let name = name.trim();
    check_text("field.acceptance.evidence", name, 255)?;
    if name.is_empty() || data.len() > MAX_EVIDENCE {
        return Err(Error::refused(
            "meeting.attachment_too_big",
            &[("mb", (MAX_EVIDENCE / 1024 / 1024).to_string())],
        ));
    }
    let sha = fingerprint::sha256_hex(data);
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO evidence (task_id, name, data, sha256, added_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            task_id,
            name,
            data,
            sha,
            crate::clock::stamp(crate::clock::now())
        ],
    )?;
    let id = tx.last_insert_rowid();
    let after = format!("{name} · {} B · {}", data.len(), &sha[..16]);
    crate::audit::append(
        &tx,
        actor,
        &[crate::audit::Change {
            record: &format!("acceptance:task:{task_id}"),
            field: "evidence",
            before: None,
            after: Some(&after),
        }],
    )?;
    tx.commit()?;
    Ok(id)
}

/// Removes an evidence file (before the acceptance is signed).
pub fn remove_evidence(conn: &mut Connection, actor: &str, id: i64) -> Result<()> {
    crate::doc_state::ensure_editable(conn, crate::DocKind::Acceptance, 1)?;
    let (task_id, name): (i64, String) = conn
        .query_row(
            "SELECT task_id, name FROM evidence WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| Error::refused("acceptance.no_evidence", &[]))?;
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM evidence WHERE id = ?1", [id])?;
    crate::audit::append(
        &tx,
        actor,
        &[crate::audit::Change {
            record: &format!("acceptance:task:{task_id}"),
            field: "evidence",
            before: Some(&name),
            after: None,
        }],
    )?;
    tx.commit()?;
    Ok(())
}

/// An evidence file's name and bytes.
pub fn evidence_data(conn: &Connection, id: i64) -> Result<(String, Vec<u8>)> {
    conn.query_row("SELECT name, data FROM evidence WHERE id = ?1", [id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .optional()?
    .ok_or_else(|| Error::refused("acceptance.no_evidence", &[]))
}

/// Records a department's scores and comment.
pub fn save_evaluation(conn: &mut Connection, actor: &str, e: &Evaluation) -> Result<()> {
    crate::doc_state::ensure_editable(conn, crate::DocKind::Acceptance, 1)?;
    let name: String = conn
        .query_row(
            "SELECT name FROM department WHERE id = ?1",
            [e.department_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| Error::refused("org.no_department", &[]))?;
    for (field, v) in [
        ("field.evaluation.goal", e.goal),
        ("field.evaluation.efficiency", e.efficiency),
        ("field.evaluation.communication", e.communication),
    ] {
        if v.is_some_and(|v| !(0..=100).contains(&v)) {
            return Err(invalid(field, "evaluation.range"));
        }
    }
    let comment = e.comment.trim();
    check_text("field.evaluation.comment", comment, 2000)?;
    let before = evaluations(conn)?
        .into_iter()
        .find(|x| x.department_id == e.department_id);
    let view = |x: &Evaluation, comment: &str| json!({"goal": x.goal, "efficiency": x.efficiency, "communication": x.communication, "comment": comment});
    let before_v = before
        .as_ref()
        .filter(|b| {
            b.goal.is_some()
                || b.efficiency.is_some()
                || b.communication.is_some()
                || !b.comment.is_empty()
        })
        .map(|b| view(b, &b.comment));
    let after_v = view(e, comment);
    if before_v.as_ref() == Some(&after_v) {
        return Ok(());
    }
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO evaluation (department_id, goal, efficiency, communication, comment)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (department_id) DO UPDATE SET goal = excluded.goal,
            efficiency = excluded.efficiency, communication = excluded.communication,
            comment = excluded.comment",
        params![
            e.department_id,
            e.goal,
            e.efficiency,
            e.communication,
            comment
        ],
    )?;
    crate::audit::record_diff(
        &tx,
        actor,
        &format!("evaluation:{name}"),
        before_v.as_ref(),
        &after_v,
    )?;
    tx.commit()?;
    Ok(())
}

/// Records the overall result and the conclusion.
pub fn save_overall(
    conn: &mut Connection,
    actor: &str,
    overall: &str,
    conclusion: &str,
) -> Result<()> {
    crate::doc_state::ensure_editable(conn, crate::DocKind::Acceptance, 1)?;
    if !OVERALLS.contains(&overall) {
        return Err(invalid("field.acceptance.overall", "validation.required"));
    }
    let conclusion = conclusion.trim();
    check_text("field.acceptance.conclusion", conclusion, 4000)?;
    let (o, c): (String, String) = conn.query_row(
        "SELECT overall, conclusion FROM acceptance WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let before_v = json!({"overall": o, "conclusion": c});
    let after_v = json!({"overall": overall, "conclusion": conclusion});
    if before_v == after_v {
        return Ok(());
    }
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE acceptance SET overall = ?1, conclusion = ?2 WHERE id = 1",
        params![overall, conclusion],
    )?;
    crate::audit::record_diff(&tx, actor, "acceptance:1", Some(&before_v), &after_v)?;
    tx.commit()?;
    Ok(())
}

/// Refuses to start the heads' signing while something is missing: a task not judged, a
/// department not scored, no overall result, or a department head left out.
pub fn check_signers(conn: &Connection, signers: &[i64]) -> Result<()> {
    let a = load(conn)?;
    if a.items.is_empty() {
        return Err(Error::refused("acceptance.no_tasks", &[]));
    }
    if let Some(i) = a.items.iter().find(|i| i.verdict == "pending") {
        return Err(Error::refused(
            "acceptance.unjudged",
            &[("task", format!("{} {}", i.outline, i.name))],
        ));
    }
    if let Some(e) = a.evaluations.iter().find(|e| !e.complete()) {
        return Err(Error::refused(
            "acceptance.unscored",
            &[("department", e.department.clone())],
        ));
    }
    if a.overall == "pending" {
        return Err(Error::refused("acceptance.no_overall", &[]));
    }
    for i in a.items.iter().filter(|i| i.verdict == "pass") {
        passable(i)?;
    }
    crate::closing::ensure_settled(conn)?;
    let heads = crate::plan::countersigners(conn)?;
    crate::signoff::require_all(conn, &heads, signers, "acceptance.head_missing")
}

/// The acceptance as a signed document (one per project): every department head signs it.
pub struct Document;

/// The acceptance's entry in `kinds`.
pub static DOCUMENT: Document = Document;

impl signoff::Document for Document {
    fn kind(&self) -> DocKind {
        DocKind::Acceptance
    }

    fn rule(&self) -> signoff::Rule {
        signoff::Rule::all("signoff.who.acceptance", "signed")
    }

    fn content(&self, conn: &Connection, id: i64) -> Result<Value> {
        signoff::only_one(id)?;
        content(conn)
    }

    fn suggested(&self, conn: &Connection, _: i64, _: &Value, _: &[Person]) -> Vec<i64> {
        crate::plan::countersigners(conn).unwrap_or_default()
    }

    fn check_signers(&self, conn: &Connection, _: i64, signers: &[i64]) -> Result<()> {
        check_signers(conn, signers)
    }
}
