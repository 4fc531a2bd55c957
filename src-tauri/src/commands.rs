//! The commands the web UI may call (each declared in `build.rs` and granted in `capabilities/`).

use crate::dialogs::{self, file_stem, save_with, Ask};
use crate::state::{now, open_or_create_sample, AppState, ErrorPayload, ProjectInfo};
use liaison_core::audit::{self, Entry};
use liaison_core::i18n::{self, Lang};
use liaison_core::kinds;
use liaison_core::people::{self, Person};
use liaison_core::prefs::RecentFile;
use liaison_core::registration::{self, Registration, Snapshot};
use liaison_core::signoff::{Panel, Sign};
use liaison_core::DocKind;
use liaison_core::{Error, Project};
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Runtime, State};

type CmdResult<T> = Result<T, ErrorPayload>;

/// Everything the UI needs to draw itself at start and after a language change.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSnapshot {
    version: &'static str,
    /// Where the log is, for Help ▸ About.
    log_file: PathBuf,
    language: Lang,
    display_name: String,
    catalog: serde_json::Value,
    project: Option<ProjectInfo>,
    recent: Vec<RecentFile>,
    /// Shown once: why the file given at start-up could not be opened.
    startup_error: Option<ErrorPayload>,
}

#[tauri::command]
pub fn app_state(state: State<'_, AppState>) -> AppSnapshot {
    let prefs = state.prefs().clone();
    AppSnapshot {
        version: env!("CARGO_PKG_VERSION"),
        log_file: state.log_file.clone(),
        language: prefs.language,
        display_name: prefs.display_name.clone(),
        catalog: serde_json::from_str(i18n::CATALOG_JSON).unwrap_or_default(),
        project: state.project_info(),
        recent: prefs.recent_files(),
        startup_error: state.startup_error.lock().ok().and_then(|mut e| e.take()),
    }
}

#[tauri::command]
pub fn set_language<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    language: Lang,
) -> CmdResult<()> {
    {
        let mut prefs = state.prefs();
        prefs.language = language;
        prefs
            .save(&state.config_dir)
            .map_err(|e| ErrorPayload::new(&e, language))?;
    }
    // The menu in the new language (update_title rebuilds it).
    state.update_title(&app);
    Ok(())
}

#[tauri::command]
pub fn set_display_name(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    let lang = state.lang();
    let mut prefs = state.prefs();
    let set = prefs.set_display_name(&name);
    // Not `state.err`: it reads the language through the lock held here.
    set.and_then(|()| prefs.save(&state.config_dir))
        .map_err(|e| ErrorPayload::new(&e, lang))
}

/// Asks where to create a new project, creates it and opens it. `None` when the user cancels.
#[tauri::command]
pub async fn new_project<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<ProjectInfo>> {
    let lang = state.lang();
    let ask = Ask::project(
        lang,
        format!("{}.liaison", i18n::text(lang, "dialog.new_name")),
    );
    save_with(&app, ask, |path| {
        let create = liaison_core::plan::holidays::create_project;
        switch_to(&app, &state, || {
            create(path, &file_stem(path), &state.actor(), lang)
        })
    })
}

#[tauri::command]
pub async fn open_project_dialog<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<ProjectInfo>> {
    let Some(path) = dialogs::pick_project(&app, state.lang()) else {
        return Ok(None);
    };
    open_path(&app, &state, &path).map(Some)
}

#[tauri::command]
pub fn open_project<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: PathBuf,
) -> CmdResult<ProjectInfo> {
    switch_to(&app, &state, || Project::open(&path))
}

#[tauri::command]
pub fn open_sample<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<ProjectInfo> {
    let lang = state.lang();
    switch_to(&app, &state, || open_or_create_sample(lang))
}

/// Copies the project to a new file and continues there.
#[tauri::command]
pub async fn save_as<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<ProjectInfo>> {
    let current = state
        .project_info()
        .ok_or_else(|| state.err(Error::NoProject))?;
    save_with(
        &app,
        Ask::project(state.lang(), current.file_name),
        |dest| save_copy(&app, &state, dest),
    )
}

/// Writes a consistent backup copy where the user chooses; the project stays open as it is.
#[tauri::command]
pub async fn back_up<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<PathBuf>> {
    let current = state
        .project_info()
        .ok_or_else(|| state.err(Error::NoProject))?;
    let stem = current.file_name.trim_end_matches(".liaison");
    let stamp = now().format("backup-%Y%m%d-%H%M");
    let ask = Ask::project(state.lang(), format!("{stem}-{stamp}.liaison"));
    save_with(&app, ask, |dest| {
        let guard = state.project();
        let project = guard.as_ref().ok_or_else(|| state.err(Error::NoProject))?;
        project.back_up_to(dest).map_err(|e| state.err(e))?;
        log::info!("backed up to {}", dialogs::file_name(dest));
        Ok(dest.to_path_buf())
    })
}

#[tauri::command]
pub fn close_project<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) {
    drop(state.project().take());
    state.plan_cache().clear();
    state.update_title(&app);
}

#[tauri::command]
pub fn forget_recent(state: State<'_, AppState>, path: PathBuf) -> CmdResult<Vec<RecentFile>> {
    let lang = state.lang();
    let mut prefs = state.prefs();
    prefs.recent.retain(|p| p != &path);
    // Not `state.err`: it reads the language through the lock held here.
    prefs
        .save(&state.config_dir)
        .map_err(|e| ErrorPayload::new(&e, lang))?;
    Ok(prefs.recent_files())
}

