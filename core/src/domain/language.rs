use std::fmt;
use std::str::FromStr;

/// A language the service speaks. zh-CN is the default everywhere.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Language {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::ZhCn, Language::En];

    /// The tag used for locale folders, the database and configuration.
    pub fn tag(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }

    /// Maps Telegram's `language_code` (an IETF tag of the user's app language, possibly
    /// absent) on its primary subtag: `zh-hans`, `zh-TW`, `zh` → zh-CN; `en-GB` → en.
    /// Anything else falls back to `default`.
    pub fn from_telegram(code: Option<&str>, default: Language) -> Language {
        let primary = code
            .and_then(|c| c.split(['-', '_']).next())
            .map(str::to_ascii_lowercase);
        match primary.as_deref() {
            Some("zh") => Language::ZhCn,
            Some("en") => Language::En,
            _ => default,
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl FromStr for Language {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "zh-cn" | "zh" => Ok(Language::ZhCn),
            "en" => Ok(Language::En),
            _ => Err(format!("unknown language `{s}`, expected `zh-CN` or `en`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telegram_codes_map_on_the_primary_subtag() {
        for code in ["zh-hans", "zh-hant", "zh-cn", "zh-TW", "zh", "ZH-Hans"] {
            assert_eq!(
                Language::from_telegram(Some(code), Language::En),
                Language::ZhCn
            );
        }
        for code in ["en", "en-us", "en-GB", "EN"] {
            assert_eq!(
                Language::from_telegram(Some(code), Language::ZhCn),
                Language::En
            );
        }
        assert_eq!(
            Language::from_telegram(Some("ru"), Language::ZhCn),
            Language::ZhCn
        );
        assert_eq!(Language::from_telegram(None, Language::En), Language::En);
        assert_eq!(
            Language::from_telegram(Some(""), Language::ZhCn),
            Language::ZhCn
        );
    }

    #[test]
    fn tags_round_trip() {
        for lang in Language::ALL {
            assert_eq!(lang.tag().parse::<Language>().unwrap(), lang);
        }
        assert!("fr".parse::<Language>().is_err());
    }
}

/// A text in both languages: a campaign's message, or the name of a township, village,
/// category, desk or body. The one place that picks a language's version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LocalizedText {
    pub zh: String,
    pub en: String,
}

impl LocalizedText {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> LocalizedText {
        LocalizedText {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::ZhCn => &self.zh,
            Language::En => &self.en,
        }
    }
}
