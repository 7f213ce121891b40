//! The typed catalogue of the bot's messages. Handlers name a `Msg`, never a string, and a test
//! checks every entry against both locales.

use qingfeng_core::Language;
use qingfeng_core::i18n::{self, Args};

macro_rules! catalogue {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $id:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),* }

        impl $name {
            #[cfg(test)]
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id),* }
            }
        }
    };
}
pub(crate) use catalogue;

catalogue! {
/// A message id in `locales/*/bot.ftl`.
Msg {
    Welcome => "welcome",
    CommissionName => "commission-name",
    CommissionNameGeneric => "commission-name-generic",
    WelcomeBack => "welcome-back",
    AlreadySubscribed => "already-subscribed",
    AskAudience => "ask-audience",
    AskTownship => "ask-township",
    AskVillage => "ask-village",
    AskEnterpriseName => "ask-enterprise-name",
    AskCreditCode => "ask-credit-code",
    EnterpriseNameTooShort => "enterprise-name-too-short",
    EnterpriseNameTooLong => "enterprise-name-too-long",
    EnterpriseNameOneLine => "enterprise-name-one-line",
    CreditCodeLength => "credit-code-length",
    CreditCodeCharacter => "credit-code-character",
    CreditCodeChecksum => "credit-code-checksum",
    ConfirmHousehold => "confirm-household",
    ConfirmEnterprise => "confirm-enterprise",
    ValueNotProvided => "value-not-provided",
    VillageNotListed => "village-not-listed",
    AskVillageName => "ask-village-name",
    VillageNameInvalid => "village-name-invalid",
    VillageTyped => "village-typed",
    OnboardingSaved => "onboarding-saved",
    Resubscribed => "resubscribed",
    OnboardingCancelled => "onboarding-cancelled",
    NothingToCancel => "nothing-to-cancel",
    UseTheButtons => "use-the-buttons",
    ButtonExpired => "button-expired",
    ButtonUnknown => "button-unknown",
    DeeplinkInvalid => "deeplink-invalid",
    DeeplinkPlace => "deeplink-place",
    ButtonEnterprise => "button-enterprise",
    ButtonHousehold => "button-household",
    ButtonVillageNotListed => "button-village-not-listed",
    ButtonSkip => "button-skip",
    ButtonChangeTownship => "button-change-township",
    ButtonChangeVillage => "button-change-village",
    ButtonChangeEnterpriseName => "button-change-enterprise-name",
    ButtonChangeCreditCode => "button-change-credit-code",
    ButtonBack => "button-back",
    ButtonCancel => "button-cancel",
    ButtonConfirm => "button-confirm",
    ButtonRestart => "button-restart",
    ButtonNextPage => "button-next-page",
    ButtonPreviousPage => "button-previous-page",
    ButtonEditProfile => "button-edit-profile",
    ButtonUnsubscribe => "button-unsubscribe",
    ButtonResubscribe => "button-resubscribe",
    MeHousehold => "me-household",
    MeEnterprise => "me-enterprise",
    StatusActive => "status-active",
    StatusInactive => "status-inactive",
    MeNotSubscribed => "me-not-subscribed",
    StopDone => "stop-done",
    StopNotSubscribed => "stop-not-subscribed",
    LangChoose => "lang-choose",
    LangSet => "lang-set",
    Help => "help",
    UnsupportedMessage => "unsupported-message",
    UnknownCommand => "unknown-command",
    ErrorInternal => "error-internal",
    CmdStart => "cmd-start",
    CmdMe => "cmd-me",
    CmdStop => "cmd-stop",
    CmdLang => "cmd-lang",
    CmdCancel => "cmd-cancel",
    CmdHelp => "cmd-help",
    LanguageName => "language-name",
    AcknowledgeThanks => "acknowledge-thanks",
    AcknowledgeAlready => "acknowledge-already",
    AcknowledgeUnknown => "acknowledge-unknown",
    QuizNotSubscribed => "quiz-not-subscribed",
    QuizEmptyBank => "quiz-empty-bank",
    QuizQuestion => "quiz-question",
    QuizCorrect => "quiz-correct",
    QuizWrong => "quiz-wrong",
    QuizExplanation => "quiz-explanation",
    QuizFinished => "quiz-finished",
    QuizStanding => "quiz-standing",
    QuizUnranked => "quiz-unranked",
    QuizAlreadyAnswered => "quiz-already-answered",
    QuizExpired => "quiz-expired",
    QuizResume => "quiz-resume",
    QuizToastCorrect => "quiz-toast-correct",
    QuizToastWrong => "quiz-toast-wrong",
    RankNone => "rank-none",
    RankMine => "rank-mine",
    RankTownships => "rank-townships",
    RankTownshipLine => "rank-township-line",
    RankEnterprises => "rank-enterprises",
    RankEnterpriseLine => "rank-enterprise-line",
    RankEmpty => "rank-empty",
    CmdQuiz => "cmd-quiz",
    CmdRank => "cmd-rank",
    CmdReport => "cmd-report",
    CmdStatus => "cmd-status",
    ButtonReport => "button-report",
    ButtonStatus => "button-status",
    YourChatId => "your-chat-id",
    MenuQuiz => "menu-quiz",
    MenuReport => "menu-report",
    MenuStatus => "menu-status",
    MenuMe => "menu-me",
    MenuShown => "menu-shown",
    LangUnknown => "lang-unknown",
}
}

pub fn t(lang: Language, msg: Msg) -> String {
    i18n::text(lang, msg.id(), None)
}

pub fn t_args(lang: Language, msg: Msg, args: Args) -> String {
    i18n::text(lang, msg.id(), Some(&args))
}

/// Message ids missing from a locale, as `id in language` (for the catalogue tests).
#[cfg(test)]
pub fn missing_messages(ids: impl Iterator<Item = &'static str>) -> Vec<String> {
    ids.flat_map(|id| Language::ALL.iter().map(move |l| (id, l)))
        .filter(|(id, l)| !qingfeng_core::testing::has_message(l.tag(), id))
        .map(|(id, l)| format!("{id} in {l}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_entry_exists_in_every_language() {
        let missing = missing_messages(Msg::ALL.iter().map(|m| m.id()));
        assert!(missing.is_empty(), "missing messages: {missing:?}");
    }
}
