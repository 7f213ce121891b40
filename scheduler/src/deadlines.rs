//! The report housekeeping loop: alerts desks to reports nearly due or overdue, discards
//! abandoned drafts and forgets old rate-limit windows. Every pass is idempotent.

use std::future::Future;
use std::time::Duration;

use qingfeng_core::Store;
use qingfeng_core::reports::{ReportKeys, ReportSettings, deadlines};

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
    let ttl = chrono::Duration::from_std(settings.draft_ttl).unwrap_or_default();
    match store.purge_dialogues(now - ttl).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(conversations = n, "abandoned conversations discarded"),
        Err(error) => tracing::error!(%error, "cannot discard abandoned conversations"),
    }
    if let Err(error) = store.purge_rate_limits(now - RATE_WINDOW_KEPT).await {
        tracing::error!(%error, "cannot purge old rate-limit windows");
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
