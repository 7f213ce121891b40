use std::fmt;
use std::str::FromStr;

use super::{Language, LocalizedText};

/// A stable code for a township or village: lower-case ASCII letters, digits and `-`,
/// at most 24 characters, so it fits in callback data and deep-link payloads.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

pub const REGION_CODE_MAX_LEN: usize = 24;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a region code: use 1 to 24 lower-case letters, digits or `-`, starting with a letter"
)]
pub struct RegionCodeError(pub String);

impl RegionCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for RegionCode {
    type Err = RegionCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = !s.is_empty()
            && s.len() <= REGION_CODE_MAX_LEN
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(RegionCode(s.to_owned()))
        } else {
            Err(RegionCodeError(s.to_owned()))
        }
    }
}

impl TryFrom<String> for RegionCode {
    type Error = RegionCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<RegionCode> for String {
    fn from(code: RegionCode) -> String {
        code.0
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 镇 (town) or 乡 (township): both are township-level and handled alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TownshipKind {
    Town,
    Township,
}

impl TownshipKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TownshipKind::Town => "town",
            TownshipKind::Township => "township",
        }
    }
}

impl FromStr for TownshipKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "town" => Ok(TownshipKind::Town),
            "township" => Ok(TownshipKind::Township),
            other => Err(format!("unknown township kind `{other}`")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Township {
    pub code: RegionCode,
    pub name: LocalizedText,
    pub kind: TownshipKind,
}

/// A village's name as a household typed it, when the list did not have it.
pub type VillageName = super::BoundedText<2, 30>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Village {
    pub code: RegionCode,
    pub township: RegionCode,
    pub name: LocalizedText,
}

impl Township {
    pub fn name(&self, lang: Language) -> &str {
        self.name.get(lang)
    }
}

impl Village {
    pub fn name(&self, lang: Language) -> &str {
        self.name.get(lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_codes_are_short_slugs() {
        assert!("baofeng".parse::<RegionCode>().is_ok());
        assert!("baofeng-longjing2".parse::<RegionCode>().is_ok());
        for bad in [
            "",
            "Baofeng",
            "1abc",
            "bao feng",
            "宝丰",
            "a_b",
            &"a".repeat(25),
        ] {
            assert!(bad.parse::<RegionCode>().is_err(), "{bad} accepted");
        }
    }
}
