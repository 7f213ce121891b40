//! The reporter's side after filing: looking a report up by tracking code and writing to the
//! staff. Only wrong codes are throttled (per account and for everyone together): a code that
//! exists always opens its report, so a flood of wrong guesses cannot lock real reporters out.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

use super::deadlines::place_and_category;
use super::intake::find_filed;
use super::notices::{NoticeBody, ReportRef, staff_alerts};
use super::{ReportError, ReportKeys, ReportSettings, contexts};
use crate::Language;
use crate::domain::{MessageText, TrackingCode};
use crate::store::{
    Applied, MessageKind, ReportChange, ReportRecord, SealedMessage, StatusChange, Store,
};

const WRONG_CODES: &str = "wrong-codes";
const WRONG_CODES_ALL: &str = "wrong-codes:all";

fn hour_window(now: DateTime<Utc>) -> DateTime<Utc> {
    now.duration_trunc(TimeDelta::hours(1)).unwrap_or(now)
}

/// What the reporter may see: status and deadlines, and the public conversation.
#[derive(Debug, Clone)]
pub struct ReporterView {
    pub record: ReportRecord,
    pub township: String,
    pub category: String,
    /// (from the staff?, text, when), oldest first; internal notes are never included.
    pub messages: Vec<(bool, String, DateTime<Utc>)>,
}

#[derive(Debug, Clone)]
pub enum Lookup {
    Found(Box<ReporterView>),
    /// No report has this code; `tries_left` before this account is throttled.
    WrongCode {
        tries_left: u32,
    },
    /// Too many wrong codes: try again after `until`.
    Throttled {
        until: DateTime<Utc>,
    },
}

/// Looks a report up by its code. A miss counts against the chat's and everyone's hourly limit
/// of wrong codes: the counter is increased first and its new value compared, so concurrent
/// misses can never slip past the limit together.
pub async fn lookup(
    store: &Store,
    keys: &ReportKeys,
    settings: &ReportSettings,
    chat_id: i64,
    lang: Language,
    code: &TrackingCode,
    now: DateTime<Utc>,
) -> Result<Lookup, ReportError> {
    if let Some(id) = find_filed(store, keys, code).await? {
        let view = reporter_view(store, keys, id, lang).await?;
        return Ok(Lookup::Found(Box::new(view)));
    }
    let window = hour_window(now);
    let throttled = Lookup::Throttled {
        until: window + TimeDelta::hours(1),
    };
    let mine = store
        .rate_hit(&keys.chat_bucket(WRONG_CODES, chat_id), window)
        .await?;
    if mine > i64::from(settings.wrong_codes_per_user) {
        return Ok(throttled);
    }
    let all = store.rate_hit(WRONG_CODES_ALL, window).await?;
    if all > i64::from(settings.wrong_codes_global) {
        if all == i64::from(settings.wrong_codes_global) + 1 {
            tracing::warn!("the global limit of wrong tracking codes was reached this hour");
        }
        return Ok(throttled);
    }
    let left = i64::from(settings.wrong_codes_per_user) - mine;
    Ok(Lookup::WrongCode {
        tries_left: u32::try_from(left).unwrap_or(0),
    })
}

/// The reporter's view of report `id` (after a successful lookup).
pub async fn reporter_view(
    store: &Store,
    keys: &ReportKeys,
    id: i64,
    lang: Language,
) -> Result<ReporterView, ReportError> {
    let report = store
        .sealed_report(id)
        .await?
        .ok_or(ReportError::NotFound(id))?;
    let (township, category) = place_and_category(
        store,
        report.record.township.as_ref(),
        &report.record.category,
        lang,
    )
    .await?;
    let mut messages = Vec::new();
    for m in store.report_messages(id).await? {
        let from_staff = match m.kind {
            MessageKind::StaffInternal => continue,
            MessageKind::StaffPublic => true,
            MessageKind::Reporter => false,
        };
        let context = contexts::message(&report.record.code_hash, m.kind);
        let text: String = keys.open_json(&context, &m.body)?;
        messages.push((from_staff, text, m.created_at));
    }
    Ok(ReporterView {
        record: report.record,
        township,
        category,
        messages,
    })
}

/// Seals a message's text, bound to its report, author and visibility.
pub(crate) fn seal_message(
    keys: &ReportKeys,
    code_hash: &str,
    kind: MessageKind,
    staff: Option<String>,
    text: &MessageText,
) -> SealedMessage {
    SealedMessage {
        kind,
        staff,
        body: keys.seal_json(&contexts::message(code_hash, kind), &text.as_str()),
    }
}

/// The reporter writes to the staff; the desk is alerted (without the text).
pub async fn reporter_message(
    store: &Store,
    keys: &ReportKeys,
    settings: &ReportSettings,
    report_id: i64,
    text: &MessageText,
    now: DateTime<Utc>,
) -> Result<(), ReportError> {
    let record = store
        .report_record(report_id)
        .await?
        .ok_or(ReportError::NotFound(report_id))?;
    let notices = match store.desk(&record.desk).await? {
        Some(desk) => {
            let body = NoticeBody::new(
                "report-alert-reporter-message",
                &[("id", report_id.to_string())],
                false,
            );
            let report = ReportRef {
                id: report_id,
                code_hash: &record.code_hash,
            };
            staff_alerts(keys, report, &desk, settings.staff_language, &body)
        }
        None => Vec::new(),
    };
    let change = ReportChange {
        report_id,
        actor: "reporter".into(),
        change: StatusChange::Keep,
        event: "reporter_message",
        detail: None,
        message: Some(seal_message(
            keys,
            &record.code_hash,
            MessageKind::Reporter,
            None,
            text,
        )),
        notices,
        audit: None,
        linked: None,
        at: now,
    };
    match store.apply_report_change(&change).await? {
        Applied::Done => Ok(()),
        Applied::NotFound => Err(ReportError::NotFound(report_id)),
        Applied::NotAllowed(status) => Err(ReportError::NotAllowed {
            id: report_id,
            status,
        }),
        // A reporter's message links no other report.
        Applied::LinkedNotOpen(other) => Err(ReportError::NotFound(other)),
    }
}
