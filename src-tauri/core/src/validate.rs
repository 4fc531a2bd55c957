//! The checks every record's fields share: a refusal naming the field, and plain-text limits.

use crate::error::{Error, Result};
use chrono::{Datelike, NaiveDate};

/// The years a date may have. Every date the core accepts goes through `plausible` (the parsers
/// `clock::parse_date`, `clock::parse_time` and `clock::parse_written_date`), so a typo such as
/// 0016-12-16 or 20261-12-16 is refused with its field named instead of being stored.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Whether `d` has a year in `YEARS`.
pub fn plausible(d: NaiveDate) -> bool {
    YEARS.contains(&d.year())
}

/// A refusal of `field` (a catalog key) for `detail` (a catalog key).
pub fn invalid(field: &str, detail: &str) -> Error {
    Error::Invalid {
        field: field.into(),
        detail: detail.into(),
    }
}

/// Whether `value` is longer than `max` characters.
pub fn too_long(value: &str, max: usize) -> bool {
    value.chars().count() > max
}

/// Whether `value` holds a control character other than the `allowed` ones (line breaks, tabs:
/// each field says which it takes).
pub fn has_control(value: &str, allowed: &[char]) -> bool {
    value
        .chars()
        .any(|c| c.is_control() && !allowed.contains(&c))
}

/// Text of at most `max` characters, with no control characters but new lines and tabs.
pub fn check_text(field: &str, value: &str, max: usize) -> Result<()> {
    if too_long(value, max) {
        return Err(invalid(field, "validation.too_long"));
    }
    if has_control(value, &['\n', '\t']) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn lengths_count_characters_and_each_field_names_the_controls_it_takes() {
        assert!(!too_long("张伟", 2) && too_long("张伟a", 2));
        assert!(has_control("a\rb", &['\n']) && !has_control("a\nb", &['\n']));
        assert!(has_control("a\tb", &[]) && !has_control("a\tb", &['\n', '\t']));
        assert!(has_control("\u{1b}[31m", &['\n', '\t', '\r']));
        assert_eq!(
            check_text("f", "a\rb", 10).unwrap_err().to_string(),
            invalid("f", "validation.control_chars").to_string()
        );
    }

    #[test]
    fn dates_with_absurd_years_are_refused_by_every_parser() {
        use crate::clock::parse_date;
        assert!(parse_date("2026-12-16").is_some());
        assert!(parse_date("2000-01-01").is_some() && parse_date("2100-12-31").is_some());
        for bad in ["0016-12-16", "1999-12-31", "2101-01-01", "20261-12-16"] {
            assert!(parse_date(bad).is_none(), "{bad}");
            assert!(
                crate::clock::parse_time(&format!("{bad}T10:00")).is_none(),
                "{bad}"
            );
            assert!(crate::clock::parse_written_date(bad).is_none(), "{bad}");
        }
        assert!(crate::clock::parse_time("2026-12-16 10:00").is_some());
    }

    #[test]
    fn a_refused_date_names_its_field_and_the_years_allowed() {
        let e = invalid("field.task.start", "validation.date");
        let zh = e.message(Lang::Zh);
        assert!(
            zh.contains(&crate::i18n::text(Lang::Zh, "field.task.start")),
            "{zh}"
        );
        assert!(zh.contains("2000") && !zh.contains("{value}"), "{zh}");
    }
}
