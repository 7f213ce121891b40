//! Store tests for the calendar, campaigns, runs and the outbox, on both backends.

use chrono::{Duration, TimeZone, Utc};

use crate::calendar::{CalendarYear, DayKind, YearStatus};
use crate::domain::*;
use crate::store::*;
use crate::store_test;

fn code(s: &str) -> RegionCode {
    s.parse().unwrap()
}

fn campaign(id: &str, audience: Option<Audience>) -> Campaign {
    Campaign {
        audience,
        acknowledge: true,
        ..crate::testing::campaign(id, "一", "one")
    }
}

/// Two townships; subscribers 1..=6: odd ones enterprises in baofeng, even ones households
/// in majiadu (4 in village luojiapo), 6 speaks English, 5 is inactive.
async fn seed(store: &Store) {
    let township = |c: &str| Township {
        code: code(c),
        name: LocalizedText::new(c, c),
        kind: TownshipKind::Town,
    };
    let village = Village {
        township: code("majiadu"),
        code: code("luojiapo"),
        name: LocalizedText::new("罗家坡村", "Luojiapo"),
    };
    store
        .import_regions(&[township("baofeng"), township("majiadu")], &[village])
        .await
        .unwrap();
    for chat_id in 1..=6 {
        let profile = if chat_id % 2 == 1 {
            Profile::Enterprise {
                township: code("baofeng"),
                name: EnterpriseName::parse("某某公司").unwrap(),
                credit_code: None,
            }
        } else {
            Profile::Household {
                township: code("majiadu"),
                village: (chat_id == 4).then(|| code("luojiapo")),
            }
        };
        let language = if chat_id == 6 {
            Language::En
        } else {
            Language::ZhCn
        };
        store
            .upsert_subscriber(&NewSubscriber {
                chat_id,
                language,
                profile,
            })
            .await
            .unwrap();
    }
    store.set_subscriber_active(5, false).await.unwrap();
}

store_test!(runs_fan_out_to_the_filtered_audience_once, |store| {
    seed(&store).await;
    let mut everyone = campaign("everyone", None);
    let households = campaign("households", Some(Audience::Household));
    let mut village = campaign("village", None);
    village.villages = vec![(code("majiadu"), code("luojiapo"))];
    let mut english = campaign("english", None);
    english.languages = vec![Language::En];
    let mut baofeng = campaign("baofeng", None);
    baofeng.townships = vec![code("baofeng")];
    store
        .import_campaigns(&[
            everyone.clone(),
            households.clone(),
            village.clone(),
            english.clone(),
            baofeng.clone(),
        ])
        .await
        .unwrap();

    let at = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    let targeted = async |c: &Campaign| {
        store
            .create_run(c, at, Trigger::Schedule, at)
            .await
            .unwrap()
            .unwrap()
            .targeted
    };
    assert_eq!(
        targeted(&everyone).await,
        5,
        "the inactive subscriber is left out"
    );
    assert_eq!(targeted(&households).await, 3);
    assert_eq!(targeted(&village).await, 1);
    assert_eq!(targeted(&english).await, 1);
    assert_eq!(targeted(&baofeng).await, 2);

    // The same firing again creates nothing: the unique key holds across restarts.
    assert!(
        store
            .create_run(&everyone, at, Trigger::CatchUp, at)
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.run_exists(&everyone.id, at).await.unwrap());
    // A second firing gets the next rotation number.
    everyone.messages.push(LocalizedText {
        zh: "二".into(),
        en: "two".into(),
    });
    let later = store
        .create_run(&everyone, at + Duration::days(7), Trigger::Schedule, at)
        .await
        .unwrap()
        .unwrap();
    let runs = store.recent_runs(&everyone.id, 10).await.unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].run_id, later.run_id, "newest first");
    assert_eq!(later.pending, 5);

    assert!(
        store
            .record_no_run(&everyone.id, at + Duration::days(14), NoRun::Missed)
            .await
            .unwrap()
    );
    assert!(
        !store
            .record_no_run(&everyone.id, at + Duration::days(14), NoRun::Missed)
            .await
            .unwrap()
    );
    assert_eq!(
        store.recent_runs(&everyone.id, 1).await.unwrap()[0].status,
        "missed"
    );
});

