//! What staff do with a report. Each action is one transaction: the status change, a history
//! entry naming the staff member, any message, and the notices it causes (the reporter's
//! notice when they left a reply address; an alert to the desk a report is forwarded to).

use chrono::{DateTime, Utc};

use super::deadlines::{intake_deadlines, local_date};
use super::follow_up::seal_message;
use super::notices::{NoticeBody, ReportRef, staff_alerts, to_reporter};
use super::{ReportError, ReportKeys, ReportSettings};
use crate::domain::{DeskCode, Disposal, MessageText, ReportStatus, Staff};
use crate::store::{
    Applied, DeskClock, MessageKind, ReportChange, SealedMessage, SealedNotice, StaffAudit,
    StatusChange, Store,
};

/// A staff action on one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffAction {
    Accept,
    /// 不予受理, with the reason the reporter is told.
    NotAccept {
        reason: MessageText,
    },
    /// 转办 to another desk; the receiving desk's own clock starts at its receipt.
    Forward {
        desk: DeskCode,
    },
    /// 上报: the county office passed the report to the higher commission `to`. The reporter
    /// is told, and the report's sealed content is purged here.
    TransferUp {
        to: MessageText,
    },
    Assign {
        staff: Option<String>,
    },
    Dispose(Disposal),
    /// 办结: the result notice becomes due.
    Conclude,
    /// The outcome goes to the reporter and the report is closed.
    Close {
        outcome: MessageText,
    },
    /// A public reply, delivered to the reporter.
    Reply {
        text: MessageText,
    },
    /// An internal note, never shown to the reporter.
    Note {
        text: MessageText,
    },
    /// The same matter as report `of` (which stays open): this one is closed and merged there;
    /// its reporter is told.
    MarkDuplicate {
        of: i64,
    },
}

impl StaffAction {
    /// The name of the action in the audit log (`report.<name>`) and on the dashboard's forms.
    pub fn name(&self) -> &'static str {
        match self {
            StaffAction::Accept => "accept",
            StaffAction::NotAccept { .. } => "not_accept",
            StaffAction::Forward { .. } => "forward",
            StaffAction::TransferUp { .. } => "transfer_up",
            StaffAction::Assign { .. } => "assign",
            StaffAction::Dispose(_) => "dispose",
            StaffAction::Conclude => "conclude",
            StaffAction::Close { .. } => "close",
            StaffAction::Reply { .. } => "reply",
            StaffAction::Note { .. } => "note",
            StaffAction::MarkDuplicate { .. } => "duplicate",
        }
    }

    /// What the audit log notes beside the action: the desk or report it points at.
    fn audit_detail(&self) -> Option<String> {
        match self {
            StaffAction::Forward { desk } => Some(desk.to_string()),
            StaffAction::TransferUp { to } => Some(to.to_string()),
            StaffAction::MarkDuplicate { of } => Some(of.to_string()),
            _ => None,
        }
    }
}

