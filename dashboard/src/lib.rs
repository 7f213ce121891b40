//! # qingfeng-dashboard
//!
//! The staff web application: axum with askama templates, server-rendered and usable without
//! JavaScript, zh-CN first with English.
//!
//! ## Layout
//! - [`password`]: argon2id hashes of staff passwords.
//! - `session`: the session cookie, the `SignedIn` extractor, CSRF checks.
//! - `routes`: one router per area — sign-in, reports, account, audit log.
//! - `error`: the one error type, rendered as a page with the right status.
//! - `text`: localised text for templates (`locales/*/dashboard.ftl`).
//!
//! Roles are enforced where reports are read ([`qingfeng_core::store::ReportScope`]): a
//! township account asking for another township's report gets 404, not a hidden button.

mod charts;
mod error;
pub mod password;
mod qr;
mod routes;
mod session;
mod text;
pub mod totp;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use axum::Router;
use qingfeng_core::channel::FileSource;
use qingfeng_core::config::RankingPeriod;
use qingfeng_core::crypto::Signer;
use qingfeng_core::domain::Campaign;
use qingfeng_core::reports::{ReportKeys, ReportSettings};
use qingfeng_core::store::RunFigures;
use qingfeng_core::{Store, StoreError};
use tokio::net::TcpListener;

pub use error::DashboardError;
pub use session::token_hash as session_token_hash;

/// How the dashboard behaves; from the configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (the dashboard is served over HTTPS, e.g. behind a proxy).
    pub secure_cookies: bool,
    pub session_hours: i64,
    /// Failed sign-ins before an account locks, and for how long.
    pub lockout_failures: i32,
    pub lockout_minutes: i64,
    /// The quiz ranking period, as the bot keeps it.
    pub quiz_period: RankingPeriod,
    /// Every account must set up a TOTP second factor before using the dashboard.
    pub require_totp: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            secure_cookies: false,
            session_hours: 8,
            lockout_failures: 5,
            lockout_minutes: 15,
            quiz_period: RankingPeriod::Week,
            require_totp: false,
        }
    }
}

/// Starts a campaign run now. `serve` implements it with the scheduler's planner (quiet hours
/// and all); the dashboard itself does not depend on the scheduler.
pub trait CampaignRunner: Send + Sync {
    fn run_now(
        &self,
        campaign: Campaign,
    ) -> Pin<Box<dyn Future<Output = Result<Option<RunFigures>, StoreError>> + Send + '_>>;
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Signs poster deep links (derived from the data key, as the bot checks them).
    pub links: Signer,
    /// The bot's username, known once the bot has connected to Telegram.
    pub bot_username: Arc<OnceLock<String>>,
    pub report_keys: ReportKeys,
    pub reports: ReportSettings,
    pub settings: Settings,
    /// `None` in tools and tests that run no scheduler: the "run now" button is hidden.
    pub campaign_runner: Option<Arc<dyn CampaignRunner>>,
    /// Where evidence files are fetched from (Telegram); `None` hides the download links.
    pub files: Option<Arc<dyn FileSource>>,
}

pub fn router(state: AppState) -> Router {
    routes::router(state)
}

/// Serves until `shutdown` completes, then finishes requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
