//! Changes to a filed report: staff actions and reporter messages, each applied with its
//! history row and the notices it causes in one transaction; and reading the conversation and
//! history back.

use chrono::{DateTime, NaiveDate, Utc};

use super::notices::{SealedNotice, insert_notices};
use super::retention::purge_content;
use super::{BeginWrite, ReportScope, Store, StoreError, on_pool};
use crate::domain::{DeskCode, Disposal, ReportStatus};

/// Who wrote a message on a report, and who may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// A staff reply the reporter sees (and is notified of).
    StaffPublic,
    /// A staff note, never shown to the reporter.
    StaffInternal,
    /// The reporter's message to the staff.
    Reporter,
}

impl MessageKind {
    pub fn columns(self) -> (&'static str, &'static str) {
        match self {
            MessageKind::StaffPublic => ("staff", "public"),
            MessageKind::StaffInternal => ("staff", "internal"),
            MessageKind::Reporter => ("reporter", "public"),
        }
    }

    pub fn from_columns(author: &str, visibility: &str) -> Result<Self, StoreError> {
        match (author, visibility) {
            ("staff", "public") => Ok(MessageKind::StaffPublic),
            ("staff", "internal") => Ok(MessageKind::StaffInternal),
            ("reporter", "public") => Ok(MessageKind::Reporter),
            other => Err(StoreError::Corrupt(format!("message kind {other:?}"))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedMessage {
    pub kind: MessageKind,
    pub staff: Option<String>,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    pub id: i64,
    pub kind: MessageKind,
    pub staff: Option<String>,
    pub body: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredEvent {
    pub actor: String,
    pub kind: String,
    pub detail: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The receiving desk's own deadlines after a forward: its clock starts at its receipt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeskClock {
    pub acceptance_due: NaiveDate,
    pub forward_due: NaiveDate,
}

/// A change of a report's handling. Each is allowed only from certain statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusChange {
    Accept,
    NotAccept,
    Forward(DeskCode, DeskClock),
    /// 上报: passed to the higher commission (`to`, as recorded). Final; the sealed content,
    /// evidence and conversation are purged in the same transaction.
    TransferUp {
        to: String,
    },
    Dispose(Disposal),
    Conclude {
        result_due: NaiveDate,
    },
    Close,
    Assign(Option<String>),
    /// A duplicate of report `of`: closed here and handled there.
    MarkDuplicate {
        of: i64,
    },
    /// Messages only: the status stays.
    Keep,
}

impl StatusChange {
    /// The statuses this change may start from.
    pub fn allowed_from(&self) -> &'static [ReportStatus] {
        use ReportStatus::*;
        match self {
            StatusChange::Accept
            | StatusChange::NotAccept
            | StatusChange::Forward(..)
            | StatusChange::TransferUp { .. } => &[Received],
            StatusChange::Dispose(_) => &[Accepted, InDisposal],
            StatusChange::Conclude { .. } => &[InDisposal],
            StatusChange::Close => &[InDisposal, Concluded],
            StatusChange::Assign(_) | StatusChange::MarkDuplicate { .. } => {
                &[Received, Accepted, InDisposal, Concluded]
            }
            StatusChange::Keep => &ReportStatus::ALL,
        }
    }
}

/// One staff (or reporter) action: the change, its history entry, an optional message, the
/// notices it triggers and (for staff) its audit-log line, applied in one transaction.
#[derive(Debug, Clone)]
pub struct ReportChange {
    pub report_id: i64,
    pub actor: String,
    pub change: StatusChange,
    pub event: &'static str,
    pub detail: Option<String>,
    pub message: Option<SealedMessage>,
    pub notices: Vec<SealedNotice>,
    /// Written to the audit log under the actor's name; `None` for the reporter's messages.
    pub audit: Option<StaffAudit>,
    /// A history entry on another report that must stand or fall with this change.
    pub linked: Option<LinkedEvent>,
    pub at: DateTime<Utc>,
}

/// A history entry on a report other than the one changed, by the same actor at the same time:
/// the surviving report's "merged" entry when a duplicate is merged into it. That report must
/// be open, or the change is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedEvent {
    pub report_id: i64,
    pub event: &'static str,
    pub detail: Option<String>,
}

/// An audit-log line for a staff action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAudit {
    pub action: String,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Done,
    NotFound,
    /// The report's status does not allow this change (e.g. accepting a closed report).
    NotAllowed(ReportStatus),
    /// The other report of a linked event (a merge's survivor) is missing or no longer open.
    LinkedNotOpen(i64),
}

/// The UPDATE that makes `$change` on report `$id` at `$at` (either backend).
macro_rules! status_update {
    ($change:expr, $id:expr, $at:expr) => {
        match $change {
            StatusChange::Accept => sqlx::query(
                "UPDATE reports SET status = 'accepted', accepted_at = $2, updated_at = $2 WHERE id = $1",
            )
            .bind($id)
            .bind($at),
            StatusChange::NotAccept => sqlx::query(
                "UPDATE reports SET status = 'not_accepted', closed_at = $2, updated_at = $2 WHERE id = $1",
            )
            .bind($id)
            .bind($at),
            StatusChange::Forward(desk, clock) => sqlx::query(
                "UPDATE reports SET desk_code = $3, assigned_to = NULL, desk_received_at = $2,
                 acceptance_due = $4, forward_due = $5, updated_at = $2 WHERE id = $1",
            )
            .bind($id)
            .bind($at)
            .bind(desk.as_str())
            .bind(clock.acceptance_due)
            .bind(clock.forward_due),
            StatusChange::TransferUp { to } => sqlx::query(
                "UPDATE reports SET status = 'transferred', transferred_at = $2,
                 transferred_to = $3, closed_at = $2, updated_at = $2 WHERE id = $1",
            )
            .bind($id)
            .bind($at)
            .bind(to.clone()),
            StatusChange::Dispose(disposal) => sqlx::query(
                "UPDATE reports SET status = 'in_disposal', disposal = $3, updated_at = $2 WHERE id = $1",
            )
            .bind($id)
            .bind($at)
            .bind(disposal.as_str()),
            StatusChange::Conclude { result_due } => sqlx::query(
                "UPDATE reports SET status = 'concluded', concluded_at = $2, result_due = $3,
                 updated_at = $2 WHERE id = $1",
            )
            .bind($id)
            .bind($at)
            .bind(*result_due),
            StatusChange::MarkDuplicate { of } => sqlx::query(
                "UPDATE reports SET status = 'closed', duplicate_of = $3, closed_at = $2,
                 updated_at = $2 WHERE id = $1",
            )
            .bind($id)
            .bind($at)
            .bind(*of),
            StatusChange::Close => sqlx::query(
                "UPDATE reports SET status = 'closed', closed_at = $2,
                 concluded_at = COALESCE(concluded_at, $2), updated_at = $2 WHERE id = $1",
            )
            .bind($id)
            .bind($at),
            StatusChange::Assign(staff) => sqlx::query(
                "UPDATE reports SET assigned_to = $3, updated_at = $2 WHERE id = $1",
            )
            .bind($id)
            .bind($at)
            .bind(staff.clone()),
            StatusChange::Keep => {
                sqlx::query("UPDATE reports SET updated_at = $2 WHERE id = $1")
                    .bind($id)
                    .bind($at)
            }
        }
    };
}

/// Writes a message on report `$id` inside `$tx`.
macro_rules! insert_message {
    ($tx:expr, $id:expr, $message:expr, $at:expr) => {{
        let (author, visibility) = $message.kind.columns();
        sqlx::query(
            "INSERT INTO report_messages (report_id, author, visibility, staff, body, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($id)
        .bind(author)
        .bind(visibility)
        .bind(&$message.staff)
        .bind(&$message.body)
        .bind($at)
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Writes a history row on report `$id` inside `$tx`.
macro_rules! insert_event {
    ($tx:expr, $id:expr, $actor:expr, $kind:expr, $detail:expr, $at:expr) => {
        sqlx::query(
            "INSERT INTO report_events (report_id, actor, kind, detail, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($id)
        .bind($actor)
        .bind($kind)
        .bind($detail)
        .bind($at)
        .execute(&mut *$tx)
        .await?
    };
}

/// Writes a staff action's audit-log line inside `$tx`.
macro_rules! insert_audit {
    ($tx:expr, $actor:expr, $id:expr, $audit:expr, $at:expr) => {
        sqlx::query(
            "INSERT INTO audit_log (username, action, report_id, detail, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($actor)
        .bind(&$audit.action)
        .bind($id)
        .bind(&$audit.detail)
        .bind($at)
        .execute(&mut *$tx)
        .await?
    };
}

impl Store {
    /// Applies one action in one transaction; refuses it if the status does not allow it.
    pub async fn apply_report_change(&self, change: &ReportChange) -> Result<Applied, StoreError> {
        on_pool!(self, |pool| {
            async {
                let mut tx = pool.begin_write().await?;
                let status: Option<String> =
                    sqlx::query_scalar("SELECT status FROM reports WHERE id = $1")
                        .bind(change.report_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some(status) = status else {
                    return Ok::<_, StoreError>(Applied::NotFound);
                };
                let status: ReportStatus = status.parse().map_err(StoreError::Corrupt)?;
                if !change.change.allowed_from().contains(&status) {
                    return Ok(Applied::NotAllowed(status));
                }
                let (id, at) = (change.report_id, change.at);
                if let Some(linked) = &change.linked {
                    // Checked by the UPDATE itself, so a report closed meanwhile cannot become
                    // the survivor of a merge (PostgreSQL re-checks the row once it holds it).
                    let still_open = sqlx::query(
                        "UPDATE reports SET updated_at = $2 WHERE id = $1
                         AND status NOT IN ('not_accepted', 'closed', 'transferred')",
                    )
                    .bind(linked.report_id)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        == 1;
                    if !still_open {
                        return Ok(Applied::LinkedNotOpen(linked.report_id));
                    }
                    let (other, event, detail) = (linked.report_id, linked.event, &linked.detail);
                    insert_event!(tx, other, &change.actor, event, detail, at);
                }
                status_update!(&change.change, id, at)
                    .execute(&mut *tx)
                    .await?;
                if let Some(message) = &change.message {
                    insert_message!(tx, id, message, at);
                }
                insert_event!(tx, id, &change.actor, change.event, &change.detail, at);
                insert_notices!(tx, &change.notices, at);
                if let Some(audit) = &change.audit {
                    insert_audit!(tx, &change.actor, id, audit, at);
                }
                if matches!(change.change, StatusChange::TransferUp { .. }) {
                    // After the reporter's notice is queued (it carries its own copy of the address).
                    purge_content!(tx, id, at);
                }
                tx.commit().await?;
                Ok(Applied::Done)
            }
            .await
        })
    }

    pub async fn report_messages(&self, id: i64) -> Result<Vec<StoredMessage>, StoreError> {
        type Row = (i64, String, String, Option<String>, Vec<u8>, DateTime<Utc>);
        let rows: Vec<Row> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, author, visibility, staff, body, created_at FROM report_messages
                 WHERE report_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|(id, author, visibility, staff, body, created_at)| {
                Ok(StoredMessage {
                    id,
                    kind: MessageKind::from_columns(&author, &visibility)?,
                    staff,
                    body,
                    created_at,
                })
            })
            .collect()
    }

    /// Reports marked as duplicates of `id` that `scope` may see (a township account is not
    /// told the numbers of reports at other desks).
    pub async fn duplicates_of(
        &self,
        id: i64,
        scope: &ReportScope,
    ) -> Result<Vec<i64>, StoreError> {
        let ids = on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM reports WHERE duplicate_of = $1 AND ($2 IS NULL OR desk_code IN
                    (SELECT desk_code FROM desk_townships WHERE township_code = $2))
                 ORDER BY id",
            )
            .bind(id)
            .bind(scope.township())
            .fetch_all(pool)
            .await
        })?;
        Ok(ids)
    }

    pub async fn report_events(&self, id: i64) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT actor, kind, detail, created_at FROM report_events
                 WHERE report_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}
