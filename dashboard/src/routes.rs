//! One router per area, merged here.

mod account;
mod audit;
mod campaigns;
mod canned;
mod case_file;
mod confirm;
mod desks;
mod evidence;
mod health;
mod login;
mod posters;
mod queue;
mod quizzes;
mod report_text;
mod reports;
mod sandbox;
mod stats;
mod workbench;

use axum::Router;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use qingfeng_core::Language;

use crate::AppState;
use crate::session::{set_cookie, with_cookie};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/reports") }))
        .route("/lang/{tag}", get(choose_language))
        .route("/assets/app.css", get(crate::headers::stylesheet))
        .merge(health::router())
        .merge(login::router())
        .merge(queue::router())
        .merge(reports::router())
        .merge(account::router())
        .merge(audit::router())
        .merge(stats::router())
        .merge(canned::router())
        .merge(posters::router())
        .merge(campaigns::router())
        .merge(quizzes::router())
        .merge(sandbox::router())
        .fallback(crate::error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::error::render,
        ))
        .layer(axum::middleware::map_response(crate::headers::secure))
        .with_state(state)
}

/// The language links: remembered in a cookie for a year.
async fn choose_language(Path(tag): Path<String>) -> Response {
    let lang: Language = tag.parse().unwrap_or_default();
    with_cookie(
        Redirect::to("/reports"),
        set_cookie("qf_lang", lang.tag(), 365 * 24 * 3600, false),
    )
}

/// Redirects after a POST (303, so a reload does not resubmit).
pub fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}
