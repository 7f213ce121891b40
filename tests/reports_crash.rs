//! SIGKILL of the real binary around "submit": a report is either filed and its code shown,
//! or not filed and no code shown (then submitting again files it once). Never lost, never
//! filed twice, and a code that was shown always works.

mod common;

use std::time::Duration;

use common::binary::{Server, wait_for_polling, workdir};
use common::reporting::{Identity, code_in, fill_report, wait_for};
use common::{BAOFENG_STAFF_CHAT, COUNTY_STAFF_CHAT, TOKEN};
use qingfeng_core::Store;
use qingfeng_core::testing::{TestBackend, TestDatabase};
use telegram_sim::{SimUser, Simulator};

/// Kill this long after pressing submit: before, during and after the commit.
const KILL_AFTER_MS: [u64; 5] = [0, 3, 10, 30, 120];

fn shown_codes(user: &SimUser) -> Vec<String> {
    user.chat()
        .iter()
        .filter(|m| m.text.contains("您的查询码"))
        .map(code_in)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    killed_around_submit(TestBackend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    killed_around_submit(TestBackend::Postgres).await;
}

async fn killed_around_submit(backend: TestBackend) {
    let dir = workdir();
    let db = TestDatabase::create(backend).await;
    let db_url = db.url.as_str().to_owned();
    let env = [("QINGFENG_DATABASE_URL", db_url.as_str())];
    let sim = Simulator::start(TOKEN).await;
    sim.user(COUNTY_STAFF_CHAT, "County", Some("zh-hans"));
    sim.user(BAOFENG_STAFF_CHAT, "Baofeng", Some("zh-hans"));
    let mut server = Server::start(dir.path(), &sim, &env);
    wait_for_polling(&sim, 0).await;
    let store = Store::connect(&db.url, 2).await.unwrap();

    let mut outcomes = Vec::new();
    for (i, delay) in KILL_AFTER_MS.into_iter().enumerate() {
        let user = sim.user(8_000_000_000 + i as i64, "Wei", Some("zh-hans"));
        let before = store.report_count().await.unwrap();
        let review = fill_report(&user, Identity::Anonymous { notify: false }, false).await;
        user.press_button(&review, "提交");
        tokio::time::sleep(Duration::from_millis(delay)).await;
        server.signal("-KILL");
        server.wait(Duration::from_secs(10));
        let shown_before_kill = !shown_codes(&user).is_empty();
        let filed_before_kill = store.report_count().await.unwrap() - before;
        if shown_before_kill {
            assert_eq!(
                filed_before_kill, 1,
                "a code is shown only for a filed report"
            );
        }

        let polls = sim.count_requests("getUpdates");
        server = Server::start(dir.path(), &sim, &env);
        wait_for_polling(&sim, polls).await;
        // A press Telegram had not yet seen confirmed is handled again after the restart.
        tokio::time::sleep(Duration::from_millis(800)).await;
        if shown_codes(&user).is_empty() {
            // The reporter saw no code, so they press submit again.
            user.press_button(&review, "提交");
            wait_for(&user, "您的查询码").await;
        }
        let codes = shown_codes(&user);
        assert!(
            codes.windows(2).all(|w| w[0] == w[1]),
            "one code per report: {codes:?}"
        );
        assert_eq!(
            store.report_count().await.unwrap(),
            before + 1,
            "killed {delay} ms after submit: filed exactly once"
        );
        user.send_text(&format!("/status {}", codes[0]));
        wait_for(&user, "已收到，待受理").await;
        outcomes.push((delay, filed_before_kill, shown_before_kill));
    }
    eprintln!(
        "{backend:?}: (kill after ms, filed before the kill, code shown before the kill): {outcomes:?}"
    );
    server.signal("-TERM");
    let (code, stderr) = server.wait(Duration::from_secs(15));
    assert_eq!(code, Some(0), "{stderr}");
}
