//! Desktop conventions: a second launch hands its file to the running window, a file dropped on
//! the window goes where its kind belongs, and what was exported can be opened or shown in its
//! folder (only paths this run exported, never a URL).

use crate::state::{AppState, ErrorPayload};
use liaison_core::Error;
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

/// What a file given to the app (dropped on the window, or passed to a second launch) is for.
/// A new kind (e.g. the signing responses of issue 17, `.liaison-response`) is one more row here
/// and one more case in the UI's `incoming-file` listener.
const INCOMING: &[(&str, &str)] = &[
    ("liaison", "project"),
    ("xlsx", "spreadsheet"),
    ("xlsm", "spreadsheet"),
    ("csv", "spreadsheet"),
    // Signing by key: a signer's response is verified and recorded; a request is shown to sign.
    ("liaison-response", "response"),
    ("liaison-request", "request"),
];

/// The kind of a file given to the app, by its extension (None: not one the app takes).
pub fn incoming_kind(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    INCOMING
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, kind)| *kind)
}

/// A file handed to the UI: what it is and where.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Incoming {
    pub kind: &'static str,
    pub path: PathBuf,
}

/// The files among `paths` the app takes, in order.
pub fn incoming(paths: &[PathBuf]) -> Vec<Incoming> {
    paths
        .iter()
        .filter_map(|p| {
            incoming_kind(p).map(|kind| Incoming {
                kind,
                path: p.clone(),
            })
        })
        .collect()
}

/// The file arguments of a second launch's command line (`argv[0]` is the program; options are
/// skipped), made absolute against the directory it was started in.
pub fn launch_files(argv: &[String], cwd: &Path) -> Vec<PathBuf> {
    argv.iter()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(|a| cwd.join(a))
        .collect()
}

/// Brings the main window to the front.
fn focus<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// A second launch of the app: its process forwards its arguments here and exits. The running
/// window comes forward and opens the project given (a non-project file is ignored).
pub fn second_launch<R: Runtime>(app: &AppHandle<R>, argv: Vec<String>, cwd: String) {
    focus(app);
    let files = launch_files(&argv, Path::new(&cwd));
    if let Some(project) = incoming(&files).into_iter().find(|f| f.kind == "project") {
        let _ = app.emit("incoming-file", project);
    }
}

/// Files dropped on the window: the first the app takes is handed to the UI.
pub fn dropped<R: Runtime>(app: &AppHandle<R>, paths: &[PathBuf]) {
    if let Some(first) = incoming(paths).into_iter().next() {
        let _ = app.emit("incoming-file", first);
    }
}

/// Remembers that this run wrote `path` for the user, so that it may be opened or shown.
pub fn offer(state: &AppState, path: &Path) {
    state
        .exported
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(path.to_path_buf());
}

/// The exported path, if this run exported it; anything else is refused.
fn offered(state: &AppState, path: &Path) -> Result<PathBuf, ErrorPayload> {
    let known = state
        .exported
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .contains(path);
    if !known {
        return Err(state.err(Error::refused(
            "export.not_offered",
            &[("path", path.display().to_string())],
        )));
    }
    Ok(path.to_path_buf())
}

/// With `LIAISON_TEST_OPENER=<file>` set (end-to-end tests), what would be opened is written to
/// that file instead of starting another program.
fn test_opener(what: &str, path: &Path) -> bool {
    let Some(log) = std::env::var_os("LIAISON_TEST_OPENER") else {
        return false;
    };
    use std::io::Write;
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
    {
        let _ = writeln!(f, "{what} {}", path.display());
    }
    true
}

fn opener_failed(state: &AppState, path: &Path, e: impl std::fmt::Display) -> ErrorPayload {
    state.err(Error::refused(
        "export.open_failed",
        &[
            ("path", path.display().to_string()),
            ("detail", e.to_string()),
        ],
    ))
}

/// Opens an exported file (or folder) with the system's default program.
#[tauri::command]
pub fn open_exported(state: State<'_, AppState>, path: PathBuf) -> Result<(), ErrorPayload> {
    let path = offered(&state, &path)?;
    if test_opener("open", &path) {
        return Ok(());
    }
    tauri_plugin_opener::open_path(&path, None::<&str>).map_err(|e| opener_failed(&state, &path, e))
}

/// Shows an exported file (or folder) selected in the system's file manager.
#[tauri::command]
pub fn show_exported(state: State<'_, AppState>, path: PathBuf) -> Result<(), ErrorPayload> {
    let path = offered(&state, &path)?;
    if test_opener("show", &path) {
        return Ok(());
    }
    tauri_plugin_opener::reveal_item_in_dir(&path).map_err(|e| opener_failed(&state, &path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_dispatched_by_extension_and_others_ignored() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(incoming_kind(&p("/a/新品.liaison")), Some("project"));
        assert_eq!(incoming_kind(&p("/a/B.LIAISON")), Some("project"));
        assert_eq!(incoming_kind(&p("/a/plan.XLSX")), Some("spreadsheet"));
        assert_eq!(incoming_kind(&p("/a/plan.csv")), Some("spreadsheet"));
        assert_eq!(
            incoming_kind(&p("/a/李娜.liaison-response")),
            Some("response")
        );
        assert_eq!(
            incoming_kind(&p("/a/登记表-v1.liaison-request")),
            Some("request")
        );
        for other in [
            "/a/x.pdf",
            "/a/liaison",
            "/a/.liaison-journal",
            "/a/x.liaison.lock",
        ] {
            assert_eq!(incoming_kind(&p(other)), None, "{other}");
        }
        let got = incoming(&[p("/a/x.pdf"), p("/a/b.liaison"), p("/a/c.csv")]);
        assert_eq!(
            got,
            [
                Incoming {
                    kind: "project",
                    path: p("/a/b.liaison")
                },
                Incoming {
                    kind: "spreadsheet",
                    path: p("/a/c.csv")
                }
            ]
        );
    }

    #[test]
    fn a_second_launch_hands_over_its_files_made_absolute() {
        let argv = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let cwd = Path::new("/home/li/项目");
        assert_eq!(
            launch_files(&argv(&["liaison", "b.liaison"]), cwd),
            [cwd.join("b.liaison")]
        );
        assert_eq!(
            launch_files(
                &argv(&["/usr/bin/liaison", "--measure-startup", "/x/a.liaison"]),
                cwd
            ),
            [PathBuf::from("/x/a.liaison")]
        );
        assert!(launch_files(&argv(&["liaison"]), cwd).is_empty());
    }
}
