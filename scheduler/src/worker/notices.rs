//! Notices (staff alerts, replies to reporters) through the same channel and rate limits as
//! campaign deliveries. They are few, so they are sent one by one ahead of each batch. The
//! recipient and text are opened here and nowhere else, and never logged.

use qingfeng_core::Language;
use qingfeng_core::StoreError;
use qingfeng_core::channel::{Channel, MessageButton, OutgoingMessage};
use qingfeng_core::i18n;
use qingfeng_core::reports::ReportKeys;
use qingfeng_core::store::{ClaimedNotice, NoticeKind, Outcome};
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

    async fn send_notice(&mut self, notice: &ClaimedNotice) -> Outcome {
        let keys = self.report_keys.as_ref().expect("checked by the caller");
        let (Some(recipient), Some(body)) = (&notice.recipient, &notice.body) else {
            return Outcome::Failed {
                error: "the notice was wiped before it was sent".into(),
            };
        };
        let (Some(report), Ok(kind)) = (&notice.code_hash, notice.kind.parse::<NoticeKind>())
        else {
            return Outcome::Failed {
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
                return Outcome::Failed {
                    error: error.to_string(),
                };
            }
        };
        let now = self.clock.now();
        if let Some(ready) = self.limiter.chat_ready_at(recipient.chat_id) {
            let wait = chrono::Duration::from_std(ready - Instant::now()).unwrap_or_default();
            return Outcome::Deferred { at: now + wait };
        }
        let buttons = match (kind, notice.report_id) {
            (NoticeKind::Reporter, Some(report_id)) => {
                reporter_buttons(keys, recipient.chat_id, report_id, recipient.language)
            }
            _ => Vec::new(),
        };
        let message = OutgoingMessage {
            text: body.render(recipient.language),
            buttons,
            protect: body.protect,
        };
        self.limiter.acquire(recipient.chat_id).await;
        let result = self.channel.send(recipient.chat_id, &message).await;
        self.classify(result, notice.attempts, notice.id).outcome
    }
}

/// Under every notice to a reporter: write back, or see the report's progress, without the
/// tracking code (the buttons work only in the chat they were sent to).
fn reporter_buttons(
    keys: &ReportKeys,
    chat_id: i64,
    report_id: i64,
    lang: Language,
) -> Vec<MessageButton> {
    let tag = keys.reporter_button_tag(chat_id, report_id);
    vec![
        MessageButton::WriteBack {
            label: i18n::text(lang, "report-button-reply", None),
            report_id,
            tag: tag.clone(),
        },
        MessageButton::Progress {
            label: i18n::text(lang, "report-button-progress", None),
            report_id,
            tag,
        },
    ]
}