store_test!(
    the_outbox_claims_records_requeues_and_acknowledges,
    |store| {
        seed(&store).await;
        let c = campaign("everyone", None);
        store
            .import_campaigns(std::slice::from_ref(&c))
            .await
            .unwrap();
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
        let run = store
            .create_run(&c, at, Trigger::Manual, at)
            .await
            .unwrap()
            .unwrap();

        assert!(
            store
                .claim_deliveries(at - Duration::seconds(1), 10)
                .await
                .unwrap()
                .is_empty(),
            "not due yet"
        );
        let first = store.claim_deliveries(at, 3).await.unwrap();
        assert_eq!(
            first.iter().map(|d| d.chat_id).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert_eq!(first[0].attempts, 1);
        let rest = store.claim_deliveries(at, 10).await.unwrap();
        assert_eq!(rest.len(), 2, "claimed rows are not claimed twice");
        assert_eq!(rest[1].language, "en");
        assert_eq!(rest[0].township_code, "majiadu");

        // A crash: the two unrecorded claims go back to the queue.
        assert_eq!(store.requeue_claimed().await.unwrap(), 5);
        let again = store.claim_deliveries(at, 10).await.unwrap();
        assert_eq!(again.len(), 5);
        assert_eq!(again[0].attempts, 2);

        let later = at + Duration::minutes(5);
        let outcomes = vec![
            (
                again[0].clone(),
                Outcome::Sent {
                    at: later,
                    message_id: Some(77),
                },
            ),
            (
                again[1].clone(),
                Outcome::Retry {
                    at: later,
                    error: "429".into(),
                },
            ),
            (
                again[2].clone(),
                Outcome::Failed {
                    error: "gave up".into(),
                },
            ),
            (
                again[3].clone(),
                Outcome::Blocked {
                    error: "blocked".into(),
                },
            ),
            (
                again[4].clone(),
                Outcome::Sent {
                    at: later,
                    message_id: None,
                },
            ),
        ];
        store.record_outcomes(&outcomes).await.unwrap();
        let figures = store.run_figures(run.run_id).await.unwrap().unwrap();
        assert_eq!(
            (
                figures.sent,
                figures.pending,
                figures.failed,
                figures.blocked
            ),
            (2, 1, 1, 1)
        );
        assert!(
            !store
                .subscriber_by_chat(again[3].chat_id)
                .await
                .unwrap()
                .unwrap()
                .active,
            "blocked → inactive"
        );
        assert_eq!(store.next_delivery_due().await.unwrap(), Some(later));

        assert_eq!(
            store
                .acknowledge(again[0].id, again[0].chat_id)
                .await
                .unwrap(),
            Acknowledged::Recorded
        );
        assert_eq!(
            store
                .acknowledge(again[0].id, again[0].chat_id)
                .await
                .unwrap(),
            Acknowledged::Already
        );
        assert_eq!(
            store.acknowledge(again[0].id, 999).await.unwrap(),
            Acknowledged::NotFound,
            "another chat's delivery"
        );
        assert_eq!(
            store
                .run_figures(run.run_id)
                .await
                .unwrap()
                .unwrap()
                .acknowledged,
            1
        );
    }
);

store_test!(campaigns_and_the_calendar_import_idempotently, |store| {
    let a = campaign("a", None);
    let b = campaign("b", Some(Audience::Enterprise));
    assert_eq!(
        store
            .import_campaigns(&[a.clone(), b.clone()])
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .import_campaigns(std::slice::from_ref(&a))
            .await
            .unwrap(),
        1,
        "b is retired"
    );
    let stored = store.campaigns().await.unwrap();
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().any(|s| s.campaign == b && !s.active));
    assert_eq!(store.campaign(&a.id).await.unwrap().unwrap().campaign, a);

    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    let year = CalendarYear {
        year: 2026,
        status: YearStatus::Official,
        source: "notice".into(),
        days: vec![
            (
                day("2026-02-16"),
                DayKind::Off,
                "春节".into(),
                "Spring Festival".into(),
            ),
            (
                day("2026-02-14"),
                DayKind::Work,
                "春节".into(),
                "Spring Festival".into(),
            ),
        ],
    };
    store
        .import_calendar(std::slice::from_ref(&year))
        .await
        .unwrap();
    store.import_calendar(&[year]).await.unwrap();
    let calendar = store.working_calendar().await.unwrap();
    assert!(!calendar.is_working_day(day("2026-02-16")));
    assert!(calendar.is_working_day(day("2026-02-14")));
    assert_eq!(
        calendar.certainty(2026),
        crate::calendar::Certainty::Official
    );
});

store_test!(leaving_cancels_reminders_still_queued, |store| {
    seed(&store).await;
    let c = campaign("everyone", None);
    store
        .import_campaigns(std::slice::from_ref(&c))
        .await
        .unwrap();
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    let run = store
        .create_run(&c, at, Trigger::Manual, at)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run.targeted, 5);
    store.set_subscriber_active(2, false).await.unwrap();
    let claimed = store.claim_deliveries(at, 10).await.unwrap();
    assert_eq!(
        claimed.iter().map(|d| d.chat_id).collect::<Vec<_>>(),
        [1, 3, 4, 6],
        "2 left after the fan-out"
    );
    // One recipient turns out unreachable: their other queued reminders are cancelled too.
    let later = run_with_second_campaign(&store, at).await;
    store
        .record_outcomes(&[(
            claimed[0].clone(),
            Outcome::Blocked {
                error: "blocked".into(),
            },
        )])
        .await
        .unwrap();
    let figures = store.run_figures(later).await.unwrap().unwrap();
    assert_eq!(
        (figures.targeted, figures.cancelled, figures.pending),
        (4, 1, 3)
    );
    assert_eq!(
        store
            .run_figures(run.run_id)
            .await
            .unwrap()
            .unwrap()
            .cancelled,
        1
    );
});

