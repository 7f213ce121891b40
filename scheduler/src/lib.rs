//! # qingfeng-scheduler
//!
//! Scheduled reminders: campaign schedules (cron and explicit dates, evaluated in the configured
//! time zone), the working-day calendar, runs fanned out into the outbox, and the rate-limited
//! delivery worker. The bot never calls this crate: both meet in the store, and the worker sends
//! through the narrow [`qingfeng_core::channel::Channel`] trait.
//!
//! ## Layout
//! - [`timing`]: pure functions: firings, the active window, quiet hours.
//! - [`planner`]: firings → run rows (or `skipped` / `missed` rows); catch-up at start.
//! - [`worker`]: outbox → channel, within Telegram's limits, with retries and backoff.
//! - `rate`: the global pace and per-chat spacing.
//! - [`clock`]: the system clock, or a manual one that tests move step by step.
//! - [`deadlines`]: report deadline alerts and housekeeping (expired drafts, old limits).

pub mod clock;
pub mod deadlines;
pub mod planner;
mod rate;
pub mod timing;
pub mod worker;

use std::future::Future;
use std::time::Duration;

use chrono_tz::Tz;
use qingfeng_core::Store;
use qingfeng_core::channel::Channel;
use qingfeng_core::config::SchedulerSection;
use qingfeng_core::reports::{ReportKeys, ReportSettings};

pub use clock::Clock;
pub use planner::Planner;
pub use timing::QuietHours;
pub use worker::Worker;

/// Scheduling and delivery settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub time_zone: Tz,
    pub quiet_hours: QuietHours,
    /// Messages per second overall; Telegram allows about 30 (1000 with paid broadcasts).
    pub rate_per_second: f64,
    pub per_chat_interval: Duration,
    /// Telegram allows 20 messages a minute to a group.
    pub per_group_interval: Duration,
    /// Deliveries claimed at once; also the bound on re-sends after a crash.
    pub batch_size: i64,
    pub max_in_flight: usize,
    /// Attempts before a delivery with transient errors is marked failed.
    pub max_attempts: i32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// How often an idle worker looks for deliveries enqueued by another process.
    pub idle_poll: Duration,
}

impl Default for Settings {
    /// The configured values' defaults come from the `[scheduler]` section, the rest are tuning.
    fn default() -> Self {
        Settings::new(
            &SchedulerSection::default(),
            ReportSettings::default().time_zone,
        )
    }
}

impl Settings {
    /// The settings for a `[scheduler]` section, taken whole, in the service's time zone.
    pub fn new(section: &SchedulerSection, time_zone: Tz) -> Self {
        Settings {
            time_zone,
            quiet_hours: QuietHours::from_section(section),
            rate_per_second: section.rate_per_second,
            per_chat_interval: Duration::from_secs(1),
            per_group_interval: Duration::from_secs(3),
            batch_size: 16,
            max_in_flight: 8,
            max_attempts: 5,
            backoff_base: Duration::from_secs(2),
            backoff_max: Duration::from_secs(600),
            idle_poll: Duration::from_secs(1),
        }
    }
}

/// Runs the planner, the delivery worker and report housekeeping until `shutdown` completes.
pub async fn run<C: Channel>(
    store: Store,
    channel: C,
    settings: Settings,
    report_keys: ReportKeys,
    reports: ReportSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let stopped = move || {
        let mut rx = stop_rx.clone();
        async move {
            let _ = rx.wait_for(|stop| *stop).await;
        }
    };
    let planner = Planner::new(store.clone(), settings.clone(), Clock::System);
    let worker = Worker::new(store.clone(), channel, settings, Clock::System)
        .with_report_keys(report_keys.clone());
    let housekeeping = deadlines::run(store, report_keys, reports, Clock::System, stopped());
    let stop_planner = stopped();
    let stop_worker = stopped();
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    tokio::join!(
        planner.run(stop_planner),
        worker.run(stop_worker),
        housekeeping
    );
}
