//! The native menu, in the user's language; its items only tell the web UI what was chosen. File
//! ▸ Recent lists the recent projects (rebuilt whenever the open project changes).

use crate::state::AppState;
use liaison_core::i18n::{text, Lang};
use liaison_core::prefs::RecentFile;
use liaison_core::validate::display_text;
use tauri::menu::{
    Menu, MenuBuilder, MenuEvent, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder,
};
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// Builds the menu bar with its shortcuts (Ctrl on Windows and Linux, Cmd on macOS).
pub fn build<R: Runtime>(app: &AppHandle<R>, lang: Lang) -> tauri::Result<Menu<R>> {
    let item = |id: &str, key: &str, accel: Option<&str>| {
        let mut b = MenuItemBuilder::with_id(id, text(lang, key));
        if let Some(a) = accel {
            b = b.accelerator(a);
        }
        b.build(app)
    };
    let recent = recent_files(app);
    let mut recent_menu = SubmenuBuilder::new(app, text(lang, "menu.recent"));
    for (i, f) in recent.iter().enumerate() {
        recent_menu = recent_menu.item(
            &MenuItemBuilder::with_id(format!("{RECENT}{i}"), recent_label(f))
                .enabled(!f.missing)
                .build(app)?,
        );
    }
    if recent.is_empty() {
        recent_menu = recent_menu.item(
            &MenuItemBuilder::with_id("recent_none", text(lang, "menu.recent_none"))
                .enabled(false)
                .build(app)?,
        );
    }
    let file = SubmenuBuilder::new(app, text(lang, "menu.file"))
        .item(&item("new", "menu.new", Some("CmdOrCtrl+N"))?)
        .item(&item("open", "menu.open", Some("CmdOrCtrl+O"))?)
        .item(&recent_menu.build()?)
        .separator()
        .item(&item("save_as", "menu.save_as", Some("CmdOrCtrl+Shift+S"))?)
        .item(&item("backup", "menu.backup", None)?)
        .separator()
        .item(&item("export_json", "menu.export_json", None)?)
        .item(&item("import_json", "menu.import_json", None)?)
        .separator()
        .item(&item("close", "menu.close", Some("CmdOrCtrl+W"))?)
        .item(&item("quit", "menu.quit", Some("CmdOrCtrl+Q"))?)
        .build()?;
    let edit = SubmenuBuilder::new(app, text(lang, "menu.edit"))
        .item(&PredefinedMenuItem::undo(app, None)?)
        .item(&PredefinedMenuItem::redo(app, None)?)
        .separator()
        .item(&PredefinedMenuItem::cut(app, None)?)
        .item(&PredefinedMenuItem::copy(app, None)?)
        .item(&PredefinedMenuItem::paste(app, None)?)
        .item(&PredefinedMenuItem::select_all(app, None)?)
        .separator()
        .item(&item(
            "preferences",
            "menu.preferences",
            Some("CmdOrCtrl+,"),
        )?)
        .build()?;
    let help = SubmenuBuilder::new(app, text(lang, "menu.help"))
        .item(&item("about", "menu.about", None)?)
        .build()?;
    MenuBuilder::new(app).items(&[&file, &edit, &help]).build()
}

/// The id prefix of File ▸ Recent's items (`recent:0` is the most recent).
const RECENT: &str = "recent:";

fn recent_files<R: Runtime>(app: &AppHandle<R>) -> Vec<RecentFile> {
    app.try_state::<AppState>()
        .map(|s| s.prefs().recent_files())
        .unwrap_or_default()
}

/// A recent project as a menu item: its file name and folder, as a title may show them.
pub fn recent_label(f: &RecentFile) -> String {
    let folder = f
        .path
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let file = f
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(
        "{} — {}",
        display_text(&file, 60),
        display_text(&folder, 80)
    )
}

/// Rebuilds the menu (the recent list or the language changed).
pub fn refresh<R: Runtime>(app: &AppHandle<R>, lang: Lang) {
    if let Ok(menu) = build(app, lang) {
        let _ = app.set_menu(menu);
    }
}

/// Quit goes through the same path as closing the window; every other item is handled by the web
/// UI, which owns the screen.
pub fn on_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match event.id().as_ref() {
        "quit" => {
            let state = app.state::<AppState>();
            if !state.begin_quit(app) {
                state.shut_down(app);
            }
        }
        id if id.starts_with(RECENT) => {
            let index: Option<usize> = id[RECENT.len()..].parse().ok();
            let path = index.and_then(|i| app.state::<AppState>().prefs().recent.get(i).cloned());
            if let Some(path) = path {
                let _ = app.emit(
                    "incoming-file",
                    crate::desktop::Incoming {
                        kind: "project",
                        path,
                    },
                );
            }
        }
        id => {
            let _ = app.emit("menu", id.to_string());
        }
    }
}
