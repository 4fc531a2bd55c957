//! The kinds of signed document, one name each (`DocKind`): the name stored in `signoff_round`,
//! `document_state` and `document_export`, printed in a PDF's identifier, given on the command
//! line, sent to and from the UI.
//!
//! What each kind does (its content, signers, rule) is its module's `signoff::Document`
//! implementation; `kinds` registers them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A kind of signed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Registration,
    /// The plan (printed as the task allocation table).
    #[serde(alias = "allocation")]
    Plan,
    Minutes,
    #[serde(alias = "change-request")]
    ChangeRequest,
    Acceptance,
    Retrospective,
}

impl DocKind {
    pub const ALL: [DocKind; 6] = [
        DocKind::Registration,
        DocKind::Plan,
        DocKind::Minutes,
        DocKind::ChangeRequest,
        DocKind::Acceptance,
        DocKind::Retrospective,
    ];

    /// The one name of the kind (its serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Registration => "registration",
            DocKind::Plan => "plan",
            DocKind::Minutes => "minutes",
            DocKind::ChangeRequest => "change_request",
            DocKind::Acceptance => "acceptance",
            DocKind::Retrospective => "retrospective",
        }
    }

    /// The kind of a name. Also accepts `allocation` and `change-request`, the names the command
    /// line documented for the PDFs before, which older export records and PDF identifiers carry.
    pub fn parse(s: &str) -> Option<DocKind> {
        match s {
            "allocation" => Some(DocKind::Plan),
            "change-request" => Some(DocKind::ChangeRequest),
            _ => DocKind::ALL.into_iter().find(|k| k.as_str() == s),
        }
    }

    /// Whether the kind has one document per project (id 1) rather than one per record.
    pub fn is_single(self) -> bool {
        !matches!(self, DocKind::Minutes | DocKind::ChangeRequest)
    }

    /// The audit log's record name of a document: `kind:id`.
    pub fn record(self, id: i64) -> String {
        format!("{}:{id}", self.as_str())
    }
}

/// Stored as its name.
impl rusqlite::ToSql for DocKind {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_per_kind_and_the_old_spellings_still_read() {
        for k in DocKind::ALL {
            assert_eq!(DocKind::parse(k.as_str()), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(serde_json::from_str::<DocKind>(&json).unwrap(), k);
        }
        assert_eq!(DocKind::parse("allocation"), Some(DocKind::Plan));
        assert_eq!(
            DocKind::parse("change-request"),
            Some(DocKind::ChangeRequest)
        );
        assert_eq!(
            serde_json::from_str::<DocKind>("\"change-request\"").unwrap(),
            DocKind::ChangeRequest
        );
        assert_eq!(DocKind::parse("Plan"), None);
        assert_eq!(DocKind::parse("signature"), None);
        assert!(serde_json::from_str::<DocKind>("\"memo\"").is_err());
    }
}
