//! The sandbox chat page (`serve --sandbox` only; a 404 otherwise): test people, a
//! phone-sized chat with the bot for the chosen one, and the admin's "reset sandbox".
//! Staff sign in as on every other page (the sandbox prints its accounts at start-up), so
//! the CSRF token of the session guards every action here too.

mod chat;

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderValue;
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::see_other;
use crate::sandbox::{SandboxChats, SandboxPerson};
use crate::session::{Nav, SignedIn};
use crate::text::Tr;
use crate::{AppState, DashboardError};

/// The dashboard's policy plus its own script and the JSON it polls; only this page runs
/// script.
const SANDBOX_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sandbox", get(page))
        .route("/sandbox/people", post(create_person))
        .route("/sandbox/reset", post(reset))
        .route("/sandbox/scan", post(scan))
        .route("/assets/sandbox.js", get(script))
        .merge(chat::router())
}

/// The chats, or 404 outside the sandbox.
pub(super) fn chats(state: &AppState) -> Result<&Arc<dyn SandboxChats>, DashboardError> {
    state.sandbox.as_ref().ok_or(DashboardError::NotFound)
}

#[derive(Deserialize)]
struct PageQuery {
    person: Option<i64>,
    #[serde(default)]
    done: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "sandbox.html")]
struct SandboxPage {
    tr: Tr,
    nav: Nav,
    people: Vec<SandboxPerson>,
    current: Option<SandboxPerson>,
    notice: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Query(q): Query<PageQuery>,
) -> Result<Response, DashboardError> {
    let chats = chats(&state)?;
    let people = chats.people();
    let current = q
        .person
        .and_then(|id| people.iter().find(|p| p.id == id).cloned());
    let notice = match q.done.as_str() {
        "reset" => Some(tr.t("dash-sandbox-was-reset")),
        "scan" => Some(tr.t("dash-sandbox-scanned")),
        _ => None,
    };
    let page = SandboxPage {
        tr,
        nav: Nav::from(&signed_in),
        people,
        current,
        notice,
    };
    let mut response = page.into_response();
    response.headers_mut().insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(SANDBOX_CSP),
    );
    Ok(response)
}

#[derive(Deserialize)]
struct PersonForm {
    #[serde(default)]
    csrf: String,
    name: String,
    #[serde(default)]
    language: String,
}

async fn create_person(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    axum::Form(form): axum::Form<PersonForm>,
) -> Result<Response, DashboardError> {
    signed_in.check_csrf(&form.csrf)?;
    let chats = chats(&state)?;
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(DashboardError::BadRequest(tr.t("dash-sandbox-bad-name")));
    }
    // The Telegram client's language is what the bot first greets in.
    let language = match form.language.as_str() {
        "en" => Some("en"),
        "" => None,
        _ => Some("zh-hans"),
    };
    let person = chats.create_person(name, language);
    Ok(see_other(&format!("/sandbox?person={}", person.id)))
}

#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: String,
}

/// Empties the sandbox of people, chats, reports and deliveries; content and staff stay.
async fn reset(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    axum::Form(form): axum::Form<ResetForm>,
) -> Result<Response, DashboardError> {
    signed_in.check_csrf(&form.csrf)?;
    let chats = chats(&state)?;
    if !signed_in.is_admin() {
        return Err(DashboardError::Forbidden(
            "only an admin account may reset the sandbox",
        ));
    }
    if form.confirm != "yes" {
        return Err(DashboardError::BadRequest(
            tr.t("dash-sandbox-confirm-missing"),
        ));
    }
    // Chats first: nothing a forgotten person does afterwards reaches the bot.
    chats.clear();
    let removed = state.store.reset_people().await?;
    let detail = format!("{removed} rows");
    state
        .store
        .audit(
            signed_in.staff.username.as_str(),
            "sandbox.reset",
            None,
            Some(&detail),
        )
        .await?;
    Ok(see_other("/sandbox?done=reset"))
}

#[derive(Deserialize)]
struct ScanForm {
    #[serde(default)]
    csrf: String,
    person: i64,
}

/// "Open as QR scan in the sandbox" on the posters page: the poster's own signed payload,
/// sent as `/start PAYLOAD` by the chosen test person.
async fn scan(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(q): Query<super::posters::PosterQuery>,
    axum::Form(form): axum::Form<ScanForm>,
) -> Result<Response, DashboardError> {
    signed_in.check_csrf(&form.csrf)?;
    let chats = chats(&state)?;
    let link = super::posters::deep_link(&state, &signed_in, &q).await?;
    let payload = link.link.encode(&state.links);
    chats
        .open_deep_link(form.person, &payload)
        .map_err(|_| DashboardError::NotFound)?;
    Ok(see_other(&format!(
        "/sandbox?person={}&done=scan",
        form.person
    )))
}

/// `GET /assets/sandbox.js`: the chat page's script, compiled into the binary.
async fn script(State(state): State<AppState>) -> Result<Response, DashboardError> {
    chats(&state)?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/javascript; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../../assets/sandbox.js"),
    )
        .into_response())
}
