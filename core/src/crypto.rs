//! Encryption at rest and message authentication, both keyed by `QINGFENG_DATA_KEY`.
//!
//! Sealed values are `nonce (24 bytes) || XChaCha20-Poly1305 ciphertext`. The random 192-bit
//! nonce makes reuse negligible without any counter to persist. The associated data binds a
//! ciphertext to its row (e.g. `dialogue:<chat id>`), so a value copied to another row fails
//! to open. Sub-keys for other purposes (deep-link signatures) are derived with HMAC-SHA256
//! over a label, so the data key itself never signs anything directly.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use std::str::FromStr;

const NONCE_LEN: usize = 24;

/// The 32-byte key for encryption at rest. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct DataKey([u8; 32]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error(
        "the data key must be 32 bytes encoded in base64 (e.g. `head -c 32 /dev/urandom | base64`)"
    )]
    BadKey,
    #[error("the value could not be decrypted: wrong key or damaged data")]
    Open,
}

impl DataKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        DataKey(bytes)
    }

    /// Encrypts `plaintext`, binding it to `context` (which must be given again to open it).
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Vec<u8> {
        let cipher = XChaCha20Poly1305::new((&self.0).into());
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

    pub fn open(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if sealed.len() < NONCE_LEN {
            return Err(CryptoError::Open);
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let payload = Payload {
            msg: ciphertext,
            aad: context.as_bytes(),
        };
        cipher
            .decrypt(XNonce::from_slice(nonce), payload)
            .map_err(|_| CryptoError::Open)
    }

    /// A purpose-specific key, so that a signature made for one purpose is useless for another.
    pub fn derive(&self, label: &str) -> Signer {
        Signer(hmac_sha256(&self.0, label.as_bytes()))
    }
}

impl FromStr for DataKey {
    type Err = CryptoError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = STANDARD.decode(s.trim()).map_err(|_| CryptoError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::BadKey)?;
        Ok(DataKey(key))
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

/// Makes and checks short, URL-safe message authentication tags.
#[derive(Clone)]
pub struct Signer([u8; 32]);

impl Signer {
    /// A tag of `bytes` bytes (base64url, no padding) over `message`.
    pub fn tag(&self, message: &str, bytes: usize) -> String {
        let mac = hmac_sha256(&self.0, message.as_bytes());
        URL_SAFE_NO_PAD.encode(&mac[..bytes.min(mac.len())])
    }

    /// Compares in constant time.
    pub fn verify(&self, message: &str, tag: &str) -> bool {
        let Ok(given) = URL_SAFE_NO_PAD.decode(tag) else {
            return false;
        };
        if given.is_empty() || given.len() > 32 {
            return false;
        }
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(message.as_bytes());
        mac.verify_truncated_left(&given).is_ok()
    }
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
mod tests {
    use super::*;

    fn key(byte: u8) -> DataKey {
        DataKey::from_bytes([byte; 32])
    }

    #[test]
    fn sealed_values_open_only_with_the_same_key_and_context() {
        let sealed = key(1).seal("dialogue:42", "举报内容".as_bytes());
        assert!(!sealed.windows(4).any(|w| w == &"举报内容".as_bytes()[..4]));
        assert_eq!(
            key(1).open("dialogue:42", &sealed).unwrap(),
            "举报内容".as_bytes()
        );
        assert_eq!(key(2).open("dialogue:42", &sealed), Err(CryptoError::Open));
        assert_eq!(key(1).open("dialogue:43", &sealed), Err(CryptoError::Open));
        assert_eq!(
            key(1).open("dialogue:42", &sealed[..10]),
            Err(CryptoError::Open)
        );
    }

    #[test]
    fn sealing_twice_gives_different_ciphertexts() {
        assert_ne!(key(1).seal("c", b"same"), key(1).seal("c", b"same"));
    }

    #[test]
    fn keys_parse_from_base64_of_32_bytes_only() {
        let encoded = STANDARD.encode([7u8; 32]);
        assert!(encoded.parse::<DataKey>().is_ok());
        assert_eq!(
            STANDARD.encode([7u8; 16]).parse::<DataKey>().unwrap_err(),
            CryptoError::BadKey
        );
        assert_eq!(
            "not base64!".parse::<DataKey>().unwrap_err(),
            CryptoError::BadKey
        );
        assert_eq!(format!("{:?}", key(9)), "DataKey(<redacted>)");
    }

    #[test]
    fn tags_verify_and_differ_by_purpose() {
        let links = key(1).derive("deep-link");
        let tag = links.tag("h_baofeng", 9);
        assert!(links.verify("h_baofeng", &tag));
        assert!(!links.verify("h_baofenh", &tag));
        assert!(!key(1).derive("other").verify("h_baofeng", &tag));
        assert!(!links.verify("h_baofeng", ""));
        assert!(!links.verify("h_baofeng", "***"));
    }
}
