//! The delivery worker: claims due deliveries from the outbox, renders them in the recipient's
//! language, sends them through a [`Channel`] within the rate limits, and records each outcome.
//!
//! After a crash, deliveries still `sending` are requeued at start: a message is sent twice
//! only if it was in flight, so duplicates are bounded by `batch_size`. Deliveries and notices
//! share the classification of a send's result (`outcome.rs`) and the store's outbox
//! statements; only rendering and opening differ.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use qingfeng_core::channel::{Channel, MessageButton, OutgoingMessage, SendError};
use qingfeng_core::domain::{Campaign, LocalizedText, render};
use qingfeng_core::i18n;
use qingfeng_core::reports::ReportKeys;
use qingfeng_core::store::{Claimed, Outcome};
use qingfeng_core::{Language, Store, StoreError};
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::Settings;
use crate::clock::Clock;
use crate::rate::RateLimiter;

mod notices;
mod outcome;

/// Button labels, in `locales/*/reminders.ftl`.
const ACKNOWLEDGE_LABEL: &str = "reminder-acknowledge";
const START_QUIZ_LABEL: &str = "reminder-start-quiz";

pub struct Worker<C: Channel> {
    store: Store,
    channel: Arc<C>,
    settings: Settings,
    clock: Clock,
    limiter: RateLimiter,
    runs: HashMap<i64, Arc<(Campaign, i64)>>,
    townships: HashMap<String, LocalizedText>,
    /// Opens sealed notices (staff alerts, replies to reporters); without it notices wait.
    report_keys: Option<ReportKeys>,
}

impl<C: Channel> Worker<C> {
    pub fn new(store: Store, channel: C, settings: Settings, clock: Clock) -> Self {
        let limiter = RateLimiter::new(
            settings.rate_per_second,
            settings.per_chat_interval,
            settings.per_group_interval,
        );
        Worker {
            store,
            channel: Arc::new(channel),
            settings,
            clock,
            limiter,
            runs: HashMap::new(),
            townships: HashMap::new(),
            report_keys: None,
        }
    }

    /// Lets the worker deliver notices as well as campaign deliveries.
    pub fn with_report_keys(mut self, keys: ReportKeys) -> Self {
        self.report_keys = Some(keys);
        self
    }

    /// Claims one batch, sends it and records the outcomes. Returns how many were claimed
    /// (0: nothing is due). Tests call this directly.
    pub async fn try_execute_batch(&mut self) -> Result<usize, StoreError> {
        let notices = self.try_send_notices().await?;
        Ok(notices + self.try_send_deliveries().await?)
    }

    async fn try_send_deliveries(&mut self) -> Result<usize, StoreError> {
        let claimed = self
            .store
            .claim_deliveries(self.clock.now(), self.settings.batch_size)
            .await?;
        let count = claimed.len();
        let mut outcomes = Vec::with_capacity(count);
        let mut in_flight = JoinSet::new();
        let mut paused_until: Option<DateTime<Utc>> = None;
        for delivery in claimed {
            // Make room first: a reply in flight may be a 429 that pauses everything.
            while in_flight.len() >= self.settings.max_in_flight {
                if let Some(joined) = in_flight.join_next().await {
                    self.settle(joined, &mut outcomes, &mut paused_until);
                }
            }
            if let Some(until) = paused_until {
                outcomes.push((delivery, Outcome::Deferred { at: until }));
                continue;
            }
            if let Some(ready) = self.limiter.chat_ready_at(delivery.chat_id) {
                let at = self.clock.now()
                    + chrono::Duration::from_std(ready - Instant::now()).unwrap_or_default();
                outcomes.push((delivery, Outcome::Deferred { at }));
                continue;
            }
            let message = match self.render(&delivery).await {
                Ok(message) => message,
                Err(error) => {
                    outcomes.push((delivery, Outcome::Failed { error }));
                    continue;
                }
            };
            self.limiter.acquire(delivery.chat_id).await;
            // While the pace held this send, a reply may have come back: a 429 stops it here,
            // before it reaches Telegram.
            while let Some(joined) = in_flight.try_join_next() {
                self.settle(joined, &mut outcomes, &mut paused_until);
            }
            if let Some(until) = paused_until {
                outcomes.push((delivery, Outcome::Deferred { at: until }));
                continue;
            }
            let channel = Arc::clone(&self.channel);
            in_flight.spawn(async move {
                let result = channel.send(delivery.chat_id, &message).await;
                (delivery, result)
            });
        }
        while let Some(joined) = in_flight.join_next().await {
            self.settle(joined, &mut outcomes, &mut paused_until);
        }
        self.store.record_outcomes(&outcomes).await?;
        Ok(count)
    }

