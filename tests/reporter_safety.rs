//! The reporter-safety review's attacks, replayed against the running service: a forged
//! "write to the staff" button, a copy of the database files, and an evidence list stretched
//! past its limit by editing.

mod common;

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::TestApp;
use common::reporting::{Identity, code_in, fill_report, wait_for};
use qingfeng_core::store::DatabaseUrl;
use qingfeng_core::store::ReportScope;
use qingfeng_core::testing::TestBackend;

/// Never subscribed: only ever wrote a report.
const REPORTER: i64 = 7_319_446_281;
const STRANGER: i64 = 6_100_200_300;

async fn only_report_id(app: &TestApp) -> i64 {
    let reports = app
        .store
        .list_reports(&ReportScope::All, &Default::default(), 10, 0)
        .await
        .unwrap();
    assert_eq!(reports.len(), 1, "exactly one report is filed");
    reports[0].id
}

async fn file_anonymous_report(app: &TestApp, notify: bool) -> (i64, String) {
    let user = app.user(REPORTER, Some("zh-hans"));
    let review = fill_report(&user, Identity::Anonymous { notify }, true).await;
    user.press_button(&review, "提交");
    let code = code_in(&wait_for(&user, "您的查询码").await);
    (only_report_id(app).await, code)
}

/// Waits until the bot has answered `count` button presses in all.
async fn wait_for_answers(app: &TestApp, count: usize) {
    tokio::time::timeout(Duration::from_secs(60), async {
        while app.sim.count_requests("AnswerCallbackQuery") < count {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("every press is answered");
}

e2e_test!(a_forged_reply_button_never_opens_a_report, |app| {
    let (id, code) = file_anonymous_report(&app, false).await;
    let reporter = app.user(REPORTER, Some("zh-hans"));
    reporter.send_text(&format!("/status {code}"));
    let status = wait_for(&reporter, "📋 举报 编号").await;
    let genuine = status
        .find_button("回复工作人员")
        .and_then(|b| b.callback_data.clone())
        .expect("the status view offers a reply button");

    // A stranger with any MTProto client sends every one-byte tag, shorter and longer cuts
    // of a real tag, and the reporter's own button data, from their own chat.
    let stranger = app.user(STRANGER, Some("zh-hans"));
    stranger.send_text("/help");
    let anchor = wait_for(&stranger, "/report").await;
    let before = app.sim.count_requests("AnswerCallbackQuery");
    let mut forged: Vec<String> = (0..=255u8)
        .map(|b| format!("rp:reply:{id}:{}", URL_SAFE_NO_PAD.encode([b])))
        .collect();
    let real_tag = genuine.rsplit(':').next().unwrap();
    for cut in [1, 8, 12, 16, real_tag.len() - 1] {
        forged.push(format!("rp:reply:{id}:{}", &real_tag[..cut]));
    }
    forged.push(format!("{genuine}AA"));
    forged.push(genuine.clone());
    for data in &forged {
        stranger.press(&anchor, data);
    }
    wait_for_answers(&app, before + forged.len()).await;
    // None of them put the stranger in the "writing to the staff" step: their next words are
    // not filed as the reporter's message.
    stranger.send_text("我是举报人，请把处理结果告诉我。");
    let answer = stranger
        .next_message_within(Duration::from_secs(10))
        .await
        .expect("the bot answers the text");
    assert!(!answer.text.contains("已发送给工作人员"), "{}", answer.text);
    assert!(
        app.store.report_messages(id).await.unwrap().is_empty(),
        "a forged button let a stranger write as the reporter"
    );

    // The genuine button still works, in the chat it was given to.
    reporter.press(&status, &genuine);
    wait_for(&reporter, "请输入要告诉工作人员的内容").await;
    reporter.send_text("补充：购物卡是在周五下午送的。");
    wait_for(&reporter, "已发送给工作人员").await;
    assert_eq!(app.store.report_messages(id).await.unwrap().len(), 1);
});

/// Every encoding of `id` a database file could hold it in: decimal text, and the big-endian
/// integers SQLite's record format uses (4, 6 or 8 bytes), and little-endian 8 bytes.
fn encodings(id: i64) -> Vec<Vec<u8>> {
    let be = id.to_be_bytes();
    vec![
        id.to_string().into_bytes(),
        be.to_vec(),
        be[2..].to_vec(),
        id.to_le_bytes().to_vec(),
    ]
}

fn traces(bytes: &[u8], id: i64) -> Vec<String> {
    encodings(id)
        .into_iter()
        .filter(|needle| bytes.windows(needle.len()).any(|w| w == needle.as_slice()))
        .map(|needle| format!("{needle:?}"))
        .collect()
}

/// The main file and the write-ahead log exactly as they are on disk (no checkpoint first).
fn sqlite_files(url: &DatabaseUrl) -> Vec<(String, Vec<u8>)> {
    let DatabaseUrl::Sqlite(raw) = url else {
        unreachable!("a SQLite test")
    };
    let path = raw.trim_start_matches("sqlite://").to_owned();
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            let file = format!("{path}{suffix}");
            std::fs::read(&file).ok().map(|bytes| (file, bytes))
        })
        .collect()
}

/// A copy of the database files, taken while the service runs and again after it stops,
/// holds no trace of an anonymous reporter who never subscribed: not in any table, not in
/// the write-ahead log, not in free pages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_reporter_leaves_no_trace_in_the_sqlite_files() {
    let app = common::spawn_app(TestBackend::Sqlite).await;
    let (_, code) = file_anonymous_report(&app, false).await;
    let reporter = app.user(REPORTER, Some("zh-hans"));
    // Following the report up writes more rows (rate limits, a conversation step).
    reporter.send_text("/status");
    wait_for(&reporter, "查询码").await;
    reporter.send_text(&code);
    wait_for(&reporter, "📋 举报 编号").await;
    for (file, bytes) in sqlite_files(&app.db.url) {
        let found = traces(&bytes, REPORTER);
        assert!(found.is_empty(), "while running, {file} holds {found:?}");
    }
    let (_, db) = app.stop().await;
    for (file, bytes) in sqlite_files(&db.url) {
        let found = traces(&bytes, REPORTER);
        assert!(found.is_empty(), "after stopping, {file} holds {found:?}");
    }
}

