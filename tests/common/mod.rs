//! The `spawn_app()` harness: the real service, in-process, against the fake Bot API and a
//! fresh database of either backend. Apps can be stopped gracefully or killed mid-flight and
//! started again on the same database and simulator.

#![allow(dead_code)]

pub mod binary;
pub mod browser;
pub mod reporting;
pub mod sandbox;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use qingfeng::startup::{Application, StartupError};
use qingfeng_core::Store;
use qingfeng_core::config::Config;
use qingfeng_core::testing::{TestBackend, TestDatabase};
use telegram_sim::{BotMessage, SimUser, Simulator};
use tokio::sync::oneshot;

pub const TOKEN: &str = "123456789:TEST-token_abcdefghijklmnopqrstuvwxyz";
/// base64 of 32 bytes of 7.
pub const DATA_KEY: &str = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

pub struct TestApp {
    pub sim: Simulator,
    pub db: Arc<TestDatabase>,
    /// The test's own connection to the app's database.
    pub store: Store,
    pub http_addr: std::net::SocketAddr,
    tweak: fn(&mut Config),
    /// The app runs on its own runtime, so that killing it ends every task it spawned,
    /// as SIGKILL would.
    runtime: Option<tokio::runtime::Runtime>,
    stop: Option<oneshot::Sender<()>>,
    done: Option<oneshot::Receiver<Result<(), String>>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // A runtime may not be dropped (which blocks) inside the test's async context.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

pub fn test_env(sim: &Simulator, db: &TestDatabase) -> HashMap<String, String> {
    [
        ("QINGFENG_TELEGRAM_TOKEN", TOKEN.to_owned()),
        ("QINGFENG_TELEGRAM_API_URL", sim.api_url()),
        ("QINGFENG_DATABASE_URL", db.url.as_str().to_owned()),
        ("QINGFENG_HTTP_ADDR", "127.0.0.1:0".to_owned()),
        ("QINGFENG_DATA_KEY", DATA_KEY.to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

pub async fn spawn_app(backend: TestBackend) -> TestApp {
    spawn_app_configured(backend, |_| {}).await
}

/// `spawn_app` with a change to the configuration (kept across restarts).
pub async fn spawn_app_configured(backend: TestBackend, tweak: fn(&mut Config)) -> TestApp {
    let sim = Simulator::start(TOKEN).await;
    let db = Arc::new(TestDatabase::create(backend).await);
    start(sim, db, tweak).await
}

/// Staff chats that receive report alerts in tests: the county desk and 宝丰镇's desk.
pub const COUNTY_STAFF_CHAT: i64 = 777_001;
pub const BAOFENG_STAFF_CHAT: i64 = 777_002;

/// Regions, report categories and routing, but no campaigns: the shipped campaigns must not
/// fire into tests that happen to run at 09:00 on a Monday. Tests that need campaigns import
/// their own.
pub fn test_content_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("qingfeng-test-content-{}", std::process::id()));
    write_test_content(&dir);
    dir
}

/// Writes the test content files into `dir`.
pub fn write_test_content(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for file in ["regions.toml", "categories.toml"] {
        std::fs::copy(shipped.join(file), dir.join(file)).unwrap();
    }
    let routing = std::fs::read_to_string(shipped.join("routing.toml"))
        .unwrap()
        // The county desk comes first in the file.
        .replacen(
            "alert_chat_ids = []",
            &format!("alert_chat_ids = [{COUNTY_STAFF_CHAT}]"),
            1,
        )
        .replacen(
            "townships = [\"baofeng\"]\nalert_chat_ids = []",
            &format!("townships = [\"baofeng\"]\nalert_chat_ids = [{BAOFENG_STAFF_CHAT}]"),
            1,
        );
    // Written to a temporary name first: tests in parallel read this file.
    let temporary = dir.join(format!("routing.toml.{}", std::process::id()));
    std::fs::write(&temporary, routing).unwrap();
    std::fs::rename(temporary, dir.join("routing.toml")).unwrap();
}

async fn start(sim: Simulator, db: Arc<TestDatabase>, tweak: fn(&mut Config)) -> TestApp {
    let mut config = Config::load(None, &test_env(&sim, &db)).expect("test configuration");
    config.content_dir = test_content_dir();
    tweak(&mut config);
    let polls_before = sim.count_requests("getUpdates");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("an app runtime");
    let (ready_tx, ready_rx) = oneshot::channel();
    let (stop, stop_rx) = oneshot::channel::<()>();
    let (done_tx, done) = oneshot::channel();
    runtime.spawn(async move {
        let app = Application::build(config)
            .await
            .expect("the application builds");
        let _ = ready_tx.send(app.http_addr());
        let result = app
            .run_until(async {
                let _ = stop_rx.await;
            })
            .await;
        let _ = done_tx.send(result.map_err(|e: StartupError| e.to_string()));
    });
    let http_addr = ready_rx.await.expect("the application builds");
    let store = Store::connect(&db.url, 2)
        .await
        .expect("the test connects to the app's database");
    // Ready once the bot polls for updates.
    tokio::time::timeout(Duration::from_secs(20), async {
        while sim.count_requests("getUpdates") == polls_before {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the bot starts polling");
    TestApp {
        sim,
        db,
        store,
        http_addr,
        tweak,
        runtime: Some(runtime),
        stop: Some(stop),
        done: Some(done),
    }
}

impl TestApp {
    pub fn user(&self, id: i64, language_code: Option<&str>) -> SimUser {
        self.sim.user(id, "Wei", language_code)
    }

    /// The app's keyring (from the test data key), to read what it sealed.
    pub async fn keys(&self) -> qingfeng_core::reports::ReportKeys {
        let key: qingfeng_core::crypto::DataKey = DATA_KEY.parse().expect("a valid key");
        qingfeng_core::reports::ReportKeys::load_or_create(&self.store, &key)
            .await
            .expect("the app's keys open")
    }

    /// Graceful stop, as on SIGTERM: updates in progress finish, offsets are confirmed.
    pub async fn stop(mut self) -> (Simulator, Arc<TestDatabase>) {
        let _ = self.stop.take().expect("running").send(());
        let done = self.done.take().expect("running");
        let result = tokio::time::timeout(Duration::from_secs(20), done)
            .await
            .expect("the app stops within 20 s")
            .expect("the app task does not panic");
        result.expect("the app stops cleanly");
        self.store.close().await;
        (self.sim.clone(), self.db.clone())
    }

    /// An abrupt end, as with SIGKILL: every task of the app is dropped wherever it is.
    pub async fn kill(mut self) -> (Simulator, Arc<TestDatabase>) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
        self.store.close().await;
        (self.sim.clone(), self.db.clone())
    }

    pub async fn restart(self) -> TestApp {
        let tweak = self.tweak;
        let (sim, db) = self.stop().await;
        start(sim, db, tweak).await
    }

    /// Kills the app while it waits for the user (no update in progress) and starts it again:
    /// proves that state is persisted, not that a kill in the middle of handling an update is
    /// survived (the binary's SIGKILL tests in `reports_crash` and `reminders_crash` do that).
    pub async fn kill_between_updates_and_restart(self) -> TestApp {
        let tweak = self.tweak;
        let (sim, db) = self.kill().await;
        start(sim, db, tweak).await
    }
}

/// Waits for the bot's next message and checks it contains `needle`.
pub async fn expect_text(user: &SimUser, needle: &str) -> BotMessage {
    let message = user.next_message().await;
    assert!(
        message.text.contains(needle),
        "expected {needle:?} in the bot's message:\n{}",
        message.text
    );
    message
}

/// Runs the test body once per backend.
#[macro_export]
macro_rules! e2e_test {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: $crate::common::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run($crate::common::spawn_app(qingfeng_core::testing::TestBackend::Sqlite).await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                run($crate::common::spawn_app(qingfeng_core::testing::TestBackend::Postgres).await).await;
            }
        }
    };
}

/// Waits for the next callback answer that carries a text (plain acknowledgements are
/// skipped) and checks it is an alert containing `needle`.
pub async fn expect_alert(user: &SimUser, needle: &str) {
    loop {
        let answer = user.next_callback_answer().await;
        if let Some(text) = answer.text {
            assert!(
                text.contains(needle),
                "expected {needle:?} in the alert {text:?}"
            );
            assert!(answer.show_alert, "the answer is shown as an alert");
            return;
        }
    }
}
