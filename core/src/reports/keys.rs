//! The report key: a random key, stored in the database sealed ("wrapped") by the data key.
//! Report content, identities, file ids and tracking-code hashes all depend on it, so changing
//! `QINGFENG_DATA_KEY` only means re-wrapping this one value (`qingfeng rekey`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::ReportError;
use crate::crypto::{self, CryptoError, DataKey, Signer};
use crate::domain::TrackingCode;
use crate::store::Store;

const WRAPPED_KEY: &str = "reports.key";
const WRAP_CONTEXT: &str = "report-key";

#[derive(Clone)]
pub struct ReportKeys {
    seal: DataKey,
    lookup: Signer,
}

impl std::fmt::Debug for ReportKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReportKeys(<redacted>)")
    }
}

fn unwrap(data_key: &DataKey, wrapped: &str) -> Result<ReportKeys, ReportError> {
    let sealed = STANDARD.decode(wrapped).map_err(|_| CryptoError::Open)?;
    let bytes: [u8; 32] = data_key
        .open(WRAP_CONTEXT, &sealed)?
        .try_into()
        .map_err(|_| CryptoError::Open)?;
    Ok(ReportKeys::from_bytes(bytes))
}

impl ReportKeys {
    fn from_bytes(bytes: [u8; 32]) -> ReportKeys {
        let seal = DataKey::from_bytes(bytes);
        let lookup = seal.derive("report-lookup");
        ReportKeys { seal, lookup }
    }

    /// Opens the stored report key, creating it on first use.
    pub async fn load_or_create(
        store: &Store,
        data_key: &DataKey,
    ) -> Result<ReportKeys, ReportError> {
        if let Some(wrapped) = store.kv_get(WRAPPED_KEY).await? {
            return unwrap(data_key, &wrapped);
        }
        let fresh: [u8; 32] = crypto::random_bytes();
        let wrapped = STANDARD.encode(data_key.seal(WRAP_CONTEXT, &fresh));
        // Two processes starting at once: the first write wins and both use it.
        let stored = store.kv_insert_once(WRAPPED_KEY, &wrapped).await?;
        unwrap(data_key, &stored)
    }

    /// Re-wraps the report key under `new` (after checking `old` opens it). Nothing else
    /// changes: reports, codes and notices stay readable.
    pub async fn rewrap(store: &Store, old: &DataKey, new: &DataKey) -> Result<(), ReportError> {
        let Some(wrapped) = store.kv_get(WRAPPED_KEY).await? else {
            return Ok(());
        };
        let sealed = STANDARD.decode(&wrapped).map_err(|_| CryptoError::Open)?;
        let bytes = old.open(WRAP_CONTEXT, &sealed)?;
        let rewrapped = STANDARD.encode(new.seal(WRAP_CONTEXT, &bytes));
        store.kv_put(WRAPPED_KEY, &rewrapped).await?;
        Ok(())
    }

    /// The keyed hash a tracking code is stored and looked up by.
    pub fn code_hash(&self, code: &TrackingCode) -> String {
        self.lookup.tag(&format!("code:{}", code.canonical()), 32)
    }

    /// A rate-limit bucket for one chat that does not reveal the chat id.
    pub fn chat_bucket(&self, purpose: &str, chat_id: i64) -> String {
        format!(
            "{purpose}:{}",
            self.lookup.tag(&format!("chat:{chat_id}"), 16)
        )
    }

    pub fn seal_json<T: Serialize>(&self, context: &str, value: &T) -> Vec<u8> {
        let plain = serde_json::to_vec(value).expect("report data serialises");
        self.seal.seal(context, &plain)
    }

    pub fn open_json<T: DeserializeOwned>(
        &self,
        context: &str,
        sealed: &[u8],
    ) -> Result<T, ReportError> {
        let plain = self.seal.open(context, sealed)?;
        serde_json::from_slice(&plain).map_err(|_| ReportError::WrongKey(CryptoError::Open))
    }

    #[cfg(test)]
    pub(crate) fn for_tests() -> ReportKeys {
        ReportKeys::from_bytes([7; 32])
    }
}
