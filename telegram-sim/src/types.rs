//! Public value types tests inspect: bot messages, buttons, callback answers, requests.

use serde_json::Value;

/// One request the bot made, in arrival order.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// Canonical lowerCamelCase method name, e.g. `"sendMessage"`.
    pub method: String,
    /// The parameters as JSON. Multipart fields arrive as strings; nested objects
    /// (`reply_markup`, ...) are parsed back into JSON; uploaded files appear as
    /// `"attach://<name>"`.
    pub body: Value,
    /// When it arrived (tests of back-off check the gaps).
    pub at: std::time::Instant,
}

/// A message the bot sent (or its edited version), as the user sees it.
#[derive(Clone, Debug)]
pub struct BotMessage {
    pub message_id: i64,
    pub chat_id: i64,
    /// Text, caption or poll question; HTML tags stripped when `parse_mode` was HTML.
    pub text: String,
    /// The inline keyboard, row by row.
    pub buttons: Vec<Vec<Button>>,
    /// `true` when this output is an edit of an earlier message.
    pub is_edit: bool,
    pub protect_content: bool,
    pub parse_mode: Option<String>,
    /// The `Message` object exactly as returned to the bot.
    pub raw: Value,
}

/// One inline keyboard button.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Button {
    pub text: String,
    pub callback_data: Option<String>,
    pub url: Option<String>,
}

/// The reply keyboard under a user's input field (`ReplyKeyboardMarkup`).
#[derive(Clone, Debug, PartialEq)]
pub struct ReplyKeyboard {
    /// Button labels, row by row.
    pub rows: Vec<Vec<String>>,
    pub is_persistent: bool,
    pub resize_keyboard: bool,
    pub one_time_keyboard: bool,
    /// The markup exactly as the bot sent it.
    pub raw: Value,
}

impl ReplyKeyboard {
    pub(crate) fn from_raw(raw: &Value) -> Self {
        let rows = raw["keyboard"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|row| {
                row.as_array()
                    .into_iter()
                    .flatten()
                    .map(|b| {
                        b.as_str()
                            .or_else(|| b["text"].as_str())
                            .unwrap_or_default()
                    })
                    .map(str::to_owned)
                    .collect()
            })
            .collect();
        let flag = |key: &str| raw[key].as_bool().unwrap_or(false);
        ReplyKeyboard {
            rows,
            is_persistent: flag("is_persistent"),
            resize_keyboard: flag("resize_keyboard"),
            one_time_keyboard: flag("one_time_keyboard"),
            raw: raw.clone(),
        }
    }

    /// Every label, row by row.
    pub fn labels(&self) -> Vec<String> {
        self.rows.iter().flatten().cloned().collect()
    }
}

/// The bot's answer to a callback query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallbackAnswer {
    pub callback_query_id: String,
    pub text: Option<String>,
    pub show_alert: bool,
}

impl BotMessage {
    /// Builds the view of a stored `Message` object.
    pub(crate) fn from_raw(raw: &Value, parse_mode: Option<String>, is_edit: bool) -> Self {
        let text = raw["text"]
            .as_str()
            .or_else(|| raw["caption"].as_str())
            .or_else(|| raw["poll"]["question"].as_str())
            .unwrap_or_default()
            .to_owned();
        BotMessage {
            message_id: raw["message_id"].as_i64().unwrap_or_default(),
            chat_id: raw["chat"]["id"].as_i64().unwrap_or_default(),
            text,
            buttons: buttons_of(&raw["reply_markup"]),
            is_edit,
            protect_content: raw["has_protected_content"].as_bool().unwrap_or(false),
            parse_mode,
            raw: raw.clone(),
        }
    }

    /// Every button label, row by row.
    pub fn button_labels(&self) -> Vec<String> {
        self.buttons
            .iter()
            .flatten()
            .map(|b| b.text.clone())
            .collect()
    }

    /// Every button's `callback_data` (buttons without one are skipped).
    pub fn callback_data(&self) -> Vec<String> {
        self.buttons
            .iter()
            .flatten()
            .filter_map(|b| b.callback_data.clone())
            .collect()
    }

    /// Whether some button's label contains `label_contains`.
    pub fn has_button(&self, label_contains: &str) -> bool {
        self.find_button(label_contains).is_some()
    }

    /// The first button whose label contains `label_contains`.
    pub fn find_button(&self, label_contains: &str) -> Option<&Button> {
        self.buttons
            .iter()
            .flatten()
            .find(|b| b.text.contains(label_contains))
    }
}

/// Parses the buttons of an `inline_keyboard` reply markup (anything else: none).
pub(crate) fn buttons_of(markup: &Value) -> Vec<Vec<Button>> {
    let Some(rows) = markup["inline_keyboard"].as_array() else {
        return Vec::new();
    };
    rows.iter()
        .map(|row| {
            row.as_array()
                .into_iter()
                .flatten()
                .map(|b| Button {
                    text: b["text"].as_str().unwrap_or_default().to_owned(),
                    callback_data: b["callback_data"].as_str().map(str::to_owned),
                    url: b["url"].as_str().map(str::to_owned),
                })
                .collect()
        })
        .collect()
}
