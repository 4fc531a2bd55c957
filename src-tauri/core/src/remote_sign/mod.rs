//! Signing by key on the project's side (issue 17): identity cards bound to people, signing
//! requests exported from an open round, responses verified and recorded, and how every signature
//! was obtained — 电子签名 (the signer's own key), 纸质签字 (a scan of the signed PDF) or 代为登记
//! (the coordinator, on the signer's behalf). `check` verifies all of it again (`verify`).

mod accept;
mod bind;
mod check;
mod request;

pub use accept::{accept, check_response, Accepted};
pub use bind::{bind, bindings, Binding};
pub use check::verify;
pub use request::{requests, write_requests, NamedRequest};

pub(crate) use crate::signoff::method::MethodRow;
pub use crate::signoff::method::{method_label, methods, scan, HowSigned, Method, MAX_SCAN};

use crate::audit::Change;
pub(crate) use crate::storage::project_id;

/// The audit entry of a binding or method, for the caller's transaction.
pub(crate) fn change<'a>(record: &'a str, field: &'a str, after: &'a str) -> Change<'a> {
    Change {
        record,
        field,
        before: None,
        after: Some(after),
    }
}

#[cfg(test)]
mod tests;
