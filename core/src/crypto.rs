//! Encryption at rest and message authentication.
//!
//! **Key schedule.** Every key that encrypts or authenticates something is derived with
//! HKDF-SHA256 from a [`RootKey`] and a label naming its one purpose ([`SealPurpose`],
//! [`MacPurpose`]). A derived key serves one purpose with one primitive, and a root key is never
//! used by a primitive itself, so no key is both an AEAD key and an HMAC key and a tag made for
//! one purpose is useless for another. There are two roots:
//! - the operator's data key (`QINGFENG_DATA_KEY`): it only wraps the content key and signs
//!   deep links (printed posters do not depend on the database);
//! - the content key (see `reports::keys`): random, stored wrapped by the data key, the root of
//!   everything sealed or hashed in the database.
//!
//! Sealed values are `nonce (24 bytes) || XChaCha20-Poly1305 ciphertext`. The random 192-bit
//! nonce makes reuse negligible without a counter to persist. The associated data ("context")
//! binds a ciphertext to its row (e.g. `report.body:<code hash>`), so a value copied to another
//! row or column fails to open.
//!
//! [`legacy`] opens what the first key schedule wrote, for the one-time upgrade.

pub mod legacy;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use std::str::FromStr;

const NONCE_LEN: usize = 24;
/// Poly1305's tag, after the ciphertext: a sealed value is never shorter than both.
const TAG_LEN: usize = 16;
/// HKDF's salt: fixed, it only separates Qingfeng's derivations from any other use of a key.
const HKDF_SALT: &[u8] = b"qingfeng key schedule v2";

/// 32 secret bytes from which purpose keys are derived. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct RootKey([u8; 32]);

/// The operator's key, `QINGFENG_DATA_KEY`: a root key given as base64.
pub type DataKey = RootKey;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error(
        "the data key must be 32 bytes encoded in base64 (e.g. `head -c 32 /dev/urandom | base64`)"
    )]
    BadKey,
    #[error("the value could not be decrypted: wrong key or damaged data")]
    Open,
}

/// What a sealing (AEAD) key is for; each variant gets its own key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealPurpose {
    /// Wraps the content key (from the data key).
    ContentKeyWrap,
    /// Report parts, messages, notices (from the content key).
    Reports,
    /// Conversation state (from the content key).
    Dialogues,
    /// Staff second-factor secrets (from the content key).
    Staff,
    /// The daily report-quota keys while they live (from the content key).
    QuotaKeys,
}

/// What a MAC key is for; each variant gets its own key and a fixed tag length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MacPurpose {
    /// QR-code deep links (from the data key); short, to fit Telegram's 64-character payload.
    DeepLink,
    /// The "write to the staff" button under `/status` (from the content key).
    ReplyTag,
    /// Tracking-code hashes (from the content key).
    TrackingCode,
    /// The row key of a chat's dialogue and settings (from the content key).
    ChatKey,
    /// Rate-limit buckets such as wrong tracking codes per chat (from the content key).
    RateLimit,
    /// Sign-in failure buckets per username (from the content key).
    SignIn,
}

impl SealPurpose {
    pub const ALL: [SealPurpose; 5] = [
        SealPurpose::ContentKeyWrap,
        SealPurpose::Reports,
        SealPurpose::Dialogues,
        SealPurpose::Staff,
        SealPurpose::QuotaKeys,
    ];

    fn label(self) -> &'static str {
        match self {
            SealPurpose::ContentKeyWrap => "seal/content-key-wrap",
            SealPurpose::Reports => "seal/reports",
            SealPurpose::Dialogues => "seal/dialogues",
            SealPurpose::Staff => "seal/staff",
            SealPurpose::QuotaKeys => "seal/quota-keys",
        }
    }
}

impl MacPurpose {
    pub const ALL: [MacPurpose; 6] = [
        MacPurpose::DeepLink,
        MacPurpose::ReplyTag,
        MacPurpose::TrackingCode,
        MacPurpose::ChatKey,
        MacPurpose::RateLimit,
        MacPurpose::SignIn,
    ];

    fn label(self) -> &'static str {
        match self {
            MacPurpose::DeepLink => "mac/deep-link",
            MacPurpose::ReplyTag => "mac/reply-tag",
            MacPurpose::TrackingCode => "mac/tracking-code",
            MacPurpose::ChatKey => "mac/chat-key",
            MacPurpose::RateLimit => "mac/rate-limit",
            MacPurpose::SignIn => "mac/sign-in",
        }
    }

    /// Tag length in bytes. Deep links are 64 bits (a forger gets one guess per `/start`, and
    /// the payload only pre-fills choices); everything else is at least 128 bits.
    pub fn tag_bytes(self) -> usize {
        match self {
            MacPurpose::DeepLink => 8,
            MacPurpose::TrackingCode => 32,
            MacPurpose::ReplyTag | MacPurpose::ChatKey | MacPurpose::RateLimit => 16,
            MacPurpose::SignIn => 16,
        }
    }
}

