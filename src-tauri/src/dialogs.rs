//! The file dialogs, and the one "ask where, then write" helper every save and export goes through.

use crate::state::ErrorPayload;
use liaison_core::i18n::{self, Lang};
use liaison_core::output::{self, Output};
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

type CmdResult<T> = Result<T, ErrorPayload>;

/// What a save dialog proposes: a file name, the kind of file, and for a project file the
/// sample's folder (with `.liaison` added when the user typed a name without it).
pub struct Ask {
    name: String,
    filter: Option<(String, &'static [&'static str])>,
    project: Option<Lang>,
}

impl Ask {
    /// A document of the kind `label` (`PDF`, `Excel`, …) with these extensions.
    pub fn document(
        name: impl Into<String>,
        label: &str,
        extensions: &'static [&'static str],
    ) -> Ask {
        Ask {
            name: name.into(),
            filter: Some((label.to_string(), extensions)),
            project: None,
        }
    }

    /// Any file, proposed as `name` (a file kept in the project, such as an attachment).
    pub fn file(name: impl Into<String>) -> Ask {
        Ask {
            name: name.into(),
            filter: None,
            project: None,
        }
    }

    /// A project file, proposed as `name` in the sample's folder.
    pub fn project(lang: Lang, name: impl Into<String>) -> Ask {
        Ask {
            name: name.into(),
            filter: Some((i18n::text(lang, "dialog.filter"), &["liaison"])),
            project: Some(lang),
        }
    }
}

/// Asks where to save (proposing `ask`), then runs `write` on the path chosen. `None`: the user
/// cancelled, and nothing ran.
pub fn save_with<R: Runtime, T>(
    app: &AppHandle<R>,
    ask: Ask,
    write: impl FnOnce(&Path) -> CmdResult<T>,
) -> CmdResult<Option<T>> {
    let mut dialog = with_filter(app.dialog().file(), &ask.filter).set_file_name(&ask.name);
    if let Some(lang) = ask.project {
        if let Some(dir) = liaison_core::prefs::sample_project_path(lang).parent() {
            if dir.is_dir() {
                dialog = dialog.set_directory(dir);
            }
        }
    }
    let Some(path) = dialog.blocking_save_file().and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let path = match ask.project {
        Some(_) => with_extension(&path),
        None => path,
    };
    let written = write(&path)?;
    // A document exported (not a file kept in the project, not a project file) may be opened or
    // shown in its folder from the notice the window shows next.
    if ask.filter.is_some() && ask.project.is_none() {
        if let Some(state) = app.try_state::<crate::state::AppState>() {
            crate::desktop::offer(&state, &path);
        }
    }
    Ok(Some(written))
}

/// Asks where to save a document and writes the bytes `make` returns there, atomically through
/// `output` (the dialog asked about replacing a file; the core still refuses a project or a held
/// file). Returns where it went (`None`: cancelled).
pub fn save_document<R: Runtime>(
    app: &AppHandle<R>,
    lang: Lang,
    ask: Ask,
    make: impl FnOnce() -> CmdResult<Vec<u8>>,
) -> CmdResult<Option<PathBuf>> {
    save_with(app, ask, |path| {
        let bytes = make()?;
        output::write_file(path, &bytes, Output::Document, true)
            .map_err(|e| ErrorPayload::new(&e, lang))?;
        log::info!("wrote {} ({} bytes)", file_name(path), bytes.len());
        Ok(path.to_path_buf())
    })
}

/// Asks for one file to read (`None`: cancelled).
pub fn pick_file<R: Runtime>(
    app: &AppHandle<R>,
    filter: Option<(String, &'static [&'static str])>,
) -> Option<PathBuf> {
    with_filter(app.dialog().file(), &filter)
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
}

/// Asks for a project file to read.
pub fn pick_project<R: Runtime>(app: &AppHandle<R>, lang: Lang) -> Option<PathBuf> {
    pick_file(app, Some((i18n::text(lang, "dialog.filter"), &["liaison"])))
}

/// Asks for several files to read (`None`: cancelled).
pub fn pick_files<R: Runtime>(app: &AppHandle<R>) -> Option<Vec<PathBuf>> {
    let files = app.dialog().file().blocking_pick_files()?;
    Some(
        files
            .into_iter()
            .filter_map(|f| f.into_path().ok())
            .collect(),
    )
}

/// Asks for a folder (`None`: cancelled).
pub fn pick_folder<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    app.dialog()
        .file()
        .blocking_pick_folder()
        .and_then(|p| p.into_path().ok())
}

fn with_filter<R: Runtime>(
    dialog: FileDialogBuilder<R>,
    filter: &Option<(String, &'static [&'static str])>,
) -> FileDialogBuilder<R> {
    match filter {
        Some((label, extensions)) => dialog.add_filter(label, extensions),
        None => dialog,
    }
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

/// A file's name as a string (empty when it has none), e.g. to keep it with an attachment.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A file's name without its extension.
pub fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_file_gets_its_extension_once() {
        assert_eq!(
            with_extension(Path::new("/d/计划")),
            Path::new("/d/计划.liaison")
        );
        assert_eq!(
            with_extension(Path::new("/d/a.liaison")),
            Path::new("/d/a.liaison")
        );
        assert_eq!(
            with_extension(Path::new("/d/a.json")),
            Path::new("/d/a.json.liaison")
        );
        assert_eq!(file_stem(Path::new("/d/新品.liaison")), "新品");
        assert_eq!(file_name(Path::new("/")), "");
    }
}
