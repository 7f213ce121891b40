//! Filing a report: the daily quota, routing, deadlines, sealing and the desk's alert, then
//! one transaction. Filing is idempotent by tracking code, so a submit pressed again after a
//! crash finds the report instead of filing a second one.

use chrono::{DateTime, Datelike, DurationRound, NaiveDate, TimeDelta, Utc};

use super::deadlines::{intake_deadlines, place_and_category};
use super::notices::{NoticeBody, Recipient, ReportRef, staff_alerts};
use super::{ReportError, ReportKeys, ReportSettings, contexts};
use crate::Language;
use crate::calendar::Certainty;
use crate::domain::{
    BodyCode, Desk, Destination, Evidence, NewReport, Reporter, Subject, TrackingCode,
};
use crate::store::{Filed, NewReportRow, NoticeKind, SealedAttachment, Store};

/// The day's window, counted in UTC days (the limit is about volume, not the local calendar).
fn quota_window(now: DateTime<Utc>) -> DateTime<Utc> {
    now.duration_trunc(TimeDelta::days(1)).unwrap_or(now)
}

/// The chat's quota bucket for `now`'s day, under that day's own random key (see
/// [`ReportKeys::quota_signer`]): unlinkable to the chat once the day is over.
async fn quota_bucket(
    store: &Store,
    keys: &ReportKeys,
    chat_id: i64,
    now: DateTime<Utc>,
) -> Result<String, ReportError> {
    let signer = keys.quota_signer(store, now.date_naive()).await?;
    Ok(format!(
        "reports:{}",
        signer.tag(&format!("chat:{chat_id}"))
    ))
}

