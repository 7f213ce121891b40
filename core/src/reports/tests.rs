//! The reports service on both backends: filing, routing, privacy, follow-up, casework and
//! deadlines.

use chrono::{NaiveDate, TimeZone, Utc};

use super::casework::{StaffAction, act};
use super::follow_up::{Lookup, lookup, reporter_message};
use super::intake::{Filing, quota_left, submit};
use super::*;
use crate::content::{self, Source};
use crate::crypto::DataKey;
use crate::domain::*;
use crate::store::{NoticeKind, ReportFilter, ReportScope, Store};
use crate::store_test;

const BAOFENG_STAFF: i64 = 901;
const REPORTER: i64 = 5_550_001;

const ROUTING: &str = r#"
county_levels = ["section", "unknown"]
[higher]
code = "shiyan"
name_zh = "十堰市纪委监委"
name_en = "Shiyan Municipal Commission"
levels = ["county_or_above"]
[[desk]]
code = "county"
county = true
name_zh = "县纪委监委信访室"
name_en = "County office"
alert_chat_ids = [900]
[[desk]]
code = "baofeng"
name_zh = "宝丰镇纪委"
name_en = "Baofeng desk"
townships = ["baofeng"]
alert_chat_ids = [901]
"#;

async fn seed(store: &Store) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    content::import(store, &root.join("regions.toml"))
        .await
        .unwrap();
    content::import(store, &root.join("categories.toml"))
        .await
        .unwrap();
    let routing = content::routing::parse(&Source {
        path: std::path::Path::new("routing.toml"),
        text: ROUTING,
    })
    .unwrap();
    store.import_routing(&routing).await.unwrap();
}

use crate::testing::report;

fn anonymous(notify: bool) -> Reporter {
    Reporter::Anonymous { notify }
}

fn real_name() -> Reporter {
    Reporter::RealName(RealName {
        name: "李四".parse().unwrap(),
        mobile: "13800138000".parse().unwrap(),
    })
}

fn filing<'a>(report: &'a NewReport, code: &'a TrackingCode) -> Filing<'a> {
    Filing {
        chat_id: REPORTER,
        language: Language::ZhCn,
        report,
        code,
    }
}

fn keys() -> ReportKeys {
    ReportKeys::for_tests()
}

/// The county officer who acts in these tests (the audit log names them).
fn wang() -> Staff {
    Staff {
        id: 1,
        username: "wang".parse().unwrap(),
        role: StaffRole::County,
        totp: false,
    }
}

/// Monday 2026-11-30, 10:00 in Shanghai.
fn monday() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap()
}

async fn file(store: &Store, r: &NewReport) -> (i64, TrackingCode) {
    let code = TrackingCode::generate();
    let s = ReportSettings::default();
    let filed = submit(store, &keys(), &s, filing(r, &code), monday())
        .await
        .unwrap();
    assert!(filed.fresh);
    (filed.id, code)
}

store_test!(
    a_report_is_filed_once_and_routed_to_its_township_desk,
    |store| {
        seed(&store).await;
        let s = ReportSettings::default();
        let r = report(Some("baofeng"), PersonLevel::Staff, anonymous(false));
        let code = TrackingCode::generate();
        let first = submit(&store, &keys(), &s, filing(&r, &code), monday())
            .await
            .unwrap();
        // Pressing submit again (after a crash) finds the same report.
        let again = submit(&store, &keys(), &s, filing(&r, &code), monday())
            .await
            .unwrap();
        assert!(first.fresh && !again.fresh);
        assert_eq!(first.id, again.id);
        assert_eq!(store.report_count().await.unwrap(), 1);
        // 15 working days from Monday 30 Nov 2026 (no holidays loaded): Monday 21 Dec.
        assert_eq!(
            first.acceptance_due,
            NaiveDate::from_ymd_opt(2026, 12, 21).unwrap()
        );
        let record = store.report_record(first.id).await.unwrap().unwrap();
        assert_eq!(record.desk.as_str(), "baofeng");
        assert_eq!(record.status, ReportStatus::Received);
        assert!(record.anonymous);
        assert_eq!(
            record.forward_due,
            NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
        );
        // One alert to the desk's staff, and the quota counted once.
        assert_eq!(
            store.notice_counts().await.unwrap(),
            vec![("staff_alert".into(), "queued".into(), 1)]
        );
        let claimed = store.claim_notices(monday(), 10).await.unwrap();
        let hash = claimed[0].code_hash.as_deref().unwrap();
        let recipient = keys()
            .open_recipient(
                hash,
                NoticeKind::StaffAlert,
                claimed[0].recipient.as_ref().unwrap(),
            )
            .unwrap();
        assert_eq!(recipient.chat_id, BAOFENG_STAFF);
        let text = keys()
            .open_body(
                hash,
                NoticeKind::StaffAlert,
                claimed[0].body.as_ref().unwrap(),
            )
            .unwrap()
            .render(Language::ZhCn);
        assert!(
            text.contains("宝丰镇") && text.contains("违规收受礼品礼金"),
            "{text}"
        );
        assert!(
            text.contains(&first.id.to_string()) && text.contains("2026-12-21"),
            "{text}"
        );
        assert!(
            !text.contains("购物卡") && !text.contains("张某某"),
            "alerts carry no content"
        );
    }
);

