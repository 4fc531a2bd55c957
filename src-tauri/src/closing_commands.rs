//! Commands of the Acceptance, Retrospective and Archive stages and of the knowledge base: thin
//! calls into `liaison_core::{acceptance, retro, archive, library}`.

use crate::commands::with_project;
use crate::state::{AppState, ErrorPayload, ProjectInfo};
use liaison_core::acceptance::{self, Acceptance, Evaluation};
use liaison_core::archive::{self, ArchiveEntry, ExportedAll, Status};
use liaison_core::closing;
use liaison_core::i18n::Lang;
use liaison_core::library::{self, Hit, Library, Program, Refreshed};
use liaison_core::pdf::Fonts;
use liaison_core::people::Person;
use liaison_core::retro::{self, ChecklistItem, Entry};
use liaison_core::{prefs, Error, Project};
use serde::Serialize;
use std::path::PathBuf;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

type CmdResult<T> = Result<T, ErrorPayload>;

/// The Acceptance stage: the acceptance and whether the project is closed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptanceView {
    #[serde(flatten)]
    acceptance: Acceptance,
    /// The acceptance's sign-off state (`draft` while it can be edited).
    state: liaison_core::signoff::State,
    closed_at: Option<String>,
}

fn acceptance_view_of(c: &rusqlite::Connection) -> Result<AcceptanceView, Error> {
    Ok(AcceptanceView {
        acceptance: acceptance::load(c)?,
        state: liaison_core::signoff::state(c, "acceptance", 1)?,
        closed_at: archive::closed_at(c)?,
    })
}

#[tauri::command]
pub fn acceptance_view(state: State<'_, AppState>) -> CmdResult<AcceptanceView> {
    with_project(&state, |c, _| acceptance_view_of(c))
}

#[tauri::command]
pub fn acceptance_save_item(
    state: State<'_, AppState>,
    task_id: i64,
    result: String,
    verdict: String,
) -> CmdResult<AcceptanceView> {
    with_project(&state, |c, actor| {
        acceptance::save_item(c, actor, task_id, &result, &verdict)?;
        acceptance_view_of(c)
    })
}

#[tauri::command]
pub fn acceptance_save_evaluation(
    state: State<'_, AppState>,
    evaluation: Evaluation,
) -> CmdResult<AcceptanceView> {
    with_project(&state, |c, actor| {
        acceptance::save_evaluation(c, actor, &evaluation)?;
        acceptance_view_of(c)
    })
}

#[tauri::command]
pub fn acceptance_save_overall(
    state: State<'_, AppState>,
    overall: String,
    conclusion: String,
) -> CmdResult<AcceptanceView> {
    with_project(&state, |c, actor| {
        acceptance::save_overall(c, actor, &overall, &conclusion)?;
        acceptance_view_of(c)
    })
}

/// Asks for files and keeps them as evidence of a task (None: cancelled).
#[tauri::command]
pub async fn acceptance_add_evidence<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    task_id: i64,
) -> CmdResult<Option<AcceptanceView>> {
    let Some(files) = app.dialog().file().blocking_pick_files() else {
        return Ok(None);
    };
    let paths: Vec<PathBuf> = files
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .collect();
    with_project(&state, |c, actor| {
        for path in &paths {
            let data = std::fs::read(path).map_err(|e| Error::Read {
                path: path.clone(),
                source: e,
            })?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            acceptance::add_evidence(c, actor, task_id, &name, &data)?;
        }
        acceptance_view_of(c).map(Some)
    })
}

#[tauri::command]
pub fn acceptance_remove_evidence(
    state: State<'_, AppState>,
    id: i64,
) -> CmdResult<AcceptanceView> {
    with_project(&state, |c, actor| {
        acceptance::remove_evidence(c, actor, id)?;
        acceptance_view_of(c)
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
    crate::meeting_commands::save_file_as(&app, &state, &name, &data)
}

/// The Retrospective stage.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetroView {
    entries: Vec<Entry>,
    people: Vec<Person>,
    state: liaison_core::signoff::State,
    closed_at: Option<String>,
}

fn retro_view_of(c: &rusqlite::Connection) -> Result<RetroView, Error> {
    Ok(RetroView {
        entries: retro::entries(c)?,
        people: liaison_core::people::list(c)?,
        state: liaison_core::signoff::state(c, "retrospective", 1)?,
        closed_at: archive::closed_at(c)?,
    })
}

#[tauri::command]
pub fn retro_view(state: State<'_, AppState>) -> CmdResult<RetroView> {
    with_project(&state, |c, _| retro_view_of(c))
}

#[tauri::command]
pub fn retro_save_entry(state: State<'_, AppState>, entry: Entry) -> CmdResult<RetroView> {
    with_project(&state, |c, actor| {
        retro::save_entry(c, actor, &entry)?;
        retro_view_of(c)
    })
}

#[tauri::command]
pub fn retro_delete_entry(state: State<'_, AppState>, id: i64) -> CmdResult<RetroView> {
    with_project(&state, |c, actor| {
        retro::delete_entry(c, actor, id)?;
        retro_view_of(c)
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
        retro::set_checklist_done(c, actor, id, done)?;
        retro::checklist(c)
    })
}

/// The Archive stage: where the project stands, its documents, and the two folders.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveView {
    status: Status,
    entries: Vec<ArchiveEntry>,
    archive_dir: PathBuf,
    library_dir: PathBuf,
}

