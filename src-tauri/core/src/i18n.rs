//! The one message catalog (`ui/i18n/catalog.json`), shared by the web UI and the Rust side.
//!
//! Every label and message exists in zh-CN and English; `{name}` placeholders are filled by `format`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The catalog file, compiled in so that the command line speaks the same words as the app.
pub const CATALOG_JSON: &str = include_str!("../../../ui/i18n/catalog.json");

/// A user-interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The catalog column of this language.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses `zh`, `zh-CN`, `zh_CN.UTF-8`, `en`, `en-US` …; anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language of the environment (`LIAISON_LANG`, then `LANG`), Chinese when it says nothing.
    pub fn from_env() -> Lang {
        ["LIAISON_LANG", "LC_ALL", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find_map(|v| Lang::parse(&v))
            .unwrap_or_default()
    }
}

type Catalog = BTreeMap<String, BTreeMap<String, String>>;

/// The parsed catalog: key → language code → text.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        serde_json::from_str(CATALOG_JSON).expect("ui/i18n/catalog.json is valid JSON")
    })
}

/// The text of `key` in `lang`, with `{name}` placeholders replaced from `args`.
/// An unknown key comes back as the key itself, so a mistake shows instead of vanishing.
pub fn format(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let Some(text) = catalog().get(key).and_then(|m| m.get(lang.code())) else {
        return key.to_string();
    };
    let mut out = text.clone();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The text of `key` in `lang`, without placeholders.
pub fn text(lang: Lang, key: &str) -> String {
    format(lang, key, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages_and_the_same_placeholders() {
        for (key, langs) in catalog() {
            let zh = langs
                .get("zh-CN")
                .unwrap_or_else(|| panic!("{key} lacks zh-CN"));
            let en = langs.get("en").unwrap_or_else(|| panic!("{key} lacks en"));
            assert!(
                !zh.trim().is_empty() && !en.trim().is_empty(),
                "{key} is empty"
            );
            let holes = |s: &str| {
                let mut v: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(holes(zh), holes(en), "{key} has different placeholders");
        }
    }

    #[test]
    fn format_fills_placeholders_and_shows_unknown_keys() {
        let s = format(
            Lang::En,
            "error.open.not_found",
            &[("path", "/x/a.liaison")],
        );
        assert!(s.contains("/x/a.liaison"), "{s}");
        assert!(!s.contains("{path}"));
        assert_eq!(format(Lang::Zh, "no.such.key", &[]), "no.such.key");
    }

    #[test]
    fn languages_parse_from_locale_strings() {
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }

    /// Every key the UI names literally (`t('…')`, `data-i18n="…"`) and every stage key exists.
    #[test]
    fn every_key_the_ui_uses_is_in_the_catalog() {
        let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui");
        let mut files = vec![ui.join("index.html"), ui.join("app.js")];
        for dir in ["lib", "components"] {
            for e in std::fs::read_dir(ui.join(dir)).unwrap() {
                files.push(e.unwrap().path());
            }
        }
        let mut used = Vec::new();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for opener in ["t('", "data-i18n=\"", "data-i18n-title=\"", "i18n: '"] {
                for (at, _) in text.match_indices(opener) {
                    let before = text[..at].chars().last().unwrap_or(' ');
                    if before.is_ascii_alphanumeric() || before == '_' {
                        continue; // e.g. `Event('…'` is not `t('…'`
                    }
                    let key: String = text[at + opener.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
                        .collect();
                    if !key.is_empty() && !key.ends_with('.') {
                        used.push((f.display().to_string(), key));
                    }
                }
            }
        }
        for stage in [
            "registration",
            "organization",
            "plan",
            "meetings",
            "tracking",
            "acceptance",
            "retrospective",
            "archive",
        ] {
            used.push(("stages".into(), format!("stage.{stage}")));
            if stage != "registration" {
                used.push(("stages".into(), format!("stage.{stage}.empty")));
            }
        }
        assert!(used.len() > 40, "the scan found the UI's keys");
        for (file, key) in used {
            assert!(
                catalog().contains_key(&key),
                "{file} uses {key}, which the catalog lacks"
            );
        }
    }

    /// Every error the core can raise has its message in the catalog.
    #[test]
    fn every_error_has_a_message() {
        use crate::Error;
        use std::path::PathBuf;
        let p = || PathBuf::from("/x/项目.liaison");
        let io = || std::io::Error::other("disk full");
        let errors = vec![
            Error::NotFound(p()),
            Error::NotAFile(p()),
            Error::Empty(p()),
            Error::NotSqlite(p()),
            Error::Foreign(p()),
            Error::Newer {
                path: p(),
                found: 9,
                supported: 2,
            },
            Error::Truncated(p()),
            Error::Damaged {
                path: p(),
                detail: "x".into(),
            },
            Error::AlreadyOpen(p()),
            Error::BadExtension(p()),
            Error::Write {
                path: p(),
                source: io(),
            },
            Error::Read {
                path: p(),
                source: io(),
            },
            Error::NoProject,
            Error::Invalid {
                field: "field.name".into(),
                detail: "validation.too_long".into(),
            },
            Error::Sqlite(rusqlite::Error::InvalidQuery),
        ];
        for e in errors {
            for lang in [Lang::Zh, Lang::En] {
                let m = e.message(lang);
                assert!(
                    !m.contains("error.") && !m.contains('{'),
                    "{}: {m}",
                    e.code()
                );
            }
        }
    }
}
