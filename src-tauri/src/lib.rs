//! The desktop shell: Tauri glue between the web UI in `ui/` and the core in `src-tauri/core`.
//!
//! Each command is a few lines that lock the state and call the core; no rules live here.

mod closing_commands;
mod commands;
mod control_commands;
mod desktop;
mod dialogs;
mod document_commands;
mod interchange_commands;
mod meeting_commands;
mod menu;
mod org_commands;
mod send_commands;
mod signing_commands;
mod startup_report;
mod state;
#[cfg(test)]
mod tests;

use liaison_core::cli::{self, GuiOptions, Invocation};
pub use state::AppState;
use std::process::ExitCode;
use tauri::{Manager, Runtime};

/// Runs a command-line command, or starts the app when the arguments ask for it.
pub fn main_entry() -> ExitCode {
    let started = std::time::Instant::now();
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    // An installed app's command line finds the fonts its bundle ships (/usr/lib/<product>/fonts).
    liaison_core::pdf::fonts::set_product_name(&product_name());
    match cli::run(args, &mut std::io::stdout(), &mut std::io::stderr()) {
        Invocation::Exit(code) => ExitCode::from(code),
        Invocation::Gui(opts) => run(opts, started),
    }
}

/// The product name in tauri.conf.json, which names the folder of the Linux bundles' resources.
fn product_name() -> String {
    serde_json::from_str::<serde_json::Value>(include_str!("../../tauri.conf.json"))
        .ok()
        .and_then(|v| v["productName"].as_str().map(str::to_string))
        .unwrap_or_else(|| "liaison".to_string())
}

