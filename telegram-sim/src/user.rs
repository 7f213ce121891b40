//! [`SimUser`]: a simulated person in a private chat; what they send to the bot.

use serde_json::{Map, Value, json};

use crate::shapes::{chat_instance, command_entities};
use crate::simulator::Simulator;
use crate::state::{CallbackInfo, State, StoredMessage};
use crate::types::BotMessage;

/// A simulated user. Actions enqueue updates for the bot's next getUpdates;
/// the inspection methods (see `chat_view.rs`) read what the bot sent back.
#[derive(Clone)]
pub struct SimUser {
    pub(crate) sim: Simulator,
    pub(crate) id: i64,
}

impl SimUser {
    pub(crate) fn new(sim: Simulator, id: i64) -> Self {
        SimUser { sim, id }
    }

    /// The user id (also the private chat id).
    pub fn id(&self) -> i64 {
        self.id
    }

    /// Enqueues a `message` update with the fields `content` builds; returns its id.
    fn send(&self, content: impl FnOnce(&mut State) -> Map<String, Value>) -> i64 {
        self.sim.inner.update(|state| {
            let fields = content(state);
            let user = state.user_mut(self.id);
            let message_id = user.take_message_id();
            let mut message = user.profile.message_base(message_id);
            message.extend(fields);
            let message = Value::Object(message);
            user.messages.insert(
                message_id,
                StoredMessage {
                    raw: message.clone(),
                    from_bot: false,
                    parse_mode: None,
                },
            );
            state.updates.push("message", message);
            message_id
        })
    }

    /// Sends a text message (with a `bot_command` entity when it starts with '/').
    pub fn send_text(&self, text: &str) -> i64 {
        self.send(|_| {
            let mut fields = Map::new();
            fields.insert("text".into(), json!(text));
            if let Some(entities) = command_entities(text) {
                fields.insert("entities".into(), entities);
            }
            fields
        })
    }

    /// Sends a photo (downloadable through getFile), with an optional caption.
    pub fn send_photo(&self, bytes: Vec<u8>, caption: Option<&str>) -> i64 {
        self.send(|state| {
            let size = bytes.len();
            let file = state.files.add_auto("PHO", "photos", "jpg", bytes);
            let mut fields = Map::new();
            let photo = json!([{
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "file_size": size,
                "width": 1280,
                "height": 960,
            }]);
            fields.insert("photo".into(), photo);
            if let Some(caption) = caption {
                fields.insert("caption".into(), json!(caption));
            }
            fields
        })
    }

    /// Sends a document (downloadable through getFile).
    pub fn send_document(&self, file_name: &str, mime: &str, bytes: Vec<u8>) -> i64 {
        let size = bytes.len() as u64;
        self.send_document_of_size(file_name, mime, bytes, size)
    }

    /// Sends a document whose `file_size` says `declared_size` bytes, as Telegram reports a
    /// large upload (without the test holding that many bytes).
    pub fn send_document_of_size(
        &self,
        file_name: &str,
        mime: &str,
        bytes: Vec<u8>,
        declared_size: u64,
    ) -> i64 {
        self.send(|state| {
            let size = declared_size;
            let ext = crate::files::extension(file_name);
            let file = state.files.add_auto("DOC", "documents", &ext, bytes);
            let mut fields = Map::new();
            let document = json!({
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "file_name": file_name,
                "mime_type": mime,
                "file_size": size,
            });
            fields.insert("document".into(), document);
            fields
        })
    }

    /// Sends a voice note of `duration` seconds (downloadable through getFile).
    pub fn send_voice(&self, bytes: Vec<u8>, duration: u32) -> i64 {
        self.send(|state| {
            let size = bytes.len();
            let file = state.files.add_auto("VOI", "voice", "oga", bytes);
            let mut fields = Map::new();
            let voice = json!({
                "duration": duration,
                "mime_type": "audio/ogg",
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "file_size": size,
            });
            fields.insert("voice".into(), voice);
            fields
        })
    }

    /// Sends a video of `duration` seconds whose `file_size` says `declared_size` bytes (a
    /// phone's recording can be larger than the test holds). Shaped as the Bot API's `Video`.
    pub fn send_video(&self, bytes: Vec<u8>, duration: u32, declared_size: u64) -> i64 {
        self.send(|state| {
            let file = state.files.add_auto("VID", "videos", "mp4", bytes);
            let mut fields = Map::new();
            let video = json!({
                "duration": duration,
                "width": 1280,
                "height": 720,
                "file_name": "VID_20261001.mp4",
                "mime_type": "video/mp4",
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "file_size": declared_size,
            });
            fields.insert("video".into(), video);
            fields
        })
    }

    /// Presses a button of the reply keyboard under the input field: Telegram sends its label
    /// as an ordinary text message.
    ///
    /// # Panics
    /// When the bot has left no reply keyboard with that label.
    pub fn press_reply_button(&self, label: &str) -> i64 {
        let labels = self
            .reply_keyboard()
            .map(|k| k.labels())
            .unwrap_or_default();
        assert!(
            labels.iter().any(|l| l == label),
            "telegram-sim: no reply keyboard button {label:?}; the keyboard has {labels:?}"
        );
        self.send_text(label)
    }

