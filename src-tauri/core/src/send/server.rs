//! The mail server: its settings (Preferences, or `LIAISON_SMTP` for tests and scripts), the
//! password behind a small trait (the OS keychain in the app, memory in tests), the blocking
//! transport and what a server answered, in words a user can pass on.

use crate::error::{Error, Result};
use crate::i18n::{self, Lang};
use crate::prefs::{is_loopback, Prefs, Security, Smtp};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// The environment variable that overrides the mail server: `smtp://127.0.0.1:2525` (no
/// encryption, loopback only, no login), `smtps://host:465` (TLS), `starttls://host:587`; an
/// optional `?from=address` sets the sender. A login still comes from Preferences.
pub const ENV: &str = "LIAISON_SMTP";

/// The keychain's service name of the SMTP password.
const SERVICE: &str = "liaison-smtp";

/// Where a password was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kept {
    /// In the OS's keychain (Windows credential manager, macOS keychain, Linux kernel keyring).
    Keychain,
    /// Only in this process: the keychain was not available.
    Session,
}

/// Where secrets are kept; the app uses [`Keychain`], tests [`Memory`] (never a real keychain).
pub trait SecretStore {
    fn get(&self, account: &str) -> Option<String>;
    fn set(&self, account: &str, secret: &str) -> Kept;
    fn remove(&self, account: &str);
}

/// Secrets in memory only (tests; and the keychain's fallback for the session).
#[derive(Default)]
pub struct Memory(Mutex<HashMap<String, String>>);

impl SecretStore for Memory {
    fn get(&self, account: &str) -> Option<String> {
        self.0.lock().ok()?.get(account).cloned()
    }
    fn set(&self, account: &str, secret: &str) -> Kept {
        if let Ok(mut m) = self.0.lock() {
            m.insert(account.into(), secret.into());
        }
        Kept::Session
    }
    fn remove(&self, account: &str) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(account);
        }
    }
}

/// The OS's keychain through `keyring`; when it cannot be used, the secret is kept for this
/// process only (and `set` says so).
#[derive(Default)]
pub struct Keychain {
    session: Memory,
}

impl SecretStore for Keychain {
    fn get(&self, account: &str) -> Option<String> {
        keyring::Entry::new(SERVICE, account)
            .and_then(|e| e.get_password())
            .ok()
            .or_else(|| self.session.get(account))
    }
    fn set(&self, account: &str, secret: &str) -> Kept {
        match keyring::Entry::new(SERVICE, account).and_then(|e| e.set_password(secret)) {
            Ok(()) => {
                self.session.remove(account);
                Kept::Keychain
            }
            Err(e) => {
                log::warn!(
                    "keychain not available ({e}); the SMTP password is kept for this session"
                );
                self.session.set(account, secret)
            }
        }
    }
    fn remove(&self, account: &str) {
        if let Ok(e) = keyring::Entry::new(SERVICE, account) {
            let _ = e.delete_credential();
        }
        self.session.remove(account);
    }
}

/// The keychain account of a server's login.
pub fn account(smtp: &Smtp) -> String {
    format!("{}@{}", smtp.username.trim(), smtp.host.trim())
}

/// Keeps the password of `smtp`'s login; says where.
pub fn save_password(store: &dyn SecretStore, smtp: &Smtp, password: &str) -> Kept {
    store.set(&account(smtp), password)
}

/// Whether a password of `smtp`'s login is kept (Preferences shows "saved").
pub fn has_password(store: &dyn SecretStore, smtp: &Smtp) -> bool {
    store.get(&account(smtp)).is_some()
}

/// Forgets the password of `smtp`'s login.
pub fn forget_password(store: &dyn SecretStore, smtp: &Smtp) {
    store.remove(&account(smtp));
}

/// A mail server ready to use: checked settings and the password of its login, if any.
#[derive(Clone)]
pub struct Server {
    pub smtp: Smtp,
    pub password: Option<String>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("smtp", &self.smtp)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .finish()
    }
}

impl Server {
    /// The server to send through: `LIAISON_SMTP` when set, else Preferences (refused when no
    /// host is set, or a login has no password).
    pub fn resolve(prefs: &Prefs, store: &dyn SecretStore) -> Result<Server> {
        Server::resolve_with(prefs, store, std::env::var(ENV).ok().as_deref())
    }

