//! Exporting a document as PDF from the app: a save dialog, then `liaison_core::documents`.

use crate::commands::with_project;
use crate::dialogs::{save_with, Ask};
use crate::state::{AppState, ErrorPayload};
use liaison_core::documents::{self, Exported, Target};
use liaison_core::pdf::Fonts;
use liaison_core::DocKind;
use liaison_core::Error;
use tauri::{AppHandle, Manager, Runtime, State};

type CmdResult<T> = Result<T, ErrorPayload>;

/// Asks where to save the document, exports it there and records the export in the project.
/// `kind` is a `DocKind` name (`registration`, `plan`, `minutes`, `change_request`, …); returns
/// what was written (None: cancelled).
#[tauri::command]
pub async fn document_export_pdf<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kind: String,
    id: Option<i64>,
) -> CmdResult<Option<Exported>> {
    let lang = state.lang();
    let kind = DocKind::parse(&kind)
        .ok_or_else(|| state.err(Error::refused("pdf.no_record", &[("kind", kind.clone())])))?;
    let target = id.map(Target::One).unwrap_or(Target::Latest);
    let name = with_project(&state, |c, _| documents::file_name(c, kind, target, lang))?;
    save_with(&app, Ask::document(name, "PDF", &["pdf"]), |path| {
        let fonts = fonts(&app).map_err(|e| state.err(e))?;
        with_project(&state, |c, actor| {
            documents::export(c, kind, target, lang, actor, fonts, path)
        })
    })
}

/// The fonts documents are drawn with; the font shipped in the app's resources comes first.
pub(crate) fn fonts<R: Runtime>(app: &AppHandle<R>) -> Result<&'static Fonts, Error> {
    let extra: Vec<_> = app
        .path()
        .resource_dir()
        .map(|d| vec![d.join("fonts")])
        .unwrap_or_default();
    Fonts::shared(&extra)
}
