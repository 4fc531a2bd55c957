//! Commands of the Organization and Plan stages: thin calls into `liaison_core::{org, comms, plan}`.

use crate::commands::with_project;
use crate::state::{AppState, ErrorPayload};
use liaison_core::comms::{self, CommItem};
use liaison_core::org::{self, Department, Matrix};
use liaison_core::people::{self, Person};
use liaison_core::plan::{
    self,
    schedule::{Link, LinkKind},
    view::{PlanView, Query},
    Move, NewTask, Saved, Task,
};
use liaison_core::signoff::Panel;
use serde::Serialize;
use tauri::State;

type CmdResult<T> = Result<T, ErrorPayload>;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[tauri::command]
pub fn org_matrix(state: State<'_, AppState>) -> CmdResult<Matrix> {
    with_project(&state, |c, _| org::matrix(c))
}

#[tauri::command]
pub fn department_add(state: State<'_, AppState>, name: String) -> CmdResult<Department> {
    with_project(&state, |c, actor| org::add(c, actor, &name))
}

#[tauri::command]
pub fn department_update(
    state: State<'_, AppState>,
    department: Department,
) -> CmdResult<Department> {
    with_project(&state, |c, actor| org::update(c, actor, &department))
}

#[tauri::command]
pub fn department_remove(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_project(&state, |c, actor| org::remove(c, actor, id))
}

#[tauri::command]
pub fn department_move(state: State<'_, AppState>, id: i64, delta: i64) -> CmdResult<()> {
    with_project(&state, |c, _| org::reorder(c, id, delta))
}

#[tauri::command]
pub fn departments_import(state: State<'_, AppState>) -> CmdResult<Vec<Department>> {
    with_project(&state, org::import_from_registration)
}

#[tauri::command]
pub fn person_update(state: State<'_, AppState>, person: Person) -> CmdResult<Person> {
    with_project(&state, |c, actor| people::update(c, actor, &person))
}

#[tauri::command]
pub fn person_remove(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_project(&state, |c, actor| people::remove(c, actor, id))
}

/// A communication plan entry with its recurrence in words and its next time.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommView {
    #[serde(flatten)]
    item: CommItem,
    described: String,
    next: Option<String>,
    over_limit: bool,
}

#[tauri::command]
pub fn comms_list(state: State<'_, AppState>) -> CmdResult<Vec<CommView>> {
    let lang = state.lang();
    with_project(&state, |c, _| {
        let items = comms::list(c)?;
        let anchor = comms::anchor(c)?;
        let over = comms::over_limit(&items);
        let now = chrono::Local::now().naive_local();
        Ok(items
            .into_iter()
            .map(|item| CommView {
                described: item.recurrence.describe(lang),
                next: item
                    .recurrence
                    .next(anchor, now, 1)
                    .first()
                    .map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
                over_limit: over.contains(&item.id),
                item,
            })
            .collect())
    })
}

#[tauri::command]
pub fn comms_save(state: State<'_, AppState>, item: CommItem) -> CmdResult<CommItem> {
    with_project(&state, |c, actor| comms::save(c, actor, &item))
}

#[tauri::command]
pub fn comms_remove(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_project(&state, |c, actor| comms::remove(c, actor, id))
}

#[tauri::command]
pub fn plan_view(state: State<'_, AppState>, query: Query) -> CmdResult<PlanView> {
    let mut cache = state.plan_cache();
    with_project(&state, |c, _| cache.view(c, &query, today()))
}

/// One task with its dependencies both ways, for the task editor.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDetail {
    task: Task,
    outline: String,
    summary: bool,
    finish: Option<String>,
    predecessors: Vec<(Link, String)>,
    successors: Vec<(Link, String)>,
    /// Action items this task was made from: (id, description, meeting).
    from_actions: Vec<(i64, String, String)>,
}

#[tauri::command]
pub fn task_get(state: State<'_, AppState>, id: i64) -> CmdResult<TaskDetail> {
    with_project(&state, |c, _| {
        let p = plan::load(c)?;
        let task = p
            .task(id)
            .cloned()
            .ok_or_else(|| liaison_core::Error::refused("plan.no_task", &[]))?;
        let row = p.row(id).cloned().expect("a row per task");
        Ok(TaskDetail {
            outline: row.outline,
            summary: row.summary,
            finish: row.finish.map(|d| d.to_string()),
            predecessors: p
                .links
                .iter()
                .filter(|l| l.successor == id)
                .map(|l| (*l, p.label(l.predecessor)))
                .collect(),
            successors: p
                .links
                .iter()
                .filter(|l| l.predecessor == id)
                .map(|l| (*l, p.label(l.successor)))
                .collect(),
            from_actions: liaison_core::meetings::ledger(
                c,
                &Default::default(),
                liaison_core::clock::now(),
            )?
            .into_iter()
            .filter(|r| r.action.task_id == Some(id))
            .map(|r| (r.action.id, r.action.description, r.meeting))
            .collect(),
            task,
        })
    })
}

#[tauri::command]
pub fn task_add(state: State<'_, AppState>, task: NewTask) -> CmdResult<Task> {
    with_project(&state, |c, actor| plan::add_task(c, actor, &task))
}

#[tauri::command]
pub fn task_update(state: State<'_, AppState>, task: Task) -> CmdResult<Saved> {
    with_project(&state, |c, actor| plan::update_task(c, actor, &task))
}

#[tauri::command]
pub fn task_move(state: State<'_, AppState>, id: i64, how: Move) -> CmdResult<()> {
    with_project(&state, |c, actor| plan::move_task(c, actor, id, how))
}

#[tauri::command]
pub fn task_delete(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_project(&state, |c, actor| plan::delete_task(c, actor, id))
}

#[tauri::command]
pub fn task_fix_start(state: State<'_, AppState>, id: i64) -> CmdResult<Saved> {
    with_project(&state, |c, actor| plan::fix_start(c, actor, id))
}

#[tauri::command]
pub fn link_add(
    state: State<'_, AppState>,
    predecessor: i64,
    successor: i64,
    kind: LinkKind,
    lag: i64,
) -> CmdResult<Link> {
    with_project(&state, |c, actor| {
        plan::add_link(c, actor, predecessor, successor, kind, lag)
    })
}

#[tauri::command]
pub fn link_update(state: State<'_, AppState>, id: i64, kind: LinkKind, lag: i64) -> CmdResult<()> {
    with_project(&state, |c, actor| {
        plan::update_link(c, actor, id, kind, lag)
    })
}

#[tauri::command]
pub fn link_remove(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_project(&state, |c, actor| plan::remove_link(c, actor, id))
}

#[tauri::command]
pub fn calendar_set(
    state: State<'_, AppState>,
    day: String,
    kind: Option<String>,
    note: String,
) -> CmdResult<()> {
    with_project(&state, |c, actor| {
        plan::set_calendar_day(c, actor, &day, kind.as_deref(), &note)
    })
}

/// Adds the official holidays and make-up days the calendar lacks; returns how many were added.
#[tauri::command]
pub fn calendar_apply_official(state: State<'_, AppState>) -> CmdResult<usize> {
    let lang = state.lang();
    with_project(&state, |c, actor| plan::holidays::apply(c, actor, lang))
}

#[tauri::command]
pub fn plan_publish(state: State<'_, AppState>) -> CmdResult<Panel> {
    with_project(&state, plan::publish)
}
