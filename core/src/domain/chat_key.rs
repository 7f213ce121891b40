//! The key a chat's rows (dialogue state, chosen language) are stored under: a keyed hash of
//! the chat id, so a copy of the database without the key cannot tell whose rows they are.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ChatKey(String);

impl ChatKey {
    /// Only the keyring makes these (`ReportKeys::chat_key`).
    pub(crate) fn new(hash: String) -> ChatKey {
        ChatKey(hash)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ChatKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChatKey({})", self.0)
    }
}
