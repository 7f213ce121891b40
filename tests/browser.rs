//! The dashboard in a real headless Chromium (Debian's `chromium` and `chromium-driver`, which
//! `.ci/run` installs): sign in, and at a desk's 1280×900 and a phone's 390×844 walk the queue
//! → a report → accept → reply → close (confirmed), saving a screenshot of every page as
//! `target/tmp/dashboard-*.png` and checking that no zh-CN page shows an internal code
//! (`received`, `report.view`, a campaign id, `UTC`); then open the printable case file.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::browser::{browser, text_of};
use common::{DATA_KEY, TestApp};
use fantoccini::{Client, Locator};
use qingfeng_core::crypto::DataKey;
use qingfeng_core::domain::*;
use qingfeng_core::reports::intake::{Filing, submit};
use qingfeng_core::reports::{ReportKeys, ReportSettings};

const PASSWORD: &str = "correct horse battery";

async fn seed_staff(app: &TestApp) {
    let hash = qingfeng_dashboard::password::hash(PASSWORD).unwrap();
    app.store
        .create_staff(&"zhang.wei".parse().unwrap(), &hash, &StaffRole::County)
        .await
        .unwrap();
}

async fn file_report(app: &TestApp) -> i64 {
    let key: DataKey = DATA_KEY.parse().unwrap();
    let keys = ReportKeys::load_or_create(&app.store, &key).await.unwrap();
    let report = qingfeng_core::testing::report(
        Some("baofeng"),
        PersonLevel::Staff,
        Reporter::Anonymous { notify: true },
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

async fn displayed(client: &Client, css: &str) -> bool {
    let element = client.find(Locator::Css(css)).await.unwrap();
    element.is_displayed().await.unwrap()
}

async fn click(client: &Client, css: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Waits for the page an action returns to (`?done=ACTION`); the previous page's notice
/// would otherwise be read before the new page has loaded.
async fn wait_done(client: &Client, action: &str) {
    let marker = format!("done={action}");
    for _ in 0..150 {
        if client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains(&marker)
        {
            text_of(client, "#notice").await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{action} was not done within 15 s");
}

/// Types into the text box of the form whose button is `button` (e.g. `do-close`).
async fn type_for(client: &Client, button: &str, text: &str) {
    client
        .find(Locator::XPath(&format!(
            "//button[@id='{button}']/preceding-sibling::textarea"
        )))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// One walk through the dashboard, and what it saw.
struct Walk<'a> {
    client: &'a Client,
    /// `1280x900` or `390x844`, in the screenshots' names.
    size: &'static str,
    db: &'a str,
    /// Internal codes no zh-CN page may show (campaign ids, with the fixed ones).
    codes: Vec<String>,
}

impl Walk<'_> {
    /// Saves a screenshot of the page as `target/tmp/dashboard-STEP-SIZE-DB.png` and checks
    /// that what it shows has no internal code in it.
    async fn page(&self, step: &str) {
        let screenshot = self.client.screenshot().await.unwrap();
        assert!(screenshot.starts_with(b"\x89PNG"), "a PNG screenshot");
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("dashboard-{step}-{}-{}.png", self.size, self.db));
        std::fs::write(&path, &screenshot).unwrap();
        eprintln!("screenshot: {}", path.display());
        let shown = self
            .client
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for code in &self.codes {
            assert!(
                !shown.contains(code.as_str()),
                "{step} at {} shows `{code}`:\n{shown}",
                self.size
            );
        }
    }

    /// Queue → report → accept → dispose → reply → close (confirmed), at this window size.
    async fn triage(&self, base: &str, id: i64) {
        let client = self.client;
        client.goto(&format!("{base}/reports")).await.unwrap();
        client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(&format!("#queue a[href='/reports/{id}']")))
            .await
            .unwrap();
        self.page("queue").await;
        // A phone gets the queue as cards and the menu behind ☰; a desk, a table and the menu.
        let phone = self.size == "390x844";
        assert_eq!(
            displayed(client, "#queue thead").await,
            !phone,
            "{}",
            self.size
        );
        let stats_link = "header nav.menu a[href='/stats']";
        assert_eq!(displayed(client, stats_link).await, !phone, "{}", self.size);
        if phone {
            click(client, "label.menu-button").await;
            assert!(displayed(client, stats_link).await, "☰ opens the menu");
            click(client, "label.menu-button").await;
        }
        click(client, &format!("#queue a[href='/reports/{id}']")).await;
        assert_eq!(text_of(client, "#status").await, "已收到，待受理");
        assert!(text_of(client, "#description").await.contains("购物卡"));
        self.page("report").await;
        click(client, "#do-accept").await;
        wait_done(client, "accept").await;
        // The disposal has no preset: the officer chooses one.
        client
            .find(Locator::Css(
                "select[name='disposal'] option[value='preliminary_verification']",
            ))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        click(client, "#do-dispose").await;
        wait_done(client, "dispose").await;
        self.page("accepted").await;
        type_for(client, "do-reply", "已收到您的举报，正在核实。").await;
        click(client, "#do-reply").await;
        wait_done(client, "reply").await;
        self.page("replied").await;
        type_for(
            client,
            "do-close",
            "经核实，已责令退还购物卡并给予诫勉谈话。",
        )
        .await;
        click(client, "#do-close").await;
        // The confirmation step: nothing is done until it is confirmed.
        assert!(
            text_of(client, "#confirm-question")
                .await
                .contains("确定告知处理结果")
        );
        self.page("confirm-close").await;
        click(client, "#confirm-close").await;
        wait_done(client, "close").await;
        assert_eq!(text_of(client, "#status").await, "已办结并反馈");
        self.page("closed").await;
    }
}

e2e_test!(
    staff_sign_in_and_triage_a_report_to_closed_in_chromium,
    |app| {
        seed_staff(&app).await;
        let wide = file_report(&app).await;
        let phone = file_report(&app).await;
        let base = format!("http://{}", app.http_addr);
        let db = app
            .db
            .url
            .as_str()
            .split(':')
            .next()
            .unwrap_or("db")
            .to_owned();
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
        click(&client, "#sign-in").await;

        let mut codes: Vec<String> = ["received", "report.view", "UTC", "accepted", "replied"]
            .into_iter()
            .map(String::from)
            .collect();
        for c in app.store.campaigns().await.unwrap() {
            codes.push(c.campaign.id.to_string());
        }
        for (size, (w, h), id) in [
            ("1280x900", (1280, 900), wide),
            ("390x844", (390, 844), phone),
        ] {
            client.set_window_size(w, h).await.unwrap();
            let walk = Walk {
                client: &client,
                size,
                db: &db,
                codes: codes.clone(),
            };
            walk.triage(&base, id).await;
        }

        // The printable case file (举报件): category, content, and whose copy it is.
        client
            .goto(&format!("{base}/reports/{wide}"))
            .await
            .unwrap();
        click(&client, "#case-file").await;
        assert_eq!(text_of(&client, "#case-category").await, "违规收受礼品礼金");
        let file = text_of(&client, "table#case-file").await;
        assert!(file.contains("购物卡") && file.contains("宝丰镇"), "{file}");
        assert!(!file.contains("SECRETFILEID"), "no file ids or names");
        let mark = text_of(&client, "#print-mark").await;
        assert!(
            mark.contains("zhang.wei") && mark.contains("打印时间"),
            "{mark}"
        );
        let walk = Walk {
            client: &client,
            size: "1280x900",
            db: &db,
            codes,
        };
        walk.page("case-file").await;
        client.close().await.unwrap();

        for id in [wide, phone] {
            let record = app.store.report_record(id).await.unwrap().unwrap();
            assert_eq!(record.status, ReportStatus::Closed);
        }
        let audit = app.store.audit_log(100, 0).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|e| e.action == "report.close" && e.username == "zhang.wei")
        );
        assert!(
            audit
                .iter()
                .any(|e| e.action == "report.print" && e.report_id == Some(wide))
        );
    }
);
