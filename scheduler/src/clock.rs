//! Wall-clock time, or a manual clock that tests move forward step by step.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

#[derive(Debug, Clone)]
pub enum Clock {
    System,
    /// Time stands still until [`Clock::set`] moves it; sleepers wake when it passes their
    /// deadline. Makes scheduling loops deterministic in tests.
    Manual(Arc<watch::Sender<DateTime<Utc>>>),
}

impl Clock {
    pub fn manual(start: DateTime<Utc>) -> Clock {
        Clock::Manual(Arc::new(watch::Sender::new(start)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Manual(time) => *time.borrow(),
        }
    }

    /// Moves a manual clock (never backwards); does nothing to the system clock.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Clock::Manual(time) = self {
            time.send_if_modified(|now| {
                let later = at > *now;
                if later {
                    *now = at;
                }
                later
            });
        }
    }

    pub async fn sleep_until(&self, at: DateTime<Utc>) {
        match self {
            Clock::System => {
                let wait = (at - Utc::now()).to_std().unwrap_or_default();
                tokio::time::sleep(wait).await;
            }
            Clock::Manual(time) => {
                let mut rx = time.subscribe();
                let _ = rx.wait_for(|now| *now >= at).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_manual_clock_wakes_sleepers_when_moved_past_their_deadline() {
        let start: DateTime<Utc> = "2026-03-02T00:00:00Z".parse().unwrap();
        let clock = Clock::manual(start);
        let sleeper = tokio::spawn({
            let clock = clock.clone();
            async move { clock.sleep_until(start + chrono::Duration::hours(1)).await }
        });
        clock.set(start + chrono::Duration::minutes(59));
        tokio::task::yield_now().await;
        assert!(!sleeper.is_finished());
        clock.set(start); // never backwards
        assert_eq!(clock.now(), start + chrono::Duration::minutes(59));
        clock.set(start + chrono::Duration::hours(1));
        sleeper.await.unwrap();
    }
}
