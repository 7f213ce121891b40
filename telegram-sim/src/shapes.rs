//! Builders for the JSON objects Telegram sends (users, chats, messages).
//!
//! Every shape mirrors a sample in `samples/` (`tests/samples.rs` checks them); field
//! order and presence matter to teloxide's deserializer, so keep them in sync.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

/// The simulated bot's user id.
pub const BOT_ID: i64 = 7_000_000_001;
/// The simulated bot's first name.
pub const BOT_FIRST_NAME: &str = "Qingfeng";
/// The simulated bot's username (without `@`).
pub const BOT_USERNAME: &str = "qingfeng_test_bot";

/// Current Unix time in seconds.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The bot as a `User` (the `from` of bot messages).
pub fn bot_user() -> Value {
    json!({
        "id": BOT_ID,
        "is_bot": true,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
    })
}

/// The answer to `getMe`.
pub fn get_me() -> Value {
    json!({
        "id": BOT_ID,
        "is_bot": true,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
        "can_join_groups": true,
        "can_read_all_group_messages": false,
        "supports_inline_queries": false,
        "can_connect_to_business": false,
        "has_main_web_app": false,
    })
}

/// A simulated human user's profile.
#[derive(Clone, Debug)]
pub struct Profile {
    pub id: i64,
    pub first_name: String,
    pub language_code: Option<String>,
}

impl Profile {
    /// The user as a `User` object.
    pub fn user_json(&self) -> Value {
        let mut user = json!({
            "id": self.id,
            "is_bot": false,
            "first_name": self.first_name,
        });
        if let Some(lang) = &self.language_code {
            user["language_code"] = json!(lang);
        }
        user
    }

    /// The private chat with this user (chat id == user id).
    pub fn chat_json(&self) -> Value {
        json!({
            "id": self.id,
            "type": "private",
            "first_name": self.first_name,
        })
    }

    /// A `Message` sent by this user, before its content fields are added.
    pub fn message_base(&self, message_id: i64) -> Map<String, Value> {
        let mut msg = Map::new();
        msg.insert("message_id".into(), json!(message_id));
        msg.insert("from".into(), self.user_json());
        msg.insert("chat".into(), self.chat_json());
        msg.insert("date".into(), json!(now()));
        msg
    }

    /// A `Message` sent by the bot into this user's chat, before content fields.
    pub fn bot_message_base(&self, message_id: i64) -> Map<String, Value> {
        let mut msg = Map::new();
        msg.insert("message_id".into(), json!(message_id));
        msg.insert("from".into(), bot_user());
        msg.insert("chat".into(), self.chat_json());
        msg.insert("date".into(), json!(now()));
        msg
    }

    /// A `ChatMemberUpdated` for the bot in this private chat.
    pub fn my_chat_member(&self, old_status: &str, new_status: &str) -> Value {
        let member = |status: &str| {
            let mut m = json!({ "user": bot_user(), "status": status });
            if status == "kicked" {
                m["until_date"] = json!(0);
            }
            m
        };
        json!({
            "chat": self.chat_json(),
            "from": self.user_json(),
            "date": now(),
            "old_chat_member": member(old_status),
            "new_chat_member": member(new_status),
        })
    }
}

/// `bot_command` entity for a text starting with '/', as Telegram adds it.
pub fn command_entities(text: &str) -> Option<Value> {
    if !text.starts_with('/') {
        return None;
    }
    let command = text.split(char::is_whitespace).next().unwrap_or(text);
    if command.len() < 2 {
        return None;
    }
    let length = command.encode_utf16().count();
    Some(json!([{ "type": "bot_command", "offset": 0, "length": length }]))
}

/// A stable `chat_instance` for callback queries from a private chat.
pub fn chat_instance(chat_id: i64) -> String {
    let mixed = (chat_id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 2;
    format!("-{mixed}")
}