    fn settle(
        &mut self,
        joined: Result<(Claimed, Result<Option<i64>, SendError>), tokio::task::JoinError>,
        outcomes: &mut Vec<(Claimed, Outcome)>,
        paused_until: &mut Option<DateTime<Utc>>,
    ) {
        let Ok((delivery, result)) = joined else {
            tracing::error!("a send task panicked");
            return;
        };
        let classified = self.classify(result, delivery.attempts, delivery.id);
        let outcome = match classified.outcome {
            Outcome::Deferred { at } if classified.rate_limited => {
                *paused_until = Some(at);
                Outcome::Deferred { at }
            }
            Outcome::Retry { at, error } => Outcome::Retry {
                at: self.outside_quiet_hours(&delivery, at),
                error,
            },
            other => other,
        };
        outcomes.push((delivery, outcome));
    }

    /// A retry of a non-urgent campaign's message waits out quiet hours like its first try.
    fn outside_quiet_hours(&self, delivery: &Claimed, at: DateTime<Utc>) -> DateTime<Utc> {
        match self.runs.get(&delivery.run_id) {
            Some(context) if !context.0.urgent => self
                .settings
                .quiet_hours
                .release(at, self.settings.time_zone),
            _ => at,
        }
    }

    async fn render(&mut self, delivery: &Claimed) -> Result<OutgoingMessage, String> {
        let context = match self.runs.get(&delivery.run_id) {
            Some(context) => Arc::clone(context),
            None => {
                let context = self
                    .store
                    .run_context(delivery.run_id)
                    .await
                    .map_err(|e| e.to_string())?
                    .ok_or_else(|| format!("run {} has no campaign", delivery.run_id))?;
                let context = Arc::new(context);
                self.runs.insert(delivery.run_id, Arc::clone(&context));
                context
            }
        };
        let (campaign, sequence) = &*context;
        let lang: Language = delivery.language.parse().unwrap_or_default();
        let township = self.township_name(&delivery.township_code, lang).await;
        let text = render(campaign.message(*sequence).get(lang), &township);
        let mut buttons = Vec::new();
        if campaign.quiz_invitation {
            buttons.push(MessageButton::StartQuiz {
                label: i18n::text(lang, START_QUIZ_LABEL, None),
            });
        }
        if campaign.acknowledge {
            buttons.push(MessageButton::Acknowledge {
                label: i18n::text(lang, ACKNOWLEDGE_LABEL, None),
                delivery_id: delivery.id,
            });
        }
        Ok(OutgoingMessage {
            text,
            buttons,
            protect: false,
        })
    }

    async fn township_name(&mut self, code: &str, lang: Language) -> String {
        if !self.townships.contains_key(code) {
            let township = match code.parse() {
                Ok(parsed) => self.store.township(&parsed).await.ok().flatten(),
                Err(_) => None,
            };
            let name = match township {
                Some((t, _)) => t.name,
                None => LocalizedText::new(code, code),
            };
            self.townships.insert(code.to_owned(), name);
        }
        self.townships[code].get(lang).to_owned()
    }

    /// Sends until `shutdown` completes; a batch in progress is finished and recorded first.
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        match self.store.requeue_claimed().await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(
                requeued = n,
                "deliveries in flight at the last stop were requeued"
            ),
            Err(error) => tracing::error!(%error, "cannot requeue deliveries in flight"),
        }
        if let Err(error) = self.store.requeue_claimed_notices().await {
            tracing::error!(%error, "cannot requeue notices in flight");
        }
        loop {
            let idle = match self.try_execute_batch().await {
                Ok(0) => true,
                Ok(_) => false,
                Err(error) => {
                    tracing::error!(%error, "the delivery worker failed; retrying");
                    true
                }
            };
            if idle {
                let wake = self.next_wake().await;
                tokio::select! {
                    () = self.clock.sleep_until(wake) => {}
                    () = &mut shutdown => return,
                }
            } else if has_completed(&mut shutdown).await {
                return;
            }
        }
    }

    async fn next_wake(&self) -> DateTime<Utc> {
        let poll = self.clock.now()
            + chrono::Duration::from_std(self.settings.idle_poll).unwrap_or_default();
        let deliveries = self.store.next_delivery_due().await.ok().flatten();
        let notices = match self.report_keys {
            Some(_) => self.store.next_notice_due().await.ok().flatten(),
            None => None,
        };
        [deliveries, notices]
            .into_iter()
            .flatten()
            .fold(poll, DateTime::min)
    }
}

/// Whether `shutdown` has completed, without waiting for it.
async fn has_completed(shutdown: &mut std::pin::Pin<&mut impl Future<Output = ()>>) -> bool {
    tokio::select! {
        biased;
        () = shutdown.as_mut() => true,
        () = std::future::ready(()) => false,
    }
}
