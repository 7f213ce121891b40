//! The whole chat as a person sees it, for a sandbox chat page: both sides' messages, the
//! reply keyboard, and a revision that changes whenever any of it does.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use crate::simulator::Simulator;
use crate::state::State;
use crate::types::{BotMessage, ReplyKeyboard};
use crate::user::SimUser;

/// One message of a chat, from either side (edits applied, deleted ones gone).
#[derive(Clone, Debug)]
pub struct TranscriptEntry {
    pub from_bot: bool,
    pub message: BotMessage,
}

/// A chat's current state.
#[derive(Clone, Debug)]
pub struct Transcript {
    /// Changes whenever a message, edit, deletion, vote count or the reply keyboard does; a
    /// page polling for changes compares it with the last one it saw.
    pub revision: u64,
    pub entries: Vec<TranscriptEntry>,
    pub reply_keyboard: Option<ReplyKeyboard>,
}

/// A registered user, as [`Simulator::people`] lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub first_name: String,
    pub language_code: Option<String>,
}

impl SimUser {
    /// Every message in the chat in id order, both sides, with the reply keyboard.
    pub fn transcript(&self) -> Transcript {
        transcript(&self.sim.inner.lock(), self.id)
    }
}

impl Simulator {
    /// Every registered user, by id.
    pub fn people(&self) -> Vec<Person> {
        self.inner
            .lock()
            .users
            .values()
            .map(|u| Person {
                id: u.profile.id,
                first_name: u.profile.first_name.clone(),
                language_code: u.profile.language_code.clone(),
            })
            .collect()
    }

    /// A handle on an already registered user, without changing their profile.
    pub fn existing_user(&self, id: i64) -> Option<SimUser> {
        let known = self.inner.lock().users.contains_key(&id);
        known.then(|| SimUser::new(self.clone(), id))
    }

    /// Forgets every user and chat (a sandbox reset). Updates the bot has not fetched yet are
    /// dropped too, so nothing from a forgotten chat arrives afterwards.
    pub fn clear_chats(&self) {
        self.inner.update(|state| {
            state.users.clear();
            state.polls.clear();
            state.callbacks.clear();
            state.updates.clear();
        });
    }
}

fn transcript(state: &State, id: i64) -> Transcript {
    let user = state.user(id);
    let entries: Vec<TranscriptEntry> = user
        .messages
        .values()
        .map(|m| TranscriptEntry {
            from_bot: m.from_bot,
            message: m.view(m.raw.get("edit_date").is_some()),
        })
        .collect();
    let mut hasher = DefaultHasher::new();
    for entry in &entries {
        entry.message.raw.to_string().hash(&mut hasher);
    }
    user.reply_keyboard
        .as_ref()
        .map(ToString::to_string)
        .hash(&mut hasher);
    Transcript {
        revision: hasher.finish(),
        entries,
        reply_keyboard: user.reply_keyboard.as_ref().map(ReplyKeyboard::from_raw),
    }
}
