//! The private key file: the Ed25519 secret sealed with XChaCha20-Poly1305 under a key Argon2id
//! derives from the holder's passphrase. Everything else in the file (holder, public key, KDF
//! parameters) is the AEAD's associated data, so no field can be changed without the passphrase
//! failing. It stays on the holder's machine; on Unix it is readable by its owner only (0600).

use super::{key_fingerprint, Holder, B64, MIN_PASSPHRASE};
use crate::error::{Error, Result};
use crate::fingerprint::canonical;
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::SigningKey;
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::Path;
use zeroize::Zeroizing;

/// The `format` of a key file.
pub const FORMAT: &str = "liaison-signing-key";
/// The newest key file version this build reads and writes.
pub const VERSION: i64 = 1;

/// Argon2id cost for new keys (OWASP's recommendation: 19 MiB, 2 passes, 1 lane).
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
/// The most a key file may ask for, so a crafted file cannot exhaust the machine.
const MAX_MEMORY_KIB: u32 = 1024 * 1024;
const MAX_ITERATIONS: u32 = 16;

/// How the passphrase becomes the sealing key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Kdf {
    pub algorithm: String,
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    pub salt: String,
}

/// The sealed secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sealed {
    pub algorithm: String,
    pub nonce: String,
    pub ciphertext: String,
}

/// A key file as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyFile {
    pub format: String,
    pub version: i64,
    pub holder: Holder,
    pub public_key: String,
    pub fingerprint: String,
    pub created: String,
    pub kdf: Kdf,
    pub sealed: Sealed,
}

impl KeyFile {
    /// A new key for `holder`, sealed with `passphrase` (at least [`MIN_PASSPHRASE`] characters).
    pub fn create(holder: Holder, passphrase: &str) -> Result<(KeyFile, SigningKey)> {
        let holder = holder.checked()?;
        if passphrase.chars().count() < MIN_PASSPHRASE {
            return Err(Error::refused(
                "keys.passphrase_short",
                &[("min", MIN_PASSPHRASE.to_string())],
            ));
        }
        let key = SigningKey::generate(&mut OsRng);
        let public = key.verifying_key();
        let mut salt = [0u8; 16];
        OsRng.fill_bytes(&mut salt);
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut nonce);
        let mut file = KeyFile {
            format: FORMAT.into(),
            version: VERSION,
            holder,
            public_key: B64.encode(public.as_bytes()),
            fingerprint: key_fingerprint(&public),
            created: crate::clock::now_rfc3339(true),
            kdf: Kdf {
                algorithm: "argon2id".into(),
                memory_kib: MEMORY_KIB,
                iterations: ITERATIONS,
                parallelism: 1,
                salt: B64.encode(salt),
            },
            sealed: Sealed {
                algorithm: "xchacha20poly1305".into(),
                nonce: B64.encode(nonce),
                ciphertext: String::new(),
            },
        };
        let sealing = file.sealing_key(passphrase)?;
        let cipher = XChaCha20Poly1305::new(sealing.as_ref().into());
        let secret = Zeroizing::new(key.to_bytes());
        let ciphertext = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: secret.as_ref(),
                    aad: file.associated_data().as_bytes(),
                },
            )
            .expect("sealing 32 bytes cannot fail");
        file.sealed.ciphertext = B64.encode(ciphertext);
        Ok((file, key))
    }

    /// Reads a key file (format, version, exact bytes).
    pub fn parse(bytes: &[u8]) -> Result<KeyFile> {
        let file: KeyFile = crate::canonical_file::parse(bytes, FORMAT, VERSION)?;
        if file.kdf.algorithm != "argon2id" || file.sealed.algorithm != "xchacha20poly1305" {
            return Err(Error::refused("keys.file.altered", &[]));
        }
        Ok(file)
    }

    /// Reads the key file at `path`.
    pub fn load(path: &Path) -> Result<KeyFile> {
        KeyFile::parse(&crate::canonical_file::read(path)?)
    }

    /// The secret key, unsealed with `passphrase`; a wrong passphrase or a changed field refuses.
    pub fn unlock(&self, passphrase: &str) -> Result<SigningKey> {
        let wrong = || Error::refused("keys.wrong_passphrase", &[]);
        let sealing = self.sealing_key(passphrase)?;
        let nonce: [u8; 24] = B64
            .decode(&self.sealed.nonce)
            .ok()
            .and_then(|n| n.try_into().ok())
            .ok_or_else(wrong)?;
        let ciphertext = B64.decode(&self.sealed.ciphertext).map_err(|_| wrong())?;
        let cipher = XChaCha20Poly1305::new(sealing.as_ref().into());
        let secret = Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &ciphertext,
                        aad: self.associated_data().as_bytes(),
                    },
                )
                .map_err(|_| wrong())?,
        );
        let seed: Zeroizing<[u8; 32]> =
            Zeroizing::new(secret.as_slice().try_into().map_err(|_| wrong())?);
        let key = SigningKey::from_bytes(&seed);
        if B64.encode(key.verifying_key().as_bytes()) != self.public_key {
            return Err(wrong());
        }
        Ok(key)
    }

    /// Writes the file at `path` (never over an existing file), readable by its owner only.
    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes = crate::canonical_file::to_bytes(self);
        crate::output::write_with(path, crate::output::Output::Document, false, |tmp| {
            owner_only(tmp).map_err(|e| Error::write(path, e))?;
            std::fs::write(tmp, &bytes).map_err(|e| Error::write(path, e))
        })
    }

    fn associated_data(&self) -> String {
        canonical(&json!({
            "format": self.format, "version": self.version, "holder": self.holder,
            "publicKey": self.public_key, "fingerprint": self.fingerprint,
            "created": self.created, "kdf": self.kdf,
            "cipher": self.sealed.algorithm,
        }))
    }

    fn sealing_key(&self, passphrase: &str) -> Result<Zeroizing<[u8; 32]>> {
        let k = &self.kdf;
        if k.memory_kib > MAX_MEMORY_KIB || k.iterations > MAX_ITERATIONS || k.parallelism > 8 {
            return Err(Error::refused("keys.file.altered", &[]));
        }
        let salt = B64
            .decode(&k.salt)
            .map_err(|_| Error::refused("keys.file.altered", &[]))?;
        let params = Params::new(k.memory_kib, k.iterations, k.parallelism, Some(32))
            .map_err(|_| Error::refused("keys.file.altered", &[]))?;
        let mut out = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), &salt, out.as_mut())
            .map_err(|_| Error::refused("keys.file.altered", &[]))?;
        Ok(out)
    }
}

#[cfg(unix)]
fn owner_only(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn owner_only(_path: &Path) -> std::io::Result<()> {
    Ok(())
}