/// Applies `action` by staff member `actor` to report `id`, and writes its audit-log line in
/// the same transaction, whoever calls (the dashboard, the CLI).
pub async fn act(
    store: &Store,
    keys: &ReportKeys,
    settings: &ReportSettings,
    id: i64,
    actor: &Staff,
    action: StaffAction,
    now: DateTime<Utc>,
) -> Result<(), ReportError> {
    let actor = actor.username.as_str();
    let report = store
        .sealed_report(id)
        .await?
        .ok_or(ReportError::NotFound(id))?;
    let this = ReportRef {
        id,
        code_hash: &report.code_hash,
    };
    let reporter = |message: &str, args: &[(&str, String)]| -> Vec<SealedNotice> {
        let body = NoticeBody::new(message, args, true);
        report
            .reply_address
            .iter()
            .map(|address| to_reporter(keys, this, address, &body))
            .collect()
    };
    let sealed = |kind: MessageKind, text: &MessageText| -> SealedMessage {
        seal_message(keys, &report.code_hash, kind, Some(actor.to_owned()), text)
    };
    let id_arg = ("id", id.to_string());
    let (change, event, detail, message, notices) = match &action {
        StaffAction::Accept => (
            StatusChange::Accept,
            "accepted",
            None,
            None,
            reporter("report-notice-accepted", &[id_arg]),
        ),
        StaffAction::NotAccept { reason } => (
            StatusChange::NotAccept,
            "not_accepted",
            None,
            Some(sealed(MessageKind::StaffPublic, reason)),
            reporter(
                "report-notice-not-accepted",
                &[id_arg, ("text", reason.to_string())],
            ),
        ),
        StaffAction::Forward { desk } => {
            if *desk == report.record.desk {
                return Err(ReportError::SameDesk(id));
            }
            let target = store
                .desk(desk)
                .await?
                .ok_or_else(|| ReportError::UnknownDesk(desk.to_string()))?;
            let body = NoticeBody::new("report-alert-forwarded", &[id_arg], false);
            let calendar = store.working_calendar().await?;
            let (acceptance_due, forward_due, _) = intake_deadlines(&calendar, settings, now);
            let clock = DeskClock {
                acceptance_due,
                forward_due,
            };
            (
                StatusChange::Forward(desk.clone(), clock),
                "forwarded",
                Some(format!("{} -> {desk}", report.record.desk)),
                None,
                staff_alerts(keys, this, &target, settings.staff_language, &body),
            )
        }
        StaffAction::TransferUp { to } => (
            StatusChange::TransferUp { to: to.to_string() },
            "transferred",
            Some(to.to_string()),
            None,
            reporter("report-notice-transferred", &[id_arg]),
        ),
        StaffAction::Assign { staff } => (
            StatusChange::Assign(staff.clone()),
            "assigned",
            staff.clone(),
            None,
            Vec::new(),
        ),
        StaffAction::Dispose(disposal) => (
            StatusChange::Dispose(*disposal),
            "disposed",
            Some(disposal.to_string()),
            None,
            Vec::new(),
        ),
        StaffAction::Conclude => {
            let calendar = store.working_calendar().await?;
            let (result_due, _) =
                calendar.add_working_days(local_date(settings, now), settings.result_working_days);
            (
                StatusChange::Conclude { result_due },
                "concluded",
                None,
                None,
                Vec::new(),
            )
        }
        StaffAction::Close { outcome } => (
            StatusChange::Close,
            "closed",
            None,
            Some(sealed(MessageKind::StaffPublic, outcome)),
            reporter(
                "report-notice-closed",
                &[id_arg, ("text", outcome.to_string())],
            ),
        ),
        StaffAction::Reply { text } => (
            StatusChange::Keep,
            "replied",
            None,
            Some(sealed(MessageKind::StaffPublic, text)),
            reporter("report-notice-reply", &[id_arg, ("text", text.to_string())]),
        ),
        StaffAction::Note { text } => (
            StatusChange::Keep,
            "noted",
            None,
            Some(sealed(MessageKind::StaffInternal, text)),
            Vec::new(),
        ),
        StaffAction::MarkDuplicate { of } => {
            let target = store.report_record(*of).await?;
            if *of == id || !target.is_some_and(|t| t.status.is_open()) {
                return Err(ReportError::NotAllowed {
                    id: *of,
                    status: ReportStatus::Closed,
                });
            }
            (
                StatusChange::MarkDuplicate { of: *of },
                "duplicate",
                Some(format!("of {of}")),
                None,
                // The reporter is not told the other report's number: it is someone else's.
                reporter("report-notice-merged", &[id_arg]),
            )
        }
    };
    let audit = StaffAudit {
        action: format!("report.{}", action.name()),
        detail: action.audit_detail(),
    };
    let change = ReportChange {
        report_id: id,
        actor: actor.to_owned(),
        change,
        event,
        detail,
        message,
        notices,
        audit: Some(audit),
        at: now,
    };
    let merged_into = match &action {
        StaffAction::MarkDuplicate { of } => Some(*of),
        _ => None,
    };
    match store.apply_report_change(&change).await? {
        Applied::Done => {
            if let Some(of) = merged_into {
                // The surviving report's history shows what was merged into it.
                let note = ReportChange {
                    report_id: of,
                    actor: actor.to_owned(),
                    change: StatusChange::Keep,
                    event: "merged",
                    detail: Some(id.to_string()),
                    message: None,
                    notices: Vec::new(),
                    audit: None,
                    at: now,
                };
                store.apply_report_change(&note).await?;
            }
            if matches!(action, StaffAction::TransferUp { .. }) {
                // The purged content must not linger in SQLite's write-ahead log either.
                if let Err(error) = store.trim_wal().await {
                    tracing::warn!(%error, "cannot trim the write-ahead log");
                }
            }
            tracing::info!(report = id, actor, event, "report action");
            Ok(())
        }
        Applied::NotFound => Err(ReportError::NotFound(id)),
        Applied::NotAllowed(status) => Err(ReportError::NotAllowed { id, status }),
    }
}
