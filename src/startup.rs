//! Building and running the whole service in one process: store, content, dashboard, bot.
//! Tests use [`Application`] directly, with their own shutdown future.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use qingfeng_core::config::{Config, ConfigError, ServeConfig};
use qingfeng_core::deeplink;
use qingfeng_core::reports::ReportKeys;
use qingfeng_core::{Store, StoreError, content};
use tokio::net::TcpListener;
use tokio::sync::watch;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot load the default content: {0}")]
    Content(#[from] content::ImportError),
    #[error(
        "the database has no {0}, so the bot would offer an empty menu; import them with `qingfeng content import PATH`"
    )]
    NoContent(&'static str),
    #[error(
        "cannot listen on {addr}: {source}. Set QINGFENG_HTTP_ADDR (or http.addr) to a free address"
    )]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Bot(#[from] qingfeng_bot::StartError),
    #[error("{0}")]
    Reports(#[from] qingfeng_core::reports::ReportError),
}

pub struct Application {
    serve: ServeConfig,
    store: Store,
    report_keys: ReportKeys,
    listener: TcpListener,
    /// `serve --sandbox`: the simulated Telegram's chats, for the dashboard's chat page.
    sandbox: Option<Arc<dyn qingfeng_dashboard::sandbox::SandboxChats>>,
}

impl Application {
    /// Checks the configuration, opens and migrates the store, loads content into an empty
    /// store and binds the HTTP port. Nothing talks to Telegram yet.
    pub async fn build(config: Config) -> Result<Application, StartupError> {
        Self::build_with(config, None).await
    }

    /// [`Application::build`], in the sandbox when `sandbox` holds the simulator's chats.
    pub async fn build_with(
        config: Config,
        sandbox: Option<Arc<dyn qingfeng_dashboard::sandbox::SandboxChats>>,
    ) -> Result<Application, StartupError> {
        let serve = config.for_serve()?;
        let config = &serve.config;
        let store = Store::open(&config.database.url, config.database.max_connections).await?;
        ensure_content(&store, config).await?;
        require_content(&store).await?;
        let report_keys = ReportKeys::load_or_create(&store, &serve.data_key).await?;
        let listener = TcpListener::bind(config.http.addr)
            .await
            .map_err(|source| StartupError::Listen {
                addr: config.http.addr,
                source,
            })?;
        Ok(Application {
            serve,
            store,
            report_keys,
            listener,
            sandbox,
        })
    }

    pub fn http_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Runs the bot, the scheduler and the dashboard until `shutdown` completes (or the bot
    /// cannot start), then stops all three and closes the store.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartupError> {
        let addr = self.http_addr();
        let (stop_tx, stop_rx) = watch::channel(false);
        let stopped = |mut rx: watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|stop| *stop).await;
        };
        let config = &self.serve.config;
        let bot_username = Arc::new(OnceLock::new());
        let dashboard_state = qingfeng_dashboard::AppState {
            store: self.store.clone(),
            links: deeplink::signer(&self.serve.data_key),
            bot_username: bot_username.clone(),
            report_keys: self.report_keys.clone(),
            reports: config.reports.clone(),
            settings: qingfeng_dashboard::Settings::new(
                &config.http,
                &config.dashboard,
                &config.quiz,
            ),
            files: Some(Arc::new(qingfeng_bot::TelegramFiles::new(
                self.serve.token.expose(),
                config.telegram.api_url.clone(),
            ))),
            campaign_runner: Some(Arc::new(PlannerRunner {
                store: self.store.clone(),
                settings: scheduler_settings(config),
            })),
            sandbox: self.sandbox.clone(),
        };
        let dashboard = tokio::spawn(qingfeng_dashboard::serve(
            self.listener,
            dashboard_state,
            stopped(stop_rx.clone()),
        ));
        tracing::info!(%addr, "dashboard listening");

        let settings =
            qingfeng_bot::Settings::new(&self.serve, self.report_keys.clone(), bot_username);
        let channel = qingfeng_bot::TelegramChannel::new(&settings.token, settings.api_url.clone());
        let scheduler = tokio::spawn(qingfeng_scheduler::run(
            self.store.clone(),
            channel,
            scheduler_settings(config),
            self.report_keys.clone(),
            config.reports.clone(),
            stopped(stop_rx.clone()),
        ));
        let bot = qingfeng_bot::run(settings, self.store.clone(), stopped(stop_rx));
        let signal_tx = stop_tx.clone();
        tokio::spawn(async move {
            shutdown.await;
            let _ = signal_tx.send(true);
        });

        let result = bot.await;
        let _ = stop_tx.send(true);
        if let Err(error) = dashboard.await {
            tracing::error!(%error, "the dashboard task failed");
        }
        if let Err(error) = scheduler.await {
            tracing::error!(%error, "the scheduler task failed");
        }
        self.store.close().await;
        tracing::info!("stopped");
        Ok(result?)
    }
}

