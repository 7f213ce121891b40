//! `qingfeng campaign run ID` from two terminals at once: one run, one message per recipient;
//! a deliberate repeat needs `--again`.

mod common;

use common::DATA_KEY;
use common::binary::{DRILL_CAMPAIGN, qingfeng, run, subscribe_households, workdir};
use qingfeng_core::Store;
use qingfeng_core::domain::CampaignId;
use qingfeng_core::testing::{TestBackend, TestDatabase};

mod concurrent_manual_runs_send_once {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        concurrent_manual_runs_send_once(TestBackend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        concurrent_manual_runs_send_once(TestBackend::Postgres).await;
    }
}

async fn concurrent_manual_runs_send_once(backend: TestBackend) {
    let dir = workdir();
    let db = TestDatabase::create(backend).await;
    let url = db.url.as_str().to_owned();
    let env = [
        ("QINGFENG_DATABASE_URL", url.as_str()),
        ("QINGFENG_DATA_KEY", DATA_KEY),
    ];
    std::fs::write(dir.path().join("content/campaigns.toml"), DRILL_CAMPAIGN).unwrap();
    let (code, _, stderr) = run(dir.path(), &env, &["content", "import", "content"]);
    assert_eq!(code, 0, "{stderr}");
    let store = Store::open(&db.url, 2).await.unwrap();
    subscribe_households(&store, 1..=20).await;

    // Two operators (or one who pressed Enter twice in two terminals) at the same moment.
    let children: Vec<_> = (0..2)
        .map(|_| {
            qingfeng(dir.path(), &env)
                .args(["campaign", "run", "drill"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let succeeded: Vec<_> = outputs.iter().filter(|o| o.status.success()).collect();
    assert_eq!(succeeded.len(), 1, "{outputs:?}");
    assert!(String::from_utf8_lossy(&succeeded[0].stdout).contains("20 recipient(s)"));
    let refused = outputs.iter().find(|o| !o.status.success()).unwrap();
    let refusal = String::from_utf8_lossy(&refused.stderr);
    assert!(
        refusal.contains("is the one going out") && refusal.contains("--again"),
        "{refusal}"
    );

    let id: CampaignId = "drill".parse().unwrap();
    let runs = store.recent_runs(&id, 10).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].targeted, 20, "one delivery per recipient");

    let (code, stdout, stderr) = run(dir.path(), &env, &["campaign", "run", "drill", "--again"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("20 recipient(s)"), "{stdout}");
    assert_eq!(store.recent_runs(&id, 10).await.unwrap().len(), 2);
    store.close().await;
}
