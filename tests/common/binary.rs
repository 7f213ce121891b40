//! Running the real `qingfeng` binary: a scratch directory, commands, a server process.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use telegram_sim::Simulator;

use super::{DATA_KEY, TOKEN};

pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A scratch directory with a config file and a content directory holding the shipped
/// regions, calendar and report categories, and the test routing (no campaigns: shipped
/// schedules must not fire into tests).
pub fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    super::write_test_content(&content);
    std::fs::copy(
        Path::new(REPO).join("content/calendar.toml"),
        content.join("calendar.toml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("qingfeng.toml"),
        "content_dir = \"content\"\n",
    )
    .unwrap();
    dir
}

pub fn qingfeng(dir: &Path, env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_qingfeng"));
    command
        .current_dir(dir)
        .env_clear()
        .env("QINGFENG_LOG", "warn");
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

pub fn run(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = qingfeng(dir, env).args(args).output().unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

pub struct Server {
    pub child: Child,
}

impl Server {
    pub fn start(dir: &Path, sim: &Simulator, extra: &[(&str, &str)]) -> Server {
        let api = sim.api_url();
        let mut env = vec![
            ("QINGFENG_TELEGRAM_TOKEN", TOKEN),
            ("QINGFENG_TELEGRAM_API_URL", api.as_str()),
            ("QINGFENG_DATA_KEY", DATA_KEY),
            ("QINGFENG_HTTP_ADDR", "127.0.0.1:0"),
        ];
        env.extend_from_slice(extra);
        let child = qingfeng(dir, &env)
            .arg("serve")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        Server { child }
    }

    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([name, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to exit and returns its exit code and stderr.
    pub fn wait(mut self, limit: Duration) -> (Option<i32>, String) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut stderr = String::new();
                use std::io::Read;
                self.child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut stderr)
                    .unwrap();
                return (status.code(), stderr);
            }
            assert!(
                started.elapsed() < limit,
                "the server did not exit within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

pub async fn wait_for_polling(sim: &Simulator, before: usize) {
    tokio::time::timeout(Duration::from_secs(30), async {
        while sim.count_requests("getUpdates") <= before {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the server starts polling");
}

/// An urgent manual campaign (`drill`), for tests that run one with `campaign run drill`.
pub const DRILL_CAMPAIGN: &str = r#"
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

/// Subscribes chats `chats` as households in 宝丰镇, in Chinese.
pub async fn subscribe_households(
    store: &qingfeng_core::Store,
    chats: impl IntoIterator<Item = i64>,
) {
    use qingfeng_core::testing::{household, subscribe};
    subscribe(
        store,
        chats,
        qingfeng_core::Language::ZhCn,
        &household("baofeng"),
    )
    .await;
}
