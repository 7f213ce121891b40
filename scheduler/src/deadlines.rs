//! The report housekeeping loop: alerts desks to reports nearly due or overdue, purges finished
//! reports' content by retention (when configured), discards abandoned drafts, forgets old rate-limit windows and destroys past days' quota keys. Every
//! pass is idempotent.

use std::future::Future;
use std::time::Duration;

use qingfeng_core::Store;
use qingfeng_core::reports::{ReportKeys, ReportSettings, deadlines, retention};

use crate::clock::Clock;

/// How often the loop runs; deadlines are in days, so a few minutes late is harmless.
pub const INTERVAL: Duration = Duration::from_secs(600);

/// Rate-limit windows are at most a day long; older ones are no longer needed.
const RATE_WINDOW_KEPT: chrono::TimeDelta = chrono::TimeDelta::days(2);

/// One pass; returns how many reports were alerted.
pub async fn pass(
    store: &Store,
    keys: &ReportKeys,
    settings: &ReportSettings,
    clock: &Clock,
) -> usize {
    let now = clock.now();
    let alerted = match deadlines::scan(store, keys, settings, now).await {
        Ok(alerted) => alerted,
        Err(error) => {
            tracing::error!(%error, "the deadline scan failed");
            0
        }
    };
    if alerted > 0 {
        tracing::info!(reports = alerted, "deadline alerts queued");
    }
    match store.purge_dialogues(now).await {
        Ok(0) => {}
        Ok(n) => {
            tracing::info!(conversations = n, "abandoned conversations discarded");
            // They may have been report drafts: leave no copy in SQLite's write-ahead log.
            if let Err(error) = store.trim_wal().await {
                tracing::warn!(%error, "cannot trim the write-ahead log");
            }
        }
        Err(error) => tracing::error!(%error, "cannot discard abandoned conversations"),
    }
    if let Err(error) = store.purge_rate_limits(now - RATE_WINDOW_KEPT).await {
        tracing::error!(%error, "cannot purge old rate-limit windows");
    }
    if !settings.retention.is_off() {
        match retention::run(store, &settings.retention, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(reports = n, "report content purged by retention"),
            Err(error) => tracing::error!(%error, "the retention pass failed"),
        }
    }
    // Yesterday's quota key goes once the day is over: its buckets then match no chat.
    if let Err(error) = store.purge_quota_keys(now.date_naive()).await {
        tracing::error!(%error, "cannot destroy old quota keys");
    }
    alerted
}

pub async fn run(
    store: Store,
    keys: ReportKeys,
    settings: ReportSettings,
    clock: Clock,
    shutdown: impl Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        pass(&store, &keys, &settings, &clock).await;
        let wake = clock.now() + chrono::Duration::from_std(INTERVAL).unwrap_or_default();
        tokio::select! {
            () = clock.sleep_until(wake) => {}
            () = &mut shutdown => return,
        }
    }
}
