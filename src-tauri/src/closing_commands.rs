//! Commands of the Acceptance, Retrospective and Archive stages and of the knowledge base: thin
//! calls into `liaison_core::{screens::closing, acceptance, retro, archive, closing, library}`.

use crate::commands::with_project;
use crate::dialogs::{self, save_document, Ask};
use crate::state::{AppState, ErrorPayload, ProjectInfo};
use liaison_core::acceptance::{self, Evaluation};
use liaison_core::archive::{self, ExportedAll};
use liaison_core::closing;
use liaison_core::library::{self, Hit, Library, Program};
use liaison_core::retro::{self, ChecklistItem, Entry};
use liaison_core::screens::closing::{
    self as screen, AcceptanceView, ArchiveView, LibraryView, RetroView,
};
use liaison_core::{Error, Project};
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Emitter, Runtime, State};

type CmdResult<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub fn acceptance_view(state: State<'_, AppState>) -> CmdResult<AcceptanceView> {
    with_project(&state, |c, _| screen::acceptance(c))
}

#[tauri::command]
pub fn acceptance_save_item(
    state: State<'_, AppState>,
    task_id: i64,
    result: String,
    verdict: String,
) -> CmdResult<AcceptanceView> {
    with_project(&state, |c, actor| {
        acceptance::save_item(c, actor, task_id, &result, &verdict)
            .and_then(|()| screen::acceptance(c))
    })
}

#[tauri::command]
pub fn acceptance_save_evaluation(
    state: State<'_, AppState>,
    evaluation: Evaluation,
) -> CmdResult<AcceptanceView> {
    with_project(&state, |c, actor| {
        acceptance::save_evaluation(c, actor, &evaluation).and_then(|_| screen::acceptance(c))
    })
}

#[tauri::command]
pub fn acceptance_save_overall(
    state: State<'_, AppState>,
    overall: String,
    conclusion: String,
) -> CmdResult<AcceptanceView> {
    with_project(&state, |c, actor| {
        acceptance::save_overall(c, actor, &overall, &conclusion)
            .and_then(|_| screen::acceptance(c))
    })
}

/// Asks for files and keeps them as evidence of a task (None: cancelled).
#[tauri::command]
pub async fn acceptance_add_evidence<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    task_id: i64,
) -> CmdResult<Option<AcceptanceView>> {
    let Some(paths) = dialogs::pick_files(&app) else {
        return Ok(None);
    };
    with_project(&state, |c, actor| {
        for path in &paths {
            let data = crate::meeting_commands::read(path)?;
            acceptance::add_evidence(c, actor, task_id, &dialogs::file_name(path), &data)?;
        }
        screen::acceptance(c).map(Some)
    })
}

#[tauri::command]
pub fn acceptance_remove_evidence(
    state: State<'_, AppState>,
    id: i64,
) -> CmdResult<AcceptanceView> {
    with_project(&state, |c, actor| {
        acceptance::remove_evidence(c, actor, id).and_then(|_| screen::acceptance(c))
    })
}

/// Saves an evidence file where the user chooses (None: cancelled).
#[tauri::command]
pub async fn acceptance_save_evidence<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> CmdResult<Option<PathBuf>> {
    let (name, data) = with_project(&state, |c, _| acceptance::evidence_data(c, id))?;
    save_document(&app, state.lang(), Ask::file(name), || Ok(data))
}

#[tauri::command]
pub fn retro_view(state: State<'_, AppState>) -> CmdResult<RetroView> {
    with_project(&state, |c, _| screen::retro(c))
}

#[tauri::command]
pub fn retro_save_entry(state: State<'_, AppState>, entry: Entry) -> CmdResult<RetroView> {
    with_project(&state, |c, actor| {
        retro::save_entry(c, actor, &entry).and_then(|_| screen::retro(c))
    })
}

#[tauri::command]
pub fn retro_delete_entry(state: State<'_, AppState>, id: i64) -> CmdResult<RetroView> {
    with_project(&state, |c, actor| {
        retro::delete_entry(c, actor, id).and_then(|_| screen::retro(c))
    })
}

#[tauri::command]
pub fn checklist_view(state: State<'_, AppState>) -> CmdResult<Vec<ChecklistItem>> {
    with_project(&state, |c, _| retro::checklist(c))
}

#[tauri::command]
pub fn checklist_set_done(
    state: State<'_, AppState>,
    id: i64,
    done: bool,
) -> CmdResult<Vec<ChecklistItem>> {
    with_project(&state, |c, actor| {
        retro::set_checklist_done(c, actor, id, done).and_then(|_| retro::checklist(c))
    })
}

#[tauri::command]
pub fn archive_view(state: State<'_, AppState>) -> CmdResult<ArchiveView> {
    let (lang, folders) = (state.lang(), state.folders());
    with_project(&state, |c, _| screen::archive(c, lang, folders))
}

/// The work still open before acceptance and closing, with what was decided for each.
#[tauri::command]
pub fn closing_open_work(state: State<'_, AppState>) -> CmdResult<Vec<closing::OpenItem>> {
    with_project(&state, |c, _| closing::open_work(c))
}

/// Withdraws a piece of open work or carries it over, with the reason.
#[tauri::command]
pub fn closing_dispose(
    state: State<'_, AppState>,
    kind: String,
    id: i64,
    disposition: String,
    reason: String,
) -> CmdResult<Vec<closing::OpenItem>> {
    with_project(&state, |c, actor| {
        closing::dispose(c, actor, &kind, id, &disposition, &reason)
            .and_then(|_| closing::open_work(c))
    })
}

