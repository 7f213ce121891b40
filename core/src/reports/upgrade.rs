//! The move from the first key schedule (v1) to the current one, run once by the first process
//! that holds the data key (`ReportKeys::load_or_create`). v1 used the data key and the report
//! key directly as cipher keys, sealed reply addresses and notices under contexts that named no
//! report, and kept conversations under plaintext chat ids. The upgrade re-seals every value
//! under the derived keys and binding contexts, moves conversations and language choices to
//! their keyed-hash rows, and drops the old tables, all in one transaction.
//!
//! Tracking-code hashes cannot be recomputed (the codes are not stored), so reports filed
//! under v1 keep their v1 hashes and lookups try both (`ReportKeys::code_hashes`).

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{TimeDelta, Utc};

use super::keys::{WRAP_CONTEXT, wrap};
use super::notices::NoticeBody;
use super::{ReportError, ReportKeys, contexts};
use crate::crypto::{CryptoError, DataKey, RootKey};
use crate::store::{
    BoundNotice, MessageKind, NoticeKind, SealedColumns, Store, V1Values, V2Values,
};

/// How long an upgraded conversation lives after its last step (the default draft lifetime).
const CONVERSATION_TTL: TimeDelta = TimeDelta::hours(24);

/// Creates the content key (fresh, or from the v1 report key with everything re-sealed).
/// Returns once a v2 key exists, whoever wrote it.
pub(crate) async fn establish(
    store: &Store,
    data_key: &DataKey,
    wrapped_v1: Option<&str>,
) -> Result<(), ReportError> {
    let old = store.read_v1_values().await?;
    let root = match wrapped_v1 {
        Some(wrapped) => unwrap_v1(data_key, wrapped)?,
        None => RootKey::generate(),
    };
    let keys = ReportKeys::from_root(&root, wrapped_v1.is_some() && !old.reports.is_empty());
    let mut new = V2Values {
        wrapped_key: wrap(data_key, &root),
        v1_codes: wrapped_v1.is_some() && !old.reports.is_empty(),
        ..V2Values::default()
    };
    if wrapped_v1.is_some() {
        reseal_content(&root, &keys, &old, &mut new)?;
    }
    rekey_conversations(data_key, &keys, &old, &mut new);
    let counts = (old.reports.len(), old.dialogues.len());
    if store.write_v2_values(&new).await? && wrapped_v1.is_some() {
        tracing::info!(
            reports = counts.0,
            conversations = counts.1,
            "upgraded the database to the current key schedule"
        );
    }
    Ok(())
}

fn unwrap_v1(data_key: &DataKey, wrapped: &str) -> Result<RootKey, ReportError> {
    let sealed = STANDARD.decode(wrapped).map_err(|_| CryptoError::Open)?;
    let bytes: [u8; 32] = data_key
        .open_v1(WRAP_CONTEXT, &sealed)?
        .try_into()
        .map_err(|_| CryptoError::Open)?;
    Ok(RootKey::from_bytes(bytes))
}

