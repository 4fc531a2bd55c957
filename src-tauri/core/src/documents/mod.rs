//! The documents managers sign, as PDF: registration, task allocation, minutes, change requests
//! (acceptance and retrospective come with the closing stage).
//!
//! A document is printed from exactly the content its fingerprint covers (the sign-off
//! mechanism's [`signoff::content`]), so the fingerprint in the footer and in the metadata
//! identifier says which content the paper shows. Each export is recorded in the project
//! (`document_export`); [`verify`] reads a PDF's identifier back and compares it with the project
//! as it is now, naming what changed.

mod build;
mod changes;
mod export;
mod sections;
#[cfg(test)]
mod tests;
mod verify;

use crate::error::{Error, Result};
use crate::fingerprint;
use crate::i18n::{self, Lang};
use crate::kind::DocKind;
use crate::output;
use crate::pdf::{self, Fonts};
use crate::signoff;
use crate::storage::project_id;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use changes::describe;
pub use export::{
    export, export_to, file_name, inventory, prepare, safe_file_name, write, write_to,
};
pub use sections::sections;
pub use verify::{read_identifier, verify, Difference, FileCheck, Verdict};

use changes::diff_sections;
use sections::combined;

/// The document's title, from the catalog.
pub fn title(kind: DocKind, lang: Lang) -> String {
    i18n::text(lang, &format!("pdf.title.{}", kind.as_str()))
}

/// Which record(s) a document shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The latest meeting / change request (the registration and the plan are one each).
    Latest,
    One(i64),
    /// Every meeting's minutes (every change request) in one document.
    All,
    /// A published version of the plan (the revision of its approved countersign round).
    Version(i64),
}

impl Target {
    /// `--id` as given on the command line: a number or `all`.
    pub fn parse(s: Option<&str>) -> Option<Target> {
        match s {
            None => Some(Target::Latest),
            Some("all") => Some(Target::All),
            Some(v) if v.starts_with('v') => v[1..].parse().ok().map(Target::Version),
            Some(n) => n.parse().ok().map(Target::One),
        }
    }
}

/// One signed record inside a document: what the fingerprint covers.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub kind: DocKind,
    pub id: i64,
    pub fingerprint: String,
    #[serde(skip)]
    pub content: Value,
}

/// A document ready to render: the layout and the sections it prints.
pub struct Prepared {
    pub kind: DocKind,
    /// `1`, a record id, or `all`.
    pub target: String,
    pub doc: pdf::Doc,
    pub sections: Vec<Section>,
    pub fingerprint: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub path: PathBuf,
    pub title: String,
    pub pages: usize,
    pub bytes: usize,
    pub fingerprint: String,
    /// Characters no font had (drawn as boxes).
    pub missing: Vec<String>,
}

const ID_PREFIX: &str = "liaison:1";
