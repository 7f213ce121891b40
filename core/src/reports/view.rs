//! A report opened for staff: content, the person reported, a real-name reporter's identity,
//! evidence, the conversation and the history. The reply address is never opened here.

use chrono::{DateTime, Utc};

use super::{ReportError, ReportKeys, contexts};
use crate::domain::{Evidence, RealName, ReportBody};
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
    pub body: ReportBody,
    /// `None` for an anonymous report.
    pub reporter: Option<RealName>,
    /// Whether the reporter can be reached with replies.
    pub reachable: bool,
    pub evidence: Vec<Evidence>,
    pub messages: Vec<OpenMessage>,
    pub events: Vec<StoredEvent>,
}

pub async fn open(store: &Store, keys: &ReportKeys, id: i64) -> Result<ReportView, ReportError> {
    let report = store
        .sealed_report(id)
        .await?
        .ok_or(ReportError::NotFound(id))?;
    let hash = &report.code_hash;
    let body = keys.open_json(&contexts::part("body", hash), &report.body)?;
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