fn archive_dir(state: &AppState, lang: Lang) -> PathBuf {
    state
        .prefs()
        .archive_dir
        .clone()
        .unwrap_or_else(|| prefs::default_archive_dir(lang))
}

fn library_dir(state: &AppState, lang: Lang) -> PathBuf {
    state
        .prefs()
        .library_dir
        .clone()
        .unwrap_or_else(|| prefs::default_library_dir(lang))
}

fn archive_view_of(state: &State<'_, AppState>) -> CmdResult<ArchiveView> {
    let lang = state.lang();
    let (status, entries) = with_project(state, |c, _| {
        Ok((archive::status(c)?, archive::entries(c, lang)?))
    })?;
    Ok(ArchiveView {
        status,
        entries,
        archive_dir: archive_dir(state, lang),
        library_dir: library_dir(state, lang),
    })
}

#[tauri::command]
pub fn archive_view(state: State<'_, AppState>) -> CmdResult<ArchiveView> {
    archive_view_of(&state)
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
        closing::dispose(c, actor, &kind, id, &disposition, &reason)?;
        closing::open_work(c)
    })
}

#[tauri::command]
pub fn archive_close(state: State<'_, AppState>) -> CmdResult<ArchiveView> {
    with_project(&state, archive::close)?;
    archive_view_of(&state)
}

/// Asks for a folder; `which` is `archive` (where "export all" writes) or `library` (the
/// knowledge base's folder). Returns the folder chosen (None: cancelled).
#[tauri::command]
pub async fn choose_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    which: String,
) -> CmdResult<Option<PathBuf>> {
    let Some(dir) = app
        .dialog()
        .file()
        .blocking_pick_folder()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    let mut prefs = state.prefs();
    match which.as_str() {
        "library" => prefs.library_dir = Some(dir.clone()),
        _ => prefs.archive_dir = Some(dir.clone()),
    }
    prefs.save(&state.config_dir).map_err(|e| state.err(e))?;
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
    let parent = archive_dir(&state, lang);
    std::fs::create_dir_all(&parent).map_err(|e| {
        state.err(Error::Write {
            path: parent.clone(),
            source: e,
        })
    })?;
    let extra: Vec<_> = app
        .path()
        .resource_dir()
        .map(|d| vec![d.join("fonts")])
        .unwrap_or_default();
    let fonts: &'static Fonts = Fonts::shared(&extra).map_err(|e| state.err(e))?;
    let done = with_project(&state, |c, actor| {
        archive::export_all(c, &parent, lang, actor, fonts, &mut |done, total, name| {
            let _ = app.emit(
                "archive-progress",
                Progress {
                    done,
                    total,
                    name: name.to_string(),
                },
            );
        })
    })?;
    crate::desktop::offer(&state, &done.folder);
    Ok(done)
}

/// The knowledge base's folder and how many projects it holds.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LibraryView {
    folder: PathBuf,
    refreshed: Refreshed,
    index_bytes: i64,
}

fn open_library(state: &State<'_, AppState>) -> CmdResult<(Library, PathBuf)> {
    let lang = state.lang();
    let folder = library_dir(state, lang);
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
    let refreshed = {
        let guard = state.project();
        let open = guard.as_ref().map(|p| (p.path().to_path_buf(), p));
        lib.refresh(
            &folder,
            open.as_ref().map(|(path, p)| (path.as_path(), p.conn())),
            lang,
        )
        .map_err(|e| state.err(e))?
    };
    Ok(LibraryView {
        index_bytes: lib.size().unwrap_or(0),
        folder,
        refreshed,
    })
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
    let filter = liaison_core::i18n::text(lang, "dialog.filter");
    let source = match source {
        Some(s) => s,
        None => match app
            .dialog()
            .file()
            .add_filter(&filter, &["liaison"])
            .blocking_pick_file()
            .and_then(|p| p.into_path().ok())
        {
            Some(s) => s,
            None => return Ok(None),
        },
    };
    let default_name = format!(
        "{}.liaison",
        liaison_core::i18n::text(lang, "dialog.new_name")
    );
    let Some(target) = crate::commands::save_dialog(&app, lang, &default_name) else {
        return Ok(None);
    };
    let name = target
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let actor = state.actor();
    // The source may be the project open now: read it through its connection.
    let created = {
        let guard = state.project();
        let same = guard.as_ref().filter(|p| {
            std::fs::canonicalize(p.path()).ok() == std::fs::canonicalize(&source).ok()
        });
        match same {
            Some(p) => library::new_from(p.conn(), &target, &name, &actor),
            None => Project::read_only(&source)
                .and_then(|(conn, _)| library::new_from(&conn, &target, &name, &actor)),
        }
    };
    let (project, carried) = created.map_err(|e| state.err(e))?;
    drop(project);
    let mut info = crate::commands::open_path(&app, &state, &target)?;
    info.notice = Some(liaison_core::i18n::format(
        lang,
        "library.new_from.done",
        &[
            ("departments", &carried.departments.to_string()),
            ("people", &carried.people.to_string()),
            ("comm", &carried.comm_plan.to_string()),
            ("checklist", &carried.checklist.to_string()),
        ],
    ));
    Ok(Some(info))
}
