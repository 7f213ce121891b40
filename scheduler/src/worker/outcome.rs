//! One reading of a send's result, for campaign deliveries and notices alike: what to record,
//! when to try again, and when everything must pause.

use qingfeng_core::channel::{Channel, SendError};
use qingfeng_core::store::Outcome;
use tokio::time::Instant;

use super::Worker;

/// A send's outcome, and whether it was a 429 that now holds every send.
pub(crate) struct Classified {
    pub outcome: Outcome,
    pub rate_limited: bool,
}

impl<C: Channel> Worker<C> {
    /// Classifies the result of the `attempts`-th try of row `id`. A 429 pauses the limiter
    /// here, so no caller can forget to.
    pub(crate) fn classify(
        &mut self,
        result: Result<Option<i64>, SendError>,
        attempts: i32,
        id: i64,
    ) -> Classified {
        let now = self.clock.now();
        let outcome = match result {
            Ok(message_id) => Outcome::Sent {
                at: now,
                message_id,
            },
            Err(SendError::RateLimited(wait)) => {
                self.limiter.pause_until(Instant::now() + wait);
                tracing::warn!(retry_after = ?wait, "rate limited by the platform; pausing all sends");
                return Classified {
                    outcome: Outcome::Deferred {
                        at: now + chrono::Duration::from_std(wait).unwrap_or_default(),
                    },
                    rate_limited: true,
                };
            }
            Err(SendError::Unreachable(error)) => Outcome::Blocked { error },
            Err(SendError::Permanent(error)) => Outcome::Failed { error },
            // Telegram may have delivered it: one more try at most, then stop, so a slow
            // network costs a recipient at most one duplicate, not one per attempt.
            Err(SendError::Ambiguous(error)) if attempts > 1 => Outcome::Failed {
                error: format!(
                    "no answer after sending, not tried again (it may have arrived): {error}"
                ),
            },
            Err(SendError::Ambiguous(error)) => Outcome::Retry {
                at: now + self.backoff(attempts, id),
                error: format!("no answer after sending (it may have arrived): {error}"),
            },
            Err(SendError::Transient(error)) if attempts >= self.settings.max_attempts => {
                Outcome::Failed { error }
            }
            Err(SendError::Transient(error)) => Outcome::Retry {
                at: now + self.backoff(attempts, id),
                error,
            },
        };
        Classified {
            outcome,
            rate_limited: false,
        }
    }

    /// Exponential backoff with jitter for a row's `attempts`-th try: base · 2^(attempts-1),
    /// capped, plus up to half again (seeded by `id`, so retries spread without randomness).
    pub(crate) fn backoff(&self, attempts: i32, id: i64) -> chrono::Duration {
        let exponent = u32::try_from(attempts.saturating_sub(1))
            .unwrap_or(0)
            .min(20);
        let base = self
            .settings
            .backoff_base
            .saturating_mul(2u32.saturating_pow(exponent))
            .min(self.settings.backoff_max);
        let jitter = base.mul_f64(((id.wrapping_mul(2_654_435_761) % 1000) as f64 / 2000.0).abs());
        chrono::Duration::from_std(base + jitter).unwrap_or_default()
    }
}
