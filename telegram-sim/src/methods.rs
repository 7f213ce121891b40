//! Method dispatch plus the small methods (getMe, webhook, commands, callbacks).

use serde_json::{Value, json};

use crate::errors::{ApiFailure, desc};
use crate::params::Params;
use crate::state::{Inner, State};
use crate::types::CallbackAnswer;
use crate::{media, messages, shapes, updates};

/// Canonical names of the methods the simulator implements.
const METHODS: &[&str] = &[
    "getMe",
    "getWebhookInfo",
    "deleteWebhook",
    "setWebhook",
    "getUpdates",
    "setMyCommands",
    "deleteMyCommands",
    "getMyCommands",
    "setMyDescription",
    "setMyShortDescription",
    "setMyName",
    "setChatMenuButton",
    "sendMessage",
    "editMessageText",
    "editMessageReplyMarkup",
    "editMessageCaption",
    "answerCallbackQuery",
    "deleteMessage",
    "deleteMessages",
    "sendPoll",
    "stopPoll",
    "sendPhoto",
    "sendDocument",
    "getFile",
    "sendChatAction",
    "close",
    "logOut",
];

/// The lowerCamelCase name of `method` (matched case-insensitively).
pub fn canonical(method: &str) -> String {
    if let Some(known) = METHODS.iter().find(|m| m.eq_ignore_ascii_case(method)) {
        return (*known).to_owned();
    }
    let mut chars = method.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Runs one method; `method` is lower-case.
pub async fn call(inner: &Inner, method: &str, params: &Params) -> Result<Value, ApiFailure> {
    if method == "getupdates" {
        return Ok(updates::get_updates(inner, params).await);
    }
    inner.update(|state| call_sync(state, method, params))
}

fn call_sync(state: &mut State, method: &str, p: &Params) -> Result<Value, ApiFailure> {
    match method {
        "getme" => Ok(shapes::get_me()),
        "getwebhookinfo" => Ok(json!({
            "url": "",
            "has_custom_certificate": false,
            "pending_update_count": state.updates.len(),
        })),
        "deletewebhook" => {
            if p.bool("drop_pending_updates") {
                state.updates.clear();
            }
            Ok(json!(true))
        }
        "setwebhook"
        | "close"
        | "logout"
        | "setmydescription"
        | "setmyshortdescription"
        | "setmyname"
        | "setchatmenubutton" => Ok(json!(true)),
        "setmycommands" => set_my_commands(state, p),
        "deletemycommands" => {
            state.commands.remove(&command_key(p));
            Ok(json!(true))
        }
        "getmycommands" => Ok(get_my_commands(state, p)),
        "sendchataction" => {
            state.chat_mut(p)?;
            Ok(json!(true))
        }
        "answercallbackquery" => answer_callback_query(state, p),
        "sendmessage" => messages::send_message(state, p),
        "editmessagetext" => messages::edit_message_text(state, p),
        "editmessagereplymarkup" => messages::edit_reply_markup(state, p),
        "editmessagecaption" => messages::edit_caption(state, p),
        "deletemessage" => messages::delete_message(state, p),
        "deletemessages" => messages::delete_messages(state, p),
        "sendphoto" => media::send_photo(state, p),
        "senddocument" => media::send_document(state, p),
        "sendpoll" => media::send_poll(state, p),
        "stoppoll" => media::stop_poll(state, p),
        "getfile" => media::get_file(state, p),
        _ => Err(ApiFailure::new(404, desc::METHOD_NOT_FOUND)),
    }
}

/// The (scope, `language_code`) a command method targets: scope "" is the default scope,
/// "chat:ID" a `BotCommandScopeChat`, otherwise the scope's type; language "" is every language.
fn command_key(p: &Params) -> (String, String) {
    let scope = p.get("scope").cloned().unwrap_or_default();
    let scope = match scope["type"].as_str().unwrap_or("default") {
        "default" => String::new(),
        "chat" => format!("chat:{}", scope_chat(&scope["chat_id"])),
        other => other.to_owned(),
    };
    let language = p.str("language_code").unwrap_or_default().to_owned();
    (scope, language)
}

/// A scope's `chat_id`: a number, or a string of one (multipart bodies send strings).
fn scope_chat(chat_id: &Value) -> String {
    chat_id
        .as_i64()
        .map(|id| id.to_string())
        .or_else(|| chat_id.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn set_my_commands(state: &mut State, p: &Params) -> Result<Value, ApiFailure> {
    let commands = p
        .get("commands")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiFailure::bad_request("Bad Request: parameter \"commands\" is required"))?
        .iter()
        .map(|c| {
            let field = |k: &str| c[k].as_str().unwrap_or_default().to_owned();
            (field("command"), field("description"))
        })
        .collect();
    state.commands.insert(command_key(p), commands);
    Ok(json!(true))
}

fn get_my_commands(state: &State, p: &Params) -> Value {
    let commands = state
        .commands
        .get(&command_key(p))
        .cloned()
        .unwrap_or_default();
    commands
        .into_iter()
        .map(|(command, description)| json!({ "command": command, "description": description }))
        .collect()
}

fn answer_callback_query(state: &mut State, p: &Params) -> Result<Value, ApiFailure> {
    let id = p.str("callback_query_id").unwrap_or_default().to_owned();
    let user_id = match state.callbacks.get_mut(&id) {
        Some(info) if !info.answered => {
            info.answered = true;
            info.user_id
        }
        _ => return Err(ApiFailure::bad_request(desc::QUERY_INVALID)),
    };
    if let Some(user) = state.users.get_mut(&user_id) {
        user.answers.push(CallbackAnswer {
            callback_query_id: id,
            text: p.str("text").map(str::to_owned),
            show_alert: p.bool("show_alert"),
        });
    }
    Ok(json!(true))
}

/// The chat a request concerns, for injected errors: `chat_id`, or the user
/// behind a callback query being answered.
pub fn target_chat(state: &State, method: &str, p: &Params) -> Option<i64> {
    p.chat_id().or_else(|| {
        (method == "answercallbackquery")
            .then(|| p.str("callback_query_id"))
            .flatten()
            .and_then(|id| state.callbacks.get(id))
            .map(|info| info.user_id)
    })
}
