//! Commands of the Organization and Plan stages: thin calls into `liaison_core::{screens::org, org,
//! comms, plan}`.

use crate::commands::with_project;
use crate::state::{now, AppState, ErrorPayload};
use liaison_core::comms::{self, CommItem};
use liaison_core::org::{self, Department, Matrix};
use liaison_core::people::{self, Person};
use liaison_core::plan::{
    self,
    schedule::{Link, LinkKind},
    view::{PlanView, Query},
    Move, NewTask, Saved, Task,
};
use liaison_core::screens::org::{self as screen, CommView, TaskDetail};
use liaison_core::signoff::Panel;
use tauri::State;

type CmdResult<T> = Result<T, ErrorPayload>;

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

#[tauri::command]
pub fn comms_list(state: State<'_, AppState>) -> CmdResult<Vec<CommView>> {
    let lang = state.lang();
    with_project(&state, |c, _| screen::comms(c, now(), lang))
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
    with_project(&state, |c, _| cache.view(c, &query, now().date()))
}

/// One task with its dependencies both ways, for the task editor.
#[tauri::command]
pub fn task_get(state: State<'_, AppState>, id: i64) -> CmdResult<TaskDetail> {
    with_project(&state, |c, _| screen::task(c, id, now()))
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
