//! Checking a password (and second factor): one path for the sign-in form and for the current
//! password on the change-password form, so both count against the same lockout.
//!
//! In order: the client's attempt budget (per address and overall), then an attempt reserved
//! for the name typed — before any password is checked, and the same for names that do not
//! exist — then the password (off the async threads; a decoy hash for unknown names), then the
//! TOTP code, whose time step may be used once. Every refusal looks the same to the client.

use std::net::IpAddr;
use std::time::Instant;

use chrono::{DateTime, Utc};
use qingfeng_core::store::{SignInSlot, StaffLogin};

use crate::{AppState, DashboardError, password, totp};

pub enum Verdict {
    Accepted(StaffLogin),
    /// Wrong name, password or code: one answer for all of them.
    Refused,
    /// Too many failures for this name (known or not) until then.
    Locked {
        until: DateTime<Utc>,
    },
    /// Too many attempts from this address or from everyone, or the checker is saturated.
    TooMany,
}

/// What is being checked.
pub struct Credentials<'a> {
    pub username: &'a str,
    pub password: &'a str,
    /// The authenticator code from the sign-in form; `None` when the session already passed
    /// the second factor (changing one's password).
    pub code: Option<&'a str>,
    /// Written to the audit log when a known account's check fails.
    pub audit_failure: &'static str,
}

pub async fn check(
    state: &AppState,
    client: Option<IpAddr>,
    credentials: Credentials<'_>,
) -> Result<Verdict, DashboardError> {
    if !state.settings.sign_in_limiter.allow(client, Instant::now()) {
        return Ok(Verdict::TooMany);
    }
    let store = &state.store;
    let now = Utc::now();
    let bucket = state.report_keys.sign_in_bucket(credentials.username);
    if let SignInSlot::Locked { until } = store
        .reserve_sign_in(&bucket, state.settings.sign_in, now)
        .await?
    {
        return Ok(Verdict::Locked { until });
    }
    let login = store.staff_login(credentials.username).await?;
    let hash = login
        .as_ref()
        .map_or(password::decoy(), |l| l.password_hash.as_str());
    let Ok(password_ok) = password::verify_off_thread(credentials.password, hash).await else {
        return Ok(Verdict::TooMany);
    };
    let Some(login) = login else {
        return Ok(Verdict::Refused);
    };
    let failed = if !password_ok {
        Some("password")
    } else if !second_factor_ok(state, &login, credentials.code, now).await? {
        Some("code")
    } else {
        None
    };
    if let Some(what) = failed {
        store
            .audit(
                login.staff.username.as_str(),
                credentials.audit_failure,
                None,
                Some(what),
            )
            .await?;
        return Ok(Verdict::Refused);
    }
    store.clear_sign_in_failures(&bucket).await?;
    Ok(Verdict::Accepted(login))
}

async fn second_factor_ok(
    state: &AppState,
    login: &StaffLogin,
    code: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DashboardError> {
    let (Some(code), Some(sealed)) = (code, login.totp_secret.as_deref()) else {
        return Ok(true);
    };
    let step = totp::open(&state.report_keys, login.staff.id, sealed)
        .and_then(|secret| totp::verify(&secret, code, now.timestamp()));
    Ok(match step {
        Some(step) => state.store.accept_totp_step(login.staff.id, step).await?,
        None => false,
    })
}
