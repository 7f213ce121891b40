//! Changing one's own password (every session of the account ends; sign in again).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use super::see_other;
use crate::session::{Nav, SESSION_COOKIE, SignedIn, set_cookie, with_cookie};
use crate::sign_in::{self, Verdict};
use crate::text::Tr;
use crate::throttle::ClientAddr;
use crate::{AppState, DashboardError, password, totp};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/password", get(page).post(change))
        .route("/account/totp", get(totp_page).post(enable_totp))
}

#[derive(Template, WebTemplate)]
#[template(path = "totp.html")]
struct TotpPage {
    tr: Tr,
    nav: Nav,
    enabled: bool,
    secret: String,
    uri: String,
    qr_svg: String,
    error: Option<String>,
}

fn totp_page_for(signed_in: &SignedIn, tr: Tr, secret: String, error: Option<String>) -> TotpPage {
    let username = signed_in.staff.username.to_string();
    let uri = totp::uri(&secret, &username);
    TotpPage {
        tr,
        nav: Nav::from(signed_in),
        enabled: signed_in.staff.totp,
        qr_svg: crate::qr::svg(&uri).unwrap_or_default(),
        secret,
        uri,
        error,
    }
}

async fn totp_page(tr: Tr, signed_in: SignedIn) -> TotpPage {
    totp_page_for(&signed_in, tr, totp::new_secret(), None)
}

#[derive(Deserialize)]
struct EnableTotp {
    #[serde(default)]
    csrf: String,
    secret: String,
    code: String,
}

/// Turns the second factor on once the app shows a matching code (so a mistyped secret cannot
/// lock the account out).
async fn enable_totp(
    State(state): State<AppState>,
    tr: Tr,
    signed_in: SignedIn,
    Form(form): Form<EnableTotp>,
) -> Result<Response, DashboardError> {
    use axum::response::IntoResponse;
    signed_in.check_csrf(&form.csrf)?;
    if signed_in.staff.totp {
        return Err(DashboardError::BadRequest(tr.t("dash-totp-enabled")));
    }
    let now = chrono::Utc::now().timestamp();
    let Some(step) = totp::verify(&form.secret, &form.code, now) else {
        let page = totp_page_for(
            &signed_in,
            tr,
            form.secret.clone(),
            Some(tr.t("dash-login-code")),
        );
        return Ok(page.into_response());
    };
    let sealed = totp::seal(&state.report_keys, signed_in.staff.id, &form.secret);
    state
        .store
        .set_staff_totp(signed_in.staff.id, Some(&sealed))
        .await?;
    // The code shown to turn it on cannot then sign anyone in.
    state
        .store
        .accept_totp_step(signed_in.staff.id, step)
        .await?;
    state
        .store
        .audit(signed_in.staff.username.as_str(), "totp.enable", None, None)
        .await?;
    Ok(see_other("/reports"))
}

#[derive(Template, WebTemplate)]
#[template(path = "password.html")]
struct PasswordPage {
    tr: Tr,
    nav: Nav,
    error: Option<String>,
}

async fn page(tr: Tr, signed_in: SignedIn) -> PasswordPage {
    PasswordPage {
        tr,
        nav: Nav::from(&signed_in),
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

/// The current password is checked like a sign-in and counts against the same lockout: a
/// stolen session cannot be used to guess it. When the name locks, the session ends too.
async fn change(
    State(state): State<AppState>,
    tr: Tr,
    client: ClientAddr,
    signed_in: SignedIn,
    Form(form): Form<Change>,
) -> Result<Response, DashboardError> {
    signed_in.check_csrf(&form.csrf)?;
    let username = signed_in.staff.username.to_string();
    let refuse = |message: String| {
        use axum::response::IntoResponse;
        PasswordPage {
            tr,
            nav: Nav::from(&signed_in),
            error: Some(message),
        }
        .into_response()
    };
    let credentials = sign_in::Credentials {
        username: &username,
        password: &form.current,
        code: None,
        audit_failure: "password.change.failed",
    };
    let login = match sign_in::check(&state, client.0, credentials).await? {
        Verdict::Accepted(login) => login,
        Verdict::Refused => return Ok(refuse(tr.t("dash-password-current-wrong"))),
        Verdict::TooMany => return Ok(refuse(tr.t("dash-login-busy"))),
        Verdict::Locked { .. } => {
            state.store.delete_session(&signed_in.token_hash).await?;
            state
                .store
                .audit(
                    &username,
                    "logout",
                    None,
                    Some("locked: wrong current passwords"),
                )
                .await?;
            return Ok(with_cookie(
                see_other("/login"),
                set_cookie(SESSION_COOKIE, "", 0, state.settings.secure_cookies),
            ));
        }
    };
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