    /// `resolve` with the value of `LIAISON_SMTP` given.
    pub fn resolve_with(
        prefs: &Prefs,
        store: &dyn SecretStore,
        env: Option<&str>,
    ) -> Result<Server> {
        if let Some(url) = env.filter(|u| !u.trim().is_empty()) {
            return Server::from_url(url, prefs);
        }
        if prefs.smtp.host.trim().is_empty() {
            return Err(Error::refused("send.no_server", &[]));
        }
        let mut smtp = prefs.smtp.checked()?;
        if smtp.from_name.is_empty() {
            smtp.from_name = prefs.display_name.clone();
        }
        let password = if smtp.username.is_empty() {
            None
        } else {
            Some(
                store
                    .get(&account(&smtp))
                    .ok_or_else(|| Error::refused("send.no_password", &[]))?,
            )
        };
        Ok(Server { smtp, password })
    }

    /// A server from a `LIAISON_SMTP` value.
    pub fn from_url(url: &str, prefs: &Prefs) -> Result<Server> {
        let bad = || Error::refused("send.bad_env", &[("value", url.to_string())]);
        let (scheme, rest) = url.trim().split_once("://").ok_or_else(bad)?;
        let security = match scheme {
            "smtp" => Security::None,
            "smtps" => Security::Tls,
            "starttls" | "smtp+starttls" => Security::Starttls,
            _ => return Err(bad()),
        };
        let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
        let authority = authority.trim_end_matches('/');
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(':') && !p.contains(']') => {
                (h, p.parse::<u16>().map_err(|_| bad())?)
            }
            _ => (authority, 0),
        };
        let from = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("from="))
            .map(str::to_string);
        let from_address = from
            .or_else(|| Some(prefs.smtp.from_address.clone()).filter(|a| !a.is_empty()))
            .unwrap_or_else(|| "liaison@localhost".into());
        let smtp = Smtp {
            host: host.trim_start_matches('[').trim_end_matches(']').into(),
            port,
            security,
            username: String::new(),
            from_address,
            from_name: prefs.display_name.clone(),
        }
        .checked()?;
        Ok(Server {
            smtp,
            password: None,
        })
    }

    fn transport(&self) -> Result<SmtpTransport> {
        let host = self.smtp.host.as_str();
        let tls =
            || TlsParameters::new(host.into()).map_err(|_| Error::refused("send.tls_failed", &[]));
        let tls = match self.smtp.security {
            Security::Starttls => Tls::Required(tls()?),
            Security::Tls => Tls::Wrapper(tls()?),
            Security::None if is_loopback(host) => Tls::None,
            Security::None => return Err(Error::refused("send.plain_not_loopback", &[])),
        };
        let mut b = SmtpTransport::builder_dangerous(host)
            .port(self.smtp.port())
            .tls(tls)
            .timeout(Some(Duration::from_secs(30)));
        if let Some(p) = &self.password {
            b = b.credentials(Credentials::new(self.smtp.username.clone(), p.clone()));
        }
        Ok(b.build())
    }

    /// Opens one connection to see that the server answers and takes the login.
    pub fn test(&self, lang: Lang) -> std::result::Result<(), String> {
        let t = self.transport().map_err(|e| e.message(lang))?;
        match t.test_connection() {
            Ok(true) => Ok(()),
            Ok(false) => Err(i18n::text(lang, "reason.send.connection")),
            Err(e) => Err(answer(&e, lang)),
        }
    }
}

/// One connection to the server for a batch of messages.
pub(super) struct Outgoing {
    transport: SmtpTransport,
}

impl Outgoing {
    pub(super) fn new(server: &Server) -> Result<Outgoing> {
        Ok(Outgoing {
            transport: server.transport()?,
        })
    }

    /// Sends one message: the server's answer on acceptance, or the reason it was not taken.
    pub(super) fn send(&self, m: &Message, lang: Lang) -> std::result::Result<String, String> {
        match self.transport.send(m) {
            Ok(r) => Ok(format!(
                "{} {}",
                r.code(),
                r.message().collect::<Vec<_>>().join(" ")
            )),
            Err(e) => Err(answer(&e, lang)),
        }
    }
}

/// What the server said when it refused (its code and words, which the user can pass on to the
/// mail administrator), or the reason in the user's language when there was no answer.
fn answer(e: &lettre::transport::smtp::Error, lang: Lang) -> String {
    use std::error::Error as _;
    if let Some(code) = e.status() {
        let words = e.source().map(|s| s.to_string()).unwrap_or_default();
        return format!("{code} {}", words.trim()).trim().to_string();
    }
    let key = if e.is_timeout() {
        "reason.send.timeout"
    } else if e.is_tls() {
        "reason.send.tls"
    } else if e.is_response() {
        "reason.send.response"
    } else {
        "reason.send.connection"
    };
    i18n::text(lang, key)
}
