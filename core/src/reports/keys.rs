//! The keyring. The *content key* is random and stored in the database wrapped by the data key;
//! every key for data at rest derives from it (HKDF, one key per purpose: see `crypto`), so
//! changing `QINGFENG_DATA_KEY` only re-wraps this one value (`qingfeng rekey`), and reports,
//! tracking codes, conversations and notices all stay valid.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::NaiveDate;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{ReportError, upgrade};
use crate::crypto::{
    self, CryptoError, DataKey, MacPurpose, RootKey, SealKey, SealPurpose, Signer,
};
use crate::domain::{ChatKey, TrackingCode};
use crate::store::Store;

/// Where the wrapped content key is kept (key schedule v2).
const WRAPPED_KEY: &str = "content.key";
/// Where v1 kept it; present only in a database not yet upgraded.
const WRAPPED_KEY_V1: &str = "reports.key";
/// Set by the upgrade when reports filed under v1 exist: their codes are hashed the v1 way.
const V1_CODES: &str = "content.v1-codes";
pub(crate) const WRAP_CONTEXT: &str = "report-key";
const QUOTA_KEY_CONTEXT: &str = "quota-key";

#[derive(Clone)]
pub struct ReportKeys {
    reports: SealKey,
    dialogues: SealKey,
    staff: SealKey,
    quota_keys: SealKey,
    codes: Signer,
    /// Tracking codes filed before the upgrade, if any were.
    codes_v1: Option<Signer>,
    chats: Signer,
    rate_limits: Signer,
    sign_in: Signer,
    reply_tags: Signer,
}

impl std::fmt::Debug for ReportKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReportKeys(<redacted>)")
    }
}

pub(crate) fn wrap(data_key: &DataKey, content_key: &RootKey) -> String {
    let wrapper = data_key.sealer(SealPurpose::ContentKeyWrap);
    STANDARD.encode(wrapper.seal(WRAP_CONTEXT, content_key.bytes()))
}

fn unwrap(data_key: &DataKey, wrapped: &str) -> Result<RootKey, ReportError> {
    let sealed = STANDARD.decode(wrapped).map_err(|_| CryptoError::Open)?;
    let bytes: [u8; 32] = data_key
        .sealer(SealPurpose::ContentKeyWrap)
        .open(WRAP_CONTEXT, &sealed)?
        .try_into()
        .map_err(|_| CryptoError::Open)?;
    Ok(RootKey::from_bytes(bytes))
}

impl ReportKeys {
    pub(crate) fn from_root(root: &RootKey, v1_codes: bool) -> ReportKeys {
        ReportKeys {
            reports: root.sealer(SealPurpose::Reports),
            dialogues: root.sealer(SealPurpose::Dialogues),
            staff: root.sealer(SealPurpose::Staff),
            quota_keys: root.sealer(SealPurpose::QuotaKeys),
            codes: root.signer(MacPurpose::TrackingCode),
            codes_v1: v1_codes.then(|| root.signer_v1("report-lookup", 32)),
            chats: root.signer(MacPurpose::ChatKey),
            rate_limits: root.signer(MacPurpose::RateLimit),
            sign_in: root.signer(MacPurpose::SignIn),
            reply_tags: root.signer(MacPurpose::ReplyTag),
        }
    }

    /// Opens the stored content key, creating it on first use, after upgrading a database
    /// written under the first key schedule.
    pub async fn load_or_create(
        store: &Store,
        data_key: &DataKey,
    ) -> Result<ReportKeys, ReportError> {
        if store.kv_get(WRAPPED_KEY).await?.is_none() {
            // Two processes starting at once: the first write wins and both use it.
            let wrapped_v1 = store.kv_get(WRAPPED_KEY_V1).await?;
            upgrade::establish(store, data_key, wrapped_v1.as_deref()).await?;
        }
        let wrapped = store
            .kv_get(WRAPPED_KEY)
            .await?
            .ok_or(ReportError::WrongKey(CryptoError::Open))?;
        let root = unwrap(data_key, &wrapped)?;
        let v1_codes = store.kv_get(V1_CODES).await?.is_some();
        Ok(ReportKeys::from_root(&root, v1_codes))
    }

    /// Re-wraps the content key under `new` (after checking `old` opens it). Nothing else
    /// changes: reports, codes, conversations and notices stay readable.
    pub async fn rewrap(store: &Store, old: &DataKey, new: &DataKey) -> Result<(), ReportError> {
        // Upgrades a v1 database first, so there is one wrapped key to change.
        ReportKeys::load_or_create(store, old).await?;
        let Some(wrapped) = store.kv_get(WRAPPED_KEY).await? else {
            return Ok(());
        };
        let root = unwrap(old, &wrapped)?;
        store.kv_put(WRAPPED_KEY, &wrap(new, &root)).await?;
        Ok(())
    }

    /// The keyed hash a new tracking code is stored by.
    pub fn code_hash(&self, code: &TrackingCode) -> String {
        self.codes.tag(&format!("code:{}", code.canonical()))
    }

