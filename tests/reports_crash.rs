//! SIGKILL of the real binary around "submit": a report is either filed and its code shown,
//! or not filed and no code shown (then submitting again files it once), or — the window this
//! test exists for — filed with its code not yet shown (then the code is shown on the next
//! press, and no second report is filed). Never lost, never filed twice, a code that was shown
//! always works, and each report alerts its desk once.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::binary::{Server, wait_for_polling, workdir};
use common::reporting::{Identity, code_in, fill_report, wait_for};
use common::{BAOFENG_STAFF_CHAT, COUNTY_STAFF_CHAT, TOKEN};
use qingfeng_core::Store;
use qingfeng_core::testing::{TestBackend, TestDatabase};
use telegram_sim::{InjectedError, SimUser, Simulator};

/// What the kill interrupted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Window {
    BeforeCommit,
    CommittedCodeNotShown,
    CodeShown,
}

/// How each round times its kill.
#[derive(Debug, Clone, Copy)]
enum Kill {
    /// This long after pressing submit (jitter across the commit).
    After(u64),
    /// Once the report is committed, while the code message has failed (Telegram answered
    /// 500), so the code is certainly not shown yet.
    CommittedWithCodeUndelivered,
    /// Once the code is on the reporter's screen.
    AfterCodeShown,
}

const ROUNDS: [Kill; 7] = [
    Kill::After(0),
    Kill::CommittedWithCodeUndelivered,
    Kill::AfterCodeShown,
    Kill::After(3),
    Kill::After(10),
    Kill::After(30),
    Kill::After(120),
];

fn shown_codes(user: &SimUser) -> Vec<String> {
    user.chat()
        .iter()
        .filter(|m| m.text.contains("您的查询码"))
        .map(code_in)
        .collect()
}

async fn wait_until(limit: Duration, mut done: impl AsyncFnMut() -> bool) {
    let started = std::time::Instant::now();
    while !done().await {
        assert!(started.elapsed() < limit, "timed out");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
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
    let baofeng_staff = sim.user(BAOFENG_STAFF_CHAT, "Baofeng", Some("zh-hans"));
    let mut server = Server::start(dir.path(), &sim, &env);
    wait_for_polling(&sim, 0).await;
    let store = Store::connect(&db.url, 2).await.unwrap();

    let mut hit = BTreeSet::new();
    for (i, kill) in ROUNDS.into_iter().enumerate() {
        let chat = 8_000_000_000 + i as i64;
        let user = sim.user(chat, "Wei", Some("zh-hans"));
        let before = store.report_count().await.unwrap();
        let review = fill_report(&user, Identity::Anonymous { notify: false }, false).await;
        if let Kill::CommittedWithCodeUndelivered = kill {
            sim.inject_error("sendMessage", Some(chat), InjectedError::ServerError(500));
        }
        user.press_button(&review, "提交");
        match kill {
            Kill::After(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
            Kill::CommittedWithCodeUndelivered => {
                wait_until(Duration::from_secs(10), async || {
                    store.report_count().await.unwrap() > before
                        && sim.requests().iter().any(|r| {
                            r.method == "sendMessage" && r.body["chat_id"].as_i64() == Some(chat)
                        })
                })
                .await;
            }
            Kill::AfterCodeShown => {
                wait_for(&user, "您的查询码").await;
            }
        }
        server.signal("-KILL");
        server.wait(Duration::from_secs(10));
        let shown = !shown_codes(&user).is_empty();
        let filed = store.report_count().await.unwrap() - before;
        let window = match (filed, shown) {
            (0, false) => Window::BeforeCommit,
            (1, false) => Window::CommittedCodeNotShown,
            (1, true) => Window::CodeShown,
            other => panic!("{kill:?}: filed {} and code shown {}", other.0, other.1),
        };
        match kill {
            Kill::CommittedWithCodeUndelivered => {
                assert_eq!(window, Window::CommittedCodeNotShown, "{kill:?}")
            }
            Kill::AfterCodeShown => assert_eq!(window, Window::CodeShown, "{kill:?}"),
            Kill::After(_) => {}
        }
        hit.insert(window);

        let polls = sim.count_requests("getUpdates");
        server = Server::start(dir.path(), &sim, &env);
        wait_for_polling(&sim, polls).await;
        // The reporter who saw no code presses submit again (a press Telegram never saw
        // confirmed may also be handled again by itself: either way one code comes).
        if shown_codes(&user).is_empty() {
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
            "{kill:?}: filed exactly once"
        );
        user.send_text(&format!("/status {}", codes[0]));
        wait_for(&user, "已收到，待受理").await;
    }
    // Kill 0 ms after the press lands before the commit; the injected failure pins the
    // middle case; waiting for the code pins the last.
    assert_eq!(
        hit,
        BTreeSet::from([
            Window::BeforeCommit,
            Window::CommittedCodeNotShown,
            Window::CodeShown
        ]),
        "every window was hit"
    );

    // Each report queued one alert for its desk (baofeng), however the kills fell; a kill
    // while an alert was in flight may deliver it twice, never drop it.
    let reports = ROUNDS.len() as i64;
    wait_until(Duration::from_secs(20), async || {
        store.notice_counts().await.unwrap() == vec![("staff_alert".into(), "sent".into(), reports)]
    })
    .await;
    let alerts = baofeng_staff.chat().len() as i64;
    assert!(
        (reports..=reports + ROUNDS.len() as i64).contains(&alerts),
        "{alerts} alerts for {reports} reports"
    );
    server.signal("-TERM");
    let (code, stderr) = server.wait(Duration::from_secs(15));
    assert_eq!(code, Some(0), "{stderr}");
}