store_test!(
    escalated_levels_commission_staff_and_county_departments_go_to_the_county,
    |store| {
        seed(&store).await;
        let mut county_level = report(
            Some("baofeng"),
            PersonLevel::CountyOrAbove,
            anonymous(false),
        );
        let (id, _) = file(&store, &county_level).await;
        assert_eq!(
            store
                .report_record(id)
                .await
                .unwrap()
                .unwrap()
                .desk
                .as_str(),
            "county"
        );
        county_level.body.person.level = PersonLevel::Staff;
        county_level.body.person.commission_staff = true;
        let (id, _) = file(&store, &county_level).await;
        assert_eq!(
            store
                .report_record(id)
                .await
                .unwrap()
                .unwrap()
                .desk
                .as_str(),
            "county"
        );
        let (id, _) = file(&store, &report(None, PersonLevel::Staff, anonymous(false))).await;
        assert_eq!(
            store
                .report_record(id)
                .await
                .unwrap()
                .unwrap()
                .desk
                .as_str(),
            "county"
        );
        // A township without a desk of its own is served by the county.
        let (id, _) = file(
            &store,
            &report(Some("majiadu"), PersonLevel::Village, anonymous(false)),
        )
        .await;
        assert_eq!(
            store
                .report_record(id)
                .await
                .unwrap()
                .unwrap()
                .desk
                .as_str(),
            "county"
        );
    }
);

store_test!(the_daily_quota_counts_filed_reports, |store| {
    seed(&store).await;
    let s = ReportSettings {
        daily_limit: 2,
        ..ReportSettings::default()
    };
    let r = report(Some("baofeng"), PersonLevel::Staff, anonymous(false));
    for _ in 0..2 {
        assert!(
            quota_left(&store, &keys(), &s, REPORTER, monday())
                .await
                .unwrap()
        );
        submit(
            &store,
            &keys(),
            &s,
            filing(&r, &TrackingCode::generate()),
            monday(),
        )
        .await
        .unwrap();
    }
    assert!(
        !quota_left(&store, &keys(), &s, REPORTER, monday())
            .await
            .unwrap()
    );
    assert!(
        quota_left(&store, &keys(), &s, REPORTER + 1, monday())
            .await
            .unwrap()
    );
    let tomorrow = monday() + chrono::TimeDelta::days(1);
    assert!(
        quota_left(&store, &keys(), &s, REPORTER, tomorrow)
            .await
            .unwrap()
    );
});

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

