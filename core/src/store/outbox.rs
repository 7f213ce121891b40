//! The delivery outbox: claim due deliveries, record outcomes, acknowledgements.
//!
//! A claimed delivery is `sending` until its outcome is recorded. After a crash, `requeue_claimed`
//! puts those back in the queue: a message may then be sent twice only if it was in flight at the
//! crash, so the duplicates are bounded by the claim batch size.

use chrono::{DateTime, Utc};

use super::{Backend, BeginWrite, Store, StoreError, on_pool};

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

/// What happened to one delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent {
        at: DateTime<Utc>,
        message_id: Option<i64>,
    },
    /// Try again later (rate limit, network, server error).
    Retry { at: DateTime<Utc>, error: String },
    /// Not attempted (e.g. the chat's per-second limit): back to the queue, the attempt uncounted.
    Deferred { at: DateTime<Utc> },
    /// Gave up after the last attempt, or a permanent error.
    Failed { error: String },
    /// The recipient blocked the bot or no longer exists: the subscriber becomes inactive.
    Blocked { error: String },
}

/// The result of pressing an acknowledgement button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acknowledged {
    Recorded,
    Already,
    /// No such delivery to this chat (a forged or foreign button).
    NotFound,
}

const CLAIM_SQLITE: &str = "UPDATE deliveries SET status = 'sending', attempts = attempts + 1
    WHERE id IN (SELECT id FROM deliveries WHERE status = 'queued' AND next_attempt_at <= $1
                 ORDER BY next_attempt_at, id LIMIT $2)
    RETURNING id, run_id, subscriber_id, chat_id, language, township_code, attempts";

const CLAIM_POSTGRES: &str = "UPDATE deliveries SET status = 'sending', attempts = attempts + 1
    WHERE id IN (SELECT id FROM deliveries WHERE status = 'queued' AND next_attempt_at <= $1
                 ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
    RETURNING id, run_id, subscriber_id, chat_id, language, township_code, attempts";

impl Store {
    /// Claims up to `limit` deliveries due at `now`, oldest first.
    pub async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Claimed>, StoreError> {
        let mut claimed: Vec<Claimed> = match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query_as(CLAIM_SQLITE)
                    .bind(now)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?
            }
            Backend::Postgres(pool) => {
                sqlx::query_as(CLAIM_POSTGRES)
                    .bind(now)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?
            }
        };
        claimed.sort_by_key(|c| c.id);
        Ok(claimed)
    }

    /// Puts deliveries left `sending` by a previous process back in the queue; returns how many.
    pub async fn requeue_claimed(&self) -> Result<u64, StoreError> {
        let count = on_pool!(self, |pool| {
            sqlx::query("UPDATE deliveries SET status = 'queued' WHERE status = 'sending'")
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(count)
    }

    /// Records outcomes in one transaction (the worker batches them for throughput).
    pub async fn record_outcomes(&self, outcomes: &[(Claimed, Outcome)]) -> Result<(), StoreError> {
        if outcomes.is_empty() {
            return Ok(());
        }
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            for (delivery, outcome) in outcomes {
                match outcome {
                    Outcome::Sent { at, message_id } => {
                        sqlx::query("UPDATE deliveries SET status = 'sent', sent_at = $2, message_id = $3, error = NULL WHERE id = $1")
                            .bind(delivery.id)
                            .bind(at)
                            .bind(message_id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    Outcome::Retry { at, error } => {
                        sqlx::query("UPDATE deliveries SET status = 'queued', next_attempt_at = $2, error = $3 WHERE id = $1")
                            .bind(delivery.id)
                            .bind(at)
                            .bind(error)
                            .execute(&mut *tx)
                            .await?;
                    }
                    Outcome::Deferred { at } => {
                        sqlx::query(
                            "UPDATE deliveries SET status = 'queued', next_attempt_at = $2, attempts = attempts - 1 WHERE id = $1",
                        )
                        .bind(delivery.id)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                    }
                    Outcome::Failed { error } => {
                        sqlx::query(
                            "UPDATE deliveries SET status = 'failed', error = $2 WHERE id = $1",
                        )
                        .bind(delivery.id)
                        .bind(error)
                        .execute(&mut *tx)
                        .await?;
                    }
                    Outcome::Blocked { error } => {
                        sqlx::query(
                            "UPDATE deliveries SET status = 'blocked', error = $2 WHERE id = $1",
                        )
                        .bind(delivery.id)
                        .bind(error)
                        .execute(&mut *tx)
                        .await?;
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
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// The earliest time a queued delivery becomes due, so the worker can sleep until then.
    pub async fn next_delivery_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let due = on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'queued'",
            )
            .fetch_one(pool)
            .await
        })?;
        Ok(due)
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