/// "Run now" from the dashboard, through the planner (quiet hours apply as for the CLI).
struct PlannerRunner {
    store: Store,
    settings: qingfeng_scheduler::Settings,
}

impl qingfeng_dashboard::CampaignRunner for PlannerRunner {
    fn run_now(
        &self,
        campaign: qingfeng_core::domain::Campaign,
        guard: qingfeng_core::store::ManualRunGuard,
    ) -> std::pin::Pin<
        Box<dyn Future<Output = Result<qingfeng_core::store::ManualRun, StoreError>> + Send + '_>,
    > {
        Box::pin(async move {
            qingfeng_scheduler::planner::run_now(
                &self.store,
                &campaign,
                &self.settings.quiet_hours,
                self.settings.time_zone,
                chrono::Utc::now(),
                guard,
            )
            .await
        })
    }
}

pub fn scheduler_settings(config: &Config) -> qingfeng_scheduler::Settings {
    qingfeng_scheduler::Settings::new(&config.scheduler, config.time_zone())
}

/// Onboarding needs townships and reports need categories and desks: on a fresh store, import
/// the configured content directory; on an older store, the report files it lacks (or whose
/// stored form is out of date).
async fn ensure_content(store: &Store, config: &Config) -> Result<(), StartupError> {
    if !store.townships().await?.is_empty() {
        let missing = [
            (
                "categories.toml",
                store.report_categories().await?.is_empty(),
            ),
            // Also when only the first routing schema (no higher body) is stored.
            ("routing.toml", store.routing().await?.is_none()),
        ];
        for (file, empty) in missing {
            let path = config.content_dir.join(file);
            if empty && path.is_file() {
                for line in content::import(store, &path).await?.lines {
                    tracing::info!("imported {line}");
                }
            }
        }
        return Ok(());
    }
    let report = if config.content_dir.is_dir() {
        content::import(store, &config.content_dir).await?
    } else {
        // A packaged install runs outside the checkout: the county's content is in the binary.
        tracing::info!(
            dir = %config.content_dir.display(),
            "no content directory here; importing the content built into the binary"
        );
        content::import_shipped(store).await?
    };
    for line in report.lines {
        tracing::info!("imported {line}");
    }
    Ok(())
}

/// Refuses to serve a store that would offer an empty menu: onboarding needs townships, and
/// reports need categories and desks.
async fn require_content(store: &Store) -> Result<(), StartupError> {
    let missing = if store.townships().await?.is_empty() {
        Some("townships (regions.toml)")
    } else if store.report_categories().await?.is_empty() {
        Some("report categories (categories.toml)")
    } else if store.desks().await?.is_empty() {
        Some("desks (routing.toml)")
    } else {
        None
    };
    match missing {
        Some(what) => Err(StartupError::NoContent(what)),
        None => Ok(()),
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM (systemd, docker stop).
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("install the SIGTERM handler");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
    tracing::info!("shutdown requested");
}
