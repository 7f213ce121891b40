//! Localised text for templates, from `locales/*/dashboard.ftl`. The language is the `qf_lang`
//! cookie (set by the language links), zh-CN by default. Dates and times are shown in the
//! county's zone and the reader's language (`2026年12月2日 17:05`), never as stored (UTC).
//! Every template has one, so it also carries what `base.html` shows on every page: the SANDBOX
//! banner.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use qingfeng_core::Language;
use qingfeng_core::i18n::{self, Args};

use crate::AppState;
use crate::session::cookie;

#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Language,
    /// `serve --sandbox`: every page says so.
    pub sandbox: bool,
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Tr {
    pub fn t(&self, id: &str) -> String {
        i18n::text(self.lang, id, None)
    }

    /// A message with arguments.
    pub fn t_args(&self, id: &str, args: &[(&'static str, String)]) -> String {
        let args = args
            .iter()
            .fold(Args::new(), |a, (name, value)| a.text(name, value.clone()));
        i18n::text(self.lang, id, Some(&args))
    }

    /// A message with one number (Fluent picks the plural form by it: "1 day", "3 days").
    pub fn t_count(&self, id: &str, name: &'static str, n: i64) -> String {
        i18n::text(self.lang, id, Some(&Args::new().with(name, n)))
    }

    /// A message id built at run time (`dash-event-<kind>`), or `fallback` when the locale has
    /// none: stored codes written by an older or newer version still read as something.
    pub fn t_or(&self, id: &str, fallback: &str) -> String {
        match i18n::lookup(self.lang, id) {
            Some(text) => text,
            None => fallback.to_owned(),
        }
    }

    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }

    /// `2026年12月2日` / `2 Dec 2026`.
    pub fn date(&self, date: NaiveDate) -> String {
        match self.lang {
            Language::ZhCn => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
            Language::En => format!(
                "{} {} {}",
                date.day(),
                MONTHS_EN[date.month0() as usize],
                date.year()
            ),
        }
    }

    /// An instant in the county's zone: `2026年12月2日 17:05` / `2 Dec 2026 17:05`.
    pub fn time(&self, tz: chrono_tz::Tz, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&tz);
        format!(
            "{} {}",
            self.date(local.date_naive()),
            local.format("%H:%M")
        )
    }

    /// A month stored as `YYYY-MM`: `2026年12月` / `Dec 2026`; anything else as it is.
    pub fn month(&self, month: &str) -> String {
        let parsed = month.split_once('-').and_then(|(y, m)| {
            let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
            (1..=12).contains(&m).then_some((y, m))
        });
        match (parsed, self.lang) {
            (Some((y, m)), Language::ZhCn) => format!("{y}年{m}月"),
            (Some((y, m)), Language::En) => format!("{} {y}", MONTHS_EN[m as usize - 1]),
            (None, _) => month.to_owned(),
        }
    }

    /// A quiz ranking period (`2026-W49` or `2026-12`): `2026年第49周` / `2026 week 49`.
    pub fn period(&self, period: &str) -> String {
        match period.split_once("-W") {
            Some((y, w)) if y.parse::<i32>().is_ok() && w.parse::<u32>().is_ok() => {
                let w: u32 = w.parse().unwrap_or_default();
                self.t_args(
                    "dash-week",
                    &[("year", y.to_owned()), ("week", w.to_string())],
                )
            }
            _ => self.month(period),
        }
    }
}

impl FromRequestParts<AppState> for Tr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Tr::from_headers(&parts.headers, state.sandbox.is_some()))
    }
}

impl Tr {
    pub fn from_headers(headers: &axum::http::HeaderMap, sandbox: bool) -> Tr {
        let lang = cookie(headers, "qf_lang")
            .and_then(|tag| tag.parse().ok())
            .unwrap_or(Language::ZhCn);
        Tr { lang, sandbox }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_local_and_in_the_readers_language() {
        let zh = Tr {
            lang: Language::ZhCn,
            sandbox: false,
        };
        let en = Tr {
            lang: Language::En,
            sandbox: false,
        };
        // 09:05 UTC is 17:05 in Beijing.
        let at = "2026-12-02T09:05:00Z".parse().unwrap();
        assert_eq!(
            zh.time(chrono_tz::Asia::Shanghai, at),
            "2026年12月2日 17:05"
        );
        assert_eq!(en.time(chrono_tz::Asia::Shanghai, at), "2 Dec 2026 17:05");
        assert_eq!(zh.month("2026-03"), "2026年3月");
        assert_eq!(zh.period("2026-W49"), "2026年第49周");
        assert_eq!(en.period("2026-W49"), "2026 week 49");
        assert_eq!(en.t_count("dash-badge-overdue", "days", 1), "1 day overdue");
        assert_eq!(
            en.t_count("dash-badge-overdue", "days", 3),
            "3 days overdue"
        );
        assert_eq!(zh.t_count("dash-badge-overdue", "days", 3), "逾期 3 天");
    }
}
