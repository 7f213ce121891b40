//! The dashboard in a real headless Chromium (Debian's `chromium` and `chromium-driver`, which
//! `.ci/run` installs): sign in, triage a report from received to closed, open its printable
//! case file, save screenshots.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::browser::{browser, text_of};
use common::{DATA_KEY, TestApp};
use fantoccini::Locator;
use qingfeng_core::crypto::DataKey;
use qingfeng_core::domain::*;
use qingfeng_core::reports::intake::{Filing, submit};
use qingfeng_core::reports::{ReportKeys, ReportSettings};

const PASSWORD: &str = "correct horse battery";

async fn seed(app: &TestApp) -> i64 {
    let hash = qingfeng_dashboard::password::hash(PASSWORD).unwrap();
    app.store
        .create_staff(&"zhang.wei".parse().unwrap(), &hash, &StaffRole::County)
        .await
        .unwrap();
    let key: DataKey = DATA_KEY.parse().unwrap();
    let keys = ReportKeys::load_or_create(&app.store, &key).await.unwrap();
    let report = qingfeng_core::testing::report(
        Some("baofeng"),
        PersonLevel::Staff,
        Reporter::Anonymous { notify: false },
    );
    let code = TrackingCode::generate();
    let filing = Filing {
        chat_id: 42,
        language: Language::ZhCn,
        report: &report,
        code: &code,
    };
    submit(
        &app.store,
        &keys,
        &ReportSettings::default(),
        filing,
        Utc::now(),
    )
    .await
    .unwrap()
    .id
}

e2e_test!(
    staff_sign_in_and_triage_a_report_to_closed_in_chromium,
    |app| {
        let id = seed(&app).await;
        let base = format!("http://{}", app.http_addr);
        let (_driver, client) = browser().await;

        client.goto(&format!("{base}/reports")).await.unwrap();
        // Not signed in: the sign-in page.
        client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css("#sign-in"))
            .await
            .unwrap();
        let form = client.form(Locator::Css("form")).await.unwrap();
        form.set_by_name("username", "zhang.wei").await.unwrap();
        form.set_by_name("password", PASSWORD).await.unwrap();
        client
            .find(Locator::Css("#sign-in"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();

        let link = client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(&format!("#queue a[href='/reports/{id}']")))
            .await
            .unwrap();
        link.click().await.unwrap();
        assert_eq!(text_of(&client, "#status").await, "已收到，待受理");
        assert!(text_of(&client, "#description").await.contains("购物卡"));

        for step in ["accept", "dispose", "conclude"] {
            client
                .wait()
                .at_most(Duration::from_secs(15))
                .for_element(Locator::Css(&format!("#do-{step}")))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            client
                .wait()
                .at_most(Duration::from_secs(15))
                .for_element(Locator::Css("#notice"))
                .await
                .unwrap();
        }
        assert_eq!(text_of(&client, "#status").await, "已办结，待告知结果");
        let outcome = client
            .find(Locator::XPath(
                "//button[@id='do-close']/preceding-sibling::textarea",
            ))
            .await
            .unwrap();
        outcome
            .send_keys("经核实，已责令退还购物卡并给予诫勉谈话。")
            .await
            .unwrap();
        client
            .find(Locator::Css("#do-close"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css("#notice"))
            .await
            .unwrap();
        assert_eq!(text_of(&client, "#status").await, "已办结并反馈");

        let screenshot = client.screenshot().await.unwrap();
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "report-{id}-closed-{}.png",
            app.db.url.as_str().split(':').next().unwrap_or("db")
        ));
        std::fs::write(&path, &screenshot).unwrap();
        assert!(screenshot.starts_with(b"\x89PNG"), "a PNG screenshot");
        eprintln!("screenshot: {}", path.display());

        // The printable case file (举报件): category, content, and whose copy it is.
        client
            .find(Locator::Css("#case-file"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert_eq!(text_of(&client, "#case-category").await, "违规收受礼品礼金");
        let file = text_of(&client, "table#case-file").await;
        assert!(file.contains("购物卡") && file.contains("宝丰镇"), "{file}");
        assert!(!file.contains("SECRETFILEID"), "no file ids or names");
        let mark = text_of(&client, "#print-mark").await;
        assert!(
            mark.contains("zhang.wei") && mark.contains("打印时间"),
            "{mark}"
        );
        let screenshot = client.screenshot().await.unwrap();
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "report-{id}-case-file-{}.png",
            app.db.url.as_str().split(':').next().unwrap_or("db")
        ));
        std::fs::write(&path, &screenshot).unwrap();
        assert!(screenshot.starts_with(b"\x89PNG"), "a PNG screenshot");
        eprintln!("screenshot: {}", path.display());
        client.close().await.unwrap();

        let record = app.store.report_record(id).await.unwrap().unwrap();
        assert_eq!(record.status, ReportStatus::Closed);
        let audit = app.store.audit_log(50, 0).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|e| e.action == "report.close" && e.username == "zhang.wei")
        );
        assert!(
            audit
                .iter()
                .any(|e| e.action == "report.print" && e.report_id == Some(id))
        );
    }
);
