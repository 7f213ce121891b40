use chrono::{DateTime, Utc};

use super::{Audience, Language, RegionCode, UnifiedCreditCode};

/// An enterprise's name as the owner typed it: trimmed, one line, 4 to 100 characters with at
/// least two letters (汉字 or Latin) — a registered name such as 竹山县某某农业有限公司, not
/// "好的" or "123" typed at the wrong prompt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EnterpriseName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnterpriseNameError {
    #[error("the name is too short")]
    TooShort,
    #[error("the name is too long (at most 100 characters)")]
    TooLong,
    #[error("the name must be one line of text")]
    ControlCharacters,
}

impl EnterpriseName {
    pub const MIN_CHARS: usize = 4;
    pub const MAX_CHARS: usize = 100;

    /// A name as typed now.
    pub fn parse(input: &str) -> Result<Self, EnterpriseNameError> {
        let name = input.trim();
        let letters = name.chars().filter(|c| c.is_alphabetic()).count();
        if name.chars().count() < Self::MIN_CHARS || letters < 2 {
            return Err(EnterpriseNameError::TooShort);
        }
        Self::from_stored(name)
    }

    /// A name stored earlier, when two characters were enough: still read back as it is.
    pub fn from_stored(input: &str) -> Result<Self, EnterpriseNameError> {
        let name = input.trim();
        let chars = name.chars().count();
        if chars < 2 {
            Err(EnterpriseNameError::TooShort)
        } else if chars > Self::MAX_CHARS {
            Err(EnterpriseNameError::TooLong)
        } else if name.chars().any(char::is_control) {
            Err(EnterpriseNameError::ControlCharacters)
        } else {
            Ok(EnterpriseName(name.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EnterpriseName {
    type Error = EnterpriseNameError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        EnterpriseName::from_stored(&s)
    }
}

impl From<EnterpriseName> for String {
    fn from(name: EnterpriseName) -> String {
        name.0
    }
}

/// What a subscriber told us about themselves. An enterprise always has a name; a household
/// never has one. The village is optional because content may not list every village yet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "audience", rename_all = "snake_case")]
pub enum Profile {
    Enterprise {
        township: RegionCode,
        name: EnterpriseName,
        credit_code: Option<UnifiedCreditCode>,
    },
    Household {
        township: RegionCode,
        village: Option<RegionCode>,
    },
}

impl Profile {
    pub fn audience(&self) -> Audience {
        match self {
            Profile::Enterprise { .. } => Audience::Enterprise,
            Profile::Household { .. } => Audience::Household,
        }
    }

    pub fn township(&self) -> &RegionCode {
        match self {
            Profile::Enterprise { township, .. } | Profile::Household { township, .. } => township,
        }
    }
}

/// A subscription as onboarding completes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscriber {
    pub chat_id: i64,
    pub language: Language,
    pub profile: Profile,
}

/// A stored subscriber. `active` is false after `/stop` or when Telegram reports the bot blocked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    pub id: i64,
    pub chat_id: i64,
    pub language: Language,
    pub profile: Profile,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enterprise_names_are_trimmed_and_bounded() {
        assert_eq!(
            EnterpriseName::parse("  竹山县某某建材有限公司 ")
                .unwrap()
                .as_str(),
            "竹山县某某建材有限公司"
        );
        assert_eq!(
            EnterpriseName::parse("甲"),
            Err(EnterpriseNameError::TooShort)
        );
        assert_eq!(
            EnterpriseName::parse(&"企".repeat(101)),
            Err(EnterpriseNameError::TooLong)
        );
        assert_eq!(
            EnterpriseName::parse("某某公司\n有限"),
            Err(EnterpriseNameError::ControlCharacters)
        );
    }

    #[test]
    fn an_answer_typed_at_the_wrong_prompt_is_not_taken_as_a_name() {
        for typed in ["好的", "是", "1234", "13800138000", "？？？？", "A-1 "] {
            assert_eq!(
                EnterpriseName::parse(typed),
                Err(EnterpriseNameError::TooShort),
                "{typed}"
            );
        }
        for name in ["老王面馆", "Acme", "竹山县绿松石工艺品有限公司"] {
            assert!(EnterpriseName::parse(name).is_ok(), "{name}");
        }
        // Names stored when two characters were enough still load.
        assert_eq!(
            EnterpriseName::from_stored("华为").unwrap().as_str(),
            "华为"
        );
    }
}
