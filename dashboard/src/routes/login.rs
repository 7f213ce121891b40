//! Signing in and out. A wrong username, password or code get the same answer; after repeated
//! failures the name locks for a while, even for the right password, whether or not an
//! account has it (see `sign_in`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{TimeDelta, Utc};
use serde::Deserialize;

use super::see_other;
use crate::session::{
    SESSION_COOKIE, SignedIn, cookie, random_token, same, set_cookie, token_hash, with_cookie,
};
use crate::sign_in::{self, Verdict};
use crate::text::Tr;
use crate::throttle::ClientAddr;
use crate::{AppState, DashboardError};

const LOGIN_COOKIE: &str = "qf_login";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(sign_in))
        .route("/logout", post(sign_out))
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    tr: Tr,
    csrf: String,
    error: Option<String>,
}

/// The form carries a fresh token that must match a cookie set with it (double submit): a
/// sign-in form cannot be posted from another site.
fn login_form(state: &AppState, tr: Tr, error: Option<String>) -> Response {
    let csrf = random_token();
    let page = LoginPage {
        tr,
        csrf: csrf.clone(),
        error,
    };
    with_cookie(
        page,
        set_cookie(LOGIN_COOKIE, &csrf, 3600, state.settings.secure_cookies),
    )
}

async fn login_page(State(state): State<AppState>, tr: Tr) -> Response {
    login_form(&state, tr, None)
}

#[derive(Deserialize)]
struct SignIn {
    username: String,
    password: String,
    /// The authenticator code, for accounts with a second factor.
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf: String,
}

async fn sign_in(
    State(state): State<AppState>,
    tr: Tr,
    client: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Result<Response, DashboardError> {
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same(expected, &form.csrf) {
        return Err(DashboardError::Forbidden(
            "the sign-in form is stale; reload the page",
        ));
    }
    let credentials = sign_in::Credentials {
        username: form.username.trim(),
        password: &form.password,
        code: Some(&form.code),
        audit_failure: "login.failed",
    };
    let login = match sign_in::check(&state, client.0, credentials).await? {
        Verdict::Accepted(login) => login,
        Verdict::Refused => return Ok(login_form(&state, tr, Some(tr.t("dash-login-wrong")))),
        Verdict::Locked { until } => {
            let local = until
                .with_timezone(&state.reports.time_zone)
                .format("%H:%M");
            let message = format!("{} {local}", tr.t("dash-login-locked"));
            return Ok(login_form(&state, tr, Some(message)));
        }
        Verdict::TooMany => {
            let mut page = login_form(&state, tr, Some(tr.t("dash-login-busy")));
            *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            return Ok(page);
        }
    };
    let store = &state.store;
    let now = Utc::now();
    let token = random_token();
    let hours = state.settings.session_hours;
    store
        .create_session(
            &token_hash(&token),
            login.staff.id,
            &random_token(),
            now + TimeDelta::hours(hours),
        )
        .await?;
    store
        .audit(login.staff.username.as_str(), "login", None, None)
        .await?;
    Ok(with_cookie(
        see_other("/reports"),
        set_cookie(
            SESSION_COOKIE,
            &token,
            hours * 3600,
            state.settings.secure_cookies,
        ),
    ))
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

async fn sign_out(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, DashboardError> {
    signed_in.check_csrf(&form.csrf)?;
    state.store.delete_session(&signed_in.token_hash).await?;
    state
        .store
        .audit(signed_in.staff.username.as_str(), "logout", None, None)
        .await?;
    Ok(with_cookie(
        see_other("/login"),
        set_cookie(SESSION_COOKIE, "", 0, state.settings.secure_cookies),
    ))
}
