//! Files and polls: sendPhoto, sendDocument, getFile, sendPoll, stopPoll.

use serde_json::{Map, Value, json};

use crate::errors::{ApiFailure, desc};
use crate::files::{FileStore, StoredFile, extension, guess_mime};
use crate::messages::{MAX_CAPTION, finish_new, inline_markup, render, set_opt};
use crate::params::{InputFile, Params};
use crate::state::{PollInfo, State};

const MAX_POLL_OPTIONS: usize = 12;

/// Resolves an uploaded file, a known file id or a URL into a stored file.
fn resolve(
    files: &mut FileStore,
    input: InputFile,
    tag: &str,
    dir: &str,
    default_name: &str,
) -> Result<(StoredFile, String), ApiFailure> {
    match input {
        InputFile::Upload { file_name, bytes } => {
            let name = if file_name.is_empty() {
                default_name.to_owned()
            } else {
                file_name
            };
            let file = files.add_auto(tag, dir, &extension(&name), bytes);
            Ok((file, name))
        }
        InputFile::FileId(id) => {
            let file = files
                .get(&id)
                .cloned()
                .ok_or_else(|| ApiFailure::bad_request(desc::WRONG_FILE))?;
            let name = file
                .file_path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            Ok((file, name))
        }
        InputFile::Url(url) => {
            let name = url.rsplit('/').next().unwrap_or(default_name).to_owned();
            let file = files.add_auto(tag, dir, &extension(&name), Vec::new());
            Ok((file, name))
        }
    }
}

/// Sends a media message whose content field `key` holds `content`, with caption.
fn send_media(
    state: &mut State,
    p: &Params,
    key: &str,
    content: impl FnOnce(&mut FileStore) -> Result<Value, ApiFailure>,
) -> Result<Value, ApiFailure> {
    state.chat_mut(p)?;
    let caption = render(p, "caption", "caption_entities")?;
    if caption.text.chars().count() > MAX_CAPTION {
        return Err(ApiFailure::bad_request(desc::CAPTION_TOO_LONG));
    }
    let markup = inline_markup(p)?;
    let content = content(&mut state.files)?;
    let user = state.chat_mut(p)?;
    let id = user.take_message_id();
    let mut msg = user.profile.bot_message_base(id);
    msg.insert(key.to_owned(), content);
    if !caption.text.is_empty() {
        msg.insert("caption".into(), json!(caption.text));
        set_opt(&mut msg, "caption_entities", caption.entities);
    }
    finish_new(user, &mut msg, p, markup);
    Ok(user.push_bot_message(Value::Object(msg), caption.parse_mode))
}

fn missing(what: &str) -> ApiFailure {
    ApiFailure::bad_request(&format!("Bad Request: there is no {what} in the request"))
}

pub fn send_photo(state: &mut State, p: &Params) -> Result<Value, ApiFailure> {
    let input = p.input_file("photo").ok_or_else(|| missing("photo"))?;
    send_media(state, p, "photo", |files| {
        let (file, _) = resolve(files, input, "PHO", "photos", "photo.jpg")?;
        Ok(json!([{
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "file_size": file.bytes.len(),
            "width": 1280,
            "height": 960,
        }]))
    })
}

pub fn send_document(state: &mut State, p: &Params) -> Result<Value, ApiFailure> {
    let input = p
        .input_file("document")
        .ok_or_else(|| missing("document"))?;
    send_media(state, p, "document", |files| {
        let (file, name) = resolve(files, input, "DOC", "documents", "document.bin")?;
        Ok(json!({
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "file_name": name,
            "mime_type": guess_mime(&name),
            "file_size": file.bytes.len(),
        }))
    })
}

pub fn get_file(state: &mut State, p: &Params) -> Result<Value, ApiFailure> {
    let id = p.str("file_id").unwrap_or_default();
    state
        .files
        .get(id)
        .map(StoredFile::file_json)
        .ok_or_else(|| ApiFailure::bad_request(desc::INVALID_FILE_ID))
}

