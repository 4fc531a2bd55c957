//! The files of signing by key, and what they share: each is canonical JSON (sorted keys, no white
//! space, one final newline) carrying its `format` and `version`; a file of another format, of a
//! newer version, or whose bytes are not exactly what Liaison writes, is refused before anything
//! else is read from it (`canonical_file`). Key files and identity cards are in `identity`.

pub mod request;
pub mod response;

pub use request::Request;
pub use response::Response;

pub use crate::canonical_file::{parse, read, to_bytes, MAX_FILE};

/// The decisions a signer of `kind` may give: minutes and the retrospective are confirmed or
/// corrected, every other document approved or rejected (as in the sign-off panel).
pub fn decisions(kind: &str) -> [&'static str; 2] {
    if matches!(kind, "minutes" | "retrospective") {
        ["confirm", "request_correction"]
    } else {
        ["approve", "reject"]
    }
}
