//! What the two outboxes share. Campaign deliveries and notices (staff alerts, messages to
//! reporters) live in their own tables, but they are claimed, settled, put back after a crash
//! and scheduled the same way, so those statements are written once here, over the table's
//! name, with one outcome type.

use chrono::{DateTime, Utc};

use super::{Backend, Store, StoreError, execute, on_pool};

/// What happened to one claimed row, whichever outbox it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent {
        at: DateTime<Utc>,
        /// The platform's message id (kept for deliveries, whose buttons refer to it).
        message_id: Option<i64>,
    },
    /// Try again later (network, server error, an ambiguous timeout the first time).
    Retry { at: DateTime<Utc>, error: String },
    /// Not attempted (a rate limit): back to the queue, the attempt uncounted.
    Deferred { at: DateTime<Utc> },
    /// Gave up after the last attempt, or a permanent error.
    Failed { error: String },
    /// The recipient blocked the bot or no longer exists.
    Blocked { error: String },
}

/// One of the two outbox tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outbox {
    Deliveries,
    Notices,
}

impl Outbox {
    fn table(self) -> &'static str {
        match self {
            Outbox::Deliveries => "deliveries",
            Outbox::Notices => "notices",
        }
    }

    /// Settled notices keep no trace of who was told what.
    fn wipe_when_settled(self) -> &'static str {
        match self {
            Outbox::Deliveries => "",
            Outbox::Notices => ", recipient = NULL, body = NULL",
        }
    }

    /// Marks up to `$2` rows due at `$1` as `sending` (counting the attempt) and returns
    /// `returning` for each. PostgreSQL skips rows another worker holds.
    pub(super) fn claim_sql(self, backend: &Backend, returning: &str) -> String {
        let lock = match backend {
            Backend::Sqlite(_) => "",
            Backend::Postgres(_) => " FOR UPDATE SKIP LOCKED",
        };
        let table = self.table();
        format!(
            "UPDATE {table} SET status = 'sending', attempts = attempts + 1
             WHERE id IN (SELECT id FROM {table} WHERE status = 'queued' AND next_attempt_at <= $1
                          ORDER BY next_attempt_at, id LIMIT $2{lock})
             RETURNING {returning}"
        )
    }

    /// The statement settling one row (`$1` is its id) with `outcome`, and the values it binds
    /// after the id, in order.
    pub(super) fn settle_sql(self, outcome: &Outcome) -> (String, SettleValues<'_>) {
        let (table, wipe) = (self.table(), self.wipe_when_settled());
        match outcome {
            Outcome::Sent { at, message_id } => {
                let set_message_id = match self {
                    Outbox::Deliveries => ", message_id = $3",
                    Outbox::Notices => "",
                };
                let values = match self {
                    Outbox::Deliveries => SettleValues::AtAndId(*at, *message_id),
                    Outbox::Notices => SettleValues::At(*at),
                };
                (
                    format!(
                        "UPDATE {table} SET status = 'sent', sent_at = $2{set_message_id}, error = NULL{wipe}
                         WHERE id = $1"
                    ),
                    values,
                )
            }
            Outcome::Retry { at, error } => (
                format!(
                    "UPDATE {table} SET status = 'queued', next_attempt_at = $2, error = $3 WHERE id = $1"
                ),
                SettleValues::AtAndText(*at, error),
            ),
            Outcome::Deferred { at } => (
                format!(
                    "UPDATE {table} SET status = 'queued', next_attempt_at = $2,
                     attempts = attempts - 1 WHERE id = $1"
                ),
                SettleValues::At(*at),
            ),
            Outcome::Failed { error } => (
                format!("UPDATE {table} SET status = 'failed', error = $2{wipe} WHERE id = $1"),
                SettleValues::Text(error),
            ),
            Outcome::Blocked { error } => (
                format!("UPDATE {table} SET status = 'blocked', error = $2{wipe} WHERE id = $1"),
                SettleValues::Text(error),
            ),
        }
    }
}

/// The values a settle statement binds after the row id.
pub(super) enum SettleValues<'a> {
    At(DateTime<Utc>),
    AtAndId(DateTime<Utc>, Option<i64>),
    AtAndText(DateTime<Utc>, &'a str),
    Text(&'a str),
}

/// Settles row `$id` of `$outbox` with `$outcome` on `$executor` (a pool or a transaction of
/// either backend).
macro_rules! settle_row {
    ($executor:expr, $outbox:expr, $id:expr, $outcome:expr) => {{
        let (sql, values) = $outbox.settle_sql($outcome);
        let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind($id);
        let query = match values {
            $crate::store::queue::SettleValues::At(at) => query.bind(at),
            $crate::store::queue::SettleValues::AtAndId(at, id) => query.bind(at).bind(id),
            $crate::store::queue::SettleValues::AtAndText(at, text) => query.bind(at).bind(text),
            $crate::store::queue::SettleValues::Text(text) => query.bind(text),
        };
        query.execute($executor).await?;
    }};
}
pub(super) use settle_row;

/// A claimed row of either outbox, read from either backend.
pub(super) trait ClaimedRow:
    for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
    + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
    + Send
    + Unpin
{
    fn id(&self) -> i64;
}

impl Store {
    /// Claims up to `limit` rows of `outbox` due at `now` (see [`Outbox::claim_sql`]), by id.
    pub(super) async fn claim<T: ClaimedRow>(
        &self,
        outbox: Outbox,
        returning: &str,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<T>, StoreError> {
        let sql = outbox.claim_sql(&self.backend, returning);
        let mut claimed: Vec<T> = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(now)
                .bind(limit)
                .fetch_all(pool)
                .await
        })?;
        claimed.sort_by_key(T::id);
        Ok(claimed)
    }

    /// Rows left `sending` by a stopped process go back to the queue; returns how many.
    pub(super) async fn requeue_sending(&self, outbox: Outbox) -> Result<u64, StoreError> {
        let sql = format!(
            "UPDATE {} SET status = 'queued' WHERE status = 'sending'",
            outbox.table()
        );
        let count = execute!(self, sqlx::AssertSqlSafe(sql),)?;
        Ok(count)
    }

    /// The earliest time a queued row becomes due, so the worker can sleep until then.
    pub(super) async fn next_due(
        &self,
        outbox: Outbox,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let sql = format!(
            "SELECT MIN(next_attempt_at) FROM {} WHERE status = 'queued'",
            outbox.table()
        );
        let due = on_pool!(self, |pool| {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(pool)
                .await
        })?;
        Ok(due)
    }
}