#[tauri::command]
pub fn archive_close(state: State<'_, AppState>) -> CmdResult<ArchiveView> {
    let (lang, folders) = (state.lang(), state.folders());
    with_project(&state, |c, actor| {
        archive::close(c, actor).and_then(|_| screen::archive(c, lang, folders))
    })
}

/// Asks for a folder; `which` is `archive` (where "export all" writes) or `library` (the
/// knowledge base's folder). Returns the folder chosen (None: cancelled).
#[tauri::command]
pub async fn choose_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    which: String,
) -> CmdResult<Option<PathBuf>> {
    let Some(dir) = dialogs::pick_folder(&app) else {
        return Ok(None);
    };
    let lang = state.lang();
    let mut prefs = state.prefs();
    match which.as_str() {
        "library" => prefs.library_dir = Some(dir.clone()),
        _ => prefs.archive_dir = Some(dir.clone()),
    }
    // Not `state.err`: it reads the language through the lock held here.
    prefs
        .save(&state.config_dir)
        .map_err(|e| ErrorPayload::new(&e, lang))?;
    Ok(Some(dir))
}

/// One step of "export all", sent to the window as `archive-progress`.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Progress {
    done: usize,
    total: usize,
    name: String,
}

/// Exports every document and attachment into a new folder inside the archive folder, telling
/// the window how far it got.
#[tauri::command]
pub async fn archive_export_all<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<ExportedAll> {
    let lang = state.lang();
    let parent = state.folders().archive_dir;
    std::fs::create_dir_all(&parent).map_err(|e| {
        state.err(Error::Write {
            path: parent.clone(),
            source: e,
        })
    })?;
    let fonts = crate::document_commands::fonts(&app).map_err(|e| state.err(e))?;
    let done = with_project(&state, |c, actor| {
        archive::export_all(c, &parent, lang, actor, fonts, &mut |done, total, name| {
            let name = name.to_string();
            let _ = app.emit("archive-progress", Progress { done, total, name });
        })
    })?;
    crate::desktop::offer(&state, &done.folder);
    Ok(done)
}

fn open_library(state: &State<'_, AppState>) -> CmdResult<(Library, PathBuf)> {
    let folder = state.folders().library_dir;
    let index = library::index_path(&state.config_dir, &folder);
    let lib = Library::open(&index).map_err(|e| state.err(e))?;
    Ok((lib, folder))
}

/// Brings the index up to date with the library folder (the open project is read through its
/// own connection).
#[tauri::command]
pub async fn library_refresh(state: State<'_, AppState>) -> CmdResult<LibraryView> {
    let lang = state.lang();
    let (mut lib, folder) = open_library(&state)?;
    let guard = state.project();
    let open = guard.as_ref().map(|p| (p.path(), p.conn()));
    screen::library(&mut lib, &folder, open, lang).map_err(|e| state.err(e))
}

#[tauri::command]
pub fn library_search(
    state: State<'_, AppState>,
    query: String,
    kind: Option<String>,
) -> CmdResult<Vec<Hit>> {
    let (lib, _) = open_library(&state)?;
    lib.search(&query, kind.as_deref().filter(|k| !k.is_empty()), 50)
        .map_err(|e| state.err(e))
}

#[tauri::command]
pub fn library_program(state: State<'_, AppState>) -> CmdResult<Program> {
    let (lib, _) = open_library(&state)?;
    lib.program().map_err(|e| state.err(e))
}

/// "New project from…": asks for the earlier project (unless given) and where to save the new
/// one, creates it with the earlier one's organization and carried improvements, and opens it.
#[tauri::command]
pub async fn new_project_from<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    source: Option<PathBuf>,
) -> CmdResult<Option<ProjectInfo>> {
    let lang = state.lang();
    let Some(source) = source.or_else(|| dialogs::pick_project(&app, lang)) else {
        return Ok(None);
    };
    let name = format!(
        "{}.liaison",
        liaison_core::i18n::text(lang, "dialog.new_name")
    );
    dialogs::save_with(&app, Ask::project(lang, name), |target| {
        create_from(&app, &state, &source, target)
    })
}

/// Creates the project `target` from `source` (read through the open project's connection when
/// it is that one: a second connection of this process is refused) and opens it, with a notice
/// of what it carried.
fn create_from<R: Runtime>(
    app: &AppHandle<R>,
    state: &State<'_, AppState>,
    source: &Path,
    target: &Path,
) -> CmdResult<ProjectInfo> {
    let (name, actor) = (dialogs::file_stem(target), state.actor());
    let created = {
        let guard = state.project();
        let same = guard
            .as_ref()
            .filter(|p| std::fs::canonicalize(p.path()).ok() == std::fs::canonicalize(source).ok());
        match same {
            Some(p) => library::new_from(p.conn(), target, &name, &actor),
            None => Project::read_only(source)
                .and_then(|(conn, _)| library::new_from(&conn, target, &name, &actor)),
        }
    };
    let (project, carried) = created.map_err(|e| state.err(e))?;
    drop(project);
    let mut info = crate::commands::open_path(app, state, target)?;
    info.notice = Some(liaison_core::i18n::format(
        state.lang(),
        "library.new_from.done",
        &[
            ("departments", &carried.departments.to_string()),
            ("people", &carried.people.to_string()),
            ("comm", &carried.comm_plan.to_string()),
            ("checklist", &carried.checklist.to_string()),
        ],
    ));
    Ok(info)
}
