//! Request parameters, whatever encoding they arrived in (JSON, multipart, form).

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::files::percent_decode;

/// Fields that hold JSON objects or arrays; multipart and form bodies send them
/// as JSON strings.
const JSON_FIELDS: &[&str] = &[
    "reply_markup",
    "entities",
    "caption_entities",
    "options",
    "allowed_updates",
    "commands",
    "scope",
    "reply_parameters",
    "link_preview_options",
    "media",
    "explanation_entities",
    "question_entities",
    "message_ids",
];

/// A file the bot refers to in an upload method.
pub enum InputFile {
    /// Uploaded in the multipart body.
    Upload { file_name: String, bytes: Vec<u8> },
    /// An existing `file_id`.
    FileId(String),
    /// An HTTP URL Telegram would fetch.
    Url(String),
}

/// A method's parameters plus any uploaded file parts.
#[derive(Default)]
pub struct Params {
    pub fields: Map<String, Value>,
    /// Multipart file parts by part name: (file name, bytes).
    pub uploads: HashMap<String, (String, Vec<u8>)>,
}

impl Params {
    /// From a JSON body (an empty body means no parameters).
    pub fn from_json(body: &[u8]) -> Result<Self, String> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Params::default());
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(fields)) => Ok(Params {
                fields,
                ..Params::default()
            }),
            Ok(_) => Err("the request body must be a JSON object".to_owned()),
            Err(e) => Err(format!("can't parse JSON body: {e}")),
        }
    }

    /// From `a=1&b=2` (a query string or a url-encoded form body).
    pub fn add_urlencoded(&mut self, text: &str) {
        for pair in text.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = percent_decode(&key.replace('+', " "));
            let value = percent_decode(&value.replace('+', " "));
            self.add_text(key, value);
        }
    }

    /// Adds a textual field, parsing JSON-valued fields.
    pub fn add_text(&mut self, key: String, value: String) {
        let parsed = if JSON_FIELDS.contains(&key.as_str()) {
            serde_json::from_str(&value).unwrap_or(Value::String(value))
        } else {
            Value::String(value)
        };
        self.fields.insert(key, parsed);
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.get(key).filter(|v| !v.is_null())
    }

    /// An integer sent as a number or as a string of digits.
    pub fn i64(&self, key: &str) -> Option<i64> {
        match self.get(key)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }

    /// A boolean sent as `true` or `"true"`; absent is `false`.
    pub fn bool(&self, key: &str) -> bool {
        self.bool_or(key, false)
    }

    pub fn bool_or(&self, key: &str, default: bool) -> bool {
        match self.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s == "true" || s == "1",
            Some(Value::Number(n)) => n.as_i64() == Some(1),
            _ => default,
        }
    }

    pub fn chat_id(&self) -> Option<i64> {
        self.i64("chat_id")
    }

    /// The file a field names: `attach://<part>`, a URL or a file id.
    pub fn input_file(&self, key: &str) -> Option<InputFile> {
        let value = self.str(key)?;
        if let Some(part) = value.strip_prefix("attach://") {
            let (file_name, bytes) = self.uploads.get(part)?.clone();
            return Some(InputFile::Upload { file_name, bytes });
        }
        if value.starts_with("http://") || value.starts_with("https://") {
            return Some(InputFile::Url(value.to_owned()));
        }
        Some(InputFile::FileId(value.to_owned()))
    }

    /// The parameters as recorded for tests.
    pub fn to_value(&self) -> Value {
        Value::Object(self.fields.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_strings_and_json_fields() {
        let mut p = Params::default();
        p.add_urlencoded("chat_id=42&text=a+b%21&reply_markup=%7B%22x%22%3A1%7D&caption=%5Bx%5D");
        assert_eq!(p.chat_id(), Some(42));
        assert_eq!(p.str("text"), Some("a b!"));
        assert_eq!(p.get("reply_markup").unwrap()["x"], 1);
        assert_eq!(p.str("caption"), Some("[x]"));
    }
}
