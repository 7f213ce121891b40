use chrono::{DateTime, Utc};

use super::{Audience, Language, RegionCode, UnifiedCreditCode};

/// An enterprise's name as the owner typed it: trimmed, 2 to 100 characters, one line.
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
    pub const MAX_CHARS: usize = 100;

    pub fn parse(input: &str) -> Result<Self, EnterpriseNameError> {
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
        EnterpriseName::parse(&s)
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
            EnterpriseName::parse("a\nb"),
            Err(EnterpriseNameError::ControlCharacters)
        );
    }
}