    /// Sends a sticker (a message the bot probably does not expect).
    pub fn send_sticker(&self) -> i64 {
        self.send(|state| {
            let thumb = state
                .files
                .add_auto("STI", "thumbnails", "webp", b"thumb".to_vec());
            let file = state
                .files
                .add_auto("STI", "stickers", "webp", b"webp".to_vec());
            let mut fields = Map::new();
            let sticker = json!({
                "width": 512,
                "height": 512,
                "emoji": "👍",
                "set_name": "HotCherry",
                "is_animated": false,
                "is_video": false,
                "type": "regular",
                "thumbnail": {
                    "file_id": thumb.file_id,
                    "file_unique_id": thumb.file_unique_id,
                    "file_size": 5,
                    "width": 128,
                    "height": 128,
                },
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "file_size": 4,
            });
            fields.insert("sticker".into(), sticker);
            fields
        })
    }

    /// Sends a location.
    pub fn send_location(&self, lat: f64, lon: f64) -> i64 {
        self.send(|_| {
            let mut fields = Map::new();
            let location = json!({ "latitude": lat, "longitude": lon });
            fields.insert("location".into(), location);
            fields
        })
    }

    /// Shares the user's own contact.
    pub fn send_contact(&self, phone: &str) -> i64 {
        let id = self.id;
        self.send(|state| {
            let first_name = state.user(id).profile.first_name.clone();
            let mut fields = Map::new();
            let contact = json!({ "phone_number": phone, "first_name": first_name, "user_id": id });
            fields.insert("contact".into(), contact);
            fields
        })
    }

    /// Presses an inline button: enqueues a `callback_query` whose `message` is the
    /// bot message as it currently stands. `callback_data` need not be on the
    /// keyboard (tests forge callbacks). Returns the callback query id.
    pub fn press(&self, message: &BotMessage, callback_data: &str) -> String {
        self.sim.inner.update(|state| {
            state.next_callback += 1;
            let query_id = format!("43820000{:011}", state.next_callback);
            let user = state.user(self.id);
            let current = user
                .messages
                .get(&message.message_id)
                .map_or_else(|| message.raw.clone(), |m| m.raw.clone());
            let query = json!({
                "id": query_id,
                "from": user.profile.user_json(),
                "message": current,
                "chat_instance": chat_instance(message.chat_id),
                "data": callback_data,
            });
            state.callbacks.insert(
                query_id.clone(),
                CallbackInfo {
                    user_id: self.id,
                    answered: false,
                },
            );
            state.updates.push("callback_query", query);
            query_id
        })
    }

    /// Presses the first button whose label contains `label_contains`.
    ///
    /// # Panics
    /// When no such callback button exists, listing the labels.
    pub fn press_button(&self, message: &BotMessage, label_contains: &str) -> String {
        let Some(button) = message.find_button(label_contains) else {
            panic!(
                "telegram-sim: no button containing {label_contains:?} on message {} ({:?}); labels: {:?}",
                message.message_id,
                message.text,
                message.button_labels()
            );
        };
        let Some(data) = button.callback_data.clone() else {
            panic!(
                "telegram-sim: button {:?} on message {} has no callback_data (url: {:?})",
                button.text, message.message_id, button.url
            );
        };
        self.press(message, &data)
    }

    /// Answers a poll (a `poll_answer` update) and counts the votes on the poll.
    pub fn answer_poll(&self, poll_id: &str, option_ids: &[u32]) {
        self.sim.inner.update(|state| {
            let persistent: Option<Vec<Value>> = state.polls.get(poll_id).map(|info| {
                option_ids
                    .iter()
                    .filter_map(|i| info.persistent_ids.get(*i as usize))
                    .map(|p| json!(p))
                    .collect()
            });
            if let Some(info) = state.polls.get(poll_id) {
                let (chat, message) = (info.chat_id, info.message_id);
                let stored = state
                    .users
                    .get_mut(&chat)
                    .and_then(|u| u.messages.get_mut(&message));
                if let Some(stored) = stored {
                    count_votes(&mut stored.raw["poll"], option_ids);
                }
            }
            let mut answer = json!({
                "poll_id": poll_id,
                "user": state.user(self.id).profile.user_json(),
                "option_ids": option_ids,
            });
            if let Some(persistent) = persistent {
                answer["option_persistent_ids"] = Value::Array(persistent);
            }
            state.updates.push("poll_answer", answer);
        });
    }

    /// Blocks the bot: sets the blocked flag (every send gets 403) and enqueues a
    /// `my_chat_member` update (member → kicked).
    pub fn block_bot(&self) {
        self.set_blocked(true, "member", "kicked");
    }

    /// Unblocks the bot: clears the flag and enqueues `my_chat_member` (kicked → member).
    pub fn unblock_bot(&self) {
        self.set_blocked(false, "kicked", "member");
    }

    fn set_blocked(&self, blocked: bool, old: &str, new: &str) {
        self.sim.inner.update(|state| {
            let user = state.user_mut(self.id);
            user.blocked = blocked;
            let update = user.profile.my_chat_member(old, new);
            state.updates.push("my_chat_member", update);
        });
    }
}

fn count_votes(poll: &mut Value, option_ids: &[u32]) {
    for id in option_ids {
        if let Some(count) = poll["options"][*id as usize]["voter_count"].as_u64() {
            poll["options"][*id as usize]["voter_count"] = json!(count + 1);
        }
    }
    if let Some(total) = poll["total_voter_count"].as_u64() {
        poll["total_voter_count"] = json!(total + 1);
    }
}
