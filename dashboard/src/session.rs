//! Sessions: a random token in an HttpOnly, SameSite=Strict cookie (Secure when configured);
//! the store keeps only its SHA-256. Each session has a CSRF token that every form carries.

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use qingfeng_core::crypto;
use qingfeng_core::domain::{Staff, StaffRole};
use sha2::{Digest, Sha256};

use crate::{AppState, DashboardError};

pub const SESSION_COOKIE: &str = "qf_session";

/// A random token for cookies and forms.
pub fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(crypto::random_bytes::<32>())
}

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The value of cookie `name`, if the request has it.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with the attributes every dashboard cookie has.
pub fn set_cookie(name: &str, value: &str, max_age_seconds: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}{secure}"
    );
    HeaderValue::from_str(&value).expect("cookie values are ASCII")
}

/// Adds a cookie to a response.
pub fn with_cookie(response: impl IntoResponse, cookie: HeaderValue) -> Response {
    let mut response = response.into_response();
    response.headers_mut().append(SET_COOKIE, cookie);
    response
}

/// Compares in constant time.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The signed-in staff member, and their session's CSRF token. Pages that need a session take
/// this; without one the browser is sent to the sign-in page.
pub struct SignedIn {
    pub staff: Staff,
    pub csrf: String,
    pub token_hash: String,
}

impl SignedIn {
    /// Refuses a form whose CSRF token is missing or wrong.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), DashboardError> {
        if same(submitted, &self.csrf) {
            Ok(())
        } else {
            Err(DashboardError::Forbidden(
                "the form is missing its CSRF token or it is stale; reload the page",
            ))
        }
    }

    /// Pages that span the county (statistics, campaigns, quizzes): admin and county accounts;
    /// for a township account they do not exist.
    pub fn county_wide(&self) -> Result<(), DashboardError> {
        match self.staff.role {
            StaffRole::Admin | StaffRole::County => Ok(()),
            StaffRole::Township(_) => Err(DashboardError::NotFound),
        }
    }

    pub fn is_admin(&self) -> bool {
        self.staff.role == StaffRole::Admin
    }
}

/// What the navigation bar of every signed-in page needs.
pub struct Nav {
    pub csrf: String,
    pub username: String,
    pub is_admin: bool,
    /// Admin and county accounts: the county-wide pages (campaigns, quizzes) are in the menu.
    pub county_wide: bool,
}

impl From<&SignedIn> for Nav {
    fn from(signed_in: &SignedIn) -> Nav {
        Nav {
            csrf: signed_in.csrf.clone(),
            username: signed_in.staff.username.to_string(),
            is_admin: signed_in.is_admin(),
            county_wide: signed_in.county_wide().is_ok(),
        }
    }
}

pub enum NotSignedIn {
    Redirect,
    /// Signed in, but a second factor is required and not set up yet.
    SetUpTotp,
    Failed(DashboardError),
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        match self {
            NotSignedIn::Redirect => Redirect::to("/login").into_response(),
            NotSignedIn::SetUpTotp => Redirect::to("/account/totp").into_response(),
            NotSignedIn::Failed(error) => error.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = NotSignedIn;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(NotSignedIn::Redirect)?;
        let token_hash = token_hash(token);
        let session = state
            .store
            .session(&token_hash, Utc::now())
            .await
            .map_err(|e| NotSignedIn::Failed(e.into()))?;
        let (staff, csrf) = session.ok_or(NotSignedIn::Redirect)?;
        let enrolling = matches!(parts.uri.path(), "/account/totp" | "/logout");
        if state.settings.require_totp && !staff.totp && !enrolling {
            return Err(NotSignedIn::SetUpTotp);
        }
        Ok(SignedIn {
            staff,
            csrf,
            token_hash,
        })
    }
}
