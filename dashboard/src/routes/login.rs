//! Signing in and out. A wrong username and a wrong password get the same answer; after
//! repeated failures the account locks for a while, even for the right password.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{TimeDelta, Utc};
use serde::Deserialize;

use super::see_other;
use crate::session::{
    SESSION_COOKIE, SignedIn, cookie, random_token, same, set_cookie, token_hash, with_cookie,
};
use crate::text::Tr;
use crate::{AppState, DashboardError, password, totp};

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
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Result<Response, DashboardError> {
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same(expected, &form.csrf) {
        return Err(DashboardError::Forbidden(
            "the sign-in form is stale; reload the page",
        ));
    }
    let store = &state.store;
    let now = Utc::now();
    let Some(login) = store.staff_login(form.username.trim()).await? else {
        password::verify(&form.password, password::decoy());
        return Ok(login_form(&state, tr, Some(tr.t("dash-login-wrong"))));
    };
    if let Some(until) = login.locked_until.filter(|until| *until > now) {
        let local = until
            .with_timezone(&state.reports.time_zone)
            .format("%H:%M");
        let message = format!("{} {local}", tr.t("dash-login-locked"));
        return Ok(login_form(&state, tr, Some(message)));
    }
    let username = login.staff.username.to_string();
    let second_factor = |sealed: &str| {
        totp::open(&state.report_keys, login.staff.id, sealed)
            .is_some_and(|secret| totp::verify(&secret, &form.code, now.timestamp()))
    };
    let refusal = if !password::verify(&form.password, &login.password_hash) {
        Some(("password", "dash-login-wrong"))
    } else if login
        .totp_secret
        .as_deref()
        .is_some_and(|sealed| !second_factor(sealed))
    {
        Some(("totp", "dash-login-code"))
    } else {
        None
    };
    if let Some((what, message)) = refusal {
        let lock_until = now + TimeDelta::minutes(state.settings.lockout_minutes);
        store
            .record_failed_login(login.staff.id, state.settings.lockout_failures, lock_until)
            .await?;
        store
            .audit(&username, "login.failed", None, Some(what))
            .await?;
        return Ok(login_form(&state, tr, Some(tr.t(message))));
    }
    store.clear_failed_logins(login.staff.id).await?;
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
    store.audit(&username, "login", None, None).await?;
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
