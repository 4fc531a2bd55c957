//! The signing response: a signer's decision, comment and time, signed with their key over the
//! project, the document (kind, record), round, revision, fingerprint, decision, comment and time,
//! with their public key and what their card says of them. The signature covers every field but
//! itself, and the file must be byte for byte what Liaison wrote, so any changed byte is refused.

use super::Request;
use crate::error::{Error, Result};
use crate::identity::{self, decode_public, key_fingerprint, Holder, KeyFile};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

/// The `format` of a signing response.
pub const FORMAT: &str = "liaison-signing-response";
/// The newest response version this build reads and writes.
pub const VERSION: i64 = 1;
const CONTEXT: &str = "liaison signing response v1";

/// What the signer signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Signed {
    pub format: String,
    pub version: i64,
    pub project_id: String,
    pub kind: String,
    pub record: i64,
    pub round: i64,
    pub revision: i64,
    pub fingerprint: String,
    pub decision: String,
    pub comment: String,
    pub time: String,
    pub signer: Holder,
    pub public_key: String,
    pub key_fingerprint: String,
}

/// A signing response as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Response {
    pub format: String,
    pub version: i64,
    pub signed: Signed,
    pub signature: String,
}

impl Response {
    /// The signer's answer to `request`, signed with `key`. Refuses a decision the rule does not
    /// offer and a refusal without a reason.
    pub fn create(
        request: &Request,
        file: &KeyFile,
        key: &SigningKey,
        decision: &str,
        comment: &str,
    ) -> Result<Response> {
        if !request.decisions.iter().any(|d| d == decision)
            || !super::decisions(&request.kind).contains(&decision)
        {
            return Err(Error::refused(
                "keys.decision_not_allowed",
                &[("allowed", request.decisions.join(", "))],
            ));
        }
        let comment = comment.trim();
        if !matches!(decision, "approve" | "confirm") && comment.is_empty() {
            return Err(Error::SignOff("signoff.reason_required".into()));
        }
        if comment.chars().count() > 2000 || comment.chars().any(|c| c.is_control() && c != '\n') {
            return Err(Error::SignOff("validation.too_long".into()));
        }
        let signed = Signed {
            format: FORMAT.into(),
            version: VERSION,
            project_id: request.project_id.clone(),
            kind: request.kind.clone(),
            record: request.record,
            round: request.round,
            revision: request.revision,
            fingerprint: request.fingerprint.clone(),
            decision: decision.into(),
            comment: comment.into(),
            time: crate::clock::now_rfc3339(true),
            signer: file.holder.clone(),
            public_key: file.public_key.clone(),
            key_fingerprint: file.fingerprint.clone(),
        };
        let signature = identity::sign(key, CONTEXT, &payload(&signed));
        Ok(Response {
            format: FORMAT.into(),
            version: VERSION,
            signed,
            signature,
        })
    }

    /// Reads a response: format, version, exact bytes, key fingerprint and signature.
    pub fn parse(bytes: &[u8]) -> Result<Response> {
        let r: Response = super::parse(bytes, FORMAT, VERSION)?;
        if r.signed.format != FORMAT || r.signed.version != r.version || !r.verifies() {
            return Err(Error::refused("keys.response.bad_signature", &[]));
        }
        Ok(r)
    }

    /// Whether the signature is the signer's key's on `signed`, and the key has that fingerprint.
    pub fn verifies(&self) -> bool {
        match self.public() {
            Ok(public) => {
                key_fingerprint(&public) == self.signed.key_fingerprint
                    && identity::verify(&public, CONTEXT, &payload(&self.signed), &self.signature)
            }
            Err(_) => false,
        }
    }

    /// The signer's public key.
    pub fn public(&self) -> Result<VerifyingKey> {
        decode_public(&self.signed.public_key)
    }
}

fn payload(signed: &Signed) -> serde_json::Value {
    serde_json::to_value(signed).expect("response serializes")
}
