//! Localised text from the Fluent files in `locales/` (zh-CN first, en second), embedded in
//! the binary at compile time. Isolation marks are off: U+2068/U+2069 around every variable
//! show up as noise in Chinese chat clients.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

use crate::domain::Language;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "../locales",
        fallback_language: "zh-CN",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ZH_CN: LanguageIdentifier = langid!("zh-CN");
static EN: LanguageIdentifier = langid!("en");

fn langid(lang: Language) -> &'static LanguageIdentifier {
    match lang {
        Language::ZhCn => &ZH_CN,
        Language::En => &EN,
    }
}

/// Named arguments for a message.
#[derive(Default)]
pub struct Args(HashMap<Cow<'static, str>, FluentValue<'static>>);

impl Args {
    pub fn new() -> Self {
        Args::default()
    }

    pub fn with(mut self, name: &'static str, value: impl Into<FluentValue<'static>>) -> Self {
        self.0.insert(Cow::Borrowed(name), value.into());
        self
    }

    pub fn text(self, name: &'static str, value: impl Into<String>) -> Self {
        self.with(name, FluentValue::String(Cow::Owned(value.into())))
    }

    /// An argument whose name is only known at run time (e.g. read back from a stored notice).
    pub fn named(mut self, name: String, value: String) -> Self {
        self.0
            .insert(Cow::Owned(name), FluentValue::String(Cow::Owned(value)));
        self
    }
}

/// The message `id` in `lang`. A missing message is a bug the locale tests catch; at run time
/// it is logged and the id shown, rather than failing the conversation.
pub fn text(lang: Language, id: &str, args: Option<&Args>) -> String {
    match LOCALES.try_lookup_complete(langid(lang), id, args.map(|a| &a.0)) {
        Some(text) => text,
        None => {
            tracing::error!(
                message_id = id,
                language = lang.tag(),
                "missing localised message"
            );
            id.to_owned()
        }
    }
}

/// The message `id` in `lang` if the locale has it: for ids built from stored codes, whose
/// caller shows something else when a code has no message.
pub fn lookup(lang: Language, id: &str) -> Option<String> {
    LOCALES.try_lookup_complete(langid(lang), id, None)
}

#[cfg(test)]
mod tests;
