//! Persisted conversation state. The store keeps opaque sealed bytes under a [`ChatKey`] (a
//! keyed hash of the chat id) with an expiry rounded to the hour; the caller seals and opens the
//! state, so neither the chat id nor the state nor the time of each step reaches the database.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

use super::{Backend, Store, StoreError, execute, on_pool};
use crate::domain::ChatKey;

/// `at` rounded up to the next whole hour.
pub fn coarse_expiry(at: DateTime<Utc>) -> DateTime<Utc> {
    let hour = TimeDelta::hours(1);
    let floor = at.duration_trunc(hour).unwrap_or(at);
    if floor == at { at } else { floor + hour }
}

impl Store {
    pub async fn load_dialogue(&self, chat: &ChatKey) -> Result<Option<Vec<u8>>, StoreError> {
        let state = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_key = $1")
                .bind(chat.as_str())
                .fetch_optional(pool)
                .await
        })?;
        Ok(state)
    }

    /// Saves the state; it may be discarded after `expires_at` (rounded up to the hour here).
    pub async fn save_dialogue(
        &self,
        chat: &ChatKey,
        sealed_state: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "INSERT INTO dialogues (chat_key, state, expires_at) VALUES ($1, $2, $3)
                 ON CONFLICT (chat_key) DO UPDATE SET state = $2, expires_at = $3",
            chat.as_str(),
            sealed_state,
            coarse_expiry(expires_at),
        )?;
        Ok(())
    }

    pub async fn delete_dialogue(&self, chat: &ChatKey) -> Result<(), StoreError> {
        execute!(
            self,
            "DELETE FROM dialogues WHERE chat_key = $1",
            chat.as_str(),
        )?;
        Ok(())
    }

    /// Drops conversation state past its expiry (abandoned drafts).
    pub async fn purge_dialogues(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let count = execute!(self, "DELETE FROM dialogues WHERE expires_at < $1", now,)?;
        Ok(count)
    }

    /// On SQLite, copies the write-ahead log into the database and truncates it to nothing, so
    /// the old versions of rows it held (a report conversation's steps) leave the disk; deleted
    /// rows are already zeroed (`secure_delete`). Called when a report is filed or a draft is
    /// dropped. Returns false if a reader kept part of the log (it is trimmed on the next call).
    /// PostgreSQL keeps old row versions until vacuum: see docs/decisions.md.
    pub async fn trim_wal(&self) -> Result<bool, StoreError> {
        let Backend::Sqlite(pool) = &self.backend else {
            return Ok(true);
        };
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(pool)
            .await?;
        Ok(busy == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_rounds_up_to_the_hour() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            coarse_expiry(at("2026-12-01T10:23:45.123Z")),
            at("2026-12-01T11:00:00Z")
        );
        assert_eq!(
            coarse_expiry(at("2026-12-01T10:00:00Z")),
            at("2026-12-01T10:00:00Z")
        );
        assert_eq!(
            coarse_expiry(at("2026-12-31T23:59:59Z")),
            at("2027-01-01T00:00:00Z")
        );
    }
}