#[tauri::command]
pub fn load_registration(state: State<'_, AppState>) -> CmdResult<Snapshot> {
    with_project(&state, |c, _| registration::load(c))
}

#[tauri::command]
pub fn save_registration<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    registration: Registration,
) -> CmdResult<Snapshot> {
    let snapshot = with_project(&state, |c, actor| {
        registration::save(c, actor, &registration)
    })?;
    state.update_title(&app);
    Ok(snapshot)
}

/// Runs `f` on the open project's connection, turning errors into the UI's payload.
pub(crate) fn with_project<T>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&mut rusqlite::Connection, &str) -> Result<T, Error>,
) -> CmdResult<T> {
    let actor = state.actor();
    let mut guard = state.project();
    let project = guard.as_mut().ok_or_else(|| state.err(Error::NoProject))?;
    f(project.conn_mut(), &actor).map_err(|e| state.err(e))
}

#[tauri::command]
pub fn signoff_panel(state: State<'_, AppState>, kind: DocKind, doc_id: i64) -> CmdResult<Panel> {
    with_project(&state, |c, _| kinds::panel(c, kind, doc_id))
}

#[tauri::command]
pub fn start_signoff(
    state: State<'_, AppState>,
    kind: DocKind,
    doc_id: i64,
    signers: Vec<i64>,
) -> CmdResult<Panel> {
    with_project(&state, |c, actor| {
        kinds::start(c, actor, kind, doc_id, &signers)
    })
}

#[tauri::command]
pub fn sign(state: State<'_, AppState>, sign: Sign) -> CmdResult<Panel> {
    with_project(&state, |c, actor| kinds::sign(c, actor, &sign))
}

#[tauri::command]
pub fn withdraw_signoff(state: State<'_, AppState>, round_id: i64) -> CmdResult<Panel> {
    with_project(&state, |c, actor| kinds::withdraw(c, actor, round_id))
}

#[tauri::command]
pub fn new_revision(
    state: State<'_, AppState>,
    kind: DocKind,
    doc_id: i64,
    reason: String,
) -> CmdResult<Panel> {
    with_project(&state, |c, actor| {
        kinds::new_revision(c, actor, kind, doc_id, &reason)
    })
}

#[tauri::command]
pub fn add_person(state: State<'_, AppState>, person: Person) -> CmdResult<Person> {
    with_project(&state, |c, actor| people::add(c, actor, &person))
}

#[tauri::command]
pub fn history(state: State<'_, AppState>, records: Vec<String>) -> CmdResult<Vec<Entry>> {
    with_project(&state, |c, _| audit::history(c, &records))
}

/// Called by the UI once its first page is painted (with what the page measured of itself); with
/// `--measure-startup` it reports and quits.
#[tauri::command]
pub fn ui_ready<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    page: Option<std::collections::HashMap<String, f64>>,
) {
    if !state.measure_startup {
        return;
    }
    let ms = state.started.elapsed().as_secs_f64() * 1000.0;
    println!(
        "{}",
        crate::startup_report::line(ms, &page.unwrap_or_default())
    );
    state.shut_down(&app);
}

/// Called by the UI once pending edits are saved after a quit request.
#[tauri::command]
pub fn quit_app<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) {
    state.shut_down(&app);
}

/// Opens the project at `path` in place of the one open now.
pub(crate) fn open_path<R: Runtime>(
    app: &AppHandle<R>,
    state: &State<'_, AppState>,
    path: &Path,
) -> CmdResult<ProjectInfo> {
    switch_to(app, state, || Project::open(path))
}

/// Copies the open project to `dest` and makes the copy current; on failure the old file (left
/// untouched) is opened again.
fn save_copy<R: Runtime>(
    app: &AppHandle<R>,
    state: &State<'_, AppState>,
    dest: &Path,
) -> CmdResult<ProjectInfo> {
    let project = state
        .project()
        .take()
        .ok_or_else(|| state.err(Error::NoProject))?;
    let old_path = project.path().to_path_buf();
    match project.save_as(dest) {
        Ok(p) => {
            log::info!("saved as {}", dialogs::file_name(dest));
            let info = state.set_project(p);
            state.update_title(app);
            Ok(info)
        }
        Err(e) => {
            if let Ok(p) = Project::open(&old_path) {
                state.set_project(p);
            }
            Err(state.err(e))
        }
    }
}

/// Opens a project through `open` and makes it current; the previous one is closed first, so that
/// re-opening the same file works, and reopened when the new one fails.
fn switch_to<R: Runtime>(
    app: &AppHandle<R>,
    state: &State<'_, AppState>,
    open: impl FnOnce() -> Result<Project, Error>,
) -> CmdResult<ProjectInfo> {
    let previous = state.project().take().map(|p| p.path().to_path_buf());
    state.plan_cache().clear();
    match open() {
        Ok(project) => {
            let info = state.set_project(project);
            state.update_title(app);
            Ok(info)
        }
        Err(e) => {
            if let Some(p) = previous.and_then(|p| Project::open(&p).ok()) {
                *state.project() = Some(p);
            }
            state.update_title(app);
            Err(state.err(e))
        }
    }
}
