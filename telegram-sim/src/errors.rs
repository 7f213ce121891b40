//! Telegram error envelopes and the errors tests can inject.

use serde_json::{Value, json};

/// Exact descriptions Telegram uses (teloxide maps several of them to `ApiError` variants).
pub mod desc {
    pub const UNAUTHORIZED: &str = "Unauthorized";
    pub const METHOD_NOT_FOUND: &str = "Not Found: method not found";
    pub const BLOCKED: &str = "Forbidden: bot was blocked by the user";
    pub const CHAT_NOT_FOUND: &str = "Bad Request: chat not found";
    pub const NOT_MODIFIED: &str = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
    pub const EDIT_NOT_FOUND: &str = "Bad Request: message to edit not found";
    pub const DELETE_NOT_FOUND: &str = "Bad Request: message to delete not found";
    pub const CANT_BE_EDITED: &str = "Bad Request: message can't be edited";
    pub const NO_TEXT_TO_EDIT: &str = "Bad Request: there is no text in the message to edit";
    pub const QUERY_INVALID: &str =
        "Bad Request: query is too old and response timeout expired or query ID is invalid";
    pub const TOO_LONG: &str = "Bad Request: message is too long";
    pub const CAPTION_TOO_LONG: &str = "Bad Request: message caption is too long";
    pub const TEXT_EMPTY: &str = "Bad Request: message text is empty";
    pub const BUTTON_DATA_INVALID: &str = "Bad Request: BUTTON_DATA_INVALID";
    // The two reply-keyboard refusals are this fake's wording: only their 400 matters to a bot.
    pub const KEYBOARD_INVALID: &str =
        "Bad Request: field \"keyboard\" of the ReplyKeyboardMarkup must be an Array of Arrays";
    pub const KEYBOARD_BUTTON_TEXT_EMPTY: &str = "Bad Request: keyboard button text is empty";
    pub const CANT_PARSE_ENTITIES: &str = "Bad Request: can't parse entities: ";
    pub const INVALID_FILE_ID: &str = "Bad Request: invalid file_id";
    pub const WRONG_FILE: &str = "Bad Request: wrong file identifier/HTTP URL specified";
    pub const POLL_FEW_OPTIONS: &str = "Bad Request: poll must have at least 2 option";
    pub const POLL_MANY_OPTIONS: &str = "Bad Request: poll can't have more than 12 options";
    pub const POLL_NOT_FOUND: &str = "Bad Request: message with poll to stop not found";
    pub const POLL_CLOSED: &str = "Bad Request: poll has already been closed";
    pub const CHAT_ID_EMPTY: &str = "Bad Request: chat_id is empty";
}

/// An error a test queues with [`crate::Simulator::inject_error`]; the next matching
/// request receives it instead of succeeding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InjectedError {
    /// 429 with `parameters.retry_after` (teloxide: `RequestError::RetryAfter`).
    TooManyRequests { retry_after: u32 },
    /// 403 "Forbidden: bot was blocked by the user" (teloxide: `ApiError::BotBlocked`).
    Blocked,
    /// 400 "Bad Request: chat not found" (teloxide: `ApiError::ChatNotFound`).
    ChatNotFound,
    /// A real HTTP 5xx status with an error envelope. teloxide sleeps about 10 s
    /// before reading a 5xx body, so use it sparingly.
    ServerError(u16),
}

/// A failed Bot API call: the envelope fields plus the HTTP status to answer with.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiFailure {
    pub error_code: u16,
    pub description: String,
    pub parameters: Option<Value>,
    pub http_status: u16,
}

impl ApiFailure {
    /// An error answered with HTTP 200, as teloxide expects.
    pub fn new(error_code: u16, description: impl Into<String>) -> Self {
        Self {
            error_code,
            description: description.into(),
            parameters: None,
            http_status: 200,
        }
    }

    pub fn bad_request(description: &str) -> Self {
        Self::new(400, description)
    }

    pub fn blocked() -> Self {
        Self::new(403, desc::BLOCKED)
    }

    pub fn chat_not_found() -> Self {
        Self::bad_request(desc::CHAT_NOT_FOUND)
    }

    pub fn cant_parse_entities(detail: &str) -> Self {
        Self::new(400, format!("{}{detail}", desc::CANT_PARSE_ENTITIES))
    }

    /// The `{"ok":false,...}` envelope.
    pub fn envelope(&self) -> Value {
        let mut body = json!({
            "ok": false,
            "error_code": self.error_code,
            "description": self.description,
        });
        if let Some(parameters) = &self.parameters {
            body["parameters"] = parameters.clone();
        }
        body
    }
}

impl From<&InjectedError> for ApiFailure {
    fn from(error: &InjectedError) -> Self {
        match error {
            InjectedError::TooManyRequests { retry_after } => ApiFailure {
                parameters: Some(json!({ "retry_after": retry_after })),
                ..ApiFailure::new(429, format!("Too Many Requests: retry after {retry_after}"))
            },
            InjectedError::Blocked => ApiFailure::blocked(),
            InjectedError::ChatNotFound => ApiFailure::chat_not_found(),
            InjectedError::ServerError(status) => {
                let description = match status {
                    502 => "Bad Gateway",
                    503 => "Service Unavailable",
                    504 => "Gateway Timeout",
                    _ => "Internal Server Error",
                };
                ApiFailure {
                    http_status: *status,
                    ..ApiFailure::new(*status, description)
                }
            }
        }
    }
}

/// An injected error waiting for its request.
#[derive(Clone, Debug)]
pub struct Injection {
    /// Lower-cased method name.
    pub method: String,
    pub chat_id: Option<i64>,
    pub error: InjectedError,
}

impl Injection {
    pub fn matches(&self, method_lower: &str, chat_id: Option<i64>) -> bool {
        self.method == method_lower && (self.chat_id.is_none() || self.chat_id == chat_id)
    }
}
