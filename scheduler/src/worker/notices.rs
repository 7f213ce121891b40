//! Notices (staff alerts, replies to reporters) through the same channel and rate limits as
//! campaign deliveries. They are few, so they are sent one by one ahead of each batch. The
//! recipient and text are opened here and nowhere else, and never logged.

use qingfeng_core::StoreError;
use qingfeng_core::channel::{Channel, OutgoingMessage, SendError};
use qingfeng_core::store::{ClaimedNotice, NoticeKind, NoticeOutcome};
use tokio::time::Instant;

use super::Worker;

/// Notices claimed per batch.
const NOTICE_BATCH: i64 = 8;

impl<C: Channel> Worker<C> {
    /// Sends due notices; returns how many were claimed.
    pub(crate) async fn try_send_notices(&mut self) -> Result<usize, StoreError> {
        if self.report_keys.is_none() {
            return Ok(0);
        }
        let claimed = self
            .store
            .claim_notices(self.clock.now(), NOTICE_BATCH)
            .await?;
        let count = claimed.len();
        for notice in claimed {
            let outcome = self.send_notice(&notice).await;
            self.store
                .record_notice_outcome(notice.id, &outcome)
                .await?;
        }
        Ok(count)
    }

    async fn send_notice(&mut self, notice: &ClaimedNotice) -> NoticeOutcome {
        let keys = self.report_keys.as_ref().expect("checked by the caller");
        let (Some(recipient), Some(body)) = (&notice.recipient, &notice.body) else {
            return NoticeOutcome::Failed {
                error: "the notice was wiped before it was sent".into(),
            };
        };
        let (Some(report), Ok(kind)) = (&notice.code_hash, notice.kind.parse::<NoticeKind>())
        else {
            return NoticeOutcome::Failed {
                error: "the notice names no report".into(),
            };
        };
        // Both parts are bound to the notice's report and kind: a part moved from another
        // notice or report does not open.
        let opened = keys
            .open_recipient(report, kind, recipient)
            .and_then(|r| keys.open_body(report, kind, body).map(|b| (r, b)));
        let (recipient, body) = match opened {
            Ok(opened) => opened,
            Err(error) => {
                return NoticeOutcome::Failed {
                    error: error.to_string(),
                };
            }
        };
        let now = self.clock.now();
        if let Some(ready) = self.limiter.chat_ready_at(recipient.chat_id) {
            let wait = chrono::Duration::from_std(ready - Instant::now()).unwrap_or_default();
            return NoticeOutcome::Deferred { at: now + wait };
        }
        let message = OutgoingMessage {
            text: body.render(recipient.language),
            buttons: Vec::new(),
            protect: body.protect,
        };
        self.limiter.acquire(recipient.chat_id).await;
        match self.channel.send(recipient.chat_id, &message).await {
            Ok(_) => NoticeOutcome::Sent { at: now },
            Err(SendError::RateLimited(wait)) => {
                self.limiter.pause_until(Instant::now() + wait);
                NoticeOutcome::Deferred {
                    at: now + chrono::Duration::from_std(wait).unwrap_or_default(),
                }
            }
            Err(SendError::Unreachable(error)) => NoticeOutcome::Blocked { error },
            Err(SendError::Permanent(error)) => NoticeOutcome::Failed { error },
            Err(SendError::Transient(error)) if notice.attempts >= self.settings.max_attempts => {
                NoticeOutcome::Failed { error }
            }
            Err(SendError::Transient(error)) => NoticeOutcome::Retry {
                at: now + self.backoff(notice.attempts, notice.id),
                error,
            },
        }
    }
}
