//! Notices (staff alerts, replies to reporters) through the worker, and the report
//! housekeeping pass, on both backends.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use qingfeng_core::Store;
use qingfeng_core::channel::{Channel, OutgoingMessage, SendError};
use qingfeng_core::crypto::DataKey;
use qingfeng_core::domain::*;
use qingfeng_core::reports::intake::{Filing, submit};
use qingfeng_core::reports::notices::{NoticeBody, Recipient};
use qingfeng_core::reports::{ReportKeys, ReportSettings};
use qingfeng_core::store::{NoticeKind, SealedNotice};
use qingfeng_scheduler::{Clock, Settings, Worker, deadlines};

#[derive(Clone, Default)]
struct Recording {
    sent: Arc<Mutex<Vec<(i64, OutgoingMessage)>>>,
    fail_next: Arc<Mutex<Vec<SendError>>>,
    /// Every send tried, refused or not, and when.
    attempts: Arc<Mutex<Vec<(i64, std::time::Instant)>>>,
}

impl Channel for Recording {
    async fn send(
        &self,
        chat_id: i64,
        message: &OutgoingMessage,
    ) -> Result<Option<i64>, SendError> {
        self.attempts
            .lock()
            .unwrap()
            .push((chat_id, std::time::Instant::now()));
        if let Some(error) = self.fail_next.lock().unwrap().pop() {
            return Err(error);
        }
        self.sent.lock().unwrap().push((chat_id, message.clone()));
        Ok(Some(1))
    }
}

fn settings() -> Settings {
    Settings {
        rate_per_second: 0.0,
        per_chat_interval: Duration::from_millis(1),
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(5),
        ..Settings::default()
    }
}

async fn keys(store: &Store) -> ReportKeys {
    ReportKeys::load_or_create(store, &DataKey::from_bytes([3; 32]))
        .await
        .unwrap()
}

async fn import_report_content(store: &Store) {
    qingfeng_core::testing::import_shipped(store, &qingfeng_core::testing::REPORT_CONTENT).await;
}

/// Files an anonymous report (the shipped routing alerts nobody) and returns its record: a
/// notice is always about a report, and bound to it.
async fn filed_report(store: &Store, keys: &ReportKeys) -> qingfeng_core::store::ReportRecord {
    import_report_content(store).await;
    let report = qingfeng_core::testing::report(
        Some("baofeng"),
        PersonLevel::Staff,
        Reporter::Anonymous { notify: false },
    );
    let code = TrackingCode::generate();
    let filing = Filing {
        chat_id: 1,
        language: Language::ZhCn,
        report: &report,
        code: &code,
    };
    let filed = submit(store, keys, &ReportSettings::default(), filing, Utc::now())
        .await
        .unwrap();
    store.report_record(filed.id).await.unwrap().unwrap()
}

fn notice(
    keys: &ReportKeys,
    report: &qingfeng_core::store::ReportRecord,
    chat_id: i64,
    language: Language,
) -> SealedNotice {
    let body = NoticeBody::new(
        "report-notice-reply",
        &[("id", report.id.to_string()), ("text", "请补充材料".into())],
        true,
    );
    let kind = NoticeKind::Reporter;
    SealedNotice {
        report_id: report.id,
        kind,
        recipient: keys.seal_recipient(&report.code_hash, kind, &Recipient { chat_id, language }),
        body: keys.seal_body(&report.code_hash, kind, &body),
    }
}

qingfeng_core::store_test!(notices_are_opened_rendered_protected_and_wiped, |store| {
    let keys = keys(&store).await;
    let report = filed_report(&store, &keys).await;
    store
        .queue_notices(&[
            notice(&keys, &report, 11, Language::ZhCn),
            notice(&keys, &report, 12, Language::En),
        ])
        .await
        .unwrap();
    // Without the report key a worker leaves notices alone.
    let channel = Recording::default();
    let mut blind = Worker::new(store.clone(), channel.clone(), settings(), Clock::System);
    assert_eq!(blind.try_execute_batch().await.unwrap(), 0);
    let mut worker = Worker::new(store.clone(), channel.clone(), settings(), Clock::System)
        .with_report_keys(keys.clone());
    assert_eq!(worker.try_execute_batch().await.unwrap(), 2);
    let sent = channel.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|(_, m)| m.protect));
    assert!(sent[0].1.text.contains("请补充材料") && sent[0].1.text.contains("工作人员"));
    assert!(sent[1].1.text.contains("replied"));
    assert_eq!(
        store.notice_counts().await.unwrap(),
        vec![("reporter".into(), "sent".into(), 2)]
    );
    assert!(
        store
            .claim_notices(Utc::now(), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Sent notices keep no sealed recipient or body: the rows themselves say so.
    let query = "SELECT COUNT(*), COUNT(recipient), COUNT(body) FROM notices WHERE status = 'sent'";
    let (rows, recipients, bodies): (i64, i64, i64) = match store.sqlite_pool() {
        Some(pool) => sqlx::query_as(query).fetch_one(pool).await.unwrap(),
        None => sqlx::query_as(query)
            .fetch_one(store.postgres_pool().unwrap())
            .await
            .unwrap(),
    };
    assert_eq!((rows, recipients, bodies), (2, 0, 0));
});

