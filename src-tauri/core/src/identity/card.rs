//! The identity card: the public half of a signing identity (holder, public key, key fingerprint,
//! when it was created), signed by its own key so that a card whose name or key was changed on the
//! way is refused. It proves nothing about who the holder is: the coordinator binds it to a person
//! after reading the fingerprint back with them (by phone, in person).

use super::{decode_public, key_fingerprint, Holder, KeyFile};
use crate::error::{Error, Result};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The `format` of an identity card.
pub const FORMAT: &str = "liaison-identity-card";
/// The newest card version this build reads and writes.
pub const VERSION: i64 = 1;
const CONTEXT: &str = "liaison identity card v1";

/// An identity card as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Card {
    pub format: String,
    pub version: i64,
    pub holder: Holder,
    pub public_key: String,
    pub fingerprint: String,
    pub created: String,
    pub self_signature: String,
}

impl Card {
    /// The card of an unlocked key.
    pub fn of(file: &KeyFile, key: &SigningKey) -> Card {
        let mut card = Card {
            format: FORMAT.into(),
            version: VERSION,
            holder: file.holder.clone(),
            public_key: file.public_key.clone(),
            fingerprint: file.fingerprint.clone(),
            created: file.created.clone(),
            self_signature: String::new(),
        };
        card.self_signature = super::sign(key, CONTEXT, &card.payload());
        card
    }

    /// Reads and checks a card: format, version, exact bytes, fingerprint and self-signature.
    pub fn parse(bytes: &[u8]) -> Result<Card> {
        let card: Card = crate::canonical_file::parse(bytes, FORMAT, VERSION)?;
        let public = card.public()?;
        if key_fingerprint(&public) != card.fingerprint
            || !super::verify(&public, CONTEXT, &card.payload(), &card.self_signature)
        {
            return Err(Error::refused("keys.card.bad_signature", &[]));
        }
        Ok(card)
    }

    /// The public key.
    pub fn public(&self) -> Result<VerifyingKey> {
        decode_public(&self.public_key)
    }

    fn payload(&self) -> Value {
        json!({
            "format": self.format, "version": self.version, "holder": self.holder,
            "publicKey": self.public_key, "fingerprint": self.fingerprint, "created": self.created,
        })
    }
}
