//! Reports end to end through the fake Telegram: anonymous and real-name reports with
//! evidence, the tracking code, `/status`, staff replies both ways, privacy of what is stored,
//! and every kind of bad input.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::reporting::{DESCRIPTION, Identity, code_in, fill_report, wait_for};
use common::{BAOFENG_STAFF_CHAT, DATA_KEY, TestApp, expect_alert};
use qingfeng_core::crypto::DataKey;
use qingfeng_core::domain::ReportStatus;
use qingfeng_core::reports::casework::{StaffAction, act};
use qingfeng_core::reports::{ReportKeys, ReportSettings, view};
use qingfeng_core::store::DatabaseUrl;
use qingfeng_core::store::ReportScope;
use qingfeng_core::testing::TestBackend;

/// A chat id that cannot appear by accident in the database.
/// Above 2^32, as many Telegram ids now are: SQLite stores it in six bytes, big-endian.
const REPORTER: i64 = 7_123_456_789;

async fn staff_act(app: &TestApp, id: i64, action: StaffAction) {
    let key: DataKey = DATA_KEY.parse().unwrap();
    let keys = ReportKeys::load_or_create(&app.store, &key).await.unwrap();
    let wang = qingfeng_core::domain::Staff {
        id: 1,
        username: "wang".parse().unwrap(),
        role: qingfeng_core::domain::StaffRole::County,
        totp: false,
    };
    act(
        &app.store,
        &keys,
        &ReportSettings::default(),
        id,
        &wang,
        action,
        Utc::now(),
    )
    .await
    .unwrap();
}

async fn only_report_id(app: &TestApp) -> i64 {
    let reports = app
        .store
        .list_reports(&ReportScope::All, &Default::default(), 10, 0)
        .await
        .unwrap();
    assert_eq!(reports.len(), 1, "exactly one report is filed");
    reports[0].id
}

