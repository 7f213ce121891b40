//! The delivery worker on both backends, through a scripted in-memory channel (the Telegram
//! channel itself is exercised end to end against the fake Bot API in the root tests).

mod common;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use qingfeng_core::Store;
use qingfeng_core::channel::{Channel, MessageButton, OutgoingMessage, SendError};
use qingfeng_core::domain::{Audience, Campaign, Schedule};
use qingfeng_core::store::Trigger;
use qingfeng_scheduler::{Clock, Settings, Worker};

#[derive(Clone, Default)]
struct ScriptedChannel {
    sent: Arc<Mutex<Vec<(i64, OutgoingMessage)>>>,
    failures: Arc<Mutex<HashMap<i64, VecDeque<SendError>>>>,
}

impl ScriptedChannel {
    fn fail(&self, chat_id: i64, errors: Vec<SendError>) {
        self.failures.lock().unwrap().insert(chat_id, errors.into());
    }

    fn sent_to(&self) -> Vec<i64> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|(chat, _)| *chat)
            .collect()
    }
}

impl Channel for ScriptedChannel {
    async fn send(
        &self,
        chat_id: i64,
        message: &OutgoingMessage,
    ) -> Result<Option<i64>, SendError> {
        if let Some(error) = self
            .failures
            .lock()
            .unwrap()
            .get_mut(&chat_id)
            .and_then(VecDeque::pop_front)
        {
            return Err(error);
        }
        let mut sent = self.sent.lock().unwrap();
        sent.push((chat_id, message.clone()));
        Ok(Some(sent.len() as i64))
    }
}

fn fast() -> Settings {
    // Retries wait out quiet hours on the real clock; an empty range keeps these tests from
    // depending on the time of day (the quiet-hours test sets its own clock).
    let midnight = chrono::NaiveTime::MIN;
    Settings {
        quiet_hours: qingfeng_scheduler::QuietHours {
            start: midnight,
            end: midnight,
        },
        rate_per_second: 0.0,
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(5),
        max_attempts: 3,
        ..Settings::default()
    }
}

async fn enqueue(store: &Store, audience: Option<Audience>) -> i64 {
    let c = campaign("tip", audience, Schedule::Manual);
    store
        .import_campaigns(std::slice::from_ref(&c))
        .await
        .unwrap();
    let now = chrono::Utc::now() - chrono::Duration::seconds(1);
    store
        .create_run(&c, now, Trigger::Manual, now)
        .await
        .unwrap()
        .unwrap()
        .run_id
}

/// Runs batches until nothing is queued, sleeping until retries come due (at most 10 s).
async fn drain(worker: &mut Worker<ScriptedChannel>, store: &Store) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while let Some(due) = store.next_delivery_due().await.unwrap() {
        assert!(
            std::time::Instant::now() < deadline,
            "the queue did not drain"
        );
        let wait = (due - chrono::Utc::now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;
        worker.try_execute_batch().await.unwrap();
    }
}

qingfeng_core::store_test!(every_recipient_gets_one_rendered_message, |store| {
    seed(&store, 70, 30).await;
    let run = enqueue(&store, None).await;
    let channel = ScriptedChannel::default();
    let mut worker = Worker::new(store.clone(), channel.clone(), fast(), Clock::System);
    drain(&mut worker, &store).await;

    let mut chats = channel.sent_to();
    chats.sort();
    let expected: Vec<i64> = (1..=70).chain(1001..=1030).collect();
    assert_eq!(chats, expected, "each subscriber exactly once");
    let sent = channel.sent.lock().unwrap().clone();
    let (_, zh) = sent.iter().find(|(chat, _)| *chat == 1).unwrap();
    assert_eq!(zh.text, "宝丰镇的企业：第一条");
    assert!(
        matches!(&zh.buttons[..], [MessageButton::Acknowledge { label, .. }] if label == "✅ 已阅")
    );
    let (_, en) = sent.iter().find(|(chat, _)| *chat == 1001).unwrap();
    assert_eq!(en.text, "Businesses of majiadu Town: first");
    assert!(
        matches!(&en.buttons[..], [MessageButton::Acknowledge { label, .. }] if label == "✅ Got it")
    );
    let figures = store.run_figures(run).await.unwrap().unwrap();
    assert_eq!(
        (figures.targeted, figures.sent, figures.pending),
        (100, 100, 0)
    );
});

qingfeng_core::store_test!(a_429_pauses_everything_for_retry_after, |store| {
    seed(&store, 5, 0).await;
    let run = enqueue(&store, None).await;
    let channel = ScriptedChannel::default();
    channel.fail(2, vec![SendError::RateLimited(Duration::from_secs(1))]);
    let settings = Settings {
        max_in_flight: 1,
        ..fast()
    };
    let mut worker = Worker::new(store.clone(), channel.clone(), settings, Clock::System);
    let started = std::time::Instant::now();
    worker.try_execute_batch().await.unwrap();
    assert_eq!(channel.sent_to(), [1], "nothing after the 429 is attempted");
    assert_eq!(
        worker.try_execute_batch().await.unwrap(),
        0,
        "the rest wait for retry_after"
    );
    drain(&mut worker, &store).await;
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(channel.sent_to(), [1, 2, 3, 4, 5]);
    let figures = store.run_figures(run).await.unwrap().unwrap();
    assert_eq!((figures.sent, figures.failed), (5, 0));
});

