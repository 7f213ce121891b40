//! Wall-clock time, or a simulated clock that follows tokio's (pausable) time in tests.

use chrono::{DateTime, Utc};
use tokio::time::Instant;

#[derive(Debug, Clone)]
pub enum Clock {
    System,
    /// `origin_utc` at tokio instant `origin`, advancing with tokio time (so `time::pause()`
    /// and `time::advance()` drive it deterministically).
    Simulated {
        origin_utc: DateTime<Utc>,
        origin: Instant,
    },
}

impl Clock {
    pub fn simulated(start: DateTime<Utc>) -> Clock {
        Clock::Simulated {
            origin_utc: start,
            origin: Instant::now(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Simulated { origin_utc, origin } => {
                *origin_utc
                    + chrono::Duration::from_std(origin.elapsed()).expect("elapsed time fits")
            }
        }
    }

    pub async fn sleep_until(&self, at: DateTime<Utc>) {
        let wait = (at - self.now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;
    }
}