fn poll_options(p: &Params) -> Result<Vec<String>, ApiFailure> {
    let options: Vec<String> = p
        .get("options")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|o| match o {
            Value::String(s) => s.clone(),
            other => other["text"].as_str().unwrap_or_default().to_owned(),
        })
        .collect();
    if options.len() < 2 {
        return Err(ApiFailure::bad_request(desc::POLL_FEW_OPTIONS));
    }
    if options.len() > MAX_POLL_OPTIONS {
        return Err(ApiFailure::bad_request(desc::POLL_MANY_OPTIONS));
    }
    if options.iter().any(|o| o.trim().is_empty()) {
        return Err(ApiFailure::bad_request(
            "Bad Request: poll options must be non-empty",
        ));
    }
    Ok(options)
}

pub fn send_poll(state: &mut State, p: &Params) -> Result<Value, ApiFailure> {
    state.chat_mut(p)?;
    let question = p.str("question").unwrap_or_default().to_owned();
    if question.trim().is_empty() {
        return Err(ApiFailure::bad_request(
            "Bad Request: poll question must be non-empty",
        ));
    }
    let options = poll_options(p)?;
    let markup = inline_markup(p)?;
    state.next_poll += 1;
    let serial = state.next_poll;
    let poll_id = format!("5377643193141{serial:06}");
    let persistent_ids: Vec<String> = (0..options.len())
        .map(|i| format!("{serial}{i:02}"))
        .collect();
    let quiz = p.str("type") == Some("quiz");
    let mut poll = Map::new();
    poll.insert("id".into(), json!(poll_id));
    poll.insert("question".into(), json!(question));
    let options_json: Vec<Value> = options
        .iter()
        .zip(&persistent_ids)
        .map(|(text, pid)| json!({ "persistent_id": pid, "text": text, "voter_count": 0 }))
        .collect();
    poll.insert("options".into(), json!(options_json));
    poll.insert("total_voter_count".into(), json!(0));
    poll.insert("is_closed".into(), json!(false));
    poll.insert(
        "is_anonymous".into(),
        json!(p.bool_or("is_anonymous", true)),
    );
    poll.insert("type".into(), json!(if quiz { "quiz" } else { "regular" }));
    let multiple = p.bool("allows_multiple_answers");
    poll.insert("allows_multiple_answers".into(), json!(multiple));
    if let Some(correct) = p.i64("correct_option_id").filter(|_| quiz) {
        poll.insert("correct_option_id".into(), json!(correct));
        poll.insert("correct_option_ids".into(), json!([correct]));
    }
    set_opt(&mut poll, "explanation", p.get("explanation").cloned());
    poll.insert("allows_revoting".into(), json!(false));
    poll.insert("members_only".into(), json!(false));

    let user = state.chat_mut(p)?;
    let message_id = user.take_message_id();
    let mut msg = user.profile.bot_message_base(message_id);
    msg.insert("poll".into(), Value::Object(poll));
    finish_new(user, &mut msg, p, markup);
    let chat_id = user.profile.id;
    let raw = user.push_bot_message(Value::Object(msg), None);
    state.polls.insert(
        poll_id,
        PollInfo {
            chat_id,
            message_id,
            persistent_ids,
        },
    );
    Ok(raw)
}

pub fn stop_poll(state: &mut State, p: &Params) -> Result<Value, ApiFailure> {
    let user = state.chat_mut(p)?;
    let markup = inline_markup(p)?;
    let stored = p
        .i64("message_id")
        .and_then(|id| user.messages.get_mut(&id))
        .filter(|m| m.from_bot && m.raw.get("poll").is_some())
        .ok_or_else(|| ApiFailure::bad_request(desc::POLL_NOT_FOUND))?;
    if stored.raw["poll"]["is_closed"] == json!(true) {
        return Err(ApiFailure::bad_request(desc::POLL_CLOSED));
    }
    stored.raw["poll"]["is_closed"] = json!(true);
    if let Some(markup) = markup {
        stored.raw["reply_markup"] = markup;
    }
    Ok(stored.raw["poll"].clone())
}
