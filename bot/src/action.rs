//! Callback data: what a button asks for. Parsed strictly, because callback data comes back
//! from the client and may be stale or forged. Every encoding fits Telegram's 64 bytes.

use std::fmt;
use std::str::FromStr;

use qingfeng_core::Language;
use qingfeng_core::domain::{Audience, RegionCode};

use crate::onboarding::Detail;
use crate::report::ReportAction;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Audience(Audience),
    Township(RegionCode),
    TownshipPage(usize),
    Village(RegionCode),
    VillageNotListed,
    VillagePage(usize),
    Skip,
    Confirm,
    Restart,
    Back,
    Cancel,
    SetLanguage(Language),
    /// Sign up again from the start (`/me`'s buttons before single details could be changed).
    EditProfile,
    /// Change one detail of the sign-up.
    EditDetail(Detail),
    Unsubscribe,
    Resubscribe,
    /// "Got it" under a reminder: the delivery's id.
    Acknowledge(i64),
    /// `/quiz` from a button (a scheduled quiz invitation).
    StartQuiz,
    /// An answer: attempt, question position, option index.
    QuizAnswer {
        attempt: i64,
        position: usize,
        option: usize,
    },
    /// A button of the report flow (`rp:…`).
    Report(ReportAction),
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Audience(a) => write!(f, "aud:{a}"),
            Action::Township(code) => write!(f, "town:{code}"),
            Action::TownshipPage(page) => write!(f, "tpage:{page}"),
            Action::Village(code) => write!(f, "vil:{code}"),
            Action::VillageNotListed => f.write_str("vil:-"),
            Action::VillagePage(page) => write!(f, "vpage:{page}"),
            Action::Skip => f.write_str("skip"),
            Action::Confirm => f.write_str("confirm"),
            Action::Restart => f.write_str("restart"),
            Action::Back => f.write_str("back"),
            Action::Cancel => f.write_str("cancel"),
            Action::SetLanguage(lang) => write!(f, "lang:{lang}"),
            Action::EditProfile => f.write_str("me:edit"),
            Action::EditDetail(detail) => write!(f, "me:edit:{}", detail.code()),
            Action::Unsubscribe => f.write_str("me:stop"),
            Action::Resubscribe => f.write_str("me:resume"),
            Action::Acknowledge(delivery) => write!(f, "ack:{delivery}"),
            Action::StartQuiz => f.write_str("quiz:start"),
            Action::QuizAnswer {
                attempt,
                position,
                option,
            } => write!(f, "qa:{attempt}:{position}:{option}"),
            Action::Report(action) => action.fmt(f),
        }
    }
}

impl FromStr for Action {
    type Err = ();

    fn from_str(data: &str) -> Result<Self, ()> {
        let page = |s: &str| s.parse::<usize>().ok().filter(|p| *p < 1000).ok_or(());
        let code = |s: &str| s.parse::<RegionCode>().map_err(|_| ());
        Ok(match data.split_once(':') {
            Some(("aud", a)) => Action::Audience(a.parse().map_err(|_| ())?),
            Some(("town", c)) => Action::Township(code(c)?),
            Some(("tpage", p)) => Action::TownshipPage(page(p)?),
            Some(("vil", "-")) => Action::VillageNotListed,
            Some(("vil", c)) => Action::Village(code(c)?),
            Some(("vpage", p)) => Action::VillagePage(page(p)?),
            Some(("lang", l)) => Action::SetLanguage(l.parse().map_err(|_| ())?),
            Some(("me", "edit")) => Action::EditProfile,
            Some(("me", rest)) if rest.starts_with("edit:") => {
                Action::EditDetail(Detail::from_code(&rest["edit:".len()..]).ok_or(())?)
            }
            Some(("me", "stop")) => Action::Unsubscribe,
            Some(("me", "resume")) => Action::Resubscribe,
            Some(("quiz", "start")) => Action::StartQuiz,
            Some(("rp", rest)) => Action::Report(rest.parse()?),
            Some(("qa", rest)) => {
                let mut parts = rest.split(':');
                let mut number = || parts.next().and_then(|p| p.parse::<usize>().ok()).ok_or(());
                let (attempt, position, option) = (number()?, number()?, number()?);
                if parts.next().is_some() || attempt == 0 || position >= 100 || option >= 6 {
                    return Err(());
                }
                Action::QuizAnswer {
                    attempt: i64::try_from(attempt).map_err(|_| ())?,
                    position,
                    option,
                }
            }
            Some(("ack", id)) => {
                Action::Acknowledge(id.parse().ok().filter(|id: &i64| *id > 0).ok_or(())?)
            }
            None if data == "skip" => Action::Skip,
            None if data == "confirm" => Action::Confirm,
            None if data == "restart" => Action::Restart,
            None if data == "back" => Action::Back,
            None if data == "cancel" => Action::Cancel,
            _ => return Err(()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_round_trip_within_64_bytes() {
        let longest: RegionCode = "a".repeat(24).parse().unwrap();
        let all = [
            Action::Audience(Audience::Enterprise),
            Action::Audience(Audience::Household),
            Action::Township(longest.clone()),
            Action::TownshipPage(3),
            Action::Village(longest),
            Action::VillageNotListed,
            Action::VillagePage(12),
            Action::Skip,
            Action::Confirm,
            Action::Restart,
            Action::Back,
            Action::Cancel,
            Action::SetLanguage(Language::En),
            Action::SetLanguage(Language::ZhCn),
            Action::EditProfile,
            Action::EditDetail(Detail::EnterpriseName),
            Action::EditDetail(Detail::Township),
            Action::Unsubscribe,
            Action::Resubscribe,
            Action::Acknowledge(i64::MAX),
            Action::StartQuiz,
            Action::QuizAnswer {
                attempt: i64::MAX,
                position: 99,
                option: 5,
            },
        ];
        for action in all {
            let data = action.to_string();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(data.parse::<Action>(), Ok(action));
        }
    }

    #[test]
    fn forged_data_is_refused() {
        for junk in [
            "",
            "aud:admin",
            "town:../../etc",
            "town:",
            "tpage:-1",
            "tpage:99999999999",
            "lang:fr",
            "me:delete",
            "confirm:1",
            "x".repeat(200).as_str(),
        ] {
            assert_eq!(junk.parse::<Action>(), Err(()), "{junk}");
        }
    }
}
