//! Entry point: command-line subcommands run without a window; anything else starts the desktop app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    liaison_app::main_entry()
}