/// Starts the desktop app.
pub fn run(opts: GuiOptions, started: std::time::Instant) -> ExitCode {
    let log = liaison_core::log_file::start(&liaison_core::prefs::config_dir());
    log::info!(
        "liaison {} starting; log {}",
        env!("CARGO_PKG_VERSION"),
        log.display()
    );
    let state = AppState::start(opts, started);
    let window_state = state.config_dir.join("window-state.json");
    // The desktop plugins go on the real window system only (the mock runtime of the tests has no
    // second launch and no window to remember).
    let builder = tauri::Builder::default()
        // First: a second launch hands its file to the running window and exits before it opens
        // anything (without a D-Bus session bus on Linux, every launch runs on its own).
        .plugin(tauri_plugin_single_instance::init(desktop::second_launch))
        // Size, position and maximized state of the window, kept in Liaison's config folder.
        .plugin(
            tauri_plugin_window_state::Builder::new()
                .with_filename(window_state.display().to_string())
                .with_state_flags(
                    tauri_plugin_window_state::StateFlags::SIZE
                        | tauri_plugin_window_state::StateFlags::POSITION
                        | tauri_plugin_window_state::StateFlags::MAXIMIZED,
                )
                .build(),
        );
    let result = app(builder, state).run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::error!("the app stopped: {e}");
            eprintln!("liaison: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The app on any runtime: plugins, menu, state and every command. `run` gives it the real
/// window system; tests give it `tauri::test::mock_builder()` and call commands without a window.
pub fn app<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    let lang = state.lang();
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(state)
        .menu(move |app| menu::build(app, lang))
        .on_menu_event(menu::on_event)
        .on_window_event(|window, event| match event {
            // Let the UI save what is still being typed; quit anyway if it does not answer.
            tauri::WindowEvent::CloseRequested { api, .. }
                if window.state::<AppState>().begin_quit(window.app_handle()) =>
            {
                api.prevent_close();
            }
            tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) => {
                desktop::dropped(window.app_handle(), paths);
            }
            _ => {}
        })
        .setup(|app| {
            let state = app.state::<AppState>();
            state.open_first();
            state.update_title(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_state,
            commands::set_language,
            commands::set_display_name,
            commands::new_project,
            commands::open_project_dialog,
            commands::open_project,
            commands::open_sample,
            commands::save_as,
            commands::back_up,
            commands::close_project,
            commands::forget_recent,
            commands::load_registration,
            commands::save_registration,
            commands::signoff_panel,
            commands::start_signoff,
            commands::sign,
            commands::withdraw_signoff,
            commands::new_revision,
            commands::add_person,
            commands::history,
            signing_commands::my_identity,
            signing_commands::identity_create,
            signing_commands::identity_export_card,
            signing_commands::signing_keys_panel,
            signing_commands::bind_card,
            signing_commands::bind_card_file,
            signing_commands::export_requests,
            signing_commands::import_responses,
            signing_commands::import_responses_dialog,
            signing_commands::sign_on_paper,
            signing_commands::sign_on_paper_file,
            signing_commands::request_open,
            signing_commands::request_open_dialog,
            signing_commands::request_save_pdf,
            signing_commands::request_sign,
            send_commands::mail_settings,
            send_commands::mail_settings_save,
            send_commands::mail_forget_password,
            send_commands::mail_test,
            send_commands::send_preview,
            send_commands::send_mail,
            send_commands::robot_settings,
            send_commands::robot_save,
            send_commands::robot_remove,
            send_commands::robot_post,
            send_commands::messages_of,
            org_commands::org_matrix,
            org_commands::department_add,
            org_commands::department_update,
            org_commands::department_remove,
            org_commands::department_move,
            org_commands::departments_import,
            org_commands::person_update,
            org_commands::person_remove,
            org_commands::comms_list,
            org_commands::comms_save,
            org_commands::comms_remove,
            org_commands::plan_view,
            org_commands::task_get,
            org_commands::task_add,
            org_commands::task_update,
            org_commands::task_move,
            org_commands::task_delete,
            org_commands::task_fix_start,
            org_commands::link_add,
            org_commands::link_update,
            org_commands::link_remove,
            org_commands::calendar_set,
            org_commands::calendar_apply_official,
            org_commands::plan_publish,
            control_commands::tracking_view,
            control_commands::warnings_on_open,
            control_commands::warning_settings_save,
            control_commands::risk_save,
            control_commands::issue_save,
            control_commands::issue_escalate,
            control_commands::change_save,
            control_commands::change_submit,
            meeting_commands::meetings_view,
            meeting_commands::meeting_detail,
            meeting_commands::meeting_save,
            meeting_commands::meeting_from_plan,
            meeting_commands::meeting_notice,
            meeting_commands::topic_save,
            meeting_commands::topic_remove,
            meeting_commands::action_save,
            meeting_commands::action_remove,
            meeting_commands::minutes_send,
            meeting_commands::ledger,
            meeting_commands::follow_ups,
            meeting_commands::follow_up_add,
            meeting_commands::follow_up_entry,
            meeting_commands::action_to_task,
            meeting_commands::action_link_task,
            meeting_commands::reports_view,
            meeting_commands::report_submit,
            meeting_commands::comm_log_list,
            meeting_commands::comm_log_save,
            meeting_commands::meeting_export_ics,
            document_commands::document_export_pdf,
            closing_commands::acceptance_view,
            closing_commands::acceptance_save_item,
            closing_commands::acceptance_save_evaluation,
            closing_commands::acceptance_save_overall,
            closing_commands::acceptance_add_evidence,
            closing_commands::acceptance_remove_evidence,
            closing_commands::acceptance_save_evidence,
            closing_commands::retro_view,
            closing_commands::retro_save_entry,
            closing_commands::retro_delete_entry,
            closing_commands::checklist_view,
            closing_commands::checklist_set_done,
            closing_commands::archive_view,
            closing_commands::closing_open_work,
            closing_commands::closing_dispose,
            closing_commands::archive_close,
            closing_commands::choose_folder,
            closing_commands::archive_export_all,
            closing_commands::library_refresh,
            closing_commands::library_search,
            closing_commands::library_program,
            closing_commands::new_project_from,
            interchange_commands::export_xlsx,
            interchange_commands::import_tasks_preview,
            interchange_commands::import_tasks_apply,
            interchange_commands::project_export_json,
            interchange_commands::project_import_json,
            meeting_commands::attachment_add,
            meeting_commands::attachment_save,
            commands::ui_ready,
            commands::quit_app,
            desktop::open_exported,
            desktop::show_exported,
        ])
}