/// Report parts, messages, notices and staff secrets: opened as v1 sealed them, sealed again.
fn reseal_content(
    root: &RootKey,
    keys: &ReportKeys,
    old: &V1Values,
    new: &mut V2Values,
) -> Result<(), ReportError> {
    let reseal = |v1_context: &str, v2_context: &str, sealed: &[u8]| {
        let plain = root.open_v1(v1_context, sealed)?;
        Ok::<_, CryptoError>(keys.reseal(v2_context, &plain))
    };
    let mut hashes = HashMap::new();
    for report in &old.reports {
        let hash = report.code_hash.as_str();
        hashes.insert(report.id, hash);
        let part = |name: &str, sealed: &[u8]| {
            let context = contexts::part(name, hash);
            reseal(&context, &context, sealed)
        };
        let reply = |sealed: &[u8]| reseal("recipient", &contexts::reply_address(hash), sealed);
        new.reports.push(SealedColumns {
            id: report.id,
            code_hash: report.code_hash.clone(),
            body: part("body", &report.body)?,
            reporter: report
                .reporter
                .as_deref()
                .map(|r| part("reporter", r))
                .transpose()?,
            reply_address: report.reply_address.as_deref().map(reply).transpose()?,
        });
    }
    for (report_id, position, file) in &old.attachments {
        let hash = hashes
            .get(report_id)
            .ok_or(ReportError::NotFound(*report_id))?;
        let v2 = contexts::attachment(hash, usize::try_from(*position).unwrap_or(0));
        let v1 = contexts::part("attachment", hash);
        new.attachments
            .push((*report_id, *position, reseal(&v1, &v2, file)?));
    }
    for (id, report_id, author, visibility, body) in &old.messages {
        let hash = hashes
            .get(report_id)
            .ok_or(ReportError::NotFound(*report_id))?;
        let kind = MessageKind::from_columns(author, visibility)?;
        let v1 = format!("report.message:{report_id}");
        new.messages
            .push((*id, reseal(&v1, &contexts::message(hash, kind), body)?));
    }
    for (id, kind, recipient, body) in &old.notices {
        new.notices.push(reseal_notice(
            root, keys, &hashes, *id, kind, recipient, body,
        ));
    }
    for (staff_id, sealed) in &old.totp_secrets {
        let bytes = STANDARD.decode(sealed).map_err(|_| CryptoError::Open)?;
        let plain = root.open_v1(&format!("totp:{staff_id}"), &bytes)?;
        // v1 sealed the secret as a JSON string.
        let secret: String =
            serde_json::from_slice(&plain).map_err(|_| ReportError::WrongKey(CryptoError::Open))?;
        new.totp_secrets
            .push((*staff_id, keys.seal_staff_secret(*staff_id, &secret)));
    }
    Ok(())
}

/// A v1 notice names its report only inside its body (every notice body carries the report
/// number as `id`); one that does not is failed rather than guessed at.
fn reseal_notice(
    root: &RootKey,
    keys: &ReportKeys,
    hashes: &HashMap<i64, &str>,
    id: i64,
    kind: &str,
    recipient: &[u8],
    body: &[u8],
) -> Result<BoundNotice, i64> {
    let kind = match kind {
        "reporter" => NoticeKind::Reporter,
        "staff_alert" => NoticeKind::StaffAlert,
        _ => return Err(id),
    };
    let plain_body = root.open_v1("notice.body", body).map_err(|_| id)?;
    let parsed: NoticeBody = serde_json::from_slice(&plain_body).map_err(|_| id)?;
    let report_id: i64 = parsed
        .args
        .iter()
        .find(|(name, _)| name == "id")
        .and_then(|(_, value)| value.parse().ok())
        .ok_or(id)?;
    let hash = hashes.get(&report_id).ok_or(id)?;
    let plain_recipient = root.open_v1("recipient", recipient).map_err(|_| id)?;
    Ok(BoundNotice {
        id,
        report_id,
        recipient: keys.reseal(&contexts::notice_recipient(hash, kind), &plain_recipient),
        body: keys.reseal(&contexts::notice_body(hash, kind), &plain_body),
    })
}

/// Conversations (sealed by v1 with the data key itself) and language choices move to rows
/// keyed by the chat key. A conversation that does not open is dropped, as the bot would.
fn rekey_conversations(data_key: &DataKey, keys: &ReportKeys, old: &V1Values, new: &mut V2Values) {
    for (chat_id, sealed, updated_at) in &old.dialogues {
        let Ok(state) = data_key.open_v1(&format!("dialogue:{chat_id}"), sealed) else {
            continue;
        };
        let chat = keys.chat_key(*chat_id);
        let expires_at = crate::store::coarse_expiry(*updated_at + CONVERSATION_TTL);
        if expires_at > Utc::now() {
            new.dialogues.push((
                chat.as_str().to_owned(),
                keys.seal_dialogue(&chat, &state),
                expires_at,
            ));
        }
    }
    for (chat_id, language) in &old.chat_settings {
        new.chat_settings.push((
            keys.chat_key(*chat_id).as_str().to_owned(),
            language.clone(),
        ));
    }
}

#[cfg(test)]
mod tests;
