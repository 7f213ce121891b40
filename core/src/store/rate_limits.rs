//! Fixed-window counters in the store, so limits hold across restarts. Bucket names are built
//! by the caller from keyed hashes: the table never holds a chat id. Also the daily keys the
//! report quota's buckets are made with, destroyed when their day is over.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Store, StoreError, execute, on_pool};

impl Store {
    /// Hits recorded in `bucket` for the window starting at `window_start`.
    pub async fn rate_hits(
        &self,
        bucket: &str,
        window_start: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let hits: Option<i32> = on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start = $2",
            )
            .bind(bucket)
            .bind(window_start)
            .fetch_optional(pool)
            .await
        })?;
        Ok(hits.map_or(0, i64::from))
    }

    /// Records one hit; returns the window's count including it.
    pub async fn rate_hit(
        &self,
        bucket: &str,
        window_start: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let hits: i32 = on_pool!(self, |pool| {
            sqlx::query_scalar(
                "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
                 ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
                 RETURNING hits",
            )
            .bind(bucket)
            .bind(window_start)
            .fetch_one(pool)
            .await
        })?;
        Ok(i64::from(hits))
    }

    /// Forgets windows that started before `before`.
    pub async fn purge_rate_limits(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let count = execute!(
            self,
            "DELETE FROM rate_limits WHERE window_start < $1",
            before,
        )?;
        Ok(count)
    }

    /// The sealed quota key of `day`, if it was made.
    pub async fn quota_key(&self, day: NaiveDate) -> Result<Option<Vec<u8>>, StoreError> {
        let sealed = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT sealed FROM quota_keys WHERE day = $1")
                .bind(day)
                .fetch_optional(pool)
                .await
        })?;
        Ok(sealed)
    }

    /// Stores `sealed` as the key of `day` unless one exists; returns the one stored (two
    /// processes making it at once both use the first).
    pub async fn insert_quota_key(
        &self,
        day: NaiveDate,
        sealed: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        execute!(
            self,
            "INSERT INTO quota_keys (day, sealed) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
            day,
            sealed,
        )?;
        self.quota_key(day)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("the quota key of {day} vanished")))
    }

    /// Destroys the quota keys of days before `day`.
    pub async fn purge_quota_keys(&self, day: NaiveDate) -> Result<u64, StoreError> {
        let count = execute!(self, "DELETE FROM quota_keys WHERE day < $1", day,)?;
        Ok(count)
    }
}