impl RootKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        RootKey(bytes)
    }

    /// A fresh random root key (the content key is one).
    pub fn generate() -> Self {
        RootKey(random_bytes())
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn derive(&self, label: &str) -> [u8; 32] {
        let mut okm = [0u8; 32];
        hkdf::Hkdf::<Sha256>::new(Some(HKDF_SALT), &self.0)
            .expand(label.as_bytes(), &mut okm)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        okm
    }

    pub fn sealer(&self, purpose: SealPurpose) -> SealKey {
        SealKey(self.derive(purpose.label()))
    }

    pub fn signer(&self, purpose: MacPurpose) -> Signer {
        Signer::new(self.derive(purpose.label()), purpose.tag_bytes())
    }
}

impl FromStr for RootKey {
    type Err = CryptoError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = STANDARD.decode(s.trim()).map_err(|_| CryptoError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::BadKey)?;
        Ok(RootKey(key))
    }
}

impl fmt::Debug for RootKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RootKey(<redacted>)")
    }
}

/// An XChaCha20-Poly1305 key for one purpose.
#[derive(Clone)]
pub struct SealKey([u8; 32]);

impl SealKey {
    /// Encrypts `plaintext`, binding it to `context` (which must be given again to open it).
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Vec<u8> {
        seal_with(&self.0, context, plaintext)
    }

    pub fn open(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        open_with(&self.0, context, sealed)
    }
}

impl fmt::Debug for SealKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SealKey(<redacted>)")
    }
}

fn seal_with(key: &[u8; 32], context: &str, plaintext: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let payload = Payload {
        msg: plaintext,
        aad: context.as_bytes(),
    };
    let ciphertext = cipher
        .encrypt(&nonce, payload)
        .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
    let mut sealed = nonce.to_vec();
    sealed.extend_from_slice(&ciphertext);
    sealed
}

fn open_with(key: &[u8; 32], context: &str, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if sealed.len() < NONCE_LEN + TAG_LEN {
        return Err(CryptoError::Open);
    }
    let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(key.into());
    let payload = Payload {
        msg: ciphertext,
        aad: context.as_bytes(),
    };
    cipher
        .decrypt(XNonce::from_slice(nonce), payload)
        .map_err(|_| CryptoError::Open)
}

/// Makes and checks URL-safe HMAC-SHA256 tags of one fixed length; also a keyed hash.
#[derive(Clone)]
pub struct Signer {
    key: [u8; 32],
    tag_bytes: usize,
}

impl Signer {
    pub(crate) fn new(key: [u8; 32], tag_bytes: usize) -> Signer {
        assert!((8..=32).contains(&tag_bytes), "tags are 8 to 32 bytes");
        Signer { key, tag_bytes }
    }

    /// The tag over `message`: base64url without padding, always the same length.
    pub fn tag(&self, message: &str) -> String {
        URL_SAFE_NO_PAD.encode(&hmac_sha256(&self.key, message.as_bytes())[..self.tag_bytes])
    }

    /// How many characters [`Signer::tag`] produces, for parsers that take tags apart.
    pub fn tag_chars(&self) -> usize {
        base64_len(self.tag_bytes)
    }

    /// Accepts only a tag of exactly this signer's length, compared in constant time: a
    /// shortened tag is refused, never checked as a prefix.
    pub fn verify(&self, message: &str, tag: &str) -> bool {
        if tag.len() != self.tag_chars() {
            return false;
        }
        let Ok(given) = URL_SAFE_NO_PAD.decode(tag) else {
            return false;
        };
        if given.len() != self.tag_bytes {
            return false;
        }
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(message.as_bytes());
        mac.verify_truncated_left(&given).is_ok()
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signer(<redacted>)")
    }
}

/// Characters of unpadded base64 for `bytes` bytes.
pub fn base64_len(bytes: usize) -> usize {
    (bytes * 4).div_ceil(3)
}

/// A random number from the operating system (for shuffling quiz questions).
pub fn random_u64() -> u64 {
    use chacha20poly1305::aead::rand_core::RngCore;
    OsRng.next_u64()
}

/// `N` random bytes from the operating system (tracking codes, keys).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use chacha20poly1305::aead::rand_core::RngCore;
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// Shuffles in place (Fisher–Yates) with the operating system's randomness.
pub fn shuffle<T>(items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = (random_u64() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests;
