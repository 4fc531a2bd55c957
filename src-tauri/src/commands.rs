//! The commands the web UI may call (each declared in `build.rs` and granted in `capabilities/`).

use crate::state::{open_or_create_sample, AppState, ErrorPayload, ProjectInfo};
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
use tauri_plugin_dialog::DialogExt;

type CmdResult<T> = Result<T, ErrorPayload>;

/// Everything the UI needs to draw itself at start and after a language change.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSnapshot {
    version: &'static str,
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
    if let Ok(menu) = crate::menu::build(&app, language) {
        let _ = app.set_menu(menu);
    }
    state.update_title(&app);
    Ok(())
}

#[tauri::command]
pub fn set_display_name(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    let name = name.trim().to_string();
    if name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(state.err(Error::Invalid {
            field: "prefs.display_name".into(),
            detail: "validation.control_chars".into(),
        }));
    }
    let mut prefs = state.prefs();
    prefs.display_name = name;
    prefs.save(&state.config_dir).map_err(|e| state.err(e))
}

/// Asks where to create a new project, creates it and opens it. `None` when the user cancels.
#[tauri::command]
pub async fn new_project<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<ProjectInfo>> {
    let lang = state.lang();
    let default_name = format!("{}.liaison", i18n::text(lang, "dialog.new_name"));
    let Some(path) = save_dialog(&app, lang, &default_name) else {
        return Ok(None);
    };
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let actor = state.actor();
    switch_to(&app, &state, || {
        liaison_core::plan::holidays::create_project(&path, &name, &actor, lang)
    })
    .map(Some)
}

#[tauri::command]
pub async fn open_project_dialog<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<ProjectInfo>> {
    let lang = state.lang();
    let picked = app
        .dialog()
        .file()
        .add_filter(i18n::text(lang, "dialog.filter"), &["liaison"])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok());
    let Some(path) = picked else {
        return Ok(None);
    };
    switch_to(&app, &state, || Project::open(&path)).map(Some)
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
    let lang = state.lang();
    let current = state
        .project_info()
        .ok_or_else(|| state.err(Error::NoProject))?;
    let Some(dest) = save_dialog(&app, lang, &current.file_name) else {
        return Ok(None);
    };
    let project = state
        .project()
        .take()
        .ok_or_else(|| state.err(Error::NoProject))?;
    let old_path = project.path().to_path_buf();
    match project.save_as(&dest) {
        Ok(p) => {
            let info = state.set_project(p);
            state.update_title(&app);
            Ok(Some(info))
        }
        Err(e) => {
            // The old file is untouched: go back to it.
            if let Ok(p) = Project::open(&old_path) {
                state.set_project(p);
            }
            Err(state.err(e))
        }
    }
}

/// Writes a consistent backup copy where the user chooses; the project stays open as it is.
#[tauri::command]
pub async fn back_up<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<PathBuf>> {
    let lang = state.lang();
    let current = state
        .project_info()
        .ok_or_else(|| state.err(Error::NoProject))?;
    let stem = current.file_name.trim_end_matches(".liaison").to_string();
    let stamp = chrono_stamp();
    let Some(dest) = save_dialog(&app, lang, &format!("{stem}-{stamp}.liaison")) else {
        return Ok(None);
    };
    let guard = state.project();
    let project = guard.as_ref().ok_or_else(|| state.err(Error::NoProject))?;
    project.back_up_to(&dest).map_err(|e| state.err(e))?;
    Ok(Some(dest))
}

#[tauri::command]
pub fn close_project<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) {
    drop(state.project().take());
    state.plan_cache().clear();
    state.update_title(&app);
}

#[tauri::command]
pub fn forget_recent(state: State<'_, AppState>, path: PathBuf) -> CmdResult<Vec<RecentFile>> {
    let mut prefs = state.prefs();
    prefs.recent.retain(|p| p != &path);
    prefs.save(&state.config_dir).map_err(|e| state.err(e))?;
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

/// Called by the UI once its first page is painted; with `--measure-startup` it reports and quits.
#[tauri::command]
pub fn ui_ready<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) {
    if !state.measure_startup {
        return;
    }
    let ms = state.started.elapsed().as_secs_f64() * 1000.0;
    let (own, children) = memory_kib();
    println!(
        "{{\"paintedMs\": {ms:.0}, \"appRssMiB\": {:.1}, \"webviewRssMiB\": {:.1}}}",
        own as f64 / 1024.0,
        children as f64 / 1024.0
    );
    state.shut_down(&app);
}

/// Called by the UI once pending edits are saved after a quit request.
#[tauri::command]
pub fn quit_app<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) {
    state.shut_down(&app);
}

/// Opens a project through `open` and makes it current; the previous one is closed first, so that
/// re-opening the same file works, and reopened when the new one fails.
/// Opens the project at `path` in place of the one open now.
pub(crate) fn open_path<R: Runtime>(
    app: &AppHandle<R>,
    state: &State<'_, AppState>,
    path: &Path,
) -> CmdResult<ProjectInfo> {
    switch_to(app, state, || Project::open(path))
}

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

/// Asks where to save a project file (proposing `file_name` in the sample's folder); adds
/// `.liaison` when the user typed a name without it.
pub(crate) fn save_dialog<R: Runtime>(
    app: &AppHandle<R>,
    lang: Lang,
    file_name: &str,
) -> Option<PathBuf> {
    let mut dialog = app
        .dialog()
        .file()
        .add_filter(i18n::text(lang, "dialog.filter"), &["liaison"])
        .set_file_name(file_name);
    if let Some(dir) = liaison_core::prefs::sample_project_path(lang).parent() {
        if dir.is_dir() {
            dialog = dialog.set_directory(dir);
        }
    }
    let path = dialog.blocking_save_file()?.into_path().ok()?;
    Some(with_extension(&path))
}

/// Adds `.liaison` when the user typed a name without it.
fn with_extension(path: &Path) -> PathBuf {
    match path.extension().and_then(|e| e.to_str()) {
        Some("liaison") => path.to_path_buf(),
        _ => {
            let mut s = path.as_os_str().to_owned();
            s.push(".liaison");
            PathBuf::from(s)
        }
    }
}

fn chrono_stamp() -> String {
    chrono::Local::now()
        .format("backup-%Y%m%d-%H%M")
        .to_string()
}

/// Resident memory of this process and of its child processes (the web view), in KiB (Linux only).
fn memory_kib() -> (u64, u64) {
    fn rss(pid: &str) -> u64 {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
            })
            .unwrap_or(0)
    }
    let me = std::process::id().to_string();
    let mut children = 0;
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let pid = entry.file_name().to_string_lossy().into_owned();
            let ppid = std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|s| {
                    s.rsplit(')')
                        .next()
                        .and_then(|r| r.split_whitespace().nth(1).map(str::to_string))
                });
            if ppid.as_deref() == Some(me.as_str()) {
                children += rss(&pid);
            }
        }
    }
    (rss(&me), children)
}