/// Every byte the database holds, as far as each backend lets a test read it directly.
async fn database_dump(app: &TestApp) -> Vec<u8> {
    match &app.db.url {
        DatabaseUrl::Sqlite(raw) => {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(app.store.sqlite_pool().unwrap())
                .await
                .unwrap();
            let path = raw.trim_start_matches("sqlite://").to_owned();
            let mut bytes = std::fs::read(&path).unwrap();
            if let Ok(wal) = std::fs::read(format!("{path}-wal")) {
                bytes.extend(wal);
            }
            bytes
        }
        DatabaseUrl::Postgres(_) => {
            let pool = app.store.postgres_pool().unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            let mut dump = Vec::new();
            for table in tables {
                // bytea columns print as hex: decode them back so the search sees raw bytes.
                let sql = format!("SELECT t::text FROM \"{table}\" t");
                let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .fetch_all(pool)
                    .await
                    .unwrap();
                for row in rows {
                    dump.extend(row.as_bytes());
                    for hex in row.split("\\\\x").skip(1) {
                        let digits: String =
                            hex.chars().take_while(char::is_ascii_hexdigit).collect();
                        dump.extend(
                            (0..digits.len() / 2).map(|i| {
                                u8::from_str_radix(&digits[i * 2..i * 2 + 2], 16).unwrap()
                            }),
                        );
                    }
                }
            }
            dump
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

e2e_test!(
    an_anonymous_report_is_followed_and_answered_and_stores_nothing_linking_it,
    |app| {
        let staff = app.user(BAOFENG_STAFF_CHAT, Some("zh-hans"));
        let user = app.user(REPORTER, Some("zh-hans"));
        let review = fill_report(&user, Identity::Anonymous { notify: true }, true).await;
        assert!(
            review.protect_content,
            "the review screen cannot be forwarded"
        );
        assert!(
            review.text.contains("证据：3 个（照片、语音、文件）"),
            "{}",
            review.text
        );
        assert!(
            review.text.contains("匿名（在本聊天接收回复）"),
            "{}",
            review.text
        );
        user.press_button(&review, "提交");
        let submitted = wait_for(&user, "您的查询码").await;
        assert!(submitted.protect_content);
        let code = code_in(&submitted);
        assert_eq!(code.len(), 19, "{code}");
        let id = only_report_id(&app).await;
        assert!(submitted.text.contains(&format!("编号 {id}")));

        // The desk is alerted, without content.
        let alert = wait_for(&staff, "新举报").await;
        assert!(
            alert.text.contains("宝丰镇") && alert.text.contains("违规收受礼品礼金"),
            "{}",
            alert.text
        );
        assert!(!alert.text.contains("购物卡") && !alert.text.contains("张某某"));

        // The evidence is kept as file ids, sealed; staff can open it.
        let key: DataKey = DATA_KEY.parse().unwrap();
        let keys = ReportKeys::load_or_create(&app.store, &key).await.unwrap();
        let opened = view::open(&app.store, &keys, id).await.unwrap();
        assert_eq!(opened.evidence.len(), 3);
        assert!(opened.reporter.is_none() && opened.reachable);
        assert_eq!(
            opened.body.as_ref().unwrap().description.as_str(),
            DESCRIPTION
        );

        // /status with the code, typed loosely.
        user.send_text(&format!(
            "/status {}",
            code.to_lowercase().replace('-', " ")
        ));
        let status = wait_for(&user, "📋 举报 编号").await;
        assert!(status.protect_content);
        assert!(
            status.text.contains("已收到，待受理") && status.text.contains("受理情况告知期限"),
            "{}",
            status.text
        );

        // A staff reply reaches the anonymous reporter through the sealed reply address.
        staff_act(
            &app,
            id,
            StaffAction::Reply {
                text: "请补充购物卡的照片背面。".parse().unwrap(),
            },
        )
        .await;
        let reply = wait_for(&user, "工作人员回复了您的举报").await;
        assert!(reply.text.contains("请补充购物卡的照片背面") && reply.protect_content);

        // The reporter answers from the status view; the desk is told (without the text).
        user.press_button(&status, "回复工作人员");
        wait_for(&user, "请输入要告诉工作人员的内容").await;
        user.send_text("背面写着“中秋快乐”，已经补拍。");
        wait_for(&user, "已发送给工作人员").await;
        let told = wait_for(&staff, "举报人发来了新消息").await;
        assert!(!told.text.contains("中秋快乐"));
        user.send_text(&format!("/status {code}"));
        let status = wait_for(&user, "📋 举报 编号").await;
        assert!(
            status.text.contains("请补充购物卡的照片背面") && status.text.contains("已经补拍"),
            "{}",
            status.text
        );

        // Offer to delete the conversation: everything from /report up to the code message.
        let code_message = user
            .chat()
            .into_iter()
            .find(|m| m.text.contains("您的查询码"))
            .unwrap();
        user.press_button(&code_message, "删除本次举报的对话");
        // Wait until every message before the code is gone (the bot deletes them in batches).
        let deleted = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                let deleted = user.deleted_message_ids();
                if user
                    .chat()
                    .iter()
                    .all(|m| m.message_id >= code_message.message_id)
                {
                    return deleted;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("the conversation is deleted");
        // The user's own messages are deleted too (the fake records them by id).
        assert!(
            deleted.contains(&1),
            "the /report message itself: {deleted:?}"
        );
        let left: Vec<i64> = user.chat().iter().map(|m| m.message_id).collect();
        assert!(
            left.iter().all(|id| *id >= code_message.message_id),
            "every message before the code is gone: {left:?}"
        );
        assert!(
            !deleted.contains(&code_message.message_id),
            "the code message stays"
        );

        // Neither content nor the reporter's Telegram id is anywhere in the database.
        wait_until_notices_settled(&app).await;
        let dump = database_dump(&app).await;
        for needle in [
            "购物卡",
            "张某某",
            "中秋快乐",
            "宝丰镇人民政府",
            &REPORTER.to_string(),
        ] {
            assert!(
                !contains(&dump, needle.as_bytes()),
                "{needle:?} is stored in plaintext"
            );
        }
        let (le, be) = (REPORTER.to_le_bytes(), REPORTER.to_be_bytes());
        for bytes in [&le[..], &be[..], &be[2..]] {
            assert!(
                !contains(&dump, bytes),
                "the chat id is stored as an integer"
            );
        }
        assert!(
            !contains(&dump, code.replace('-', "").as_bytes()),
            "the code is stored only hashed"
        );
    }
);

async fn wait_until_notices_settled(app: &TestApp) {
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let counts = app.store.notice_counts().await.unwrap();
            // At least the staff alert is queued when a report is filed.
            if !counts.is_empty() && counts.iter().all(|(_, status, _)| status == "sent") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("every notice is sent");
}

e2e_test!(
    a_real_name_report_can_be_edited_and_is_told_of_acceptance,
    |app| {
        let user = app.user(REPORTER, Some("zh-hans"));
        let review = fill_report(&user, Identity::RealName, true).await;
        assert!(
            review.text.contains("实名：李四，13800138000"),
            "{}",
            review.text
        );
        assert!(review.text.contains("证据：3 个"), "{}", review.text);
        user.press_button(&review, "修改");
        let menu = wait_for(&user, "要修改哪一项").await;
        user.press_button(&menu, "问题描述");
        wait_for(&user, "具体描述问题").await;
        user.send_text("村会计王某某把低保名额给了自己的亲戚，村民多次反映没有结果。");
        let review = wait_for(&user, "请核对举报内容").await;
        assert!(review.text.contains("低保名额") && !review.text.contains("购物卡"));
        user.press_button(&review, "提交");
        wait_for(&user, "您的查询码").await;
        let id = only_report_id(&app).await;
        let key: DataKey = DATA_KEY.parse().unwrap();
        let keys = ReportKeys::load_or_create(&app.store, &key).await.unwrap();
        let opened = view::open(&app.store, &keys, id).await.unwrap();
        assert_eq!(opened.reporter.unwrap().name.as_str(), "李四");
        assert_eq!(opened.evidence.len(), 3);
        staff_act(&app, id, StaffAction::Accept).await;
        let notice = wait_for(&user, "已受理").await;
        assert!(notice.protect_content && notice.text.contains(&id.to_string()));
        staff_act(
            &app,
            id,
            StaffAction::Dispose(qingfeng_core::domain::Disposal::TalkOrLetter),
        )
        .await;
        staff_act(
            &app,
            id,
            StaffAction::Close {
                outcome: "已对王某某进行谈话提醒并责令整改。".parse().unwrap(),
            },
        )
        .await;
        let outcome = wait_for(&user, "已办结").await;
        assert!(outcome.text.contains("责令整改"));
        let record = app.store.report_record(id).await.unwrap().unwrap();
        assert_eq!(record.status, ReportStatus::Closed);
    }
);

e2e_test!(bad_input_is_answered_and_loses_nothing, |app| {
    let user = app.user(REPORTER, Some("zh-hans"));
    // Files before the evidence step, text where buttons are expected, forged buttons.
    user.send_text("/report");
    let m = wait_for(&user, "请选择问题类别").await;
    user.send_photo(b"early".to_vec(), None);
    wait_for(&user, "到“证据”这一步时再发送").await;
    user.send_text("我要举报");
    wait_for(&user, "请点击下面的按钮选择").await;
    user.press(&m, "rp:lvl:mayor");
    expect_alert(&user, "无法识别这个按钮").await;
    user.press(&m, "rp:lvl:staff");
    expect_alert(&user, "这个按钮已失效").await;
    user.send_text("/start");
    wait_for(&user, "未完成的举报草稿").await;
    user.press_button(&m, "形式主义");
    wait_for(&user, "被反映人的姓名").await;
    user.send_text("张\n三");
    let m = wait_for(&user, "请只输入一行").await;
    assert!(
        m.text.contains("被反映人的姓名"),
        "the question is asked again"
    );
    user.press_button(&m, "不清楚");
    wait_for(&user, "在哪个单位").await;
    user.send_text("某局");
    let m = wait_for(&user, "职务").await;
    user.press_button(&m, "跳过");
    let m = wait_for(&user, "哪一级").await;
    user.press_button(&m, "县级领导干部");
    let m = wait_for(&user, "县纪委监委的工作人员吗").await;
    user.press_button(&m, "不是");
    let m = wait_for(&user, "哪个乡镇").await;
    user.press_button(&m, "县直单位");
    wait_for(&user, "具体描述问题").await;
    user.send_text("太短");
    wait_for(&user, "至少写 20 个字").await;
    user.send_text(&"长".repeat(3001));
    wait_for(&user, "最多 3000 个字").await;
    user.send_text("某局领导要求下属每周填写大量重复报表，群众办事要跑五六趟。");
    wait_for(&user, "时间和地点").await;
    user.send_text("今年，县城");
    wait_for(&user, "如有证据").await;
    user.send_sticker();
    wait_for(&user, "只能接收照片、视频、文件和语音").await;
    user.send_document_of_size("录像.mp4", "video/mp4", b"x".to_vec(), 25 * 1024 * 1024);
    wait_for(&user, "超过了 20 MB").await;
    for i in 1..=5 {
        user.send_photo(format!("photo {i}").into_bytes(), None);
    }
    // The fifth file fills the evidence and moves on.
    let m = wait_for(&user, "达到上限").await;
    assert!(m.text.contains("实名举报还是匿名举报"), "{}", m.text);
    user.press_button(&m, "匿名举报");
    let m = wait_for(&user, "是否希望").await;
    user.press_button(&m, "否，不留");
    let review = wait_for(&user, "请核对举报内容").await;
    assert!(review.text.contains("证据：5 个"), "{}", review.text);
    assert!(review.text.contains("县直单位"));
    user.press_button(&review, "提交");
    wait_for(&user, "您的查询码").await;
    let id = only_report_id(&app).await;
    // 县处级 is the higher commission's: the county desk holds it to pass it up.
    let record = app.store.report_record(id).await.unwrap().unwrap();
    assert_eq!(record.desk.as_str(), "county");
    // The old submit button does nothing more.
    user.press_button(&review, "提交");
    expect_alert(&user, "这个按钮已失效").await;
    assert_eq!(app.store.report_count().await.unwrap(), 1);
    // /cancel outside a draft, and a wrong code.
    user.send_text("/status ABCD-EFGH-JKMN-PQRS");
    wait_for(&user, "没有找到这个查询码").await;
    user.send_text("/status 12345");
    wait_for(&user, "16 位字母和数字").await;
    user.send_text("/cancel");
    wait_for(&user, "已取消。需要时可以随时发送 /status").await;
});

fn one_report_a_day(config: &mut qingfeng_core::config::Config) {
    config.reports.daily_limit = 1;
    config.reports.wrong_codes_per_user = 2;
    config.reports.draft_ttl = Duration::from_secs(3);
}

async fn quota_throttling_and_expiry(app: TestApp) {
    let user = app.user(REPORTER, Some("zh-hans"));
    let review = fill_report(&user, Identity::Anonymous { notify: false }, false).await;
    user.press_button(&review, "提交");
    let code = code_in(&wait_for(&user, "您的查询码").await);
    // The daily limit.
    user.send_text("/report");
    wait_for(&user, "每天最多提交 1 件举报").await;
    // Wrong codes: two tries, then a wrong code waits; the right code still works.
    for tries in ["1", "0"] {
        user.send_text("/status 0000-0000-0000-0000");
        wait_for(&user, &format!("还可以尝试 {tries} 次")).await;
    }
    user.send_text("/status 0000-0000-0000-0001");
    wait_for(&user, "错误次数过多").await;
    user.send_text(&format!("/status {code}"));
    wait_for(&user, "已收到，待受理").await;
    let other = app.user(REPORTER + 1, Some("zh-hans"));
    other.send_text(&format!("/status {code}"));
    wait_for(&other, "已收到，待受理").await;
    // A draft left alone expires.
    other.send_text("/report");
    wait_for(&other, "请选择问题类别").await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    other.send_text("hello");
    wait_for(&other, "超过 24 小时未完成").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quota_throttling_and_expiry_sqlite() {
    let app = common::spawn_app_configured(TestBackend::Sqlite, one_report_a_day).await;
    quota_throttling_and_expiry(app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quota_throttling_and_expiry_postgres() {
    let app = common::spawn_app_configured(TestBackend::Postgres, one_report_a_day).await;
    quota_throttling_and_expiry(app).await;
}

e2e_test!(
    a_draft_survives_a_kill_between_messages_and_a_failed_code_message_is_shown_again,
    |app| {
        let user = app.user(REPORTER, Some("en"));
        user.send_text("/report");
        let m = wait_for(&user, "Choose a category").await;
        user.press_button(&m, "Formalism");
        wait_for(&user, "name of the person reported").await;
        // Killed mid-draft, between two messages: the answers so far are kept.
        let app = app.kill_between_updates_and_restart().await;
        let user = app.user(REPORTER, Some("en"));
        user.send_text("Zhang San");
        wait_for(&user, "Where does the person work").await;
        user.send_text("/report");
        wait_for(&user, "Continuing your report draft").await;
        drop(user);
        // Then, the message with the code fails to arrive: the report is committed, and pressing
        // submit again shows the same code instead of filing a second report.
        let user = app.user(REPORTER, Some("en"));
        user.send_text("County Transport Bureau");
        let m = wait_for(&user, "position").await;
        user.press_button(&m, "Skip");
        let m = wait_for(&user, "level").await;
        user.press_button(&m, "Ordinary official");
        let m = wait_for(&user, "commission").await;
        user.press_button(&m, "No");
        let m = wait_for(&user, "township").await;
        user.press_button(&m, "Baofeng");
        wait_for(&user, "Describe what happened").await;
        user.send_text("The inspector asked for a banquet before approving our transport permit.");
        wait_for(&user, "When and where").await;
        user.send_text("Last week, the bureau office");
        let m = wait_for(&user, "If you have evidence").await;
        user.press_button(&m, "No evidence");
        let m = wait_for(&user, "real name or anonymously").await;
        user.press_button(&m, "Anonymous");
        let m = wait_for(&user, "acceptance notices").await;
        user.press_button(&m, "No, leave no contact");
        let review = wait_for(&user, "Please check your report").await;
        app.sim.inject_error(
            "sendMessage",
            Some(REPORTER),
            telegram_sim::InjectedError::ChatNotFound,
        );
        user.press_button(&review, "Submit");
        wait_for(&user, "Sorry").await;
        assert_eq!(
            app.store.report_count().await.unwrap(),
            1,
            "committed before the code"
        );
        user.press_button(&review, "Submit");
        let shown = wait_for(&user, "Your tracking code").await;
        assert_eq!(
            app.store.report_count().await.unwrap(),
            1,
            "not filed twice"
        );
        let code = shown.text.split("Your tracking code: ").nth(1).unwrap()[..19].to_owned();
        user.send_text(&format!("/status {code}"));
        wait_for(&user, "received, awaiting acceptance").await;
    }
);

/// The dashboard fetches evidence through the bot's `TelegramFiles`: `getFile`, then the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_is_fetched_from_the_bot_api() {
    use qingfeng_core::channel::FileSource;
    let sim = telegram_sim::Simulator::start(common::TOKEN).await;
    let bytes = b"%PDF-1.4 evidence".to_vec();
    let file_id = sim.add_file(bytes.clone(), "documents/file_7.pdf");
    let files = qingfeng_bot::TelegramFiles::new(common::TOKEN, sim.api_url().parse().unwrap());
    assert_eq!(files.fetch(&file_id).await.unwrap(), bytes);
    assert!(files.fetch("no-such-file").await.is_err());
}

e2e_test!(a_reporter_answers_a_staff_reply_with_its_buttons, |app| {
    let user = app.user(REPORTER, Some("zh-hans"));
    let review = fill_report(&user, Identity::Anonymous { notify: true }, false).await;
    user.press_button(&review, "提交");
    wait_for(&user, "您的查询码").await;
    let id = only_report_id(&app).await;
    let reply: qingfeng_core::domain::MessageText = "请说明购物卡的发卡商户。".parse().unwrap();
    staff_act(&app, id, StaffAction::Reply { text: reply }).await;
    let notice = wait_for(&user, "请说明购物卡的发卡商户").await;

    // [📋 查看进展] shows the report without the code.
    user.press_button(&notice, "查看进展");
    let view = wait_for(&user, "已收到，待受理").await;
    assert!(
        view.text.contains("请说明购物卡的发卡商户"),
        "{}",
        view.text
    );

    // The same buttons pressed from another chat (any client can send their data) do nothing.
    let stranger = app.user(REPORTER + 7, Some("zh-hans"));
    stranger.send_text("/help");
    let anchor = wait_for(&stranger, "/report").await;
    for button in notice.buttons.iter().flatten() {
        stranger.press(&anchor, &button.callback_data.clone().unwrap());
        expect_alert(&stranger, "这个按钮已失效").await;
    }

    // [✍️ 回复工作人员] writes back, as the reporter.
    user.press_button(&notice, "回复工作人员");
    wait_for(&user, "请输入要告诉工作人员的内容").await;
    user.send_text("发卡商户是县城某超市。");
    wait_for(&user, "已发送给工作人员").await;
    assert_eq!(app.store.report_messages(id).await.unwrap().len(), 2);
});
