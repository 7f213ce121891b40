//! Direct notices outside campaigns: alerts to staff and messages to reporters. Recipient and
//! body arrive sealed (the store never sees either in plaintext) and are wiped once the notice
//! is settled, so the table keeps no trace of who was told what.

use chrono::{DateTime, Utc};

use super::queue::{ClaimedRow, Outbox, Outcome, settle_row};
use super::{BeginWrite, Store, StoreError, on_pool};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    StaffAlert,
    Reporter,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::StaffAlert => "staff_alert",
            NoticeKind::Reporter => "reporter",
        }
    }
}

impl std::str::FromStr for NoticeKind {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, StoreError> {
        match s {
            "staff_alert" => Ok(NoticeKind::StaffAlert),
            "reporter" => Ok(NoticeKind::Reporter),
            other => Err(StoreError::Corrupt(format!("notice kind {other:?}"))),
        }
    }
}

/// A notice ready to queue: both parts sealed by the caller, bound to its report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedNotice {
    pub report_id: i64,
    pub kind: NoticeKind,
    pub recipient: Vec<u8>,
    pub body: Vec<u8>,
}

/// A claimed notice, with the code hash of its report (the sealed parts are bound to it).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClaimedNotice {
    pub id: i64,
    pub kind: String,
    /// `None` only for notices queued before notices were bound to their report.
    pub report_id: Option<i64>,
    /// `None` if the notice names no report (only notices queued before the key upgrade could).
    pub code_hash: Option<String>,
    pub recipient: Option<Vec<u8>>,
    pub body: Option<Vec<u8>>,
    pub attempts: i32,
}

/// Queues `$notices` inside the transaction `$tx` (either backend).
macro_rules! insert_notices {
    ($tx:expr, $notices:expr, $now:expr) => {
        for notice in $notices {
            sqlx::query(
                "INSERT INTO notices (report_id, kind, recipient, body, status, attempts,
                                      next_attempt_at, created_at)
                 VALUES ($1, $2, $3, $4, 'queued', 0, $5, $5)",
            )
            .bind(notice.report_id)
            .bind(notice.kind.as_str())
            .bind(&notice.recipient)
            .bind(&notice.body)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
        }
    };
}
pub(crate) use insert_notices;

/// What a notice claim returns: its sealed parts and its report's code hash (they are bound to
/// it).
const CLAIMED_COLUMNS: &str = "id, kind, report_id, recipient, body, attempts,
    (SELECT code_hash FROM reports WHERE reports.id = notices.report_id) AS code_hash";

impl Store {
    /// Queues notices outside any other change (e.g. a staff alert on its own).
    pub async fn queue_notices(&self, notices: &[SealedNotice]) -> Result<(), StoreError> {
        let now = Utc::now();
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            insert_notices!(tx, notices, now);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    pub async fn claim_notices(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<ClaimedNotice>, StoreError> {
        self.claim(Outbox::Notices, CLAIMED_COLUMNS, now, limit)
            .await
    }

    /// Notices left `sending` by a stopped process go back to the queue.
    pub async fn requeue_claimed_notices(&self) -> Result<u64, StoreError> {
        self.requeue_sending(Outbox::Notices).await
    }

    /// Settles a notice; a settled notice's sealed recipient and body are wiped.
    pub async fn record_notice_outcome(
        &self,
        id: i64,
        outcome: &Outcome,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            settle_row!(pool, Outbox::Notices, id, outcome);
            Ok::<_, StoreError>(())
        })
    }

    pub async fn next_notice_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.next_due(Outbox::Notices).await
    }

    /// (kind, status) counts, for operators and tests.
    pub async fn notice_counts(&self) -> Result<Vec<(String, String, i64)>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT kind, status, COUNT(*) FROM notices GROUP BY kind, status ORDER BY kind, status",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}

impl ClaimedRow for ClaimedNotice {
    fn id(&self) -> i64 {
        self.id
    }
}
