//! The checks every record's fields share: a refusal naming the field, and plain-text limits.

use crate::error::{Error, Result};

/// A refusal of `field` (a catalog key) for `detail` (a catalog key).
pub fn invalid(field: &str, detail: &str) -> Error {
    Error::Invalid {
        field: field.into(),
        detail: detail.into(),
    }
}

/// Text of at most `max` characters, with no control characters but new lines and tabs.
pub fn check_text(field: &str, value: &str, max: usize) -> Result<()> {
    if value.chars().count() > max {
        return Err(invalid(field, "validation.too_long"));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(invalid(field, "validation.control_chars"));
    }
    Ok(())
}

/// `value` made fit for a window title or a terminal line: control characters (U+0000, escape
/// sequences, new lines) left out and at most `max` characters, the rest shown as "…".
pub fn display_text(value: &str, max: usize) -> String {
    let mut out: String = value
        .chars()
        .filter(|c| !c.is_control())
        .take(max + 1)
        .collect();
    if out.chars().count() > max {
        out = out.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
    }
    out
}
