//! The dashboard's one error type. Every error is a page that says what happened, in the
//! reader's language and inside the normal layout (with the menu when signed in, so the officer
//! is never stranded); details of internal failures go to the log, not to the browser.
//!
//! A handler's error cannot see the request, so it leaves an [`ErrorPage`] on the response and
//! [`render`] (a middleware over every route) turns it into the page.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use qingfeng_core::StoreError;
use qingfeng_core::reports::ReportError;

use crate::AppState;
use crate::session::{Nav, SESSION_COOKIE, SignedIn, cookie, token_hash};
use crate::text::Tr;

#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    /// Also what a report outside the staff member's scope looks like.
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    BadRequest(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Reports(#[from] ReportError),
}

/// What the error page says, left on the response for [`render`].
#[derive(Debug, Clone)]
pub struct ErrorPage {
    /// Said in words beside the status's own sentence (a bad request's reason).
    pub detail: String,
}

impl IntoResponse for DashboardError {
    fn into_response(self) -> Response {
        let (status, detail) = match &self {
            DashboardError::NotFound => (StatusCode::NOT_FOUND, String::new()),
            // The reason is for the log: the page's sentence says what to do.
            DashboardError::Forbidden(why) => {
                tracing::info!(reason = why, "a dashboard request was refused");
                (StatusCode::FORBIDDEN, String::new())
            }
            DashboardError::BadRequest(why) => (StatusCode::BAD_REQUEST, why.clone()),
            DashboardError::Store(_) | DashboardError::Reports(_) => {
                tracing::error!(error = %self, "a dashboard request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, String::new())
            }
        };
        let mut response = (status, Html(String::new())).into_response();
        response.extensions_mut().insert(ErrorPage { detail });
        response
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    tr: Tr,
    nav: Option<Nav>,
    status: u16,
    message: String,
    detail: String,
}

/// Renders errors left by handlers (and the 404 of an unknown address) as pages in the layout.
pub async fn render(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    let response = next.run(request).await;
    let status = response.status();
    let page = match response.extensions().get::<ErrorPage>() {
        Some(page) => page.clone(),
        // axum's own refusals (a malformed form or query, a wrong method) are plain text in
        // English: they get the same page as a bad request.
        None if status.is_client_error() && is_plain_text(&response) => ErrorPage {
            detail: String::new(),
        },
        None => return response,
    };
    let sentence = match status.as_u16() {
        code @ (403 | 404 | 500) => code,
        code if code >= 500 => 500,
        _ => 400,
    };
    let tr = Tr::from_headers(&headers, state.sandbox.is_some());
    let nav = signed_in_nav(&state, &headers).await;
    let template = ErrorTemplate {
        message: tr.t(&format!("dash-error-page-{sentence}")),
        status: status.as_u16(),
        detail: page.detail,
        nav,
        tr,
    };
    match template.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(error) => {
            tracing::error!(%error, "the error page could not be rendered");
            (status, Html(String::from("<!doctype html><p>Error</p>"))).into_response()
        }
    }
}

fn is_plain_text(response: &Response) -> bool {
    response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"))
}

/// The menu for the error page, if the request carries a live session.
async fn signed_in_nav(state: &AppState, headers: &HeaderMap) -> Option<Nav> {
    let token = cookie(headers, SESSION_COOKIE)?;
    let (staff, csrf) = state
        .store
        .session(&token_hash(token), Utc::now())
        .await
        .ok()
        .flatten()?;
    let signed_in = SignedIn {
        staff,
        csrf,
        token_hash: String::new(),
    };
    Some(Nav::from(&signed_in))
}

/// Addresses no route serves.
pub async fn not_found() -> DashboardError {
    DashboardError::NotFound
}
