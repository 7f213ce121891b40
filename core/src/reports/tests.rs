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
    crate::testing::import_shipped(store, &["regions.toml", "categories.toml"]).await;
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
        county_level.body.person.commission = CommissionTie::OtherStaff;
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

mod casework;
mod deadline_rules;
mod throttling;
mod upward;
