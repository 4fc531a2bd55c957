//! Excel in and out from the app: thin calls into `liaison_core::interchange`, with the file
//! dialogs.

use crate::commands::with_project;
use crate::dialogs::{self, save_document, save_with, Ask};
use crate::state::{AppState, ErrorPayload, ProjectInfo};
use liaison_core::interchange::{json, tasks, xlsx};
use liaison_core::Error;
use serde::Serialize;
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};

type CmdResult<T> = Result<T, ErrorPayload>;

/// What an Excel export wrote.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct XlsxExported {
    path: PathBuf,
    rows: usize,
}

/// Asks where to save the sheet of `kind` (allocation, ledger, issues, risks, changes) and writes
/// it there (None: cancelled).
#[tauri::command]
pub async fn export_xlsx<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kind: String,
) -> CmdResult<Option<XlsxExported>> {
    let lang = state.lang();
    let sheet = with_project(&state, |c, _| xlsx::sheet(c, &kind, lang))?;
    let project = state.project_info().map(|p| p.name).unwrap_or_default();
    let name = liaison_core::documents::safe_file_name(&format!("{project} {}.xlsx", sheet.name));
    let rows = sheet.rows.len();
    let make = || xlsx::workbook(&sheet).map_err(|e| state.err(e));
    let path = save_document(&app, lang, Ask::document(name, "Excel", &["xlsx"]), make)?;
    Ok(path.map(|path| XlsxExported { path, rows }))
}

/// The import preview of a file, with the file it came from.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    path: PathBuf,
    #[serde(flatten)]
    preview: tasks::Preview,
}

/// Reads a task allocation table (asking for the file when `path` is None) and returns what the
/// import would do, row by row (None: cancelled). Nothing is written.
#[tauri::command]
pub async fn import_tasks_preview<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: Option<PathBuf>,
    create: bool,
) -> CmdResult<Option<ImportPreview>> {
    let lang = state.lang();
    let path = match path {
        Some(p) => p,
        None => {
            match dialogs::pick_file(&app, Some(("Excel / CSV".into(), &["xlsx", "xlsm", "csv"]))) {
                Some(p) => p,
                None => return Ok(None),
            }
        }
    };
    let preview = with_project(&state, |c, _| tasks::preview(c, &path, create, lang))?;
    Ok(Some(ImportPreview { path, preview }))
}

/// Imports the file previewed: every row in one transaction, or nothing.
#[tauri::command]
pub fn import_tasks_apply(
    state: State<'_, AppState>,
    path: PathBuf,
    create: bool,
) -> CmdResult<tasks::Imported> {
    let lang = state.lang();
    // `import` refuses an empty preview or one with a refused row, writing nothing.
    let done = with_project(&state, |c, actor| {
        tasks::preview(c, &path, create, lang).and_then(|p| tasks::import(c, actor, &p))
    })?;
    state.plan_cache().clear();
    Ok(done)
}

/// File ▸ Export project as JSON…: the whole project in the documented interchange form.
#[tauri::command]
pub async fn project_export_json<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<PathBuf>> {
    let info = state
        .project_info()
        .ok_or_else(|| state.err(Error::NoProject))?;
    let name = format!("{}.json", info.file_name.trim_end_matches(".liaison"));
    save_document(
        &app,
        state.lang(),
        Ask::document(name, "JSON", &["json"]),
        || with_project(&state, |c, _| json::export_text(c)).map(String::into_bytes),
    )
}

/// File ▸ Import project from JSON…: asks for the JSON and where to write the new project file,
/// rebuilds it (refusing, with the JSON path, anything malformed or inconsistent) and opens it.
#[tauri::command]
pub async fn project_import_json<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<ProjectInfo>> {
    let lang = state.lang();
    let Some(source) = dialogs::pick_file(&app, Some(("JSON".into(), &["json"]))) else {
        return Ok(None);
    };
    let ask = Ask::project(lang, format!("{}.liaison", dialogs::file_stem(&source)));
    save_with(&app, ask, |target| {
        json::import_file(&source, target).map_err(|e| state.err(e))?;
        crate::commands::open_path(&app, &state, target)
    })
}
