//! Telegram as a delivery [`Channel`] for the outbox.

use qingfeng_core::channel::{Channel, MessageButton, OutgoingMessage, SendError};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use teloxide::{ApiError, RequestError};

use crate::action::Action;
use crate::report::ReportAction;

#[derive(Clone)]
pub struct TelegramChannel {
    bot: Bot,
}

impl TelegramChannel {
    pub fn new(token: &str, api_url: url::Url) -> Self {
        TelegramChannel {
            bot: Bot::new(token).set_api_url(api_url),
        }
    }
}

/// Maps Telegram's answers onto what the worker does next.
fn classify(error: RequestError) -> SendError {
    match error {
        RequestError::RetryAfter(seconds) => SendError::RateLimited(seconds.duration()),
        RequestError::Api(
            api @ (ApiError::BotBlocked
            | ApiError::ChatNotFound
            | ApiError::UserDeactivated
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::CantInitiateConversation
            | ApiError::CantTalkWithBots
            | ApiError::GroupDeactivated),
        ) => SendError::Unreachable(api.to_string()),
        // Server errors and anything Telegram did not name: worth another try, within limits.
        RequestError::Api(ApiError::Unknown(description)) => SendError::Transient(description),
        RequestError::Api(api) => SendError::Permanent(api.to_string()),
        // A connection that never opened sent nothing; any other network failure (a read
        // timeout, a connection dropped mid-answer) or an answer we cannot read may follow a
        // delivered message.
        RequestError::Network(ref network) if network.is_connect() => {
            SendError::Transient(crate::redact::describe(&error))
        }
        other @ (RequestError::Network(_) | RequestError::InvalidJson { .. }) => {
            SendError::Ambiguous(crate::redact::describe(&other))
        }
        other => SendError::Transient(crate::redact::describe(&other)),
    }
}

impl Channel for TelegramChannel {
    async fn send(
        &self,
        chat_id: i64,
        message: &OutgoingMessage,
    ) -> Result<Option<i64>, SendError> {
        let mut request = self
            .bot
            .send_message(ChatId(chat_id), message.text.clone())
            .protect_content(message.protect);
        if !message.buttons.is_empty() {
            let rows = message.buttons.iter().map(|button| {
                let (label, action) = match button {
                    MessageButton::Acknowledge { label, delivery_id } => {
                        (label, Action::Acknowledge(*delivery_id))
                    }
                    MessageButton::StartQuiz { label } => (label, Action::StartQuiz),
                    MessageButton::WriteBack {
                        label,
                        report_id,
                        tag,
                    } => (
                        label,
                        Action::Report(ReportAction::Reply {
                            report: *report_id,
                            tag: tag.clone(),
                        }),
                    ),
                    MessageButton::Progress {
                        label,
                        report_id,
                        tag,
                    } => (
                        label,
                        Action::Report(ReportAction::Progress {
                            report: *report_id,
                            tag: tag.clone(),
                        }),
                    ),
                };
                [InlineKeyboardButton::callback(
                    label.clone(),
                    action.to_string(),
                )]
            });
            request = request.reply_markup(InlineKeyboardMarkup::new(rows));
        }
        let sent = request.await.map_err(classify)?;
        Ok(Some(i64::from(sent.id.0)))
    }
}
