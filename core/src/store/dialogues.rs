//! Persisted conversation state. The store keeps opaque sealed bytes; the caller seals and
//! opens them with the data key, so no plaintext state ever reaches the database.

use chrono::Utc;

use super::{Store, StoreError, on_pool};

impl Store {
    pub async fn load_dialogue(&self, chat_id: i64) -> Result<Option<Vec<u8>>, StoreError> {
        let state = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = $1")
                .bind(chat_id)
                .fetch_optional(pool)
                .await
        })?;
        Ok(state)
    }

    pub async fn save_dialogue(&self, chat_id: i64, sealed_state: &[u8]) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO dialogues (chat_id, state, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (chat_id) DO UPDATE SET state = $2, updated_at = $3",
            )
            .bind(chat_id)
            .bind(sealed_state)
            .bind(Utc::now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn delete_dialogue(&self, chat_id: i64) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("DELETE FROM dialogues WHERE chat_id = $1")
                .bind(chat_id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}
