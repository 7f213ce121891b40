//! Scheduled reminders end to end: outbox → Telegram channel → fake Bot API, on both backends.

mod common;

use std::time::Duration;

use common::expect_text;
use qingfeng_core::Store;
use qingfeng_core::domain::*;
use qingfeng_core::store::Trigger;
use telegram_sim::{InjectedError, SimUser};

fn drill() -> Campaign {
    Campaign {
        // Urgent, so quiet hours never hold the test's messages.
        urgent: true,
        acknowledge: true,
        ..qingfeng_core::testing::campaign(
            "drill",
            "{township}：节日期间请勿收送礼品礼金。",
            "{township}: no gifts during the holiday.",
        )
    }
}

async fn subscribe(app: &common::TestApp, chat_ids: std::ops::RangeInclusive<i64>) -> Vec<SimUser> {
    let profile = qingfeng_core::testing::household("baofeng");
    qingfeng_core::testing::subscribe(&app.store, chat_ids.clone(), Language::ZhCn, &profile).await;
    chat_ids
        .map(|chat_id| app.user(chat_id, Some("zh-hans")))
        .collect()
}

async fn start_run(store: &Store) -> i64 {
    let campaign = drill();
    store
        .import_campaigns(std::slice::from_ref(&campaign))
        .await
        .unwrap();
    let now = chrono::Utc::now();
    store
        .create_run(&campaign, now, Trigger::Manual, now)
        .await
        .unwrap()
        .unwrap()
        .run_id
}

async fn wait_for_figures(
    store: &Store,
    run: i64,
    done: impl Fn(&qingfeng_core::store::RunFigures) -> bool,
) -> qingfeng_core::store::RunFigures {
    for _ in 0..1000 {
        let figures = store.run_figures(run).await.unwrap().unwrap();
        if done(&figures) {
            return figures;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!(
        "the run did not reach the expected figures: {:?}",
        store.run_figures(run).await.unwrap()
    );
}

e2e_test!(
    a_run_reaches_every_subscriber_once_and_records_acknowledgements,
    |app| {
        let users = subscribe(&app, 5001..=5030).await;
        let run = start_run(&app.store).await;
        for user in &users {
            let message = expect_text(user, "宝丰镇：节日期间请勿收送礼品礼金").await;
            assert!(message.has_button("已阅"), "{:?}", message.button_labels());
        }
        let figures = wait_for_figures(&app.store, run, |f| f.sent == 30).await;
        assert_eq!(
            (figures.targeted, figures.failed, figures.blocked),
            (30, 0, 0)
        );

        let first = &users[0];
        let reminder = first.chat().into_iter().last().unwrap();
        first.press_button(&reminder, "已阅");
        let answer = first.next_callback_answer().await;
        assert!(answer.text.unwrap().contains("感谢"));
        let edited = first.next_message().await;
        assert!(
            edited.is_edit && edited.buttons.is_empty(),
            "the button goes, the reminder stays"
        );
        first.press(&reminder, &reminder.callback_data()[0]);
        assert!(
            first
                .next_callback_answer()
                .await
                .text
                .unwrap()
                .contains("已经确认过")
        );
        // Someone else's delivery id: refused.
        users[1].press(&reminder, &reminder.callback_data()[0]);
        assert!(
            users[1]
                .next_callback_answer()
                .await
                .text
                .unwrap()
                .contains("无法确认")
        );
        wait_for_figures(&app.store, run, |f| f.acknowledged == 1).await;

        for user in users.iter().skip(1) {
            user.expect_silence(Duration::from_millis(50)).await;
        }
    }
);

e2e_test!(
    a_429_is_honoured_and_a_blocked_recipient_is_marked_inactive,
    |app| {
        let users = subscribe(&app, 6001..=6003).await;
        let onboarding = app.sim.requests().len();
        app.sim.inject_error(
            "sendMessage",
            None,
            InjectedError::TooManyRequests { retry_after: 1 },
        );
        app.sim
            .inject_error("sendMessage", Some(6003), InjectedError::Blocked);
        let run = start_run(&app.store).await;
        expect_text(&users[0], "节日期间").await;
        expect_text(&users[1], "节日期间").await;
        // From Telegram's side: after the 429, nothing at all arrives within retry_after.
        let sends: Vec<_> = app
            .sim
            .requests()
            .into_iter()
            .skip(onboarding)
            .filter(|r| r.method == "sendMessage")
            .collect();
        let refused_at = sends[0].at;
        assert!(sends.len() >= 3, "{sends:?}");
        for later in &sends[1..] {
            assert!(
                later.at.duration_since(refused_at) >= Duration::from_secs(1),
                "a send {:?} after the 429: {:?}",
                later.at.duration_since(refused_at),
                sends
                    .iter()
                    .map(|r| (r.body["chat_id"].clone(), r.at.duration_since(refused_at)))
                    .collect::<Vec<_>>()
            );
        }
        let figures = wait_for_figures(&app.store, run, |f| f.pending == 0).await;
        assert_eq!((figures.sent, figures.blocked), (2, 1));
        assert!(
            !app.store
                .subscriber_by_chat(6003)
                .await
                .unwrap()
                .unwrap()
                .active
        );
        assert!(
            app.store
                .subscriber_by_chat(6001)
                .await
                .unwrap()
                .unwrap()
                .active
        );
    }
);
