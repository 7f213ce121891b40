//! Changing one's own password (every session of the account ends; sign in again).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use super::see_other;
use crate::session::{SESSION_COOKIE, SignedIn, set_cookie, with_cookie};
use crate::text::Tr;
use crate::{AppState, DashboardError, password};

pub fn router() -> Router<AppState> {
    Router::new().route("/account/password", get(page).post(change))
}

#[derive(Template, WebTemplate)]
#[template(path = "password.html")]
struct PasswordPage {
    tr: Tr,
    csrf: String,
    username: String,
    is_admin: bool,
    error: Option<String>,
}

async fn page(tr: Tr, signed_in: SignedIn) -> PasswordPage {
    PasswordPage {
        tr,
        csrf: signed_in.csrf.clone(),
        username: signed_in.staff.username.to_string(),
        is_admin: signed_in.is_admin(),
        error: None,
    }
}

#[derive(Deserialize)]
struct Change {
    #[serde(default)]
    csrf: String,
    current: String,
    new: String,
    confirm: String,
}

async fn change(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Form(form): Form<Change>,
) -> Result<Response, DashboardError> {
    signed_in.check_csrf(&form.csrf)?;
    let username = signed_in.staff.username.to_string();
    let refuse = |message: String| {
        use axum::response::IntoResponse;
        PasswordPage {
            tr,
            csrf: signed_in.csrf.clone(),
            username: username.clone(),
            is_admin: signed_in.is_admin(),
            error: Some(message),
        }
        .into_response()
    };
    let login = state
        .store
        .staff_login(&username)
        .await?
        .ok_or(DashboardError::NotFound)?;
    if !password::verify(&form.current, &login.password_hash) {
        return Ok(refuse(tr.t("dash-password-current-wrong")));
    }
    if form.new != form.confirm {
        return Ok(refuse(tr.t("dash-password-mismatch")));
    }
    let hash = match password::hash(&form.new) {
        Ok(hash) => hash,
        Err(error) => return Ok(refuse(error.to_string())),
    };
    state
        .store
        .set_staff_password(login.staff.id, &hash)
        .await?;
    state
        .store
        .audit(&username, "password.change", None, None)
        .await?;
    Ok(with_cookie(
        see_other("/login"),
        set_cookie(SESSION_COOKIE, "", 0, state.settings.secure_cookies),
    ))
}