/// On PostgreSQL the live rows are checked (dead row versions and the server's WAL are the
/// operator's to manage: docs/decisions.md).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_reporter_leaves_no_trace_in_postgres_tables() {
    let app = common::spawn_app(TestBackend::Postgres).await;
    let reporter = app.user(REPORTER, Some("zh-hans"));
    reporter.send_text("/report");
    wait_for(&reporter, "请选择问题类别").await;
    // Mid-conversation, the draft's row is keyed by a hash, not the chat id.
    let keys = app.keys().await;
    let pool = app.store.postgres_pool().unwrap();
    let rows: Vec<String> = sqlx::query_scalar("SELECT chat_key FROM dialogues")
        .fetch_all(pool)
        .await
        .unwrap();
    assert_eq!(rows, vec![keys.chat_key(REPORTER).as_str().to_owned()]);
    reporter.send_text("/cancel");
    wait_for(&reporter, "已放弃本次举报").await;
    file_anonymous_report(&app, false).await;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for table in tables {
        let sql = format!("SELECT t::text FROM \"{table}\" t");
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_all(pool)
            .await
            .unwrap();
        for row in rows {
            assert!(
                !row.contains(&REPORTER.to_string()),
                "{table} holds the chat id: {row}"
            );
        }
    }
}

e2e_test!(editing_the_evidence_cannot_go_past_five_files, |app| {
    let user = app.user(REPORTER, Some("zh-hans"));
    // Three files in the first pass (the helper), then two more after choosing to edit.
    let review = fill_report(&user, Identity::Anonymous { notify: false }, true).await;
    user.press_button(&review, "修改");
    let menu = wait_for(&user, "要修改哪一项").await;
    user.press_button(&menu, "证据");
    wait_for(&user, "如有证据").await;
    user.send_photo(b"fourth".to_vec(), None);
    wait_for(&user, "第 4 个").await;
    user.send_photo(b"fifth".to_vec(), None);
    let review = wait_for(&user, "请核对举报内容").await;
    assert!(review.text.contains("证据：5 个"), "{}", review.text);
    // Edit the evidence again with the list full: a sixth file is refused, not kept.
    user.press_button(&review, "修改");
    let menu = wait_for(&user, "要修改哪一项").await;
    user.press_button(&menu, "证据");
    wait_for(&user, "如有证据").await;
    user.send_photo(b"sixth".to_vec(), None);
    let refused = wait_for(&user, "达到上限").await;
    assert!(refused.text.contains("不会保存"), "{}", refused.text);
    user.press_button(&refused, "完成");
    let review = wait_for(&user, "请核对举报内容").await;
    assert!(review.text.contains("证据：5 个"), "{}", review.text);
    user.press_button(&review, "提交");
    wait_for(&user, "您的查询码").await;
    let id = only_report_id(&app).await;
    let opened = qingfeng_core::reports::view::open(&app.store, &app.keys().await, id)
        .await
        .unwrap();
    assert_eq!(opened.evidence.len(), 5);
});
