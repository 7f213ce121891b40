//! The bot's commands and their parsing. Parsing is done here rather than by a derive so that
//! unknown commands, `/cmd@otherbot` and stray arguments each get a deliberate answer.

use qingfeng_core::Language;
use teloxide::types::BotCommand;

use crate::text::{Msg, t};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/start` with an optional deep-link payload.
    Start(Option<String>),
    Help,
    Me,
    Stop,
    Lang,
    Cancel,
    Quiz,
    Rank,
    Report,
    /// `/status` with an optional tracking code.
    Status(Option<String>),
    /// `/id`: the chat id, for staff setting up alerts.
    Id,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Command(Command),
    Unknown,
    /// `/cmd@another_bot`: meant for someone else.
    NotForUs,
    NotACommand,
}

/// Command names and descriptions for `setMyCommands`, in menu order.
const MENU: [(&str, Msg); 10] = [
    ("start", Msg::CmdStart),
    ("report", Msg::CmdReport),
    ("status", Msg::CmdStatus),
    ("quiz", Msg::CmdQuiz),
    ("rank", Msg::CmdRank),
    ("me", Msg::CmdMe),
    ("lang", Msg::CmdLang),
    ("stop", Msg::CmdStop),
    ("cancel", Msg::CmdCancel),
    ("help", Msg::CmdHelp),
];

pub fn menu(lang: Language) -> Vec<BotCommand> {
    MENU.iter()
        .map(|(name, msg)| BotCommand::new(*name, t(lang, *msg)))
        .collect()
}

pub fn parse(text: &str, bot_username: &str) -> Parsed {
    let text = text.trim();
    let Some(rest) = text.strip_prefix('/') else {
        return Parsed::NotACommand;
    };
    let (head, argument) = match rest.split_once(char::is_whitespace) {
        Some((head, argument)) => (head, argument.trim()),
        None => (rest, ""),
    };
    let name = match head.split_once('@') {
        Some((name, addressee)) if addressee.eq_ignore_ascii_case(bot_username) => name,
        Some(_) => return Parsed::NotForUs,
        None => head,
    };
    let command = match name.to_ascii_lowercase().as_str() {
        "start" => Command::Start((!argument.is_empty()).then(|| argument.to_owned())),
        "help" => Command::Help,
        "me" => Command::Me,
        "stop" => Command::Stop,
        "lang" | "language" => Command::Lang,
        "cancel" => Command::Cancel,
        "quiz" => Command::Quiz,
        "rank" => Command::Rank,
        "report" | "jubao" => Command::Report,
        "status" => Command::Status((!argument.is_empty()).then(|| argument.to_owned())),
        "id" => Command::Id,
        _ => return Parsed::Unknown,
    };
    Parsed::Command(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_payloads_and_addressees() {
        assert_eq!(
            parse("/start", "qf_bot"),
            Parsed::Command(Command::Start(None))
        );
        assert_eq!(
            parse("/start h_baofeng_x", "qf_bot"),
            Parsed::Command(Command::Start(Some("h_baofeng_x".into())))
        );
        assert_eq!(
            parse("/START@QF_bot", "qf_bot"),
            Parsed::Command(Command::Start(None))
        );
        assert_eq!(
            parse("/help extra words", "qf_bot"),
            Parsed::Command(Command::Help)
        );
        assert_eq!(parse("/me@other_bot", "qf_bot"), Parsed::NotForUs);
        assert_eq!(parse("/report", "qf_bot"), Parsed::Command(Command::Report));
        assert_eq!(
            parse("/status ab12-cd34", "qf_bot"),
            Parsed::Command(Command::Status(Some("ab12-cd34".into())))
        );
        assert_eq!(parse("/reports", "qf_bot"), Parsed::Unknown);
        assert_eq!(parse("/quiz", "qf_bot"), Parsed::Command(Command::Quiz));
        assert_eq!(parse("/", "qf_bot"), Parsed::Unknown);
        assert_eq!(parse("你好 /start", "qf_bot"), Parsed::NotACommand);
    }

    #[test]
    fn the_menu_is_localised() {
        assert_ne!(
            menu(Language::ZhCn)[0].description,
            menu(Language::En)[0].description
        );
        assert_eq!(menu(Language::En).len(), 10);
    }
}
