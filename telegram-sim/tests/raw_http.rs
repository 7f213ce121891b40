//! Wire-level checks with a minimal HTTP client: routing, encodings, statuses.

use serde_json::{Value, json};
use telegram_sim::{InjectedError, Simulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TOKEN: &str = "123:ABC";

/// Sends one HTTP/1.1 request; returns (status, body).
async fn http(sim: &Simulator, method: &str, path: &str, ctype: &str, body: &str) -> (u16, String) {
    let addr = sim
        .api_url()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut stream = TcpStream::connect(&addr).await.expect("connect");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text[9..12].parse().expect("status");
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

async fn call(sim: &Simulator, method: &str, body: Value) -> (u16, Value) {
    let path = format!("/bot{TOKEN}/{method}");
    let (status, text) = http(sim, "POST", &path, "application/json", &body.to_string()).await;
    (status, serde_json::from_str(&text).expect("json body"))
}

#[tokio::test]
async fn methods_match_any_case_and_chat_id_may_be_a_string() {
    let sim = Simulator::start(TOKEN).await;
    let user = sim.user(42, "Li", None);
    let (status, body) = call(&sim, "SENDMESSAGE", json!({"chat_id": "42", "text": "hi"})).await;
    assert_eq!((status, body["ok"].clone()), (200, json!(true)));
    assert_eq!(body["result"]["from"]["username"], "qingfeng_test_bot");
    assert_eq!(user.next_message().await.text, "hi");
    assert_eq!(sim.requests()[0].method, "sendMessage");

    let form = "chat_id=42&text=%E4%BD%A0%E5%A5%BD";
    let path = format!("/bot{TOKEN}/sendMessage");
    let (_, text) = http(
        &sim,
        "POST",
        &path,
        "application/x-www-form-urlencoded",
        form,
    )
    .await;
    assert!(text.contains("\"ok\":true"), "{text}");
    assert_eq!(user.next_message().await.text, "你好");
}

#[tokio::test]
async fn unknown_method_wrong_token_and_server_errors() {
    let sim = Simulator::start(TOKEN).await;
    let (status, body) = call(&sim, "frobnicate", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"ok": false, "error_code": 404, "description": "Not Found: method not found"})
    );
    let (_, text) = http(&sim, "POST", "/botnope/getMe", "application/json", "{}").await;
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        body,
        json!({"ok": false, "error_code": 401, "description": "Unauthorized"})
    );

    sim.inject_error("getMe", None, InjectedError::ServerError(502));
    let (status, body) = call(&sim, "getMe", json!({})).await;
    assert_eq!((status, body["error_code"].clone()), (502, json!(502)));
    let (status, body) = call(&sim, "getMe", json!({})).await;
    assert_eq!((status, body["ok"].clone()), (200, json!(true)));
}

#[tokio::test]
async fn downloads_decode_the_file_path() {
    let sim = Simulator::start(TOKEN).await;
    sim.add_file(b"png!".to_vec(), "photos/file_2.png");
    let path = format!("/file/bot{TOKEN}/photos%2Ffile_2.png");
    assert_eq!(
        http(&sim, "GET", &path, "text/plain", "").await,
        (200, "png!".into())
    );
    let missing = format!("/file/bot{TOKEN}/photos%2Fnone.png");
    assert_eq!(http(&sim, "GET", &missing, "text/plain", "").await.0, 404);
}

#[tokio::test]
async fn error_shapes_match_the_samples() {
    let sim = Simulator::start(TOKEN).await;
    sim.user(7, "Li", None);
    sim.inject_error(
        "sendMessage",
        Some(7),
        InjectedError::TooManyRequests { retry_after: 7 },
    );
    let (_, body) = call(&sim, "sendMessage", json!({"chat_id": 7, "text": "x"})).await;
    let sample = json!({
        "ok": false, "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": { "retry_after": 7 }
    });
    assert_eq!(body, sample);
    let (_, body) = call(
        &sim,
        "sendMessage",
        json!({"chat_id": 7, "text": "a <b", "parse_mode": "HTML"}),
    )
    .await;
    assert_eq!(
        body["description"],
        "Bad Request: can't parse entities: Unsupported start tag \"\" at byte offset 2"
    );
    let (_, body) = call(
        &sim,
        "answerCallbackQuery",
        json!({"callback_query_id": "1"}),
    )
    .await;
    assert_eq!(
        body["description"],
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    );
}
