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
    Applied, DeskClock, LinkedEvent, MessageKind, ReportChange, SealedMessage, SealedNotice,
    SealedReport, StaffAudit, StatusChange, Store,
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

/// What one staff action does to its report, decided before anything is written; applied as
/// one transaction.
struct Plan {
    change: StatusChange,
    /// The history entry's kind, and what it notes beside it.
    event: &'static str,
    detail: Option<String>,
    message: Option<SealedMessage>,
    notices: Vec<SealedNotice>,
    /// A history entry on another report, written in the same transaction.
    linked: Option<LinkedEvent>,
}

impl Plan {
    fn new(change: StatusChange, event: &'static str) -> Plan {
        Plan {
            change,
            event,
            detail: None,
            message: None,
            notices: Vec::new(),
            linked: None,
        }
    }

    fn detail(self, detail: Option<String>) -> Plan {
        Plan { detail, ..self }
    }

    fn message(self, message: SealedMessage) -> Plan {
        Plan {
            message: Some(message),
            ..self
        }
    }

    fn notices(self, notices: Vec<SealedNotice>) -> Plan {
        Plan { notices, ..self }
    }
}

/// What planning an action needs: the report as stored and who acts when.
struct Casework<'a> {
    store: &'a Store,
    keys: &'a ReportKeys,
    settings: &'a ReportSettings,
    report: &'a SealedReport,
    id: i64,
    actor: &'a str,
    now: DateTime<Utc>,
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
    let work = Casework {
        store,
        keys,
        settings,
        report: &report,
        id,
        actor,
        now,
    };
    let plan = work.plan(&action).await?;
    let event = plan.event;
    let change = ReportChange {
        report_id: id,
        actor: actor.to_owned(),
        change: plan.change,
        event,
        detail: plan.detail,
        message: plan.message,
        notices: plan.notices,
        audit: Some(StaffAudit {
            action: format!("report.{}", action.name()),
            detail: action.audit_detail(),
        }),
        linked: plan.linked,
        at: now,
    };
    match store.apply_report_change(&change).await? {
        Applied::Done => {
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
        Applied::LinkedNotOpen(other) => Err(ReportError::NotAllowed {
            id: other,
            status: ReportStatus::Closed,
        }),
    }
}

impl Casework<'_> {
    async fn plan(&self, action: &StaffAction) -> Result<Plan, ReportError> {
        let public = |text: &MessageText| self.sealed(MessageKind::StaffPublic, text);
        let with_text = |text: &MessageText| [self.id_arg(), ("text", text.to_string())];
        Ok(match action {
            StaffAction::Accept => Plan::new(StatusChange::Accept, "accepted")
                .notices(self.reporter("report-notice-accepted", &[self.id_arg()])),
            StaffAction::NotAccept { reason } => Plan::new(StatusChange::NotAccept, "not_accepted")
                .message(public(reason))
                .notices(self.reporter("report-notice-not-accepted", &with_text(reason))),
            StaffAction::Forward { desk } => self.forward(desk).await?,
            StaffAction::TransferUp { to } => Plan::new(
                StatusChange::TransferUp { to: to.to_string() },
                "transferred",
            )
            .detail(Some(to.to_string()))
            .notices(self.reporter("report-notice-transferred", &[self.id_arg()])),
            StaffAction::Assign { staff } => {
                Plan::new(StatusChange::Assign(staff.clone()), "assigned").detail(staff.clone())
            }
            StaffAction::Dispose(disposal) => {
                Plan::new(StatusChange::Dispose(*disposal), "disposed")
                    .detail(Some(disposal.to_string()))
            }
            StaffAction::Conclude => self.conclude().await?,
            StaffAction::Close { outcome } => Plan::new(StatusChange::Close, "closed")
                .message(public(outcome))
                .notices(self.reporter("report-notice-closed", &with_text(outcome))),
            StaffAction::Reply { text } => Plan::new(StatusChange::Keep, "replied")
                .message(public(text))
                .notices(self.reporter("report-notice-reply", &with_text(text))),
            StaffAction::Note { text } => Plan::new(StatusChange::Keep, "noted")
                .message(self.sealed(MessageKind::StaffInternal, text)),
            StaffAction::MarkDuplicate { of } => self.mark_duplicate(*of)?,
        })
    }

    /// 转办: the receiving desk is alerted, and its own clock starts now.
    async fn forward(&self, desk: &DeskCode) -> Result<Plan, ReportError> {
        let from = &self.report.record.desk;
        if desk == from {
            return Err(ReportError::SameDesk(self.id));
        }
        let target = self
            .store
            .desk(desk)
            .await?
            .ok_or_else(|| ReportError::UnknownDesk(desk.to_string()))?;
        let body = NoticeBody::new("report-alert-forwarded", &[self.id_arg()], false);
        let calendar = self.store.working_calendar().await?;
        let (acceptance_due, forward_due, _) = intake_deadlines(&calendar, self.settings, self.now);
        let clock = DeskClock {
            acceptance_due,
            forward_due,
        };
        let language = self.settings.staff_language;
        let alerts = staff_alerts(self.keys, self.this(), &target, language, &body);
        Ok(
            Plan::new(StatusChange::Forward(desk.clone(), clock), "forwarded")
                .detail(Some(format!("{from} -> {desk}")))
                .notices(alerts),
        )
    }

    /// 办结: the result notice falls due a set number of working days from today.
    async fn conclude(&self) -> Result<Plan, ReportError> {
        let calendar = self.store.working_calendar().await?;
        let today = local_date(self.settings, self.now);
        let (result_due, _) = calendar.add_working_days(today, self.settings.result_working_days);
        Ok(Plan::new(
            StatusChange::Conclude { result_due },
            "concluded",
        ))
    }

    /// Closes this report into the open report `of`, whose history records the merge in the
    /// same transaction.
    fn mark_duplicate(&self, of: i64) -> Result<Plan, ReportError> {
        // Whether `of` is open is checked where the merge is written, in its transaction.
        if of == self.id {
            return Err(ReportError::NotAllowed {
                id: of,
                status: ReportStatus::Closed,
            });
        }
        let mut plan = Plan::new(StatusChange::MarkDuplicate { of }, "duplicate")
            .detail(Some(format!("of {of}")))
            // The reporter is not told the other report's number: it is someone else's.
            .notices(self.reporter("report-notice-merged", &[self.id_arg()]));
        plan.linked = Some(LinkedEvent {
            report_id: of,
            event: "merged",
            detail: Some(self.id.to_string()),
        });
        Ok(plan)
    }

    fn this(&self) -> ReportRef<'_> {
        ReportRef {
            id: self.id,
            code_hash: &self.report.code_hash,
        }
    }

    fn id_arg(&self) -> (&'static str, String) {
        ("id", self.id.to_string())
    }

    /// The reporter's notice, if they left a reply address.
    fn reporter(&self, message: &str, args: &[(&str, String)]) -> Vec<SealedNotice> {
        let body = NoticeBody::new(message, args, true);
        self.report
            .reply_address
            .iter()
            .map(|address| to_reporter(self.keys, self.this(), address, &body))
            .collect()
    }

    fn sealed(&self, kind: MessageKind, text: &MessageText) -> SealedMessage {
        let staff = Some(self.actor.to_owned());
        seal_message(self.keys, &self.report.code_hash, kind, staff, text)
    }
}
