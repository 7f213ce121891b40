//! SIGKILL in the middle of a run: nobody is skipped, and only messages that were in flight
//! (at most one claim batch) can arrive twice.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::binary::{Server, run, wait_for_polling, workdir};
use common::{DATA_KEY, TOKEN};
use qingfeng_core::Store;
use qingfeng_core::domain::{Language, NewSubscriber, Profile};
use qingfeng_core::testing::{TestBackend, TestDatabase};
use telegram_sim::Simulator;

const RECIPIENTS: i64 = 150;
/// `qingfeng_scheduler::Settings::default().batch_size`: the documented re-send bound.
const IN_FLIGHT_BOUND: usize = 16;

const CAMPAIGN: &str = r#"
[[campaigns]]
id = "drill"
title_zh = "演练"
title_en = "Drill"
audience = "all"
schedule = { manual = true }
urgent = true
[[campaigns.messages]]
zh-CN = "演练消息"
en = "Drill message"
"#;

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

async fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) {
    let started = std::time::Instant::now();
    while !done() {
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
    std::fs::write(dir.path().join("content/campaigns.toml"), CAMPAIGN).unwrap();
    let (code, _, stderr) = run(dir.path(), &env, &["content", "import", "content"]);
    assert_eq!(code, 0, "{stderr}");

    let sim = Simulator::start(TOKEN).await;
    let store = Store::open(&db.url, 2).await.unwrap();
    for chat_id in 1..=RECIPIENTS {
        sim.user(chat_id, "Wei", Some("zh-hans"));
        let profile = Profile::Household {
            township: "baofeng".parse().unwrap(),
            village: None,
        };
        store
            .upsert_subscriber(&NewSubscriber {
                chat_id,
                language: Language::ZhCn,
                profile,
            })
            .await
            .unwrap();
    }

    let server = Server::start(dir.path(), &sim, &env);
    wait_for_polling(&sim, 0).await;
    let (code, stdout, stderr) = run(
        dir.path(),
        &[env[0], ("QINGFENG_DATA_KEY", DATA_KEY)],
        &["campaign", "run", "drill"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("150 recipient(s)"), "{stdout}");

    wait_until(Duration::from_secs(30), || sends_per_chat(&sim).len() >= 40).await;
    server.signal("-KILL");
    server.wait(Duration::from_secs(10));
    let before_restart = sends_per_chat(&sim).len();
    assert!(
        before_restart < RECIPIENTS as usize,
        "killed mid-run ({before_restart} sent)"
    );

    let polls = sim.count_requests("getUpdates");
    let server = Server::start(dir.path(), &sim, &env);
    wait_for_polling(&sim, polls).await;
    wait_until(Duration::from_secs(30), || {
        sends_per_chat(&sim).len() == RECIPIENTS as usize
    })
    .await;
    // Let anything still queued go out, then stop cleanly.
    tokio::time::sleep(Duration::from_millis(500)).await;
    server.signal("-TERM");
    let (code, stderr) = server.wait(Duration::from_secs(15));
    assert_eq!(code, Some(0), "{stderr}");

    let counts = sends_per_chat(&sim);
    assert_eq!(counts.len(), RECIPIENTS as usize, "nobody skipped");
    let duplicates: usize = counts.values().map(|n| n - 1).sum();
    eprintln!(
        "{backend:?}: killed after {before_restart} recipients; {duplicates} duplicate(s) after the restart"
    );
    assert!(
        duplicates <= IN_FLIGHT_BOUND,
        "{duplicates} duplicates exceed the in-flight bound"
    );
    let (code, stdout, _) = run(dir.path(), &env, &["campaign", "list"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("sent 150, pending 0, failed 0, blocked 0"),
        "{stdout}"
    );
}
