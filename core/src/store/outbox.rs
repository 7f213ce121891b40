//! The delivery outbox: claim due deliveries, record outcomes, acknowledgements.
//!
//! A claimed delivery is `sending` until its outcome is recorded. After a crash, `requeue_claimed`
//! puts those back in the queue: a message may then be sent twice only if it was in flight at the
//! crash, so the duplicates are bounded by the claim batch size.

use chrono::{DateTime, Utc};

pub use super::queue::Outcome;
use super::queue::{ClaimedRow, Outbox, settle_row};
use super::{BeginWrite, Store, StoreError, on_pool};

/// A delivery ready to send.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub run_id: i64,
    pub subscriber_id: i64,
    pub chat_id: i64,
    pub language: String,
    pub township_code: String,
    pub attempts: i32,
}

/// The result of pressing an acknowledgement button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acknowledged {
    Recorded,
    Already,
    /// No such delivery to this chat (a forged or foreign button).
    NotFound,
}

/// What a delivery claim returns.
const CLAIMED_COLUMNS: &str =
    "id, run_id, subscriber_id, chat_id, language, township_code, attempts";

impl Store {
    /// Claims up to `limit` deliveries due at `now`, oldest first.
    pub async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Claimed>, StoreError> {
        self.claim(Outbox::Deliveries, CLAIMED_COLUMNS, now, limit)
            .await
    }

    /// Puts deliveries left `sending` by a previous process back in the queue; returns how many.
    pub async fn requeue_claimed(&self) -> Result<u64, StoreError> {
        self.requeue_sending(Outbox::Deliveries).await
    }

    /// Records outcomes in one transaction (the worker batches them for throughput).
    pub async fn record_outcomes(&self, outcomes: &[(Claimed, Outcome)]) -> Result<(), StoreError> {
        if outcomes.is_empty() {
            return Ok(());
        }
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            for (delivery, outcome) in outcomes {
                settle_row!(&mut *tx, Outbox::Deliveries, delivery.id, outcome);
                if let Outcome::Blocked { .. } = outcome {
                    sqlx::query(
                        "UPDATE subscribers SET active = FALSE, updated_at = $2 WHERE id = $1",
                    )
                    .bind(delivery.subscriber_id)
                    .bind(Utc::now())
                    .execute(&mut *tx)
                    .await?;
                    // Their other reminders still queued would only fail the same way.
                    sqlx::query(
                        "UPDATE deliveries SET status = 'cancelled', error = 'recipient unreachable'
                         WHERE status = 'queued' AND subscriber_id = $1",
                    )
                    .bind(delivery.subscriber_id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// The earliest time a queued delivery becomes due, so the worker can sleep until then.
    pub async fn next_delivery_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.next_due(Outbox::Deliveries).await
    }

    /// Records that the recipient pressed "Got it" under a delivered message.
    pub async fn acknowledge(
        &self,
        delivery_id: i64,
        chat_id: i64,
    ) -> Result<Acknowledged, StoreError> {
        let now = Utc::now();
        let result = on_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let owned: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM deliveries WHERE id = $1 AND chat_id = $2",
            )
            .bind(delivery_id)
            .bind(chat_id)
            .fetch_one(&mut *tx)
            .await?;
            if owned == 0 {
                return Ok::<_, StoreError>(Acknowledged::NotFound);
            }
            let inserted = sqlx::query(
                "INSERT INTO acknowledgements (delivery_id, acknowledged_at) VALUES ($1, $2)
                 ON CONFLICT (delivery_id) DO NOTHING",
            )
            .bind(delivery_id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            Ok(if inserted > 0 {
                Acknowledged::Recorded
            } else {
                Acknowledged::Already
            })
        }
        .await)?;
        Ok(result)
    }
}

impl ClaimedRow for Claimed {
    fn id(&self) -> i64 {
        self.id
    }
}
