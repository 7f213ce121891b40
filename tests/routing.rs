//! Routing by cadre-management authority (干部管理权限), end to end through the fake Telegram on
//! both databases: a report about a 县处级 cadre is received, alerted to the county office
//! without content, transferred to the higher commission, its reporter told and its content
//! purged; a 乡科级 report reaches the county desk; the township desk never sees either.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::reporting::{Identity, code_in, fill_report_about, wait_for};
use common::{BAOFENG_STAFF_CHAT, COUNTY_STAFF_CHAT, DATA_KEY, TestApp};
use qingfeng_core::crypto::DataKey;
use qingfeng_core::domain::{ReportStatus, Staff, StaffRole};
use qingfeng_core::reports::casework::{StaffAction, act};
use qingfeng_core::reports::{ReportKeys, ReportSettings, view};
use qingfeng_core::store::{ReportFilter, ReportScope};

const REPORTER: i64 = 7_200_000_001;

async fn keys(app: &TestApp) -> ReportKeys {
    let key: DataKey = DATA_KEY.parse().unwrap();
    ReportKeys::load_or_create(&app.store, &key).await.unwrap()
}

fn county_officer() -> Staff {
    Staff {
        id: 1,
        username: "wang".parse().unwrap(),
        role: StaffRole::County,
        totp: false,
    }
}

/// Whether the Baofeng township account could see report `id` in any list or by its number.
async fn township_sees(app: &TestApp, id: i64) -> bool {
    let scope = ReportScope::TownshipDesk("baofeng".parse().unwrap());
    let listed = app
        .store
        .list_reports(&scope, &ReportFilter::default(), 50, 0)
        .await
        .unwrap()
        .iter()
        .any(|r| r.id == id);
    listed
        || app
            .store
            .visible_report(id, &scope)
            .await
            .unwrap()
            .is_some()
}

async fn submit(app: &TestApp, user: &telegram_sim::SimUser, level: &str) -> (i64, String) {
    let review = fill_report_about(user, Identity::RealName, true, level).await;
    user.press_button(&review, "提交");
    let submitted = wait_for(user, "您的查询码").await;
    let code = code_in(&submitted);
    // The reporter is told what happens next: passing up, or the acceptance notice.
    let next = if level == "县级领导干部" {
        "5 个工作日内"
    } else {
        "告知受理情况"
    };
    assert!(submitted.text.contains(next), "{}", submitted.text);
    let id = app
        .store
        .list_reports(&ReportScope::All, &ReportFilter::default(), 50, 0)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .max()
        .unwrap();
    (id, code)
}

e2e_test!(
    a_county_level_report_is_passed_up_and_purged_and_a_section_level_one_stays_with_the_county,
    |app| {
        let county = app.user(COUNTY_STAFF_CHAT, Some("zh-hans"));
        let township = app.user(BAOFENG_STAFF_CHAT, Some("zh-hans"));
        let user = app.user(REPORTER, Some("zh-hans"));

        // Received: the reporter has a code and a status.
        let (id, code) = submit(&app, &user, "县级领导干部").await;
        let record = app.store.report_record(id).await.unwrap().unwrap();
        assert_eq!(record.desk.as_str(), "county");
        assert_eq!(record.higher_body.as_ref().unwrap().as_str(), "shiyan");
        user.send_text(&format!("/status {code}"));
        let status = wait_for(&user, "移送上级纪委监委期限").await;
        assert!(status.text.contains("已收到"), "{}", status.text);

        // The county office is alerted that it must pass it up, by when; nothing else.
        let alert = wait_for(&county, "应移送上级纪委监委").await;
        assert!(
            alert.text.contains(&record.forward_due.to_string()),
            "{}",
            alert.text
        );
        for secret in ["宝丰", "违规收受礼品礼金", "购物卡", "张某某", "李四"] {
            assert!(!alert.text.contains(secret), "{secret} in {}", alert.text);
        }
        assert!(!township_sees(&app, id).await);

        // The county office records the transfer; the reporter is told; the content goes.
        let keys = keys(&app).await;
        act(
            &app.store,
            &keys,
            &ReportSettings::default(),
            id,
            &county_officer(),
            StaffAction::TransferUp {
                to: "十堰市纪委监委".parse().unwrap(),
            },
            Utc::now(),
        )
        .await
        .unwrap();
        let told = wait_for(&user, "已移送上级纪委监委").await;
        assert!(told.protect_content && told.text.contains(&id.to_string()));
        let opened = view::open(&app.store, &keys, id).await.unwrap();
        assert_eq!(opened.record.status, ReportStatus::Transferred);
        assert!(opened.body.is_none() && opened.reporter.is_none());
        assert!(opened.evidence.is_empty() && !opened.reachable);
        assert_eq!(
            opened.record.transferred_to.as_deref(),
            Some("十堰市纪委监委")
        );
        let history: Vec<&str> = opened.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(history, vec!["received", "transferred"]);
        // The tracking code still shows where it went.
        user.send_text(&format!("/status {code}"));
        wait_for(&user, "状态：已移送上级纪委监委").await;
        assert!(!township_sees(&app, id).await);

        // 乡科级: the county desk, never the township's.
        let other = app.user(REPORTER + 1, Some("zh-hans"));
        let (section, _) = submit(&app, &other, "乡镇或县直部门领导干部").await;
        let record = app.store.report_record(section).await.unwrap().unwrap();
        assert_eq!(record.desk.as_str(), "county");
        assert!(record.higher_body.is_none());
        let alert = wait_for(&county, "新举报").await;
        assert!(alert.text.contains(&section.to_string()), "{}", alert.text);
        assert!(!township_sees(&app, section).await);
        // Nothing ever reached the township desk's chat.
        assert!(
            township
                .next_message_within(Duration::from_secs(2))
                .await
                .is_none()
        );
    }
);
