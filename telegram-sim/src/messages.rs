//! Text messages: sendMessage, the edit methods and deletion, with Telegram's checks.

use serde_json::{Map, Value, json};

use crate::errors::{ApiFailure, desc};
use crate::html::parse_html;
use crate::params::Params;
use crate::shapes::now;
use crate::state::{State, UserState};

const MAX_TEXT: usize = 4096;
pub const MAX_CAPTION: usize = 1024;
const MAX_CALLBACK_DATA: usize = 64;

/// Text (or caption) after `parse_mode` processing.
#[derive(Debug, PartialEq)]
pub struct Rendered {
    pub text: String,
    pub entities: Option<Value>,
    pub parse_mode: Option<String>,
}

/// Applies `parse_mode` to the field `key` (entities from `entities_key` otherwise).
pub fn render(p: &Params, key: &str, entities_key: &str) -> Result<Rendered, ApiFailure> {
    let raw = p.str(key).unwrap_or_default();
    let parse_mode = p.str("parse_mode").map(str::to_owned);
    if parse_mode
        .as_deref()
        .is_some_and(|m| m.eq_ignore_ascii_case("html"))
    {
        let parsed = parse_html(raw).map_err(|e| ApiFailure::cant_parse_entities(&e))?;
        let entities = (!parsed.entities.is_empty()).then_some(Value::Array(parsed.entities));
        return Ok(Rendered {
            text: parsed.text,
            entities,
            parse_mode,
        });
    }
    Ok(Rendered {
        text: raw.to_owned(),
        entities: p.get(entities_key).cloned(),
        parse_mode,
    })
}

/// Validates `reply_markup`; returns the inline keyboard to echo back, if any.
pub fn inline_markup(p: &Params) -> Result<Option<Value>, ApiFailure> {
    let Some(markup) = p.get("reply_markup") else {
        return Ok(None);
    };
    let Some(rows) = markup.get("inline_keyboard").and_then(Value::as_array) else {
        return Ok(None);
    };
    for button in rows.iter().filter_map(Value::as_array).flatten() {
        let data = button["callback_data"].as_str().unwrap_or_default();
        if data.len() > MAX_CALLBACK_DATA || button["text"].as_str().is_none() {
            return Err(ApiFailure::bad_request(desc::BUTTON_DATA_INVALID));
        }
    }
    Ok(Some(markup.clone()))
}

/// A `ReplyKeyboardMarkup` (`keyboard`) or `ReplyKeyboardRemove` in `reply_markup`, checked
/// as Telegram does: `Some(Some(markup))` sets the keyboard under the input field,
/// `Some(None)` removes it, `None` leaves it as it is. Telegram does not echo either in the
/// returned message (`Message.reply_markup` is only ever an inline keyboard).
pub fn reply_keyboard(p: &Params) -> Result<Option<Option<Value>>, ApiFailure> {
    let Some(markup) = p.get("reply_markup") else {
        return Ok(None);
    };
    if markup["remove_keyboard"].as_bool() == Some(true) {
        return Ok(Some(None));
    }
    let Some(keyboard) = markup.get("keyboard") else {
        return Ok(None);
    };
    let rows = keyboard
        .as_array()
        .filter(|rows| rows.iter().all(Value::is_array))
        .ok_or_else(|| ApiFailure::bad_request(desc::KEYBOARD_INVALID))?;
    for button in rows.iter().filter_map(Value::as_array).flatten() {
        let text = button.as_str().or_else(|| button["text"].as_str());
        if text.is_none_or(|t| t.trim().is_empty()) {
            return Err(ApiFailure::bad_request(desc::KEYBOARD_BUTTON_TEXT_EMPTY));
        }
    }
    Ok(Some(Some(markup.clone())))
}

/// Sets or removes `key` in a message object.
pub fn set_opt(msg: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    match value {
        Some(v) => {
            msg.insert(key.to_owned(), v);
        }
        None => {
            msg.remove(key);
        }
    }
}

/// Adds the fields every sent message shares: markup, protection, reply.
pub fn finish_new(
    user: &UserState,
    msg: &mut Map<String, Value>,
    p: &Params,
    markup: Option<Value>,
) {
    set_opt(msg, "reply_markup", markup);
    if p.bool("protect_content") {
        msg.insert("has_protected_content".into(), json!(true));
    }
    let reply_to = p.i64("reply_to_message_id").or_else(|| {
        p.get("reply_parameters")
            .and_then(|r| r["message_id"].as_i64())
    });
    if let Some(replied) = reply_to.and_then(|id| user.messages.get(&id)) {
        let mut replied = replied.raw.clone();
        if let Some(obj) = replied.as_object_mut() {
            obj.remove("reply_to_message");
        }
        msg.insert("reply_to_message".into(), replied);
    }
}

pub fn send_message(state: &mut State, p: &Params) -> Result<Value, ApiFailure> {
    let user = state.chat_mut(p)?;
    let rendered = render(p, "text", "entities")?;
    if rendered.text.trim().is_empty() {
        return Err(ApiFailure::bad_request(desc::TEXT_EMPTY));
    }
    if rendered.text.chars().count() > MAX_TEXT {
        return Err(ApiFailure::bad_request(desc::TOO_LONG));
    }
    let markup = inline_markup(p)?;
    if let Some(keyboard) = reply_keyboard(p)? {
        user.reply_keyboard = keyboard;
    }
    let id = user.take_message_id();
    let mut msg = user.profile.bot_message_base(id);
    msg.insert("text".into(), json!(rendered.text));
    set_opt(&mut msg, "entities", rendered.entities);
    finish_new(user, &mut msg, p, markup);
    Ok(user.push_bot_message(Value::Object(msg), rendered.parse_mode))
}

