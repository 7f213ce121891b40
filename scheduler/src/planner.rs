//! The planner: turns campaign schedules into runs. A firing becomes a run row (fanned out into
//! the outbox in the same transaction), a `skipped` row (not a working day) or, if the service
//! was down past the catch-up window, a `missed` row. The unique (campaign, firing) key means a
//! firing is acted on once, whatever restarts happen.

use std::future::Future;

use chrono::{DateTime, Duration, Utc};
use qingfeng_core::domain::Campaign;
use qingfeng_core::store::{ManualRun, ManualRunGuard, NoRun, Trigger};
use qingfeng_core::{Store, StoreError};

use crate::Settings;
use crate::clock::Clock;
use crate::timing::{self, QuietHours};

/// How far back the start-up check looks for a firing that has no row.
const LOOK_BACK: i64 = 35;
/// The setting that records [`Planner::first_start`].
const FIRST_START: &str = "scheduler.first_start";
/// Campaign changes (a new import) are picked up at least this often.
const RELOAD: i64 = 60;

pub struct Planner {
    store: Store,
    settings: Settings,
    clock: Clock,
}

impl Planner {
    pub fn new(store: Store, settings: Settings, clock: Clock) -> Self {
        Planner {
            store,
            settings,
            clock,
        }
    }

    async fn schedulable(&self) -> Result<Vec<Campaign>, StoreError> {
        Ok(self
            .store
            .campaigns()
            .await?
            .into_iter()
            .filter(|c| c.active && !c.paused)
            .map(|c| c.campaign)
            .collect())
    }

    /// At start: each campaign's most recent firing since the first start without a row is sent late if it is still
    /// inside the campaign's catch-up window, and recorded as missed otherwise.
    pub async fn catch_up(&self, now: DateTime<Utc>) -> Result<(), StoreError> {
        let first_start = self.first_start(now).await?;
        for campaign in self.schedulable().await? {
            let Some(firing) = timing::latest_firing(
                &campaign,
                self.settings.time_zone,
                now,
                Duration::days(LOOK_BACK),
            ) else {
                continue;
            };
            // Before the service ever ran nothing was missed: a new deployment does not report
            // (or send late) the reminders of the days before it was installed.
            if firing < first_start || self.store.run_exists(&campaign.id, firing).await? {
                continue;
            }
            if now - firing <= Duration::hours(i64::from(campaign.catch_up_hours)) {
                self.fire(&campaign, firing, Trigger::CatchUp, now).await?;
            } else if self
                .store
                .record_no_run(&campaign.id, firing, NoRun::Missed)
                .await?
            {
                tracing::warn!(campaign = %campaign.id, %firing, "a run was missed while the service was down");
            }
        }
        Ok(())
    }

    /// When the planner first ran against this database (stored the first time, so it stays
    /// the same across restarts and processes). A database from before this was recorded,
    /// which has runs, counts from its first run, so its downtime is still caught up.
    async fn first_start(&self, now: DateTime<Utc>) -> Result<DateTime<Utc>, StoreError> {
        let since = match self.store.earliest_run().await? {
            Some(earliest) => earliest.min(now),
            None => now,
        };
        let stored = self
            .store
            .kv_insert_once(FIRST_START, &since.to_rfc3339())
            .await?;
        DateTime::parse_from_rfc3339(&stored)
            .map(|at| at.with_timezone(&Utc))
            .map_err(|e| StoreError::Corrupt(format!("{FIRST_START}: {e}")))
    }

    /// Acts on every firing in `(since, now]`.
    pub async fn tick(&self, since: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), StoreError> {
        for campaign in self.schedulable().await? {
            for firing in timing::firings_between(&campaign, self.settings.time_zone, since, now) {
                if !self.store.run_exists(&campaign.id, firing).await? {
                    self.fire(&campaign, firing, Trigger::Schedule, now).await?;
                }
            }
        }
        Ok(())
    }

    async fn fire(
        &self,
        campaign: &Campaign,
        firing: DateTime<Utc>,
        trigger: Trigger,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let tz = self.settings.time_zone;
        if campaign.working_days_only {
            let calendar = self.store.working_calendar().await?;
            if !calendar.is_working_day(firing.with_timezone(&tz).date_naive()) {
                self.store
                    .record_no_run(&campaign.id, firing, NoRun::Skipped)
                    .await?;
                tracing::info!(campaign = %campaign.id, %firing, "not a working day; run skipped");
                return Ok(());
            }
        }
        let send_after =
            timing::send_after(campaign, firing.max(now), &self.settings.quiet_hours, tz);
        if let Some(run) = self
            .store
            .create_run(campaign, firing, trigger, send_after)
            .await?
        {
            tracing::info!(campaign = %campaign.id, run = run.run_id, targeted = run.targeted, %send_after, "run created");
        }
        Ok(())
    }

    /// Catches up, then fires campaigns as they come due until `shutdown` completes.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut since = self.clock.now();
        if let Err(error) = self.catch_up(since).await {
            tracing::error!(%error, "catching up missed runs failed");
        }
        loop {
            let wake = self.next_wake(since).await;
            tokio::select! {
                () = self.clock.sleep_until(wake) => {}
                () = &mut shutdown => return,
            }
            let now = self.clock.now();
            match self.tick(since, now).await {
                Ok(()) => since = now,
                // `since` stays put, so the next tick retries these firings.
                Err(error) => tracing::error!(%error, "scheduling failed; retrying"),
            }
        }
    }

    async fn next_wake(&self, since: DateTime<Utc>) -> DateTime<Utc> {
        let reload = self.clock.now() + Duration::seconds(RELOAD);
        let next = match self.schedulable().await {
            Ok(campaigns) => campaigns
                .iter()
                .filter_map(|c| timing::next_firing(c, self.settings.time_zone, since))
                .min(),
            Err(error) => {
                tracing::error!(%error, "cannot read campaigns");
                None
            }
        };
        next.map_or(reload, |n| n.min(reload))
    }
}

/// For `campaign run ID` and the dashboard's "run now": a manual run now (quiet hours still
/// apply to non-urgent campaigns), at most once per
/// [`qingfeng_core::store::MANUAL_RUN_WINDOW`] unless `guard` is a deliberate repeat.
pub async fn run_now(
    store: &Store,
    campaign: &Campaign,
    quiet: &QuietHours,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
    guard: ManualRunGuard,
) -> Result<ManualRun, StoreError> {
    let send_after = timing::send_after(campaign, now, quiet, tz);
    store
        .create_manual_run(campaign, now, send_after, guard)
        .await
}
