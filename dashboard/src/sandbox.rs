//! The sandbox (`serve --sandbox`): test people chatting with the bot through an in-process
//! fake Telegram. The dashboard only sees the [`SandboxChats`] trait, which `serve`
//! implements over the simulator, so this crate does not depend on it; in real mode the
//! state holds `None` and every sandbox page is a 404.

mod render;

pub use render::telegram_html;

use serde::Serialize;

/// A test person (a simulated Telegram user in a private chat with the bot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SandboxPerson {
    pub id: i64,
    pub name: String,
    /// The Telegram client language the person has (`zh-hans`, `en`), if any.
    pub language: Option<String>,
}

/// One chat as the person sees it now.
#[derive(Debug, Clone, Default)]
pub struct SandboxChat {
    /// Changes whenever anything in the chat does (messages, edits, deletions, votes,
    /// keyboard), so the page redraws only then.
    pub version: u64,
    pub messages: Vec<SandboxMessage>,
    /// The reply keyboard under the input field, row by row; empty when there is none.
    pub reply_keyboard: Vec<Vec<String>>,
}

/// One message, from the bot or from the person.
#[derive(Debug, Clone, Default)]
pub struct SandboxMessage {
    pub id: i64,
    pub from_bot: bool,
    /// Plain text (text, caption or poll question), and Telegram's entities on it.
    pub text: String,
    pub entities: Vec<SandboxEntity>,
    pub edited: bool,
    /// "photo", "document", … when the message carries a file (shown as a label).
    pub attachment: Option<String>,
    pub buttons: Vec<Vec<SandboxButton>>,
    pub poll: Option<SandboxPoll>,
}

/// A formatting entity: UTF-16 `offset` and `length`, as Telegram counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxEntity {
    /// Telegram's entity type: `bold`, `italic`, `text_link`, `blockquote`, …
    pub kind: String,
    pub offset: usize,
    pub length: usize,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SandboxButton {
    pub text: String,
    /// Pressed as a callback query; `None` for a link button.
    pub data: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SandboxPoll {
    pub id: String,
    pub options: Vec<String>,
    pub votes: Vec<u64>,
    pub closed: bool,
}

/// An action named a person or message that is not there (reset since, or a forged form).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no such test person or message; reload the sandbox page")]
pub struct NotInSandbox;

/// The simulated Telegram, as the sandbox page drives it. Every action only queues an update
/// for the bot, so none of them waits.
pub trait SandboxChats: Send + Sync {
    /// Every test person, oldest first.
    fn people(&self) -> Vec<SandboxPerson>;
    /// Registers a new person with a fresh id.
    fn create_person(&self, name: &str, language: Option<&str>) -> SandboxPerson;
    fn send_text(&self, person: i64, text: &str) -> Result<(), NotInSandbox>;
    /// Presses the inline button with `data` under bot message `message_id`.
    fn press(&self, person: i64, message_id: i64, data: &str) -> Result<(), NotInSandbox>;
    fn answer_poll(&self, person: i64, poll_id: &str, option: u32) -> Result<(), NotInSandbox>;
    fn send_photo(&self, person: i64, bytes: Vec<u8>) -> Result<(), NotInSandbox>;
    fn send_document(
        &self,
        person: i64,
        file_name: &str,
        mime: &str,
        bytes: Vec<u8>,
    ) -> Result<(), NotInSandbox>;
    /// What scanning a poster's QR code does: `/start PAYLOAD`.
    fn open_deep_link(&self, person: i64, payload: &str) -> Result<(), NotInSandbox> {
        self.send_text(person, &format!("/start {payload}"))
    }
    fn chat(&self, person: i64) -> Result<SandboxChat, NotInSandbox>;
    /// Forgets every person and chat (the database is emptied separately).
    fn clear(&self);
}
