//! Per-chat settings chosen by the user (currently only the language from `/lang`), keyed by
//! the chat's [`ChatKey`] so the table never holds a chat id, and without a time.

use super::{Store, StoreError, execute, on_pool};
use crate::domain::{ChatKey, Language};

impl Store {
    /// The language the chat chose with `/lang`, if any.
    pub async fn chosen_language(&self, chat: &ChatKey) -> Result<Option<Language>, StoreError> {
        let tag: Option<String> = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT language FROM chat_settings WHERE chat_key = $1")
                .bind(chat.as_str())
                .fetch_optional(pool)
                .await
        })?;
        tag.map(|t| t.parse().map_err(StoreError::Corrupt))
            .transpose()
    }

    /// Records the chat's choice, and changes a subscription's language too (if it has one).
    pub async fn choose_language(
        &self,
        chat: &ChatKey,
        chat_id: i64,
        language: Language,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "INSERT INTO chat_settings (chat_key, language) VALUES ($1, $2)
                 ON CONFLICT (chat_key) DO UPDATE SET language = $2",
            chat.as_str(),
            language.tag(),
        )?;
        self.set_subscriber_language(chat_id, language).await
    }
}
