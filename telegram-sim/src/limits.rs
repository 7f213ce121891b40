//! Telegram's flood limits, enforced when a test asks: a token bucket for the overall rate
//! (bursts up to one second's worth) and a minimum interval per chat. A request over either
//! limit gets Telegram's 429 with `retry_after`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

pub struct Limits {
    per_second: f64,
    tokens: f64,
    refilled: Instant,
    per_chat: Duration,
    last_by_chat: HashMap<i64, Instant>,
    pub rejected: u64,
}

impl Limits {
    pub fn new(per_second: u32, per_chat: Duration) -> Self {
        let per_second = f64::from(per_second.max(1));
        Limits {
            per_second,
            tokens: per_second,
            refilled: Instant::now(),
            per_chat,
            last_by_chat: HashMap::new(),
            rejected: 0,
        }
    }

    /// `Err(retry_after seconds)` when the send is over a limit.
    pub fn admit(&mut self, chat_id: Option<i64>) -> Result<(), u32> {
        let now = Instant::now();
        let elapsed = now.duration_since(self.refilled).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.per_second);
        self.refilled = now;
        if let Some(chat) = chat_id
            && let Some(last) = self.last_by_chat.get(&chat)
            && now.duration_since(*last) < self.per_chat
        {
            self.rejected += 1;
            return Err(1);
        }
        if self.tokens < 1.0 {
            self.rejected += 1;
            return Err(1);
        }
        self.tokens -= 1.0;
        if let Some(chat) = chat_id {
            self.last_by_chat.insert(chat, now);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_beyond_the_rate_and_repeats_to_a_chat_are_refused() {
        let mut limits = Limits::new(30, Duration::from_secs(1));
        for chat in 0..30 {
            assert_eq!(limits.admit(Some(chat)), Ok(()));
        }
        assert_eq!(limits.admit(Some(99)), Err(1), "the 31st within a second");
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(
            limits.admit(Some(0)),
            Err(1),
            "chat 0 again within a second"
        );
        assert_eq!(limits.admit(Some(100)), Ok(()), "refilled after 100 ms");
        assert_eq!(limits.rejected, 2);
    }
}
