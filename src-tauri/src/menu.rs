//! The native menu, in the user's language; its items only tell the web UI what was chosen.

use liaison_core::i18n::{text, Lang};
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
    let file = SubmenuBuilder::new(app, text(lang, "menu.file"))
        .item(&item("new", "menu.new", Some("CmdOrCtrl+N"))?)
        .item(&item("open", "menu.open", Some("CmdOrCtrl+O"))?)
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

/// Quit goes through the same path as closing the window; every other item is handled by the web
/// UI, which owns the screen.
pub fn on_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match event.id().as_ref() {
        "quit" => {
            let state = app.state::<crate::state::AppState>();
            if !state.begin_quit(app) {
                state.shut_down(app);
            }
        }
        id => {
            let _ = app.emit("menu", id.to_string());
        }
    }
}