/// Whether this chat may file another report today.
pub async fn quota_left(
    store: &Store,
    keys: &ReportKeys,
    settings: &ReportSettings,
    chat_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, ReportError> {
    let bucket = quota_bucket(store, keys, chat_id, now).await?;
    let used = store.rate_hits(&bucket, quota_window(now)).await?;
    Ok(used < i64::from(settings.daily_limit))
}

/// The report filed with `code`, if there is one: the one place that answers "already filed?".
pub async fn find_filed(
    store: &Store,
    keys: &ReportKeys,
    code: &TrackingCode,
) -> Result<Option<i64>, ReportError> {
    for hash in keys.code_hashes(code) {
        if let Some(id) = store.report_id_by_code_hash(&hash).await? {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// A filed report, as the reporter is told of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub id: i64,
    /// False when this code had already been filed (the same submission, again).
    pub fresh: bool,
    pub acceptance_due: NaiveDate,
    /// For a report that belongs to the higher commission: when it must be passed up.
    pub upward_due: Option<NaiveDate>,
    pub certainty: Certainty,
}

/// A report as the reporter submits it, with the code chosen when the draft began.
#[derive(Debug, Clone, Copy)]
pub struct Filing<'a> {
    pub chat_id: i64,
    /// The reporter's language, for notices sent to them.
    pub language: Language,
    pub report: &'a NewReport,
    pub code: &'a TrackingCode,
}

/// Files a report. For an anonymous report the chat id is stored only inside the sealed reply
/// address, and only if they asked for replies.
pub async fn submit(
    store: &Store,
    keys: &ReportKeys,
    settings: &ReportSettings,
    filing: Filing<'_>,
    now: DateTime<Utc>,
) -> Result<Submitted, ReportError> {
    let report = filing.report;
    if report.evidence.len() > Evidence::MAX_COUNT {
        return Err(ReportError::TooMuchEvidence {
            max: Evidence::MAX_COUNT,
        });
    }
    if let Some(submitted) = filed_before(store, keys, filing.code).await? {
        return Ok(submitted);
    }
    let calendar = store.working_calendar().await?;
    let route = route(store, report).await?;
    let (acceptance_due, forward_due, certainty) = intake_deadlines(&calendar, settings, now);
    let submitted = |id, fresh| Submitted {
        id,
        fresh,
        acceptance_due,
        upward_due: route.higher_body.as_ref().map(|_| forward_due),
        certainty,
    };
    let code_hash = keys.code_hash(filing.code);
    let (reporter, reply_address) = seal_reporter(keys, &code_hash, &filing);
    let quota = (
        quota_bucket(store, keys, filing.chat_id, now).await?,
        quota_window(now),
    );
    let row = NewReportRow {
        code_hash: code_hash.clone(),
        category: report.category.clone(),
        township: report.township.clone(),
        level: report.body.person.level,
        desk: route.desk.code.clone(),
        higher_body: route.higher_body.clone(),
        anonymous: matches!(report.reporter, Reporter::Anonymous { .. }),
        received_at: now,
        acceptance_due,
        forward_due,
        body: keys.seal_json(&contexts::part("body", &code_hash), &report.body),
        reporter,
        reply_address,
        attachments: seal_attachments(keys, &code_hash, report),
        quota: Some(quota),
    };
    let (township, category) = place_and_category(
        store,
        row.township.as_ref(),
        &row.category,
        settings.staff_language,
    )
    .await?;
    let alerts = |id| {
        // A report for the higher commission is not entered into this county's queues: its
        // alert says only that it must be passed up, and by when.
        let body = match &route.higher_body {
            Some(_) => upward_report_body(id, forward_due),
            None => new_report_body(id, &township, &category, acceptance_due),
        };
        let report = ReportRef {
            id,
            code_hash: &code_hash,
        };
        staff_alerts(keys, report, &route.desk, settings.staff_language, &body)
    };
    match store.file_report(&row, alerts).await? {
        Filed::New(id) => {
            tracing::info!(report = id, desk = %row.desk, "report filed");
            Ok(submitted(id, true))
        }
        Filed::Existing(id) => Ok(submitted(id, false)),
    }
}

/// What the reporter is told when `code` was filed before — the stored report's dates — or
/// `None` when it was not. A repeated 提交 (a retry, an old review message) lands here.
pub async fn filed_before(
    store: &Store,
    keys: &ReportKeys,
    code: &TrackingCode,
) -> Result<Option<Submitted>, ReportError> {
    let Some(id) = find_filed(store, keys, code).await? else {
        return Ok(None);
    };
    let record = store
        .report_record(id)
        .await?
        .ok_or(ReportError::NotFound(id))?;
    let calendar = store.working_calendar().await?;
    Ok(Some(Submitted {
        id,
        fresh: false,
        acceptance_due: record.acceptance_due,
        upward_due: record.higher_body.is_some().then_some(record.forward_due),
        certainty: calendar.certainty(record.acceptance_due.year()),
    }))
}

/// Where a new report goes: the desk that receives it, and the higher commission it belongs
/// to, if any.
struct Route {
    desk: Desk,
    higher_body: Option<BodyCode>,
}

async fn route(store: &Store, report: &NewReport) -> Result<Route, ReportError> {
    let person = &report.body.person;
    let routing = store.routing().await?.ok_or(ReportError::NoRouting)?;
    let destination = routing.desk_for(&Subject {
        township: report.township.as_ref(),
        level: person.level,
        commission: person.commission,
        // The bot does not ask who manages an enterprise: such reports take the default.
        enterprise: None,
    });
    let desk_code = destination.desk();
    let desk = store
        .desk(desk_code)
        .await?
        .ok_or_else(|| ReportError::UnknownDesk(desk_code.to_string()))?;
    let higher_body = match &destination {
        Destination::Higher { body, .. } => Some(body.clone()),
        Destination::Desk(_) => None,
    };
    Ok(Route { desk, higher_body })
}

/// The sealed identity of a real-name reporter, and the sealed reply address of anyone who
/// wants replies.
fn seal_reporter(
    keys: &ReportKeys,
    code_hash: &str,
    filing: &Filing<'_>,
) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let (reporter, wants_replies) = match &filing.report.reporter {
        Reporter::Anonymous { notify } => (None, *notify),
        Reporter::RealName(identity) => (
            Some(keys.seal_json(&contexts::part("reporter", code_hash), identity)),
            true,
        ),
    };
    let reply_address = wants_replies.then(|| {
        let recipient = Recipient {
            chat_id: filing.chat_id,
            language: filing.language,
        };
        keys.seal_recipient(code_hash, NoticeKind::Reporter, &recipient)
    });
    (reporter, reply_address)
}

fn seal_attachments(
    keys: &ReportKeys,
    code_hash: &str,
    report: &NewReport,
) -> Vec<SealedAttachment> {
    report
        .evidence
        .iter()
        .enumerate()
        .map(|(position, e)| SealedAttachment {
            kind: e.kind,
            size: e.size.and_then(|s| i64::try_from(s).ok()),
            file: keys.seal_json(&contexts::attachment(code_hash, position), e),
        })
        .collect()
}

/// "A report for the higher commission, No. N: transfer due DATE": no content, no place.
fn upward_report_body(id: i64, due: NaiveDate) -> NoticeBody {
    NoticeBody::new(
        "report-alert-upward",
        &[("id", id.to_string()), ("due", due.to_string())],
        false,
    )
}

/// "New report No. N, 宝丰镇, category X, due by DATE — open the dashboard": no content.
fn new_report_body(id: i64, township: &str, category: &str, due: NaiveDate) -> NoticeBody {
    NoticeBody::new(
        "report-alert-new",
        &[
            ("id", id.to_string()),
            ("township", township.to_owned()),
            ("category", category.to_owned()),
            ("due", due.to_string()),
        ],
        false,
    )
}