store_test!(
    casework_moves_through_the_lifecycle_and_tells_the_reporter,
    |store| {
        seed(&store).await;
        let (id, code) = file(
            &store,
            &report(Some("baofeng"), PersonLevel::Staff, real_name()),
        )
        .await;
        let s = ReportSettings::default();
        let k = keys();
        let staff_text = |t: &str| t.parse::<MessageText>().unwrap();
        let run =
            async |action: StaffAction| act(&store, &k, &s, id, &wang(), action, monday()).await;
        // Not possible before acceptance.
        let early = run(StaffAction::Dispose(Disposal::TalkOrLetter)).await;
        assert!(matches!(
            early,
            Err(ReportError::NotAllowed {
                status: ReportStatus::Received,
                ..
            })
        ));
        run(StaffAction::Forward {
            desk: "county".parse().unwrap(),
        })
        .await
        .unwrap();
        assert!(matches!(
            run(StaffAction::Forward {
                desk: "county".parse().unwrap()
            })
            .await,
            Err(ReportError::SameDesk(_))
        ));
        run(StaffAction::Accept).await.unwrap();
        run(StaffAction::Reply {
            text: staff_text("请补充购物卡的照片。"),
        })
        .await
        .unwrap();
        run(StaffAction::Note {
            text: staff_text("内部：与信访件 2026-17 可能重复"),
        })
        .await
        .unwrap();
        reporter_message(
            &store,
            &k,
            &s,
            id,
            &staff_text("照片已经发过了，请查收。"),
            monday(),
        )
        .await
        .unwrap();
        run(StaffAction::Dispose(Disposal::PreliminaryVerification))
            .await
            .unwrap();
        run(StaffAction::Conclude).await.unwrap();
        let record = store.report_record(id).await.unwrap().unwrap();
        assert_eq!(record.status, ReportStatus::Concluded);
        assert_eq!(record.desk.as_str(), "county");
        assert_eq!(
            record.result_due,
            Some(NaiveDate::from_ymd_opt(2026, 12, 21).unwrap())
        );
        run(StaffAction::Close {
            outcome: staff_text("经核实，已给予相关人员党纪处分。"),
        })
        .await
        .unwrap();
        assert!(matches!(
            run(StaffAction::Accept).await,
            Err(ReportError::NotAllowed { .. })
        ));

        // The reporter sees public replies and their own message, never the internal note.
        let Lookup::Found(view) = lookup(&store, &k, &s, REPORTER, Language::ZhCn, &code, monday())
            .await
            .unwrap()
        else {
            panic!("found");
        };
        assert_eq!(view.record.status, ReportStatus::Closed);
        let texts: Vec<&str> = view.messages.iter().map(|(_, t, _)| t.as_str()).collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(!texts.iter().any(|t| t.contains("内部")));
        // Staff see everything, with the history naming who did what.
        let full = view::open(&store, &k, id).await.unwrap();
        assert_eq!(full.messages.len(), 4);
        assert_eq!(full.reporter.unwrap().mobile.as_str(), "13800138000");
        assert_eq!(full.evidence[0].file_id, "AgACAgIAAxkBAAIBSECRETFILEID");
        let kinds: Vec<&str> = full.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "received",
                "forwarded",
                "accepted",
                "replied",
                "noted",
                "reporter_message",
                "disposed",
                "concluded",
                "closed"
            ]
        );
        assert!(
            full.events[1..]
                .iter()
                .filter(|e| e.kind != "reporter_message")
                .all(|e| e.actor == "wang")
        );
        // Notices: accepted, reply, closed to the reporter; alerts to staff.
        let counts = store.notice_counts().await.unwrap();
        assert!(
            counts.contains(&("reporter".into(), "queued".into(), 3)),
            "{counts:?}"
        );
        let filtered = store
            .list_reports(
                &ReportScope::All,
                &ReportFilter {
                    status: Some(ReportStatus::Closed),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .unwrap();
        assert_eq!(filtered.len(), 1);
    }
);

store_test!(
    an_anonymous_report_without_replies_has_no_reply_address,
    |store| {
        seed(&store).await;
        let (id, _) = file(
            &store,
            &report(Some("baofeng"), PersonLevel::Staff, anonymous(false)),
        )
        .await;
        let s = ReportSettings::default();
        act(
            &store,
            &keys(),
            &s,
            id,
            &wang(),
            StaffAction::Accept,
            monday(),
        )
        .await
        .unwrap();
        let reply = StaffAction::Reply {
            text: "收到".parse().unwrap(),
        };
        act(&store, &keys(), &s, id, &wang(), reply, monday())
            .await
            .unwrap();
        let counts = store.notice_counts().await.unwrap();
        assert!(
            !counts
                .iter()
                .any(|(kind, _, _)| kind == NoticeKind::Reporter.as_str()),
            "{counts:?}"
        );
        let sealed = store.sealed_report(id).await.unwrap().unwrap();
        assert!(sealed.reporter.is_none() && sealed.reply_address.is_none());
    }
);

