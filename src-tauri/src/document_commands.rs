//! Exporting a document as PDF from the app: a save dialog, then `liaison_core::documents`.

use crate::commands::with_project;
use crate::state::{AppState, ErrorPayload};
use liaison_core::documents::{self, Exported, Kind, Target};
use liaison_core::pdf::Fonts;
use liaison_core::Error;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

type CmdResult<T> = Result<T, ErrorPayload>;

/// Asks where to save the document, exports it there and records the export in the project.
/// `kind` is a sign-off kind (`registration`, `plan`, `minutes`, `change_request`) or a document
/// kind; returns what was written (None: cancelled).
#[tauri::command]
pub async fn document_export_pdf<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kind: String,
    id: Option<i64>,
) -> CmdResult<Option<Exported>> {
    let lang = state.lang();
    let kind = match kind.as_str() {
        "plan" => Some(Kind::Allocation),
        "change_request" => Some(Kind::ChangeRequest),
        k => Kind::parse(k),
    }
    .ok_or_else(|| state.err(Error::refused("pdf.no_record", &[("kind", kind.clone())])))?;
    let target = id.map(Target::One).unwrap_or(Target::Latest);
    let name = with_project(&state, |c, _| documents::file_name(c, kind, target, lang))?;
    let Some(path) = app
        .dialog()
        .file()
        .add_filter("PDF", &["pdf"])
        .set_file_name(name)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    // The font shipped in the app's resources comes first.
    let extra: Vec<_> = app
        .path()
        .resource_dir()
        .map(|d| vec![d.join("fonts")])
        .unwrap_or_default();
    let fonts = Fonts::shared(&extra).map_err(|e| state.err(e))?;
    let exported = with_project(&state, |c, actor| {
        documents::export(c, kind, target, lang, actor, fonts, &path)
    })?;
    crate::desktop::offer(&state, &exported.path);
    Ok(Some(exported))
}