qingfeng_core::store_test!(
    notices_retry_transient_errors_and_stop_at_blocked_chats,
    |store| {
        let keys = keys(&store).await;
        let report = filed_report(&store, &keys).await;
        store
            .queue_notices(&[notice(&keys, &report, 21, Language::ZhCn)])
            .await
            .unwrap();
        let channel = Recording::default();
        channel
            .fail_next
            .lock()
            .unwrap()
            .push(SendError::Transient("502".into()));
        let mut worker = Worker::new(store.clone(), channel.clone(), settings(), Clock::System)
            .with_report_keys(keys.clone());
        worker.try_execute_batch().await.unwrap();
        assert!(channel.sent.lock().unwrap().is_empty());
        tokio::time::sleep(Duration::from_millis(50)).await;
        worker.try_execute_batch().await.unwrap();
        assert_eq!(channel.sent.lock().unwrap().len(), 1, "sent on the retry");

        store
            .queue_notices(&[notice(&keys, &report, 22, Language::ZhCn)])
            .await
            .unwrap();
        channel
            .fail_next
            .lock()
            .unwrap()
            .push(SendError::Unreachable("blocked".into()));
        worker.try_execute_batch().await.unwrap();
        let counts = store.notice_counts().await.unwrap();
        assert!(
            counts.contains(&("reporter".into(), "blocked".into(), 1)),
            "{counts:?}"
        );
    }
);

qingfeng_core::store_test!(
    housekeeping_alerts_deadlines_and_drops_abandoned_drafts,
    |store| {
        import_report_content(&store).await;
        let keys = keys(&store).await;
        let s = ReportSettings::default();
        let report = qingfeng_core::testing::report(
            Some("baofeng"),
            PersonLevel::Staff,
            Reporter::Anonymous { notify: false },
        );
        let now = Utc::now();
        let code = TrackingCode::generate();
        let filing = Filing {
            chat_id: 1,
            language: Language::ZhCn,
            report: &report,
            code: &code,
        };
        submit(&store, &keys, &s, filing, now).await.unwrap();
        let draft = keys.chat_key(99);
        let ttl = chrono::TimeDelta::from_std(s.draft_ttl).unwrap();
        store
            .save_dialogue(&draft, b"sealed draft", now + ttl)
            .await
            .unwrap();

        // Today: nothing due yet, the draft is fresh.
        assert_eq!(
            deadlines::pass(&store, &keys, &s, &Clock::manual(now)).await,
            0
        );
        assert!(store.load_dialogue(&draft).await.unwrap().is_some());
        // Six weeks on: overdue (alerted once) and the draft is gone.
        let later = Clock::manual(now + chrono::TimeDelta::days(42));
        assert_eq!(deadlines::pass(&store, &keys, &s, &later).await, 1);
        assert_eq!(deadlines::pass(&store, &keys, &s, &later).await, 0);
        assert!(store.load_dialogue(&draft).await.unwrap().is_none());
    }
);

qingfeng_core::store_test!(
    a_429_on_a_notice_holds_every_send_for_retry_after,
    |store| {
        let keys = keys(&store).await;
        let report = filed_report(&store, &keys).await;
        store
            .queue_notices(&[
                notice(&keys, &report, 41, Language::ZhCn),
                notice(&keys, &report, 42, Language::ZhCn),
            ])
            .await
            .unwrap();
        let channel = Recording::default();
        channel
            .fail_next
            .lock()
            .unwrap()
            .push(SendError::RateLimited(Duration::from_secs(1)));
        let mut worker = Worker::new(store.clone(), channel.clone(), settings(), Clock::System)
            .with_report_keys(keys.clone());
        worker.try_execute_batch().await.unwrap();
        // The refused notice is due again after retry_after, not lost; then both have gone out.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while channel.sent.lock().unwrap().len() < 2 {
            assert!(
                std::time::Instant::now() < deadline,
                "both notices are sent"
            );
            worker.try_execute_batch().await.unwrap();
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let attempts = channel.attempts.lock().unwrap().clone();
        let (_, refused_at) = attempts[0];
        assert!(attempts.len() >= 3, "{attempts:?}");
        for (chat, at) in &attempts[1..] {
            assert!(
                at.duration_since(refused_at) >= Duration::from_secs(1),
                "chat {chat} was tried {:?} after the 429",
                at.duration_since(refused_at)
            );
        }
        let mut chats: Vec<i64> = channel
            .sent
            .lock()
            .unwrap()
            .iter()
            .map(|(c, _)| *c)
            .collect();
        chats.sort();
        assert_eq!(chats, [41, 42]);
    }
);
