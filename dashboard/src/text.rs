//! Localised text for templates, from `locales/*/dashboard.ftl`. The language is the `qf_lang`
//! cookie (set by the language links), zh-CN by default. Every template has one, so it also
//! carries what `base.html` shows on every page: the SANDBOX banner.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use qingfeng_core::Language;
use qingfeng_core::i18n;

use crate::AppState;
use crate::session::cookie;

#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Language,
    /// `serve --sandbox`: every page says so.
    pub sandbox: bool,
}

impl Tr {
    pub fn t(&self, id: &str) -> String {
        i18n::text(self.lang, id, None)
    }

    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }
}

impl FromRequestParts<AppState> for Tr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = cookie(&parts.headers, "qf_lang")
            .and_then(|tag| tag.parse().ok())
            .unwrap_or(Language::ZhCn);
        Ok(Tr {
            lang,
            sandbox: state.sandbox.is_some(),
        })
    }
}
