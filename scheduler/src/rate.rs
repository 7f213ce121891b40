//! Telegram's limits, respected rather than discovered: a global pace (default 30 messages/s),
//! at most one message per second to a private chat, twenty a minute to a group.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

pub struct RateLimiter {
    interval: Duration,
    next_free: Instant,
    per_chat: Duration,
    per_group: Duration,
    last_sent: HashMap<i64, Instant>,
}

impl RateLimiter {
    /// `per_second` of 0 or less lifts the global limit (benchmarks).
    pub fn new(per_second: f64, per_chat: Duration, per_group: Duration) -> Self {
        let interval = if per_second > 0.0 {
            Duration::from_secs_f64(1.0 / per_second)
        } else {
            Duration::ZERO
        };
        RateLimiter {
            interval,
            next_free: Instant::now(),
            per_chat,
            per_group,
            last_sent: HashMap::new(),
        }
    }

    /// The earliest instant the chat may receive another message (`None`: right away).
    pub fn chat_ready_at(&self, chat_id: i64) -> Option<Instant> {
        let spacing = if chat_id < 0 {
            self.per_group
        } else {
            self.per_chat
        };
        let ready = *self.last_sent.get(&chat_id)? + spacing;
        (ready > Instant::now()).then_some(ready)
    }

    /// Waits for the next global slot and books it for `chat_id`.
    pub async fn acquire(&mut self, chat_id: i64) {
        let now = Instant::now();
        let slot = self.next_free.max(now);
        self.next_free = slot + self.interval;
        // A timer costs a trip through the timer wheel (about a millisecond) even when due.
        if slot > now {
            tokio::time::sleep_until(slot).await;
        }
        self.last_sent.insert(chat_id, slot);
        if self.last_sent.len() > 100_000 {
            let horizon = Instant::now() - self.per_group.max(self.per_chat);
            self.last_sent.retain(|_, sent| *sent > horizon);
        }
    }

    /// After a 429: nothing goes out before `until`.
    pub fn pause_until(&mut self, until: Instant) {
        self.next_free = self.next_free.max(until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn slots_are_evenly_spaced() {
        let mut limiter = RateLimiter::new(30.0, Duration::from_secs(1), Duration::from_secs(3));
        let start = Instant::now();
        for chat in 0..31 {
            limiter.acquire(chat).await;
        }
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_millis(999) && elapsed <= Duration::from_millis(1001),
            "{elapsed:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_chat_waits_a_second_and_a_group_three() {
        let mut limiter = RateLimiter::new(0.0, Duration::from_secs(1), Duration::from_secs(3));
        limiter.acquire(7).await;
        limiter.acquire(-7).await;
        assert!(limiter.chat_ready_at(7).is_some());
        assert!(limiter.chat_ready_at(8).is_none());
        tokio::time::advance(Duration::from_millis(1001)).await;
        assert!(limiter.chat_ready_at(7).is_none());
        assert!(limiter.chat_ready_at(-7).is_some());
        tokio::time::advance(Duration::from_secs(2)).await;
        assert!(limiter.chat_ready_at(-7).is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_every_send() {
        let mut limiter = RateLimiter::new(0.0, Duration::from_secs(1), Duration::from_secs(3));
        let start = Instant::now();
        limiter.pause_until(start + Duration::from_secs(7));
        limiter.acquire(1).await;
        assert!(start.elapsed() >= Duration::from_secs(7));
    }
}
