//! Wrong tracking codes and concurrent filing, on both backends: a code that exists always
//! works, misses are counted before they are compared, and many reporters (or one double
//! press) filing at once each file once.

use super::*;

store_test!(
    wrong_codes_are_throttled_per_account_and_for_everyone,
    |store| {
        seed(&store).await;
        let (id, code) = file(
            &store,
            &report(Some("baofeng"), PersonLevel::Staff, anonymous(false)),
        )
        .await;
        let s = ReportSettings {
            wrong_codes_per_user: 3,
            wrong_codes_global: 5,
            ..ReportSettings::default()
        };
        let now = monday();
        let look = async |chat: i64, code: &TrackingCode| {
            lookup(&store, &keys(), &s, chat, Language::ZhCn, code, now)
                .await
                .unwrap()
        };
        let found = look(REPORTER, &code).await;
        assert!(matches!(found, Lookup::Found(view) if view.record.id == id));
        for left in [2, 1, 0] {
            let wrong = look(REPORTER, &TrackingCode::generate()).await;
            assert!(
                matches!(wrong, Lookup::WrongCode { tries_left } if tries_left == left),
                "{wrong:?}"
            );
        }
        // This account may guess no more this hour, but a code that exists always works.
        assert!(matches!(
            look(REPORTER, &TrackingCode::generate()).await,
            Lookup::Throttled { .. }
        ));
        assert!(matches!(look(REPORTER, &code).await, Lookup::Found(_)));
        // Two more wrong codes from others reach the global limit of 5: now every wrong code
        // waits for the next hour, and still every right code opens its report.
        look(REPORTER + 1, &TrackingCode::generate()).await;
        look(REPORTER + 2, &TrackingCode::generate()).await;
        let Lookup::Throttled { until } = look(REPORTER + 3, &TrackingCode::generate()).await
        else {
            panic!("the global limit holds");
        };
        assert_eq!(until, Utc.with_ymd_and_hms(2026, 11, 30, 3, 0, 0).unwrap());
        assert!(matches!(look(REPORTER + 3, &code).await, Lookup::Found(_)));
        let next_hour = lookup(
            &store,
            &keys(),
            &s,
            REPORTER,
            Language::ZhCn,
            &TrackingCode::generate(),
            until,
        )
        .await
        .unwrap();
        assert!(matches!(next_hour, Lookup::WrongCode { .. }));
    }
);

// The review's lockout: 40 throwaway accounts × 5 wrong codes used up the global budget and
// then the real reporter's right code was refused too. Now only misses are counted.
store_test!(
    a_flood_of_wrong_codes_does_not_lock_out_a_real_reporter,
    |store| {
        seed(&store).await;
        let (id, code) = file(
            &store,
            &report(Some("baofeng"), PersonLevel::Staff, anonymous(false)),
        )
        .await;
        let s = ReportSettings::default();
        let now = monday();
        for account in 0..40 {
            for _ in 0..s.wrong_codes_per_user {
                let wrong = TrackingCode::generate();
                lookup(
                    &store,
                    &keys(),
                    &s,
                    7_000 + account,
                    Language::ZhCn,
                    &wrong,
                    now,
                )
                .await
                .unwrap();
            }
        }
        let wrong = TrackingCode::generate();
        let refused = lookup(&store, &keys(), &s, REPORTER, Language::ZhCn, &wrong, now)
            .await
            .unwrap();
        assert!(
            matches!(refused, Lookup::Throttled { .. }),
            "the budget is spent"
        );
        let right = lookup(&store, &keys(), &s, REPORTER, Language::ZhCn, &code, now)
            .await
            .unwrap();
        assert!(matches!(right, Lookup::Found(view) if view.record.id == id));
    }
);

// Misses from many chats at once: the counter is raised and then compared, so no more than
// the global limit ever get a "wrong code, N tries left" answer in one hour.
store_test!(
    concurrent_wrong_codes_never_exceed_the_global_limit,
    |store| {
        seed(&store).await;
        let s = ReportSettings {
            wrong_codes_per_user: 5,
            wrong_codes_global: 10,
            ..ReportSettings::default()
        };
        let now = monday();
        // Spawned all at once (collected), then awaited.
        let tries: Vec<_> = (0..60)
            .map(|chat| {
                let (store, s) = (store.clone(), s.clone());
                tokio::spawn(async move {
                    let wrong = TrackingCode::generate();
                    lookup(
                        &store,
                        &keys(),
                        &s,
                        8_000 + chat,
                        Language::ZhCn,
                        &wrong,
                        now,
                    )
                    .await
                    .unwrap()
                })
            })
            .collect();
        let mut answered_wrong = 0;
        for attempt in tries {
            if matches!(attempt.await.unwrap(), Lookup::WrongCode { .. }) {
                answered_wrong += 1;
            }
        }
        assert_eq!(answered_wrong, 10);
    }
);

// Many reporters filing at once (SQLite's single writer: `BEGIN IMMEDIATE`, no "database is
// locked"), and one submit pressed twice at once: every report filed once, each with its id.
store_test!(concurrent_submits_are_each_filed_once, |store| {
    seed(&store).await;
    let s = ReportSettings::default();
    let twice = TrackingCode::generate();
    let filings: Vec<_> = (0..12)
        .map(|i| {
            let (store, s) = (store.clone(), s.clone());
            // The last two are the same submit, pressed twice.
            let code = if i >= 10 {
                twice.clone()
            } else {
                TrackingCode::generate()
            };
            let chat = if i >= 10 { 9_000 } else { 9_000 + i };
            tokio::spawn(async move {
                let r = report(Some("baofeng"), PersonLevel::Staff, anonymous(false));
                let filing = Filing {
                    chat_id: chat,
                    language: Language::ZhCn,
                    report: &r,
                    code: &code,
                };
                submit(&store, &keys(), &s, filing, monday())
                    .await
                    .unwrap()
                    .id
            })
        })
        .collect();
    let mut ids = Vec::new();
    for filing in filings {
        ids.push(filing.await.unwrap());
    }
    assert_eq!(ids[10], ids[11], "the double press files one report");
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 11);
    assert_eq!(store.report_count().await.unwrap(), 11);
});
