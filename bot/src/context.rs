//! What a handler needs for one update: the bot, shared dependencies, the chat and its language.

use std::sync::Arc;

use qingfeng_core::deeplink::LinkSigner;
use qingfeng_core::i18n::Args;
use qingfeng_core::reports::{ReportError, ReportKeys, ReportSettings};
use qingfeng_core::{Language, Store, StoreError};
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{CallbackQueryId, InlineKeyboardMarkup, MessageId};

use crate::state::{Dialogues, State};
use crate::text::{Msg, t, t_args};

/// The bot layer's one error type.
#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error("Telegram request failed: {}", crate::redact::describe(.0))]
    Telegram(#[from] RequestError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Reports(#[from] ReportError),
}

/// Answers a button press. Telegram refuses answers to presses older than about fifteen
/// minutes (a button pressed while the service was down): the press was still handled, so that
/// refusal is logged and not turned into an apology.
pub async fn answer_press(
    bot: &Bot,
    query_id: &CallbackQueryId,
    text: Option<String>,
    alert: bool,
) -> Result<(), BotError> {
    let mut request = bot.answer_callback_query(query_id.clone());
    if let Some(text) = text {
        request = request.text(text).show_alert(alert);
    }
    match request.await {
        Ok(_) => Ok(()),
        Err(RequestError::Api(error)) => {
            tracing::debug!(%error, "a button press could not be answered");
            Ok(())
        }
        Err(other) => Err(other.into()),
    }
}

/// Shared by every handler.
pub struct Deps {
    pub store: Store,
    pub report_keys: ReportKeys,
    pub reports: ReportSettings,
    pub dialogues: Dialogues,
    pub links: LinkSigner,
    pub default_language: Language,
    pub bot_username: String,
    pub quiz: crate::quiz::QuizSettings,
}

pub type SharedDeps = Arc<Deps>;

pub struct Ctx<'a> {
    pub bot: &'a Bot,
    pub deps: &'a Deps,
    pub chat_id: ChatId,
    pub lang: Language,
    /// The bot message whose button was pressed: the next prompt replaces it.
    pub pressed: Option<MessageId>,
}

impl Ctx<'_> {
    pub fn t(&self, msg: Msg) -> String {
        t(self.lang, msg)
    }

    pub fn t_args(&self, msg: Msg, args: Args) -> String {
        t_args(self.lang, msg, args)
    }

    pub fn store(&self) -> &Store {
        &self.deps.store
    }

    pub async fn say(&self, text: String) -> Result<(), BotError> {
        self.bot.send_message(self.chat_id, text).await?;
        Ok(())
    }

    /// Sends `text` as a new message that puts the bottom menu under the input field (a reply
    /// keyboard can only come with a new message, never with an edit).
    pub async fn say_with_menu(&self, text: String) -> Result<(), BotError> {
        self.bot
            .send_message(self.chat_id, text)
            .reply_markup(crate::keyboards::bottom_menu(self.lang))
            .await?;
        Ok(())
    }

    /// Sends a new message that cannot be forwarded or saved (`protect_content`): for report
    /// details, tracking codes and replies.
    pub async fn send_protected(
        &self,
        text: String,
        keyboard: Option<InlineKeyboardMarkup>,
    ) -> Result<Message, BotError> {
        let mut send = self
            .bot
            .send_message(self.chat_id, text)
            .protect_content(true);
        if let Some(keyboard) = keyboard {
            send = send.reply_markup(keyboard);
        }
        Ok(send.await?)
    }

    /// Shows `text` with a keyboard: in place of the pressed message when there is one (a tidy
    /// chat), otherwise, or when the old message can no longer be edited, as a new message.
    pub async fn show(
        &self,
        text: String,
        keyboard: Option<InlineKeyboardMarkup>,
    ) -> Result<(), BotError> {
        if let Some(message_id) = self.pressed {
            let mut edit = self
                .bot
                .edit_message_text(self.chat_id, message_id, text.clone());
            if let Some(keyboard) = keyboard.clone() {
                edit = edit.reply_markup(keyboard);
            }
            match edit.await {
                Ok(_) => return Ok(()),
                Err(RequestError::Api(error)) => {
                    tracing::debug!(%error, "cannot edit the pressed message; sending a new one");
                }
                Err(other) => return Err(other.into()),
            }
        }
        let mut send = self.bot.send_message(self.chat_id, text);
        if let Some(keyboard) = keyboard {
            send = send.reply_markup(keyboard);
        }
        send.await?;
        Ok(())
    }

    /// Answers a button press (the spinner stops; `text` shows as a toast, or an alert).
    pub async fn answer_press(
        &self,
        query_id: &CallbackQueryId,
        text: Option<String>,
        alert: bool,
    ) -> Result<(), BotError> {
        answer_press(self.bot, query_id, text, alert).await
    }

    /// The next prompt goes into a new message (e.g. after a note about an expired button).
    pub fn detached(&self) -> Ctx<'_> {
        Ctx {
            bot: self.bot,
            deps: self.deps,
            chat_id: self.chat_id,
            lang: self.lang,
            pressed: None,
        }
    }

    pub async fn save(&self, state: &State) -> Result<(), BotError> {
        Ok(self.deps.dialogues.save(self.chat_id.0, state).await?)
    }

    /// Ends a conversation about a report: see [`Dialogues::end_report_conversation`].
    pub async fn end_report_conversation(&self) -> Result<(), BotError> {
        Ok(self
            .deps
            .dialogues
            .end_report_conversation(self.chat_id.0)
            .await?)
    }
}
