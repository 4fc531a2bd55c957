//! Importing a task allocation table (任务分配表) from .xlsx or .csv. Columns are matched by their
//! header in Chinese or English (任务名称 / Task, 主导部门 / Lead department, …, the headers Liaison's
//! own export writes included). `preview` shows each row as it would be imported and every problem
//! row with its reason; `import` writes all rows in one transaction, or none.

use crate::clock::parse_written_date;
use crate::error::{Error, Result};
use crate::i18n::{self, Lang};
use crate::plan::calendar::Calendar;
use calamine::{Data, Reader};
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

mod apply;
mod header;
mod preview;
mod read;
mod values;

pub use apply::{import, Imported};
pub use preview::{preview, preview_table};
pub use read::{read_table, MAX_COLUMNS, MAX_ROWS, MAX_SHEET_BYTES};

use header::{field_of, normalize};
use values::{parse_ref, percent_of, split_list, status_of, yes};

/// One problem of a row: the column it is in (its header) and the reason, in the user's language.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// The catalog key of the reason (stable, for scripts and tests).
    pub code: String,
    pub column: String,
    pub message: String,
}

/// A row as it will be imported.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    /// The row's number in the sheet (the header is row 1).
    pub line: usize,
    pub outline: String,
    pub name: String,
    pub lead: String,
    pub collaborating: Vec<String>,
    pub owner: String,
    pub collaborators: Vec<String>,
    pub start: Option<String>,
    pub finish: Option<String>,
    /// Working days of work.
    pub duration: i64,
    pub buffer: i64,
    pub milestone: bool,
    pub standard: String,
    pub resources: String,
    pub risk_plan: String,
    pub predecessors: Vec<String>,
    pub status: String,
    pub percent: i64,
    pub problems: Vec<Problem>,
    /// The parent row's line (from the outline numbers), if any.
    #[serde(skip)]
    parent: Option<usize>,
    #[serde(skip)]
    links: Vec<(usize, &'static str, i64)>,
}

/// What the import would do.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub sheet: String,
    /// Each header with the field it was matched to (None: ignored).
    pub columns: Vec<(String, Option<String>)>,
    pub rows: Vec<Row>,
    /// Departments and people the rows name that the project does not have yet (created on import
    /// when asked).
    pub new_departments: Vec<String>,
    pub new_people: Vec<String>,
    /// Rows with at least one problem.
    pub refused: usize,
    /// Links between the imported tasks.
    pub links: usize,
}
