//! The Acceptance, Retrospective and Archive stages' screens, and the knowledge base's summary.

use crate::acceptance::{self, Acceptance};
use crate::archive::{self, ArchiveEntry, Status};
use crate::i18n::Lang;
use crate::library::{Library, Refreshed};
use crate::people::Person;
use crate::retro::{self, Entry};
use crate::signoff;
use crate::Result;
use rusqlite::Connection;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The Acceptance stage: the acceptance and whether the project is closed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptanceView {
    #[serde(flatten)]
    pub acceptance: Acceptance,
    /// The acceptance's sign-off state (`draft` while it can be edited).
    pub state: signoff::State,
    pub closed_at: Option<String>,
}

pub fn acceptance(c: &Connection) -> Result<AcceptanceView> {
    Ok(AcceptanceView {
        acceptance: acceptance::load(c)?,
        state: crate::doc_state::state(c, crate::kind::DocKind::Acceptance, 1)?,
        closed_at: archive::closed_at(c)?,
    })
}

/// The Retrospective stage.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetroView {
    pub entries: Vec<Entry>,
    pub people: Vec<Person>,
    pub state: signoff::State,
    pub closed_at: Option<String>,
}

pub fn retro(c: &Connection) -> Result<RetroView> {
    Ok(RetroView {
        entries: retro::entries(c)?,
        people: crate::people::list(c)?,
        state: crate::doc_state::state(c, crate::kind::DocKind::Retrospective, 1)?,
        closed_at: archive::closed_at(c)?,
    })
}

/// The two folders the Archive stage shows: where "export all" writes, and the knowledge base's.
#[derive(Debug, Clone)]
pub struct Folders {
    pub archive_dir: PathBuf,
    pub library_dir: PathBuf,
}

/// The Archive stage: where the project stands, its documents, and the two folders.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveView {
    pub status: Status,
    pub entries: Vec<ArchiveEntry>,
    pub archive_dir: PathBuf,
    pub library_dir: PathBuf,
}

pub fn archive(c: &Connection, lang: Lang, folders: Folders) -> Result<ArchiveView> {
    Ok(ArchiveView {
        status: archive::status(c)?,
        entries: archive::entries(c, lang)?,
        archive_dir: folders.archive_dir,
        library_dir: folders.library_dir,
    })
}

/// The knowledge base's folder and how many projects it holds.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LibraryView {
    pub folder: PathBuf,
    pub refreshed: Refreshed,
    pub index_bytes: i64,
}

/// Brings `lib` up to date with `folder` (the project open now, if any, is read through its own
/// connection) and sums it up.
pub fn library(
    lib: &mut Library,
    folder: &Path,
    open: Option<(&Path, &Connection)>,
    lang: Lang,
) -> Result<LibraryView> {
    let refreshed = lib.refresh(folder, open, lang)?;
    Ok(LibraryView {
        index_bytes: lib.size().unwrap_or(0),
        folder: folder.to_path_buf(),
        refreshed,
    })
}
