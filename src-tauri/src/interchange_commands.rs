//! Excel in and out from the app: thin calls into `liaison_core::interchange`, with the file
//! dialogs.

use crate::commands::with_project;
use crate::state::{AppState, ErrorPayload, ProjectInfo};
use liaison_core::interchange::{json, tasks, xlsx};
use liaison_core::output::{self, Output};
use liaison_core::Error;
use serde::Serialize;
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

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
    let Some(path) = app
        .dialog()
        .file()
        .add_filter("Excel", &["xlsx"])
        .set_file_name(name)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    let bytes = xlsx::workbook(&sheet).map_err(|e| state.err(e))?;
    // The dialog asked about replacing a file; the core still refuses a project or a held file.
    output::write_file(&path, &bytes, Output::Document, true).map_err(|e| state.err(e))?;
    crate::desktop::offer(&state, &path);
    Ok(Some(XlsxExported {
        path,
        rows: sheet.rows.len(),
    }))
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
        None => match app
            .dialog()
            .file()
            .add_filter("Excel / CSV", &["xlsx", "xlsm", "csv"])
            .blocking_pick_file()
            .and_then(|p| p.into_path().ok())
        {
            Some(p) => p,
            None => return Ok(None),
        },
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
    let done = with_project(&state, |c, actor| {
        let preview = tasks::preview(c, &path, create, lang)?;
        if preview.rows.is_empty() {
            return Err(Error::refused("import.empty", &[]));
        }
        tasks::import(c, actor, &preview)
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
    let Some(path) = app
        .dialog()
        .file()
        .add_filter("JSON", &["json"])
        .set_file_name(name)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    let text = with_project(&state, |c, _| json::export_text(c))?;
    output::write_file(&path, text.as_bytes(), Output::Document, true).map_err(|e| state.err(e))?;
    crate::desktop::offer(&state, &path);
    Ok(Some(path))
}

/// File ▸ Import project from JSON…: asks for the JSON and where to write the new project file,
/// rebuilds it (refusing, with the JSON path, anything malformed or inconsistent) and opens it.
#[tauri::command]
pub async fn project_import_json<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<ProjectInfo>> {
    let lang = state.lang();
    let Some(source) = app
        .dialog()
        .file()
        .add_filter("JSON", &["json"])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let Some(target) = crate::commands::save_dialog(&app, lang, &format!("{stem}.liaison")) else {
        return Ok(None);
    };
    json::import_file(&source, &target).map_err(|e| state.err(e))?;
    crate::commands::open_path(&app, &state, &target).map(Some)
}
