//! What a [`SimUser`] observes: the bot's messages, edits and callback answers.

use std::fmt::Write as _;
use std::time::Duration;

use crate::state::State;
use crate::types::{BotMessage, CallbackAnswer, ReplyKeyboard};
use crate::user::SimUser;

/// How long `next_message` and `next_callback_answer` wait before panicking.
const DEFAULT_WAIT: Duration = Duration::from_secs(10);

impl SimUser {
    /// The next bot output to this chat not yet consumed: a new message or an
    /// edit of an earlier one, in order.
    ///
    /// # Panics
    /// After 10 s without output, showing the chat's recent messages and requests.
    pub async fn next_message(&self) -> BotMessage {
        match self.next_message_within(DEFAULT_WAIT).await {
            Some(message) => message,
            None => panic!(
                "telegram-sim: user {} got no bot message within {DEFAULT_WAIT:?}\n{}",
                self.id,
                self.report()
            ),
        }
    }

    /// Like [`SimUser::next_message`], but `None` on timeout.
    pub async fn next_message_within(&self, timeout: Duration) -> Option<BotMessage> {
        let id = self.id;
        self.sim
            .inner
            .wait_for(timeout, |state| {
                let user = state.user_mut(id);
                let next = user.outputs.get(user.consumed).cloned()?;
                user.consumed += 1;
                Some(next)
            })
            .await
    }

    /// Asserts the bot sends nothing to this chat for `dur`.
    ///
    /// # Panics
    /// As soon as there is bot output not yet consumed by `next_message`,
    /// including output that arrived before this call.
    pub async fn expect_silence(&self, dur: Duration) {
        let id = self.id;
        let unexpected = self
            .sim
            .inner
            .wait_for(dur, |state| {
                let user = state.user(id);
                user.outputs.get(user.consumed).cloned()
            })
            .await;
        if let Some(message) = unexpected {
            panic!(
                "telegram-sim: expected silence for user {id}, but the bot sent {}\n{}",
                describe(&message),
                self.report()
            );
        }
    }

    /// The bot's next answer to one of this user's callback queries, in order.
    ///
    /// # Panics
    /// After 10 s without an answer, showing recent requests.
    pub async fn next_callback_answer(&self) -> CallbackAnswer {
        match self.next_callback_answer_within(DEFAULT_WAIT).await {
            Some(answer) => answer,
            None => panic!(
                "telegram-sim: user {} got no callback answer within {DEFAULT_WAIT:?}\n{}",
                self.id,
                self.report()
            ),
        }
    }

    /// Like [`SimUser::next_callback_answer`], but `None` on timeout.
    pub async fn next_callback_answer_within(&self, timeout: Duration) -> Option<CallbackAnswer> {
        let id = self.id;
        self.sim
            .inner
            .wait_for(timeout, |state| {
                let user = state.user_mut(id);
                let next = user.answers.get(user.answers_consumed).cloned()?;
                user.answers_consumed += 1;
                Some(next)
            })
            .await
    }

    /// Every bot message in the chat as it stands now: edits applied, deleted
    /// ones removed, in message id order.
    pub fn chat(&self) -> Vec<BotMessage> {
        self.sim.inner.lock().user(self.id).bot_messages()
    }

    /// The current state of one bot message, if it exists.
    pub fn message(&self, message_id: i64) -> Option<BotMessage> {
        self.chat().into_iter().find(|m| m.message_id == message_id)
    }

    /// Ids of messages the bot deleted in this chat, in order.
    pub fn deleted_message_ids(&self) -> Vec<i64> {
        self.sim.inner.lock().user(self.id).deleted.clone()
    }

    /// The reply keyboard the bot left under this user's input field, if any.
    pub fn reply_keyboard(&self) -> Option<ReplyKeyboard> {
        let state = self.sim.inner.lock();
        state
            .user(self.id)
            .reply_keyboard
            .as_ref()
            .map(ReplyKeyboard::from_raw)
    }

    /// Whether the user currently has the bot blocked.
    pub fn is_blocked(&self) -> bool {
        self.sim.inner.lock().user(self.id).blocked
    }

    /// A readable dump of this chat's recent output and the recent requests.
    fn report(&self) -> String {
        report(&self.sim.inner.lock(), self.id)
    }
}

fn describe(message: &BotMessage) -> String {
    let kind = if message.is_edit {
        "edit of"
    } else {
        "message"
    };
    format!(
        "{kind} #{} {:?} buttons {:?}",
        message.message_id,
        message.text,
        message.button_labels()
    )
}

fn report(state: &State, user_id: i64) -> String {
    let mut out = String::new();
    let user = state.user(user_id);
    let start = user.outputs.len().saturating_sub(8);
    let _ = writeln!(out, "recent bot output to this chat (oldest first):");
    if user.outputs.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for (i, message) in user.outputs.iter().enumerate().skip(start) {
        let seen = if i < user.consumed { "seen" } else { "new " };
        let _ = writeln!(out, "  [{seen}] {}", describe(message));
    }
    let _ = writeln!(out, "recent requests (oldest first):");
    let start = state.requests.len().saturating_sub(15);
    if state.requests.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for request in &state.requests[start..] {
        let mut body = request.body.to_string();
        if body.chars().count() > 200 {
            body = body.chars().take(200).collect::<String>() + "…";
        }
        let _ = writeln!(out, "  {} {body}", request.method);
    }
    out
}