/// The bot message an edit targets.
fn editable<'a>(user: &'a UserState, p: &Params) -> Result<&'a Map<String, Value>, ApiFailure> {
    let stored = p
        .i64("message_id")
        .and_then(|id| user.messages.get(&id))
        .ok_or_else(|| ApiFailure::bad_request(desc::EDIT_NOT_FOUND))?;
    if !stored.from_bot {
        return Err(ApiFailure::bad_request(desc::CANT_BE_EDITED));
    }
    stored
        .raw
        .as_object()
        .ok_or_else(|| ApiFailure::bad_request(desc::EDIT_NOT_FOUND))
}

/// Stores an edited message unless nothing changed.
fn commit_edit(
    user: &mut UserState,
    old: &Map<String, Value>,
    mut new: Map<String, Value>,
    parse_mode: Option<String>,
) -> Result<Value, ApiFailure> {
    let same = [
        "text",
        "entities",
        "caption",
        "caption_entities",
        "reply_markup",
    ]
    .iter()
    .all(|k| old.get(*k) == new.get(*k));
    if same {
        return Err(ApiFailure::bad_request(desc::NOT_MODIFIED));
    }
    new.insert("edit_date".into(), json!(now()));
    Ok(user.apply_edit(Value::Object(new), parse_mode))
}

fn inline_only(p: &Params) -> Result<(), ApiFailure> {
    if p.str("inline_message_id").is_some() {
        return Err(ApiFailure::bad_request(desc::EDIT_NOT_FOUND));
    }
    Ok(())
}

pub fn edit_message_text(state: &mut State, p: &Params) -> Result<Value, ApiFailure> {
    inline_only(p)?;
    let user = state.chat_mut(p)?;
    let old = editable(user, p)?.clone();
    if !old.contains_key("text") {
        return Err(ApiFailure::bad_request(desc::NO_TEXT_TO_EDIT));
    }
    let rendered = render(p, "text", "entities")?;
    if rendered.text.trim().is_empty() {
        return Err(ApiFailure::bad_request(desc::TEXT_EMPTY));
    }
    if rendered.text.chars().count() > MAX_TEXT {
        return Err(ApiFailure::bad_request(desc::TOO_LONG));
    }
    let mut new = old.clone();
    new.insert("text".into(), json!(rendered.text));
    set_opt(&mut new, "entities", rendered.entities);
    set_opt(&mut new, "reply_markup", inline_markup(p)?);
    commit_edit(user, &old, new, rendered.parse_mode)
}

pub fn edit_caption(state: &mut State, p: &Params) -> Result<Value, ApiFailure> {
    inline_only(p)?;
    let user = state.chat_mut(p)?;
    let old = editable(user, p)?.clone();
    if !["photo", "document", "video", "audio", "voice"]
        .iter()
        .any(|k| old.contains_key(*k))
    {
        return Err(ApiFailure::bad_request(
            "Bad Request: there is no caption in the message to edit",
        ));
    }
    let rendered = render(p, "caption", "caption_entities")?;
    if rendered.text.chars().count() > MAX_CAPTION {
        return Err(ApiFailure::bad_request(desc::CAPTION_TOO_LONG));
    }
    let mut new = old.clone();
    let caption = (!rendered.text.is_empty()).then(|| json!(rendered.text));
    set_opt(&mut new, "caption", caption);
    set_opt(&mut new, "caption_entities", rendered.entities);
    set_opt(&mut new, "reply_markup", inline_markup(p)?);
    let parse_mode = rendered.parse_mode;
    commit_edit(user, &old, new, parse_mode)
}

pub fn edit_reply_markup(state: &mut State, p: &Params) -> Result<Value, ApiFailure> {
    inline_only(p)?;
    let user = state.chat_mut(p)?;
    let old = editable(user, p)?.clone();
    let parse_mode = p
        .i64("message_id")
        .and_then(|id| user.messages.get(&id))
        .and_then(|m| m.parse_mode.clone());
    let mut new = old.clone();
    set_opt(&mut new, "reply_markup", inline_markup(p)?);
    commit_edit(user, &old, new, parse_mode)
}

pub fn delete_message(state: &mut State, p: &Params) -> Result<Value, ApiFailure> {
    let user = state.chat_mut(p)?;
    let id = p.i64("message_id").unwrap_or_default();
    if user.messages.remove(&id).is_none() {
        return Err(ApiFailure::bad_request(desc::DELETE_NOT_FOUND));
    }
    user.deleted.push(id);
    Ok(json!(true))
}

pub fn delete_messages(state: &mut State, p: &Params) -> Result<Value, ApiFailure> {
    let user = state.chat_mut(p)?;
    let ids = p.get("message_ids").and_then(Value::as_array).cloned();
    for id in ids.unwrap_or_default().iter().filter_map(Value::as_i64) {
        if user.messages.remove(&id).is_some() {
            user.deleted.push(id);
        }
    }
    Ok(json!(true))
}
