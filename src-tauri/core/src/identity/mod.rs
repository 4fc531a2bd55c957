//! Personal signing identities: an Ed25519 key per person, kept encrypted with a passphrase on
//! their own machine (`keyfile`), and the public identity card they hand to a coordinator (`card`).
//!
//! Only well-kept crates do the cryptography: `ed25519-dalek` (signatures), `argon2` (Argon2id,
//! the passphrase's key), `chacha20poly1305` (XChaCha20-Poly1305, the sealed secret), randomness
//! from the operating system (`rand_core::OsRng`), `zeroize` for secrets in memory.

pub mod card;
pub mod keyfile;

pub use card::Card;
pub use keyfile::KeyFile;
pub use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::fingerprint::{canonical, sha256_hex};
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Base64 (standard alphabet, padded; non-canonical encodings are refused when read).
pub(crate) const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The environment variable a passphrase is read from when no terminal can be asked (tests,
/// scripts).
pub const PASSPHRASE_ENV: &str = "LIAISON_PASSPHRASE";

/// The shortest passphrase accepted for a new key.
pub const MIN_PASSPHRASE: usize = 8;

/// Who a key belongs to, as its holder described themselves when creating it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Holder {
    pub name: String,
    pub department: String,
    pub role: String,
}

impl Holder {
    /// Refuses an empty name or text a form would refuse (control characters, over 200 characters).
    pub fn checked(self) -> Result<Holder> {
        let trim = |s: &str| s.trim().to_string();
        let h = Holder {
            name: trim(&self.name),
            department: trim(&self.department),
            role: trim(&self.role),
        };
        if h.name.is_empty() {
            return Err(Error::refused("keys.name_required", &[]));
        }
        for v in [&h.name, &h.department, &h.role] {
            if v.chars().count() > 200 || v.chars().any(char::is_control) {
                return Err(Error::refused("keys.holder_invalid", &[]));
            }
        }
        Ok(h)
    }
}

/// The key fingerprint: SHA-256 of the 32 bytes of the public key, lower-case hex.
pub fn key_fingerprint(public: &VerifyingKey) -> String {
    sha256_hex(public.as_bytes())
}

/// A fingerprint as it is read out over the phone: its first 32 hex digits in 8 groups of 4.
pub fn grouped(fingerprint: &str) -> String {
    let digits: Vec<char> = fingerprint.chars().take(32).collect();
    digits
        .chunks(4)
        .map(|c| c.iter().collect::<String>().to_uppercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The public key written in a file, or a refusal naming the file as damaged.
pub(crate) fn decode_public(b64: &str) -> Result<VerifyingKey> {
    let bytes: [u8; 32] = B64
        .decode(b64)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(malformed)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| malformed())
}

fn malformed() -> Error {
    Error::refused("keys.file.malformed", &[])
}

/// The bytes a signature covers: a context naming what is signed (so that a signature on one kind
/// of file is never valid on another) and the canonical JSON of the payload.
fn signed_bytes(context: &str, payload: &Value) -> Vec<u8> {
    format!("{context}\n{}", canonical(payload)).into_bytes()
}

/// Signs `payload` under `context`; the signature as base64.
pub(crate) fn sign(key: &SigningKey, context: &str, payload: &Value) -> String {
    B64.encode(key.sign(&signed_bytes(context, payload)).to_bytes())
}

/// Whether `signature` (base64) is `public`'s signature of `payload` under `context`.
pub(crate) fn verify(
    public: &VerifyingKey,
    context: &str,
    payload: &Value,
    signature: &str,
) -> bool {
    let Some(bytes) = B64
        .decode(signature)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
    else {
        return false;
    };
    public
        .verify_strict(
            &signed_bytes(context, payload),
            &Signature::from_bytes(&bytes),
        )
        .is_ok()
}

/// The passphrase: from `LIAISON_PASSPHRASE` when set, else asked on the terminal (`prompt`
/// shown; `confirm`, when given, asks a second time and refuses a mismatch).
pub fn passphrase(prompt: &str, confirm: Option<&str>) -> Result<zeroize::Zeroizing<String>> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return Ok(zeroize::Zeroizing::new(p));
    }
    let ask = |p: &str| {
        rpassword::prompt_password(p)
            .map(zeroize::Zeroizing::new)
            .map_err(|_| {
                Error::refused("keys.passphrase_needed", &[("env", PASSPHRASE_ENV.into())])
            })
    };
    let first = ask(prompt)?;
    if let Some(again) = confirm {
        if *ask(again)? != *first {
            return Err(Error::refused("keys.passphrase_mismatch", &[]));
        }
    }
    Ok(first)
}

/// The folder a new key goes to by default: the settings folder.
pub fn default_key_path() -> std::path::PathBuf {
    crate::prefs::config_dir().join("signing-key.json")
}

#[cfg(test)]
mod tests;
