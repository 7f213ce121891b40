//! What the real binary writes to its log when Telegram sends an update it cannot read: the
//! update's id, never its content (teloxide would log the whole update: chat id, name, text).

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::binary::{Server, qingfeng, wait_for_polling, workdir};
use common::{DATA_KEY, TOKEN, expect_text};
use serde_json::json;
use telegram_sim::Simulator;

const SECRET: &str = "举报内容：张某某收受购物卡";
const CHAT: i64 = 7_319_446_281;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_update_is_logged_by_its_id_only() {
    let dir = workdir();
    let sim = Simulator::start(TOKEN).await;
    let api = sim.api_url();
    // The default log filter, as an operator runs it.
    let child = qingfeng(
        dir.path(),
        &[
            ("QINGFENG_TELEGRAM_TOKEN", TOKEN),
            ("QINGFENG_TELEGRAM_API_URL", api.as_str()),
            ("QINGFENG_DATA_KEY", DATA_KEY),
            ("QINGFENG_HTTP_ADDR", "127.0.0.1:0"),
        ],
    )
    .env_remove("QINGFENG_LOG")
    .arg("serve")
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let server = Server { child };
    wait_for_polling(&sim, 0).await;
    // A message whose id is not a number: teloxide cannot parse it.
    let update_id = sim.push_raw_update(
        "message",
        json!({
            "message_id": "not a number",
            "date": 1_764_547_200,
            "chat": {"id": CHAT, "type": "private", "first_name": "Wei", "username": "wei_reporter"},
            "from": {"id": CHAT, "is_bot": false, "first_name": "Wei", "username": "wei_reporter"},
            "text": SECRET,
        }),
    );
    // The service goes on: the next person is answered.
    let user = sim.user(2002, "Li", Some("zh-hans"));
    user.send_text("/start");
    user.next_message().await;
    expect_text(&user, "请选择您的身份").await;

    server.signal("-TERM");
    let (code, stderr) = tokio::task::spawn_blocking(move || server.wait(Duration::from_secs(15)))
        .await
        .unwrap();
    assert_eq!(code, Some(0), "{stderr}");
    for leaked in [SECRET, "张某某", &CHAT.to_string(), "wei_reporter"] {
        assert!(
            !stderr.contains(leaked),
            "the log holds {leaked:?}:\n{stderr}"
        );
    }
    assert!(
        stderr.contains(&format!("update_id={update_id}")),
        "the skipped update is named by its id:\n{stderr}"
    );
}