async fn run_with_second_campaign(store: &Store, at: chrono::DateTime<Utc>) -> i64 {
    let c = campaign("second", None);
    store
        .import_campaigns(&[campaign("everyone", None), c.clone()])
        .await
        .unwrap();
    store
        .create_run(&c, at, Trigger::Manual, at)
        .await
        .unwrap()
        .unwrap()
        .run_id
}

store_test!(
    concurrent_manual_runs_fan_out_once_and_a_repeat_is_explicit,
    |store| {
        seed(&store).await;
        let c = campaign("everyone", None);
        store
            .import_campaigns(std::slice::from_ref(&c))
            .await
            .unwrap();
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
        // Eight "run now"s within the same second, as a double-submitted form or two
        // terminals would send them; each asks at a slightly different instant.
        let asks: Vec<_> = (0..8)
            .map(|i| {
                let (store, c) = (store.clone(), c.clone());
                let now = at + Duration::milliseconds(i * 7);
                tokio::spawn(async move {
                    store
                        .create_manual_run(&c, now, now, ManualRunGuard::ONCE)
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut outcomes: Vec<ManualRun> = Vec::new();
        for ask in asks {
            outcomes.push(ask.await.unwrap());
        }
        let started: Vec<&RunFigures> = outcomes
            .iter()
            .filter_map(|o| match o {
                ManualRun::Started(run) => Some(run),
                ManualRun::AlreadyStarted(_) => None,
            })
            .collect();
        assert_eq!(started.len(), 1, "{outcomes:?}");
        let run_id = started[0].run_id;
        assert!(outcomes.iter().all(|o| match o {
            ManualRun::Started(run) | ManualRun::AlreadyStarted(run) => run.run_id == run_id,
        }));
        let mut chats: Vec<i64> = store
            .claim_deliveries(at + Duration::hours(1), 100)
            .await
            .unwrap()
            .iter()
            .map(|d| d.chat_id)
            .collect();
        chats.sort();
        assert_eq!(chats, [1, 2, 3, 4, 6], "one delivery per active subscriber");

        // Still inside the window, a second plain run is refused; a minute later it starts.
        let later = at + Duration::seconds(59);
        assert!(matches!(
            store
                .create_manual_run(&c, later, later, ManualRunGuard::ONCE)
                .await
                .unwrap(),
            ManualRun::AlreadyStarted(_)
        ));
        // A deliberate repeat of the run seen starts once, even when asked for twice.
        let repeat = ManualRunGuard::Repeating(Some(run_id));
        let first = store
            .create_manual_run(&c, later, later, repeat)
            .await
            .unwrap();
        let ManualRun::Started(second_run) = first else {
            panic!("a repeat starts: {first:?}")
        };
        let twice = later + Duration::milliseconds(300);
        assert_eq!(
            store
                .create_manual_run(&c, twice, twice, repeat)
                .await
                .unwrap(),
            ManualRun::AlreadyStarted(store.run_figures(second_run.run_id).await.unwrap().unwrap())
        );
        let after_window = later + MANUAL_RUN_WINDOW;
        assert!(matches!(
            store
                .create_manual_run(&c, after_window, after_window, ManualRunGuard::ONCE)
                .await
                .unwrap(),
            ManualRun::Started(_)
        ));
        assert_eq!(store.recent_runs(&c.id, 10).await.unwrap().len(), 3);
    }
);

store_test!(concurrent_claims_take_each_delivery_once, |store| {
    seed(&store).await;
    let c = campaign("everyone", None);
    store
        .import_campaigns(std::slice::from_ref(&c))
        .await
        .unwrap();
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    store
        .create_run(&c, at, Trigger::Manual, at)
        .await
        .unwrap()
        .unwrap();
    // Four workers claiming at once, one row each (SQLite: BEGIN IMMEDIATE; PostgreSQL:
    // FOR UPDATE SKIP LOCKED).
    let claims: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.claim_deliveries(at, 1).await.unwrap() })
        })
        .collect();
    let mut chats = Vec::new();
    for claim in claims {
        chats.extend(claim.await.unwrap().iter().map(|d| d.chat_id));
    }
    chats.extend(
        store
            .claim_deliveries(at, 10)
            .await
            .unwrap()
            .iter()
            .map(|d| d.chat_id),
    );
    chats.sort();
    assert_eq!(chats, [1, 2, 3, 4, 6], "each delivery claimed once");
});
