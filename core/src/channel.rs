//! The one narrow seam between the outbox and a messaging platform. Telegram implements it in
//! the bot crate; a second channel (WeCom, SMS) is another implementation, not a rewrite.

use std::future::Future;
use std::time::Duration;

/// A rendered message for one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub text: String,
    /// Buttons under the message, one per row.
    pub buttons: Vec<MessageButton>,
    /// Ask the platform to stop forwarding and saving (replies to reporters).
    pub protect: bool,
}

/// What a button under a reminder does; each channel renders it its own way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageButton {
    /// "Got it": records that the recipient read delivery `delivery_id`.
    Acknowledge { label: String, delivery_id: i64 },
    /// Starts a quiz in the chat (a scheduled quiz invitation).
    StartQuiz { label: String },
    /// Under a notice to a reporter: write back to the staff about report `report_id`. `tag`
    /// shows the bot gave the button to this chat ([`crate::reports::ReportKeys::reporter_button_tag`]).
    WriteBack {
        label: String,
        report_id: i64,
        tag: String,
    },
    /// Under a notice to a reporter: show the report's progress without typing the code.
    Progress {
        label: String,
        report_id: i64,
        tag: String,
    },
}

/// Why a send failed, in the terms the delivery worker acts on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Slow down: nothing may be sent for this long.
    #[error("rate limited for {0:?}")]
    RateLimited(Duration),
    /// The recipient blocked us or no longer exists; stop sending to them.
    #[error("recipient unreachable: {0}")]
    Unreachable(String),
    /// Network trouble before the request reached the platform, or a server error: worth
    /// retrying.
    #[error("transient failure: {0}")]
    Transient(String),
    /// The request went out but no answer came back (a read timeout, a dropped connection, an
    /// unreadable answer): the platform may have delivered it. Retried at most once.
    #[error("no answer after sending: {0}")]
    Ambiguous(String),
    /// The message itself was refused; retrying will not help.
    #[error("refused: {0}")]
    Permanent(String),
}

/// Delivers a message to a recipient (for Telegram, a chat id). Returns the platform's message
/// id when it has one.
pub trait Channel: Send + Sync + 'static {
    fn send(
        &self,
        chat_id: i64,
        message: &OutgoingMessage,
    ) -> impl Future<Output = Result<Option<i64>, SendError>> + Send;
}

/// Fetches a file a user sent (evidence attached to a report), by the platform's file id, so
/// staff can open it through the dashboard. Telegram implements it in the bot crate.
pub trait FileSource: Send + Sync + 'static {
    fn fetch(
        &self,
        file_id: &str,
    ) -> std::pin::Pin<Box<dyn Future<Output = Result<Vec<u8>, String>> + Send + '_>>;
}