store_test!(
    nearly_due_and_overdue_reports_alert_their_desk_once,
    |store| {
        seed(&store).await;
        let (id, _) = file(
            &store,
            &report(Some("baofeng"), PersonLevel::Staff, anonymous(false)),
        )
        .await;
        let s = ReportSettings::default();
        let before = store.notice_counts().await.unwrap();
        // Due Monday 21 Dec: on Wed 16 Dec three working days remain.
        let at = |d: u32| Utc.with_ymd_and_hms(2026, 12, d, 2, 0, 0).unwrap();
        assert_eq!(
            deadlines::scan(&store, &keys(), &s, at(14)).await.unwrap(),
            0
        );
        assert_eq!(
            deadlines::scan(&store, &keys(), &s, at(16)).await.unwrap(),
            1
        );
        assert_eq!(
            deadlines::scan(&store, &keys(), &s, at(17)).await.unwrap(),
            0,
            "once"
        );
        assert_eq!(
            deadlines::scan(&store, &keys(), &s, at(22)).await.unwrap(),
            1
        );
        assert_eq!(
            deadlines::scan(&store, &keys(), &s, at(23)).await.unwrap(),
            0,
            "once"
        );
        let after = store.notice_counts().await.unwrap();
        assert_ne!(before, after);
        // Accepted reports have no acceptance deadline left.
        act(
            &store,
            &keys(),
            &s,
            id,
            &wang(),
            StaffAction::Accept,
            at(23),
        )
        .await
        .unwrap();
        assert!(store.reports_awaiting_deadlines().await.unwrap().is_empty());
    }
);

store_test!(the_report_key_is_wrapped_and_can_be_rewrapped, |store| {
    seed(&store).await;
    let old = DataKey::from_bytes([1; 32]);
    let new = DataKey::from_bytes([2; 32]);
    let keys = ReportKeys::load_or_create(&store, &old).await.unwrap();
    let again = ReportKeys::load_or_create(&store, &old).await.unwrap();
    let code = TrackingCode::generate();
    assert_eq!(keys.code_hash(&code), again.code_hash(&code));
    assert!(matches!(
        ReportKeys::load_or_create(&store, &new).await,
        Err(ReportError::WrongKey(_))
    ));
    ReportKeys::rewrap(&store, &old, &new).await.unwrap();
    let rewrapped = ReportKeys::load_or_create(&store, &new).await.unwrap();
    assert_eq!(rewrapped.code_hash(&code), keys.code_hash(&code));
    assert!(ReportKeys::load_or_create(&store, &old).await.is_err());
});

store_test!(a_township_scope_sees_only_its_desks_reports, |store| {
    seed(&store).await;
    let (local, _) = file(
        &store,
        &report(Some("baofeng"), PersonLevel::Staff, anonymous(false)),
    )
    .await;
    let (escalated, _) = file(
        &store,
        &report(
            Some("baofeng"),
            PersonLevel::CountyOrAbove,
            anonymous(false),
        ),
    )
    .await;
    let baofeng = ReportScope::TownshipDesk("baofeng".parse().unwrap());
    let majiadu = ReportScope::TownshipDesk("majiadu".parse().unwrap());
    let all = |scope| {
        let store = store.clone();
        async move {
            store
                .list_reports(&scope, &ReportFilter::default(), 10, 0)
                .await
                .unwrap()
                .iter()
                .map(|r| r.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(all(baofeng.clone()).await, vec![local]);
    assert!(all(majiadu.clone()).await.is_empty());
    assert_eq!(all(ReportScope::All).await.len(), 2);
    assert!(
        store
            .visible_report(local, &baofeng)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .visible_report(escalated, &baofeng)
            .await
            .unwrap()
            .is_none(),
        "county-level stays with the county"
    );
    assert!(
        store
            .visible_report(local, &majiadu)
            .await
            .unwrap()
            .is_none()
    );
    // Forwarded to the county, it leaves the township's view.
    let forward = StaffAction::Forward {
        desk: "county".parse().unwrap(),
    };
    act(
        &store,
        &keys(),
        &ReportSettings::default(),
        local,
        &wang(),
        forward,
        monday(),
    )
    .await
    .unwrap();
    assert!(
        store
            .visible_report(local, &baofeng)
            .await
            .unwrap()
            .is_none()
    );
});

mod upward;
