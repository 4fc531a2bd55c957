//! The one integration-test binary: project files, the command line, crash safety, and the app in the
//! real webview.

mod util;

mod cli;
mod crash;
mod e2e;
mod files;
mod flow;
mod hostile_cli;
mod hostile_import;
mod integrity;
mod interchange;
mod keys;
mod meetings;
mod package;
