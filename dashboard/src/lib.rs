//! # qingfeng-dashboard
//!
//! The staff web application: axum with askama templates, server-rendered and usable without
//! JavaScript, zh-CN first with English.
//!
//! ## Layout
//! - [`password`]: argon2id hashes of staff passwords.
//! - `session`: the session cookie, the `SignedIn` extractor, CSRF checks.
//! - `sign_in`, `throttle`, [`totp`]: sign-in with password and optional TOTP, and the
//!   per-account and per-address limits on guessing.
//! - `routes`: one router per area — sign-in, reports (queue, case file, print view), campaigns,
//!   quizzes, statistics, posters, account, audit log, health.
//! - `charts`, `qr`: SVG charts for statistics and QR codes for posters.
//! - `headers`: security headers on every response.
//! - `error`: the one error type, rendered as a page with the right status.
//! - `text`: localised text for templates (`locales/*/dashboard.ftl`), and the SANDBOX banner flag;
//!   `schedule_text`: a campaign's cron schedule in words ("每周一 09:00").
//! - [`sandbox`]: the [`sandbox::SandboxChats`] trait `serve --sandbox` implements over its
//!   in-process fake Telegram, and the safe rendering of the bot's formatting; the
//!   `/sandbox` chat page is in `routes`.
//!
//! Roles are enforced where reports are read ([`qingfeng_core::store::ReportScope`]): a
//! township account asking for another township's report gets 404, not a hidden button.

mod charts;
mod error;
mod headers;
pub mod password;
mod qr;
mod routes;
pub mod sandbox;
mod schedule_text;
mod session;
mod sign_in;
mod text;
mod throttle;
pub mod totp;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use axum::Router;
use qingfeng_core::channel::FileSource;
use qingfeng_core::config::{DashboardSection, HttpSection, QuizSection, RankingPeriod};
use qingfeng_core::deeplink::LinkSigner;
use qingfeng_core::domain::Campaign;
use qingfeng_core::reports::{ReportKeys, ReportSettings};
use qingfeng_core::store::{ManualRun, ManualRunGuard, SignInPolicy};
use qingfeng_core::{Store, StoreError};
use tokio::net::TcpListener;

pub use error::DashboardError;
pub use session::token_hash as session_token_hash;
pub use throttle::SignInLimiter;

/// How the dashboard behaves; from the configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (the dashboard is served over HTTPS, e.g. behind a proxy).
    pub secure_cookies: bool,
    pub session_hours: i64,
    /// Failed sign-ins before a name locks, for how long, and when failures are forgotten.
    pub sign_in: SignInPolicy,
    /// Sign-in attempts per client address and overall, per minute.
    pub sign_in_limiter: Arc<SignInLimiter>,
    /// The header a reverse proxy puts the client's address in (e.g. `X-Real-IP`); without
    /// one, the socket's peer address is the client.
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// The quiz ranking period, as the bot keeps it.
    pub quiz_period: RankingPeriod,
    /// Every account must set up a TOTP second factor before using the dashboard.
    pub require_totp: bool,
}

impl Default for Settings {
    /// The configured values' defaults come from the configuration's sections.
    fn default() -> Self {
        Settings::new(
            &HttpSection::default(),
            &DashboardSection::default(),
            &QuizSection::default(),
        )
    }
}

impl Settings {
    /// The settings for the `[http]` and `[dashboard]` sections (and the quiz ranking period
    /// the statistics page shows), each taken whole; sign-in tuning is built in.
    pub fn new(http: &HttpSection, dashboard: &DashboardSection, quiz: &QuizSection) -> Self {
        Settings {
            secure_cookies: http.secure_cookies,
            session_hours: 8,
            sign_in: SignInPolicy {
                failures: 5,
                lock_for: chrono::TimeDelta::minutes(15),
                forget_after: chrono::TimeDelta::hours(1),
            },
            sign_in_limiter: Arc::new(SignInLimiter::new(10, 120)),
            // Checked when the configuration was read (a header name).
            client_ip_header: http
                .client_ip_header
                .as_deref()
                .and_then(|h| h.parse().ok()),
            quiz_period: quiz.ranking_period,
            require_totp: dashboard.require_totp,
        }
    }
}

/// Starts a campaign run now. `serve` implements it with the scheduler's planner (quiet hours
/// and all); the dashboard itself does not depend on the scheduler.
pub trait CampaignRunner: Send + Sync {
    fn run_now(
        &self,
        campaign: Campaign,
        guard: ManualRunGuard,
    ) -> Pin<Box<dyn Future<Output = Result<ManualRun, StoreError>> + Send + '_>>;
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Signs poster deep links (derived from the data key, as the bot checks them).
    pub links: LinkSigner,
    /// The bot's username, known once the bot has connected to Telegram.
    pub bot_username: Arc<OnceLock<String>>,
    pub report_keys: ReportKeys,
    pub reports: ReportSettings,
    pub settings: Settings,
    /// `None` in tools and tests that run no scheduler: the "run now" button is hidden.
    pub campaign_runner: Option<Arc<dyn CampaignRunner>>,
    /// Where evidence files are fetched from (Telegram); `None` hides the download links.
    pub files: Option<Arc<dyn FileSource>>,
    /// The test people's chats in `serve --sandbox`; `None` in real mode, where the sandbox
    /// pages do not exist and no page shows the SANDBOX banner.
    pub sandbox: Option<Arc<dyn sandbox::SandboxChats>>,
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
    // The peer address feeds the sign-in limits (`throttle::ClientAddr`).
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
