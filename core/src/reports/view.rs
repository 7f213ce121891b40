//! A report opened for staff: content, the person reported, a real-name reporter's identity,
//! evidence, the conversation and the history. The reply address is never opened here.

use chrono::{DateTime, Utc};

use super::{ReportError, ReportKeys, contexts};
use crate::channel::FileSource;
use crate::domain::{Evidence, RealName, ReportBody, Staff};
use crate::store::{MessageKind, ReportRecord, Store, StoredEvent};

#[derive(Debug, Clone)]
pub struct OpenMessage {
    pub kind: MessageKind,
    pub staff: Option<String>,
    pub text: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ReportView {
    pub record: ReportRecord,
    /// `None` once the content was purged (after an upward transfer, or by retention).
    pub body: Option<ReportBody>,
    /// `None` for an anonymous report.
    pub reporter: Option<RealName>,
    /// Whether the reporter can be reached with replies.
    pub reachable: bool,
    pub evidence: Vec<Evidence>,
    pub messages: Vec<OpenMessage>,
    pub events: Vec<StoredEvent>,
}

/// Opens report `id` for staff member `viewer`, first writing the view to the audit log as
/// `action` (`report.view`, `report.evidence`…) with `detail`: every look at a report's content
/// is on record, whoever shows it (the dashboard, the CLI).
pub async fn open_as(
    store: &Store,
    keys: &ReportKeys,
    id: i64,
    viewer: &Staff,
    action: &str,
    detail: Option<&str>,
) -> Result<ReportView, ReportError> {
    if store.report_record(id).await?.is_none() {
        return Err(ReportError::NotFound(id));
    }
    store
        .audit(viewer.username.as_str(), action, Some(id), detail)
        .await?;
    open(store, keys, id).await
}

/// Opens report `id` without an audit line: for the service's own work (and tests), never
/// for showing it to a person.
pub async fn open(store: &Store, keys: &ReportKeys, id: i64) -> Result<ReportView, ReportError> {
    let report = store
        .sealed_report(id)
        .await?
        .ok_or(ReportError::NotFound(id))?;
    let hash = &report.code_hash;
    let body = report
        .body
        .as_deref()
        .map(|sealed| keys.open_json(&contexts::part("body", hash), sealed))
        .transpose()?;
    let reporter = report
        .reporter
        .as_deref()
        .map(|sealed| keys.open_json(&contexts::part("reporter", hash), sealed))
        .transpose()?;
    let evidence = report
        .attachments
        .iter()
        .enumerate()
        .map(|(position, a)| keys.open_json(&contexts::attachment(hash, position), &a.file))
        .collect::<Result<_, _>>()?;
    let messages = store
        .report_messages(id)
        .await?
        .into_iter()
        .map(|m| {
            Ok(OpenMessage {
                kind: m.kind,
                staff: m.staff,
                text: keys.open_json(&contexts::message(hash, m.kind), &m.body)?,
                at: m.created_at,
            })
        })
        .collect::<Result<_, ReportError>>()?;
    Ok(ReportView {
        record: report.record,
        body,
        reporter,
        reachable: report.reply_address.is_some(),
        evidence,
        messages,
        events: store.report_events(id).await?,
    })
}

/// Why a piece of evidence could not be had.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error("report {id} has no evidence number {n}")]
    NoSuchFile { id: i64, n: usize },
    #[error("the file could not be fetched: {0}")]
    Fetch(String),
}

/// Fetches piece `n` of report `id`'s evidence for staff member `viewer`; only a fetch that
/// worked (something was handed over) is written to the audit log, as `report.evidence`.
pub async fn fetch_evidence(
    store: &Store,
    keys: &ReportKeys,
    files: &dyn FileSource,
    id: i64,
    n: usize,
    viewer: &Staff,
) -> Result<(Evidence, Vec<u8>), EvidenceError> {
    let opened = open(store, keys, id).await?;
    let evidence = opened
        .evidence
        .into_iter()
        .nth(n)
        .ok_or(EvidenceError::NoSuchFile { id, n })?;
    let bytes = files
        .fetch(&evidence.file_id)
        .await
        .map_err(EvidenceError::Fetch)?;
    store
        .audit(
            viewer.username.as_str(),
            "report.evidence",
            Some(id),
            Some(&n.to_string()),
        )
        .await
        .map_err(ReportError::from)?;
    Ok((evidence, bytes))
}