    /// Every hash `code` may be stored under: the current one, and the v1 one while reports
    /// filed before the upgrade exist.
    pub fn code_hashes(&self, code: &TrackingCode) -> Vec<String> {
        let mut hashes = vec![self.code_hash(code)];
        if let Some(v1) = &self.codes_v1 {
            hashes.push(v1.tag(&format!("code:{}", code.canonical())));
        }
        hashes
    }

    /// The key a chat's dialogue and settings rows are stored under.
    pub fn chat_key(&self, chat_id: i64) -> ChatKey {
        ChatKey::new(self.chats.tag(&format!("chat:{chat_id}")))
    }

    /// A rate-limit bucket for one chat that does not reveal the chat id.
    pub fn chat_bucket(&self, purpose: &str, chat_id: i64) -> String {
        format!(
            "{purpose}:{}",
            self.rate_limits.tag(&format!("{purpose}:{chat_id}"))
        )
    }

    /// The sign-in failure bucket of a username as typed (trimmed, case kept): known and
    /// unknown names alike, and the name itself is not stored.
    pub fn sign_in_bucket(&self, username: &str) -> String {
        self.sign_in.tag(&format!("user:{username}"))
    }

    /// Signs and checks the "write to the staff" button under `/status`.
    pub fn reply_tags(&self) -> &Signer {
        &self.reply_tags
    }

    /// The tag of the reporter's buttons for report `report` in chat `chat_id` ([✍️ 回复],
    /// [查看进展]): shows that the bot gave them to this chat, after a correct tracking code or
    /// with a notice about that report, so no state is kept and another chat cannot use them.
    pub fn reporter_button_tag(&self, chat_id: i64, report: i64) -> String {
        self.reply_tags
            .tag(&reporter_button_message(chat_id, report))
    }

    pub fn reporter_button_tag_is_valid(&self, chat_id: i64, report: i64, tag: &str) -> bool {
        self.reply_tags
            .verify(&reporter_button_message(chat_id, report), tag)
    }

    /// The key of `day`'s report quota buckets: random, made on first use, destroyed when the
    /// day is over (`Store::purge_quota_keys`), so old quota rows match no chat even with keys.
    pub async fn quota_signer(&self, store: &Store, day: NaiveDate) -> Result<Signer, ReportError> {
        let context = format!("{QUOTA_KEY_CONTEXT}:{day}");
        let sealed = match store.quota_key(day).await? {
            Some(sealed) => sealed,
            None => {
                let fresh: [u8; 32] = crypto::random_bytes();
                let sealed = self.quota_keys.seal(&context, &fresh);
                store.insert_quota_key(day, &sealed).await?
            }
        };
        let bytes: [u8; 32] = self
            .quota_keys
            .open(&context, &sealed)?
            .try_into()
            .map_err(|_| CryptoError::Open)?;
        Ok(Signer::new(bytes, MacPurpose::RateLimit.tag_bytes()))
    }

    /// Seals bytes that are already serialised (the upgrade re-sealing v1 values).
    pub(crate) fn reseal(&self, context: &str, plain: &[u8]) -> Vec<u8> {
        self.reports.seal(context, plain)
    }

    pub(crate) fn seal_json<T: Serialize>(&self, context: &str, value: &T) -> Vec<u8> {
        let plain = serde_json::to_vec(value).expect("report data serialises");
        self.reports.seal(context, &plain)
    }

    pub(crate) fn open_json<T: DeserializeOwned>(
        &self,
        context: &str,
        sealed: &[u8],
    ) -> Result<T, ReportError> {
        let plain = self.reports.open(context, sealed)?;
        serde_json::from_slice(&plain).map_err(|_| ReportError::WrongKey(CryptoError::Open))
    }

    /// Seals a chat's conversation state, bound to its row key.
    pub fn seal_dialogue(&self, chat: &ChatKey, state: &[u8]) -> Vec<u8> {
        self.dialogues.seal(&dialogue_context(chat), state)
    }

    pub fn open_dialogue(&self, chat: &ChatKey, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.dialogues.open(&dialogue_context(chat), sealed)
    }

    /// Seals a staff account's secret (its TOTP key), bound to the account, as base64.
    pub fn seal_staff_secret(&self, staff_id: i64, secret: &str) -> String {
        STANDARD.encode(self.staff.seal(&staff_context(staff_id), secret.as_bytes()))
    }

    pub fn open_staff_secret(&self, staff_id: i64, sealed: &str) -> Option<String> {
        let bytes = STANDARD.decode(sealed).ok()?;
        let plain = self.staff.open(&staff_context(staff_id), &bytes).ok()?;
        String::from_utf8(plain).ok()
    }

    #[cfg(test)]
    pub(crate) fn for_tests() -> ReportKeys {
        ReportKeys::from_root(&RootKey::from_bytes([7; 32]), false)
    }
}

fn dialogue_context(chat: &ChatKey) -> String {
    format!("dialogue:{}", chat.as_str())
}

fn staff_context(staff_id: i64) -> String {
    format!("staff.totp:{staff_id}")
}

fn reporter_button_message(chat_id: i64, report: i64) -> String {
    format!("reply:{chat_id}:{report}")
}
