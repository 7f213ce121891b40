//! SIGKILL in the middle of a run, at several points: nobody is skipped, and only messages that
//! were in flight (at most one claim batch per kill) can arrive twice.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::binary::{
    DRILL_CAMPAIGN, Server, run, subscribe_households, wait_for_polling, workdir,
};
use common::{DATA_KEY, TOKEN};
use qingfeng_core::Store;
use qingfeng_core::testing::{TestBackend, TestDatabase};
use telegram_sim::Simulator;

const RECIPIENTS: i64 = 150;
/// Kill once this many recipients have their message (early, middle, late in the run).
const KILL_AT: [usize; 3] = [20, 70, 120];

fn sends_per_chat(sim: &Simulator) -> HashMap<i64, usize> {
    let mut counts = HashMap::new();
    for request in sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "sendMessage")
    {
        if let Some(chat) = request.body["chat_id"].as_i64() {
            *counts.entry(chat).or_default() += 1;
        }
    }
    counts
}

async fn wait_until(limit: Duration, mut done: impl AsyncFnMut() -> bool) {
    let started = std::time::Instant::now();
    while !done().await {
        assert!(started.elapsed() < limit, "timed out");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    killed_midway_resumes_without_skipping_anyone(TestBackend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    killed_midway_resumes_without_skipping_anyone(TestBackend::Postgres).await;
}

async fn killed_midway_resumes_without_skipping_anyone(backend: TestBackend) {
    let dir = workdir();
    let db = TestDatabase::create(backend).await;
    let db_url = db.url.as_str().to_owned();
    let env = [("QINGFENG_DATABASE_URL", db_url.as_str())];
    // Slow enough to kill mid-run: 150 messages at 25/s take 6 s.
    std::fs::write(
        dir.path().join("qingfeng.toml"),
        "content_dir = \"content\"\n[scheduler]\nrate_per_second = 25\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("content/campaigns.toml"), DRILL_CAMPAIGN).unwrap();
    let (code, _, stderr) = run(dir.path(), &env, &["content", "import", "content"]);
    assert_eq!(code, 0, "{stderr}");

    let sim = Simulator::start(TOKEN).await;
    let store = Store::open(&db.url, 2).await.unwrap();
    for chat_id in 1..=RECIPIENTS {
        sim.user(chat_id, "Wei", Some("zh-hans"));
    }
    subscribe_households(&store, 1..=RECIPIENTS).await;

    let server = Server::start(dir.path(), &sim, &env);
    wait_for_polling(&sim, 0).await;
    let (code, stdout, stderr) = run(
        dir.path(),
        &[env[0], ("QINGFENG_DATA_KEY", DATA_KEY)],
        &["campaign", "run", "drill"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("150 recipient(s)"), "{stdout}");

    // The documented re-send bound: what one claim batch holds.
    let in_flight_bound = qingfeng_scheduler::Settings::default().batch_size as usize;
    let mut server = server;
    let mut killed_at = Vec::new();
    for threshold in KILL_AT {
        wait_until(Duration::from_secs(30), async || {
            sends_per_chat(&sim).len() >= threshold
        })
        .await;
        server.signal("-KILL");
        server.wait(Duration::from_secs(10));
        let reached = sends_per_chat(&sim).len();
        assert!(
            reached < RECIPIENTS as usize,
            "killed mid-run ({reached} reached)"
        );
        killed_at.push(reached);
        let polls = sim.count_requests("getUpdates");
        server = Server::start(dir.path(), &sim, &env);
        wait_for_polling(&sim, polls).await;
    }
    wait_until(Duration::from_secs(30), async || {
        sends_per_chat(&sim).len() == RECIPIENTS as usize
    })
    .await;
    // Nothing is left queued or in flight before the clean stop.
    let id = "drill".parse().unwrap();
    wait_until(Duration::from_secs(30), async || {
        store.recent_runs(&id, 1).await.unwrap()[0].pending == 0
    })
    .await;
    server.signal("-TERM");
    let (code, stderr) = server.wait(Duration::from_secs(15));
    assert_eq!(code, Some(0), "{stderr}");

    let counts = sends_per_chat(&sim);
    assert_eq!(counts.len(), RECIPIENTS as usize, "nobody skipped");
    let duplicates: usize = counts.values().map(|n| n - 1).sum();
    eprintln!(
        "{backend:?}: killed with {killed_at:?} recipients reached; {duplicates} duplicate(s)"
    );
    assert!(
        duplicates <= in_flight_bound * KILL_AT.len(),
        "{duplicates} duplicates exceed one batch ({in_flight_bound}) per kill"
    );
    let (code, stdout, _) = run(dir.path(), &env, &["campaign", "list"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("sent 150, pending 0, failed 0, blocked 0"),
        "{stdout}"
    );
}
