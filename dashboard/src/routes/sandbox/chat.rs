//! One test person's chat: the JSON the page polls, and what the person does (text, inline
//! buttons, poll answers, a photo or document). Actions answer 204 to the page's script and
//! 303 back to the page for a plain form post.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::chats;
use crate::routes::see_other;
use crate::sandbox::{NotInSandbox, SandboxButton, SandboxChat, SandboxPoll, telegram_html};
use crate::session::SignedIn;
use crate::{AppState, DashboardError};

/// Telegram's limit for a bot's downloads is 20 MB; a sandbox upload needs no more.
const MAX_UPLOAD: usize = 20 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sandbox/chat/{person}", get(messages))
        .route("/sandbox/chat/{person}/text", post(send_text))
        .route("/sandbox/chat/{person}/press", post(press))
        .route("/sandbox/chat/{person}/poll", post(answer_poll))
        .route(
            "/sandbox/chat/{person}/file",
            post(send_file).layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
}

impl From<NotInSandbox> for DashboardError {
    fn from(_: NotInSandbox) -> Self {
        DashboardError::NotFound
    }
}

#[derive(Deserialize)]
struct Since {
    since: Option<u64>,
}

#[derive(Serialize)]
struct ChatJson {
    version: String,
    changed: bool,
    messages: Vec<MessageJson>,
    reply_keyboard: Vec<Vec<String>>,
}

#[derive(Serialize)]
struct MessageJson {
    id: i64,
    from_bot: bool,
    /// Safe HTML: only Telegram's tags, everything else escaped.
    html: String,
    edited: bool,
    attachment: Option<String>,
    buttons: Vec<Vec<SandboxButton>>,
    poll: Option<SandboxPoll>,
}

fn to_json(chat: SandboxChat, changed: bool) -> ChatJson {
    let messages = if changed {
        chat.messages
            .into_iter()
            .map(|m| MessageJson {
                id: m.id,
                from_bot: m.from_bot,
                html: telegram_html(&m.text, &m.entities),
                edited: m.edited,
                attachment: m.attachment,
                buttons: m.buttons,
                poll: m.poll,
            })
            .collect()
    } else {
        Vec::new()
    };
    ChatJson {
        // A string: the version is a 64-bit hash, beyond what a JavaScript number holds exactly.
        version: chat.version.to_string(),
        changed,
        messages,
        reply_keyboard: chat.reply_keyboard,
    }
}

/// `GET /sandbox/chat/ID?since=VERSION`: the chat, or only `changed: false` when the page
/// already has this version.
async fn messages(
    State(state): State<AppState>,
    _signed_in: SignedIn,
    Path(person): Path<i64>,
    Query(q): Query<Since>,
) -> Result<Json<ChatJson>, DashboardError> {
    let chat = chats(&state)?.chat(person)?;
    let changed = q.since != Some(chat.version);
    Ok(Json(to_json(chat, changed)))
}

/// 204 for the page's script (it sends `X-Sandbox: 1`), else back to the chat page.
fn done(headers: &HeaderMap, person: i64) -> Response {
    if headers.contains_key("x-sandbox") {
        StatusCode::NO_CONTENT.into_response()
    } else {
        see_other(&format!("/sandbox?person={person}"))
    }
}

#[derive(Deserialize)]
struct TextForm {
    #[serde(default)]
    csrf: String,
    text: String,
}

async fn send_text(
    State(state): State<AppState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(person): Path<i64>,
    axum::Form(form): axum::Form<TextForm>,
) -> Result<Response, DashboardError> {
    signed_in.check_csrf(&form.csrf)?;
    let text = form.text.trim();
    // Telegram refuses an empty message and one over 4096 characters.
    if text.is_empty() || text.chars().count() > 4096 {
        return Err(DashboardError::BadRequest(
            "a message needs 1 to 4096 characters".into(),
        ));
    }
    chats(&state)?.send_text(person, text)?;
    Ok(done(&headers, person))
}

#[derive(Deserialize)]
struct PressForm {
    #[serde(default)]
    csrf: String,
    message: i64,
    data: String,
}

async fn press(
    State(state): State<AppState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(person): Path<i64>,
    axum::Form(form): axum::Form<PressForm>,
) -> Result<Response, DashboardError> {
    signed_in.check_csrf(&form.csrf)?;
    chats(&state)?.press(person, form.message, &form.data)?;
    Ok(done(&headers, person))
}

#[derive(Deserialize)]
struct PollForm {
    #[serde(default)]
    csrf: String,
    poll: String,
    option: u32,
}

async fn answer_poll(
    State(state): State<AppState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(person): Path<i64>,
    axum::Form(form): axum::Form<PollForm>,
) -> Result<Response, DashboardError> {
    signed_in.check_csrf(&form.csrf)?;
    chats(&state)?.answer_poll(person, &form.poll, form.option)?;
    Ok(done(&headers, person))
}

/// A file from the computer: an image goes as a photo (as a phone's gallery sends it), any
/// other file as a document.
async fn send_file(
    State(state): State<AppState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(person): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, DashboardError> {
    // A body that is not multipart carries no readable token: refused like a missing one.
    let mut multipart = match multipart {
        Ok(multipart) => multipart,
        Err(_) => return Err(signed_in.check_csrf("").unwrap_err()),
    };
    let unreadable = |_| DashboardError::BadRequest("the upload could not be read".into());
    let mut csrf = String::new();
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(unreadable)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("file").to_owned();
                let mime = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_owned();
                let bytes = field.bytes().await.map_err(unreadable)?;
                file = Some((name, mime, bytes.to_vec()));
            }
            _ => {}
        }
    }
    signed_in.check_csrf(&csrf)?;
    let Some((name, mime, bytes)) = file.filter(|(_, _, b)| !b.is_empty()) else {
        return Err(DashboardError::BadRequest("choose a file to send".into()));
    };
    let chats = chats(&state)?;
    if mime.starts_with("image/") {
        chats.send_photo(person, bytes)?;
    } else {
        chats.send_document(person, &name, &mime, bytes)?;
    }
    Ok(done(&headers, person))
}
