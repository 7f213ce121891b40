//! Per-chat settings chosen by the user (currently only the language from `/lang`).

use chrono::Utc;

use super::{Store, StoreError, on_pool};
use crate::domain::Language;

impl Store {
    /// The language the chat chose with `/lang`, if any.
    pub async fn chosen_language(&self, chat_id: i64) -> Result<Option<Language>, StoreError> {
        let tag: Option<String> = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT language FROM chat_settings WHERE chat_id = $1")
                .bind(chat_id)
                .fetch_optional(pool)
                .await
        })?;
        tag.map(|t| t.parse().map_err(StoreError::Corrupt))
            .transpose()
    }

    pub async fn choose_language(
        &self,
        chat_id: i64,
        language: Language,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO chat_settings (chat_id, language, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (chat_id) DO UPDATE SET language = $2, updated_at = $3",
            )
            .bind(chat_id)
            .bind(language.tag())
            .bind(Utc::now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        self.set_subscriber_language(chat_id, language).await
    }
}