qingfeng_core::store_test!(
    blocked_recipients_become_inactive_and_transient_errors_retry,
    |store| {
        seed(&store, 4, 0).await;
        let run = enqueue(&store, None).await;
        let channel = ScriptedChannel::default();
        channel.fail(
            1,
            vec![SendError::Unreachable(
                "Forbidden: bot was blocked by the user".into(),
            )],
        );
        channel.fail(
            2,
            vec![
                SendError::Transient("502".into()),
                SendError::Transient("502".into()),
            ],
        );
        channel.fail(3, vec![SendError::Transient("timeout".into()); 5]);
        channel.fail(4, vec![SendError::Permanent("message is too long".into())]);
        let mut worker = Worker::new(store.clone(), channel.clone(), fast(), Clock::System);
        drain(&mut worker, &store).await;

        assert_eq!(channel.sent_to(), [2], "2 succeeds on its third attempt");
        let figures = store.run_figures(run).await.unwrap().unwrap();
        assert_eq!(
            (
                figures.sent,
                figures.blocked,
                figures.failed,
                figures.pending
            ),
            (1, 1, 2, 0)
        );
        assert!(!store.subscriber_by_chat(1).await.unwrap().unwrap().active);
        assert!(
            store.subscriber_by_chat(3).await.unwrap().unwrap().active,
            "failing is not blocking"
        );
    }
);

qingfeng_core::store_test!(after_a_crash_only_claimed_deliveries_are_resent, |store| {
    seed(&store, 10, 0).await;
    enqueue(&store, None).await;
    // A previous process claimed 4 and died before recording anything.
    let in_flight = store.claim_deliveries(chrono::Utc::now(), 4).await.unwrap();
    assert_eq!(in_flight.len(), 4);
    let channel = ScriptedChannel::default();
    let worker = Worker::new(store.clone(), channel.clone(), fast(), Clock::System);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(worker.run(async {
        let _ = stopped.await;
    }));
    for _ in 0..200 {
        if channel.sent_to().len() == 10 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.send(()).unwrap();
    running.await.unwrap();
    let mut chats = channel.sent_to();
    chats.sort();
    assert_eq!(
        chats,
        (1..=10).collect::<Vec<_>>(),
        "nobody skipped, nobody twice"
    );
});

qingfeng_core::store_test!(
    a_retry_that_falls_into_quiet_hours_waits_them_out,
    |store| {
        // Enterprises 1 and 2; each case's campaign retires the other's.
        seed(&store, 2, 0).await;
        for (urgent, chat) in [(false, 1), (true, 2)] {
            let tz = chrono_tz::Asia::Shanghai;
            // 20:59:50 Beijing time tomorrow: the first try fails, its retry lands after 21:00.
            let tomorrow =
                chrono::Utc::now().with_timezone(&tz).date_naive() + chrono::Days::new(1);
            let almost_quiet = tomorrow
                .and_hms_opt(20, 59, 50)
                .unwrap()
                .and_local_timezone(tz)
                .unwrap()
                .with_timezone(&chrono::Utc);
            let c = Campaign {
                urgent,
                ..campaign(&format!("retry-{chat}"), None, Schedule::Manual)
            };
            store
                .import_campaigns(std::slice::from_ref(&c))
                .await
                .unwrap();
            let before = almost_quiet - chrono::Duration::seconds(1);
            store
                .create_run(&c, before, Trigger::Manual, before)
                .await
                .unwrap()
                .unwrap();
            let channel = ScriptedChannel::default();
            channel.fail(chat, vec![SendError::Transient("502 Bad Gateway".into())]);
            let settings = Settings {
                backoff_base: Duration::from_secs(20),
                backoff_max: Duration::from_secs(20),
                quiet_hours: qingfeng_scheduler::QuietHours::default(),
                ..fast()
            };
            let mut worker = Worker::new(
                store.clone(),
                channel.clone(),
                settings,
                Clock::manual(almost_quiet),
            );
            worker.try_execute_batch().await.unwrap();
            let due = store.next_delivery_due().await.unwrap().unwrap();
            let quiet_ends = (tomorrow + chrono::Days::new(1))
                .and_hms_opt(8, 0, 0)
                .unwrap()
                .and_local_timezone(tz)
                .unwrap()
                .with_timezone(&chrono::Utc);
            if urgent {
                assert!(
                    due < quiet_ends && due > almost_quiet,
                    "urgent retries at once: {due}"
                );
            } else {
                assert_eq!(due, quiet_ends, "the retry waits for 08:00");
            }
            // Settle this case before the next: send it.
            let mut later = Worker::new(store.clone(), channel.clone(), fast(), Clock::manual(due));
            later.try_execute_batch().await.unwrap();
            assert!(store.next_delivery_due().await.unwrap().is_none());
        }
    }
);

qingfeng_core::store_test!(an_ambiguous_timeout_is_retried_once_only, |store| {
    seed(&store, 3, 0).await;
    let run = enqueue(&store, None).await;
    let channel = ScriptedChannel::default();
    let timeout = || SendError::Ambiguous("operation timed out".into());
    // Chat 1: no answer once, then delivered. Chat 2: no answer twice: not tried a third time,
    // though max_attempts (3) would allow it — each try may have reached the recipient.
    channel.fail(1, vec![timeout()]);
    channel.fail(2, vec![timeout(), timeout(), timeout()]);
    let mut worker = Worker::new(store.clone(), channel.clone(), fast(), Clock::System);
    drain(&mut worker, &store).await;
    let mut sent = channel.sent_to();
    sent.sort();
    assert_eq!(sent, [1, 3]);
    assert_eq!(
        channel.failures.lock().unwrap()[&2].len(),
        1,
        "chat 2 was tried exactly twice"
    );
    let figures = store.run_figures(run).await.unwrap().unwrap();
    assert_eq!((figures.sent, figures.failed), (2, 1));
});
