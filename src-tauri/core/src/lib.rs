//! Liaison's core: project files, the domain records, their rules and the command line.
//!
//! Nothing here knows about Tauri or a window; the desktop shell in `src-tauri/src` is glue over it.

pub mod acceptance;
pub mod archive;
pub mod audit;
pub mod canonical_file;
pub mod changes;
pub mod cli;
pub mod clock;
pub mod closing;
pub mod comm_log;
pub mod comms;
pub mod control;
pub mod dashboard;
pub mod demo;
pub mod doc_state;
pub mod documents;
pub mod error;
pub mod fingerprint;
pub mod fsio;
pub mod i18n;
pub mod ics;
pub mod identity;
pub mod integrity;
pub mod interchange;
pub mod kind;
pub mod kinds;
pub mod library;
pub mod log_file;
pub mod meetings;
pub mod org;
pub mod output;
pub mod pdf;
pub mod people;
pub mod plan;
pub mod prefs;
pub mod registration;
pub mod remote_sign;
pub mod reports;
pub mod retro;
pub mod screens;
pub mod send;
pub mod signing_files;
pub mod signoff;
pub mod storage;
pub mod validate;
pub mod warnings;
pub mod wording;

pub use error::{Error, Result};
pub use i18n::Lang;
pub use kind::DocKind;
pub use storage::Project;

#[cfg(test)]
mod layers_tests;
