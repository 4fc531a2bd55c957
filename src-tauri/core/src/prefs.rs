//! The user's preferences and recent files, kept as JSON in the app's config folder.

use crate::error::{Error, Result};
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How many recent files are remembered.
pub const RECENT_MAX: usize = 10;

/// What the user set in Preferences.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Prefs {
    pub language: Lang,
    /// The user's name as it goes into records and sign-offs.
    pub display_name: String,
    /// Most recent first.
    pub recent: Vec<PathBuf>,
    /// The knowledge base's library folder of project files.
    pub library_dir: Option<PathBuf>,
    /// Where the Archive stage exports all documents (None: the documents folder).
    pub archive_dir: Option<PathBuf>,
    /// The company's mail server notices, minutes and requests go out through (issue 18); its
    /// password is in the OS's keychain, never here.
    pub smtp: Smtp,
}

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (usually port 587); the upgrade is required.
    #[default]
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
    /// No encryption: only for a server on this computer (loopback), e.g. tests.
    None,
}

impl Security {
    /// The usual port of this security.
    pub fn default_port(self) -> u16 {
        match self {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

/// The SMTP server settings (Preferences ▸ E-mail).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Smtp {
    pub host: String,
    /// 0: the security's usual port.
    pub port: u16,
    pub security: Security,
    /// The login (empty: the server takes mail without one).
    pub username: String,
    /// The sender's address, `From:`.
    pub from_address: String,
    /// The sender's name as recipients see it (empty: the display name).
    pub from_name: String,
}

impl Smtp {
    /// The settings trimmed and checked: a host, a sender address lettre accepts, no control
    /// characters; plain connections only to this computer.
    pub fn checked(&self) -> Result<Smtp> {
        let bad = |field: &str, detail: &str| Error::Invalid {
            field: field.into(),
            detail: detail.into(),
        };
        let mut s = self.clone();
        for v in [
            &mut s.host,
            &mut s.username,
            &mut s.from_address,
            &mut s.from_name,
        ] {
            *v = v.trim().to_string();
        }
        if s.host.is_empty() || s.host.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(bad("prefs.smtp.host", "validation.required"));
        }
        if s.from_address.parse::<lettre::Address>().is_err() {
            return Err(bad("prefs.smtp.from_address", "validation.email"));
        }
        for (field, v) in [
            ("prefs.smtp.username", &s.username),
            ("prefs.smtp.from_name", &s.from_name),
        ] {
            if v.chars().count() > 200 || v.chars().any(char::is_control) {
                return Err(bad(field, "validation.control_chars"));
            }
        }
        if s.security == Security::None && !is_loopback(&s.host) {
            return Err(bad("prefs.smtp.security", "send.plain_not_loopback"));
        }
        Ok(s)
    }

    /// The port to connect to.
    pub fn port(&self) -> u16 {
        if self.port == 0 {
            self.security.default_port()
        } else {
            self.port
        }
    }
}

/// Whether `host` names this computer (`localhost`, 127.0.0.0/8, ::1).
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A recent file as the start page lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecentFile {
    pub path: PathBuf,
    pub name: String,
    pub missing: bool,
}

impl Prefs {
    /// Sets the display name (trimmed); refused when it is over 100 characters or holds control
    /// characters, since it goes into every record and signature.
    pub fn set_display_name(&mut self, name: &str) -> Result<()> {
        let name = name.trim();
        if name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(Error::Invalid {
                field: "prefs.display_name".into(),
                detail: "validation.control_chars".into(),
            });
        }
        self.display_name = name.to_string();
        Ok(())
    }

    /// Sets the mail server (checked: `Smtp::checked`). The password goes to the keychain
    /// separately (`send::save_password`).
    pub fn set_smtp(&mut self, smtp: &Smtp) -> Result<()> {
        self.smtp = smtp.checked()?;
        Ok(())
    }

    /// Reads the preferences in `dir`; a missing or unreadable file gives the defaults.
    pub fn load(dir: &Path) -> Prefs {
        std::fs::read_to_string(dir.join("prefs.json"))
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_else(|| Prefs {
                language: Lang::from_env(),
                ..Prefs::default()
            })
    }

    /// Writes the preferences to `dir` atomically (through `output`: temp file, fsync, rename).
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        let path = dir.join("prefs.json");
        let json = serde_json::to_vec_pretty(self).expect("prefs serialize");
        crate::output::write_file(&path, &json, crate::output::Output::Document, true)
    }

    /// Puts `path` first in the recent list.
    pub fn touch_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT_MAX);
    }

    /// The recent list with each file marked missing when it is no longer there.
    pub fn recent_files(&self) -> Vec<RecentFile> {
        self.recent
            .iter()
            .map(|p| RecentFile {
                path: p.clone(),
                name: p
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                missing: !p.is_file(),
            })
            .collect()
    }
}

/// The app's config folder: `LIAISON_CONFIG_DIR` when set, else the platform's.
pub fn config_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("LIAISON_CONFIG_DIR") {
        return PathBuf::from(d);
    }
    dirs::config_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("liaison")
}

/// Where the sample project lives: `LIAISON_DOCUMENTS_DIR`, else the user's documents folder.
pub fn sample_project_path(lang: Lang) -> PathBuf {
    let docs = std::env::var_os("LIAISON_DOCUMENTS_DIR")
        .map(PathBuf::from)
        .or_else(dirs::document_dir)
        .or_else(dirs::home_dir)
        .unwrap_or_else(std::env::temp_dir);
    let name = match lang {
        Lang::Zh => "新品上市项目（示例）",
        Lang::En => "New product launch (sample)",
    };
    docs.join("Liaison").join(format!("{name}.liaison"))
}

/// The folder the sample project lives in: the knowledge base's library unless the user picks
/// another.
pub fn default_library_dir(lang: Lang) -> PathBuf {
    sample_project_path(lang)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir)
}

/// Where the Archive stage exports all documents unless the user picks another folder.
pub fn default_archive_dir(lang: Lang) -> PathBuf {
    default_library_dir(lang).join(match lang {
        Lang::Zh => "归档导出",
        Lang::En => "Archive exports",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefs_round_trip_and_recent_list_marks_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let present = dir.path().join("a.liaison");
        std::fs::write(&present, b"x").unwrap();
        let gone = dir.path().join("gone.liaison");
        let mut p = Prefs::load(dir.path());
        p.language = Lang::En;
        p.display_name = "王芳".into();
        p.touch_recent(&gone);
        p.touch_recent(&present);
        p.touch_recent(&gone);
        p.save(dir.path()).unwrap();
        let back = Prefs::load(dir.path());
        assert_eq!(back, p);
        let recent = back.recent_files();
        assert_eq!(recent.len(), 2);
        assert!(recent[0].missing && recent[0].name == "gone");
        assert!(!recent[1].missing);
    }

    #[test]
    fn a_display_name_is_trimmed_and_one_with_control_characters_refused() {
        let mut p = Prefs::default();
        p.set_display_name("  王芳 ").unwrap();
        assert_eq!(p.display_name, "王芳");
        for bad in ["王\u{1b}[31m芳".to_string(), "名".repeat(101)] {
            match p.set_display_name(&bad) {
                Err(Error::Invalid { field, .. }) => assert_eq!(field, "prefs.display_name"),
                other => panic!("{other:?}"),
            }
            assert_eq!(p.display_name, "王芳", "a refused name changes nothing");
        }
    }
}
