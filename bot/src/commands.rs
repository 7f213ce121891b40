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
    /// `/lang`, `/lang en`: the language named, `Err` holding an argument that names none.
    Lang(Option<Result<Language, String>>),
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

/// The labels of the bottom menu (the reply keyboard), in rows, and what each press does.
pub const BOTTOM_MENU: [[(Msg, Command); 2]; 2] = [
    [
        (Msg::MenuQuiz, Command::Quiz),
        (Msg::MenuReport, Command::Report),
    ],
    [
        (Msg::MenuStatus, Command::Status(None)),
        (Msg::MenuMe, Command::Me),
    ],
];

/// The command a bottom-menu button stands for, when `text` is one of its labels. Labels in
/// every language count: the keyboard on the phone may predate a switch of language.
pub fn from_menu_label(text: &str) -> Option<Command> {
    let text = text.trim();
    BOTTOM_MENU.iter().flatten().find_map(|(label, command)| {
        Language::ALL
            .iter()
            .any(|&lang| t(lang, *label).eq_ignore_ascii_case(text))
            .then(|| command.clone())
    })
}

/// The language an argument of `/lang` names: a code (`zh`, `zh-CN`, `en`, `en-GB`) or the
/// language's name.
fn language(argument: &str) -> Result<Language, String> {
    let lower = argument.to_lowercase();
    match lower.as_str() {
        "中文" | "汉语" | "简体中文" | "chinese" | "cn" => return Ok(Language::ZhCn),
        "英文" | "英语" | "english" => return Ok(Language::En),
        _ => {}
    }
    match lower.split(['-', '_']).next() {
        Some("zh") => Ok(Language::ZhCn),
        Some("en") => Ok(Language::En),
        _ => Err(argument.to_owned()),
    }
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
        "lang" | "language" => Command::Lang((!argument.is_empty()).then(|| language(argument))),
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
        assert_eq!(
            parse("/lang", "qf_bot"),
            Parsed::Command(Command::Lang(None))
        );
        assert_eq!(
            parse("/lang en", "qf_bot"),
            Parsed::Command(Command::Lang(Some(Ok(Language::En))))
        );
        assert_eq!(
            parse("/lang zh-CN", "qf_bot"),
            Parsed::Command(Command::Lang(Some(Ok(Language::ZhCn))))
        );
        assert_eq!(
            parse("/lang 中文", "qf_bot"),
            Parsed::Command(Command::Lang(Some(Ok(Language::ZhCn))))
        );
        assert_eq!(
            parse("/lang fr", "qf_bot"),
            Parsed::Command(Command::Lang(Some(Err("fr".into()))))
        );
    }

    #[test]
    fn menu_labels_in_either_language_stand_for_their_commands() {
        assert_eq!(from_menu_label("答题"), Some(Command::Quiz));
        assert_eq!(from_menu_label(" 举报 "), Some(Command::Report));
        assert_eq!(from_menu_label("Status"), Some(Command::Status(None)));
        assert_eq!(from_menu_label("me"), Some(Command::Me));
        assert_eq!(from_menu_label("我的村"), None);
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
