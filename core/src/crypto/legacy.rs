//! The first key schedule (v1), kept only to read what it wrote: the data key and the content
//! key were used directly as XChaCha20-Poly1305 keys, and purpose keys were HMAC-SHA256 of the
//! root over a label. The one-time upgrade (`reports::upgrade`) opens v1 values here and seals
//! them again under v2 keys; nothing new is ever written with v1.

use super::{CryptoError, RootKey, Signer, hmac_sha256, open_with};

impl RootKey {
    /// Opens a value sealed by v1 with this root key itself.
    pub fn open_v1(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        open_with(self.bytes(), context, sealed)
    }

    /// A v1 purpose key (`HMAC(root, label)`), for tags that cannot be recomputed under v2:
    /// printed deep links and the hashes of tracking codes filed before the upgrade.
    pub fn signer_v1(&self, label: &str, tag_bytes: usize) -> Signer {
        Signer::new(hmac_sha256(self.bytes(), label.as_bytes()), tag_bytes)
    }

    /// Seals as v1 did, so tests can build a database from before the upgrade.
    #[cfg(test)]
    pub fn seal_v1(&self, context: &str, plaintext: &[u8]) -> Vec<u8> {
        super::seal_with(self.bytes(), context, plaintext)
    }
}
