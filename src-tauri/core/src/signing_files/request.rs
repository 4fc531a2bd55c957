//! The signing request: what a coordinator sends a signer — the project, the document (kind,
//! record), the round and revision, the frozen content and its fingerprint, the rendered PDF, who
//! asked and when, the signers of the round and the decisions the rule allows. It is not signed:
//! the signer's response names the fingerprint, so a request altered on the way yields a response
//! the project refuses.

use crate::error::{Error, Result};
use crate::fingerprint;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `format` of a signing request.
pub const FORMAT: &str = "liaison-signing-request";
/// The newest request version this build reads and writes.
pub const VERSION: i64 = 1;

/// A required signer as the request lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestSigner {
    pub person_id: i64,
    pub name: String,
    pub department: String,
    pub role: String,
    /// The fingerprints of the keys bound to this person in the project.
    pub keys: Vec<String>,
}

/// A signing request as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Request {
    pub format: String,
    pub version: i64,
    pub project_id: String,
    pub project_name: String,
    /// The sign-off kind (`registration`, `plan`, `minutes`, `change_request`, `acceptance`,
    /// `retrospective`).
    pub kind: String,
    pub record: i64,
    pub round: i64,
    pub revision: i64,
    pub content: Value,
    pub fingerprint: String,
    /// The document as PDF, base64.
    pub pdf: String,
    pub asked_by: String,
    pub asked_at: String,
    pub signers: Vec<RequestSigner>,
    /// The signer this request is for, or none when it is for every signer of the round.
    pub for_person: Option<i64>,
    pub decisions: Vec<String>,
}

impl Request {
    /// Reads a request and checks that its fingerprint is that of its content.
    pub fn parse(bytes: &[u8]) -> Result<Request> {
        let r: Request = crate::signing_files::parse(bytes, FORMAT, VERSION)?;
        if fingerprint::of_document(&r.kind, r.record, &r.content) != r.fingerprint {
            return Err(Error::refused("keys.request.fingerprint", &[]));
        }
        Ok(r)
    }

    /// The PDF's bytes.
    pub fn pdf_bytes(&self) -> Result<Vec<u8>> {
        use base64::Engine;
        crate::identity::B64
            .decode(&self.pdf)
            .map_err(|_| Error::refused("keys.file.altered", &[]))
    }
}
