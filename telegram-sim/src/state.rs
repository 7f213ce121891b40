//! The simulator's shared state and the wait-for-change helper.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::errors::{ApiFailure, Injection};
use crate::files::FileStore;
use crate::params::Params;
use crate::shapes::Profile;
use crate::types::{BotMessage, CallbackAnswer, RecordedRequest};
use crate::updates::UpdateQueue;

/// Shared by the server task, [`crate::Simulator`] and every [`crate::SimUser`].
pub struct Inner {
    pub token: String,
    pub state: Mutex<State>,
    /// Woken on every state change (update queued, request recorded, bot output, ...).
    pub changed: Notify,
}

/// Everything the fake Telegram knows.
#[derive(Default)]
pub struct State {
    pub users: BTreeMap<i64, UserState>,
    pub updates: UpdateQueue,
    pub requests: Vec<RecordedRequest>,
    pub injected: Vec<Injection>,
    /// setMyCommands per (scope, language code): scope "" is the default scope, "chat:ID"
    /// one chat, otherwise the scope's type; language "" is every language.
    pub commands: BTreeMap<(String, String), Vec<(String, String)>>,
    pub files: FileStore,
    pub polls: HashMap<String, PollInfo>,
    pub callbacks: HashMap<String, CallbackInfo>,
    pub next_callback: u64,
    pub next_poll: u64,
    /// Flood limits, when a test turns them on.
    pub limits: Option<crate::limits::Limits>,
}

/// One simulated user and their private chat with the bot.
pub struct UserState {
    pub profile: Profile,
    pub blocked: bool,
    pub next_message_id: i64,
    /// Every message in the chat (user's and bot's), by id; deleted ones removed.
    pub messages: BTreeMap<i64, StoredMessage>,
    pub deleted: Vec<i64>,
    /// Bot output (new messages and edits) in order; `consumed` of them were read.
    pub outputs: Vec<BotMessage>,
    pub consumed: usize,
    pub answers: Vec<CallbackAnswer>,
    pub answers_consumed: usize,
    /// The reply keyboard (`ReplyKeyboardMarkup`) the last message that set one left under
    /// the input field; `None` before any, or after `remove_keyboard`.
    pub reply_keyboard: Option<Value>,
}

/// A message in a chat.
#[derive(Clone, Debug)]
pub struct StoredMessage {
    pub raw: Value,
    pub from_bot: bool,
    pub parse_mode: Option<String>,
}

impl StoredMessage {
    pub fn view(&self, is_edit: bool) -> BotMessage {
        BotMessage::from_raw(&self.raw, self.parse_mode.clone(), is_edit)
    }
}

/// A poll the bot sent.
pub struct PollInfo {
    pub chat_id: i64,
    pub message_id: i64,
    pub persistent_ids: Vec<String>,
}

/// A callback query a user made.
pub struct CallbackInfo {
    pub user_id: i64,
    pub answered: bool,
}

impl UserState {
    pub fn new(profile: Profile) -> Self {
        UserState {
            profile,
            blocked: false,
            next_message_id: 1,
            messages: BTreeMap::new(),
            deleted: Vec::new(),
            outputs: Vec::new(),
            consumed: 0,
            answers: Vec::new(),
            answers_consumed: 0,
            reply_keyboard: None,
        }
    }

    /// Allocates the next message id (user and bot share one sequence).
    pub fn take_message_id(&mut self) -> i64 {
        let id = self.next_message_id;
        self.next_message_id += 1;
        id
    }

    /// Stores a new bot message and logs it as output.
    pub fn push_bot_message(&mut self, raw: Value, parse_mode: Option<String>) -> Value {
        let stored = StoredMessage {
            raw: raw.clone(),
            from_bot: true,
            parse_mode,
        };
        self.outputs.push(stored.view(false));
        let id = raw["message_id"].as_i64().unwrap_or_default();
        self.messages.insert(id, stored);
        raw
    }

    /// Replaces a bot message with its edited version and logs the edit as output.
    pub fn apply_edit(&mut self, raw: Value, parse_mode: Option<String>) -> Value {
        let stored = StoredMessage {
            raw: raw.clone(),
            from_bot: true,
            parse_mode,
        };
        self.outputs.push(stored.view(true));
        let id = raw["message_id"].as_i64().unwrap_or_default();
        self.messages.insert(id, stored);
        raw
    }

    /// The current bot messages (edits applied, deleted ones gone).
    pub fn bot_messages(&self) -> Vec<BotMessage> {
        self.messages
            .values()
            .filter(|m| m.from_bot)
            .map(|m| m.view(m.raw.get("edit_date").is_some()))
            .collect()
    }
}

impl State {
    pub fn user(&self, id: i64) -> &UserState {
        self.users
            .get(&id)
            .unwrap_or_else(|| panic!("telegram-sim: unknown user {id}"))
    }

    pub fn user_mut(&mut self, id: i64) -> &mut UserState {
        self.users
            .get_mut(&id)
            .unwrap_or_else(|| panic!("telegram-sim: unknown user {id}"))
    }

    /// The chat a bot request's `chat_id` names: missing is "chat_id is empty",
    /// anything but a registered user's id (e.g. "@name") is "chat not found".
    pub fn chat_mut(&mut self, p: &Params) -> Result<&mut UserState, ApiFailure> {
        if p.get("chat_id").is_none() {
            return Err(ApiFailure::bad_request(crate::errors::desc::CHAT_ID_EMPTY));
        }
        p.chat_id()
            .and_then(|id| self.users.get_mut(&id))
            .ok_or_else(ApiFailure::chat_not_found)
    }

    /// The last `n` recorded method names, for panic messages.
    pub fn recent_methods(&self, n: usize) -> String {
        let start = self.requests.len().saturating_sub(n);
        let names: Vec<&str> = self.requests[start..]
            .iter()
            .map(|r| r.method.as_str())
            .collect();
        if names.is_empty() {
            "(no requests)".to_owned()
        } else {
            names.join(", ")
        }
    }
}

impl Inner {
    pub fn new(token: &str) -> Self {
        Inner {
            token: token.to_owned(),
            state: Mutex::new(State::default()),
            changed: Notify::new(),
        }
    }

    /// Locks the state (a panic elsewhere does not poison it for good).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `change` under the lock, then wakes every waiter.
    pub fn update<T>(&self, change: impl FnOnce(&mut State) -> T) -> T {
        let out = change(&mut self.lock());
        self.changed.notify_waiters();
        out
    }

    /// Re-runs `check` after every state change until it yields a value or
    /// `timeout` elapses.
    pub async fn wait_for<T>(
        &self,
        timeout: Duration,
        mut check: impl FnMut(&mut State) -> Option<T>,
    ) -> Option<T> {
        let deadline = Instant::now() + timeout;
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(found) = check(&mut self.lock()) {
                return Some(found);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return check(&mut self.lock());
            }
        }
    }
}
