//! The reporter's side after filing: looking a report up by tracking code (wrong codes are
//! throttled per account and for everyone together) and writing to the staff.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

use super::deadlines::place_and_category;
use super::intake::context;
use super::notices::{NoticeBody, staff_alerts};
use super::{ReportError, ReportKeys, ReportSettings};
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

/// Looks a report up by its code, counting wrong codes against the limits first.
pub async fn lookup(
    store: &Store,
    keys: &ReportKeys,
    settings: &ReportSettings,
    chat_id: i64,
    lang: Language,
    code: &TrackingCode,
    now: DateTime<Utc>,
) -> Result<Lookup, ReportError> {
    let window = hour_window(now);
    let mine = keys.chat_bucket(WRONG_CODES, chat_id);
    let my_wrong = store.rate_hits(&mine, window).await?;
    let all_wrong = store.rate_hits(WRONG_CODES_ALL, window).await?;
    if my_wrong >= i64::from(settings.wrong_codes_per_user)
        || all_wrong >= i64::from(settings.wrong_codes_global)
    {
        return Ok(Lookup::Throttled {
            until: window + TimeDelta::hours(1),
        });
    }
    let Some(id) = store.report_id_by_code_hash(&keys.code_hash(code)).await? else {
        let used = store.rate_hit(&mine, window).await?;
        let global = store.rate_hit(WRONG_CODES_ALL, window).await?;
        if global == i64::from(settings.wrong_codes_global) {
            tracing::warn!("the global limit of wrong tracking codes was reached this hour");
        }
        let left = i64::from(settings.wrong_codes_per_user) - used;
        return Ok(Lookup::WrongCode {
            tries_left: u32::try_from(left.max(0)).unwrap_or(0),
        });
    };
    Ok(Lookup::Found(Box::new(
        reporter_view(store, keys, id, lang).await?,
    )))
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
        let text: String = keys.open_json(&message_context(id), &m.body)?;
        messages.push((from_staff, text, m.created_at));
    }
    Ok(ReporterView {
        record: report.record,
        township,
        category,
        messages,
    })
}

pub(crate) fn message_context(report_id: i64) -> String {
    context("message", &report_id.to_string())
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
            staff_alerts(keys, &desk, settings.staff_language, &body)
        }
        None => Vec::new(),
    };
    let change = ReportChange {
        report_id,
        actor: "reporter".into(),
        change: StatusChange::Keep,
        event: "reporter_message",
        detail: None,
        message: Some(SealedMessage {
            kind: MessageKind::Reporter,
            staff: None,
            body: keys.seal_json(&message_context(report_id), &text.as_str()),
        }),
        notices,
        at: now,
    };
    match store.apply_report_change(&change).await? {
        Applied::Done => Ok(()),
        Applied::NotFound => Err(ReportError::NotFound(report_id)),
        Applied::NotAllowed(status) => Err(ReportError::NotAllowed {
            id: report_id,
            status,
        }),
    }
}
