//! The simulator speaks the shapes in `samples/` (Bot API JSON captured from a server checked
//! against teloxide 0.17): every sample still parses with teloxide, and every update the
//! simulator produces has the same fields as the sample of its kind — none invented, none
//! missing except the ones Telegram itself leaves out (a user without a username, say).

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::{Value, json};
use telegram_sim::{SimUser, Simulator};

const TOKEN: &str = "123:ABC";

fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn sample(name: &str) -> Value {
    let text = std::fs::read_to_string(samples_dir().join(name))
        .unwrap_or_else(|e| panic!("sample {name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("sample {name}: {e}"))
}

/// Every field path in `value` (`message.from.id`, `message.photo[].file_id`, ...).
fn paths(value: &Value) -> BTreeSet<String> {
    fn walk(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    out.insert(path.clone());
                    walk(child, &path, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    walk(item, &format!("{prefix}[]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(value, "", &mut out);
    out
}

/// Fields Telegram sends only when the person has them (the simulated users have no
/// username or last name) or chose to add them (a caption under a file).
fn optional(path: &str) -> bool {
    ["username", "last_name", "language_code", "caption"]
        .iter()
        .any(|field| path.ends_with(&format!(".{field}")))
}

fn assert_same_shape(kind: &str, produced: &Value, sample: &Value) {
    let (produced, sample) = (paths(produced), paths(sample));
    let invented: Vec<_> = produced.difference(&sample).collect();
    let missing: Vec<_> = sample
        .difference(&produced)
        .filter(|p| !optional(p))
        .collect();
    assert!(
        invented.is_empty() && missing.is_empty(),
        "{kind}: fields the sample does not have {invented:?}; fields it has that are missing {missing:?}"
    );
}

/// The raw updates the simulator has queued, as the bot's getUpdates would receive them.
async fn queued_updates(sim: &Simulator) -> Vec<Value> {
    let body = post(sim, "getUpdates", json!({"offset": 0, "timeout": 0})).await;
    body["result"].as_array().expect("an update list").clone()
}

async fn post(sim: &Simulator, method: &str, body: Value) -> Value {
    let url = format!(
        "{}/bot{TOKEN}/{method}",
        sim.api_url().trim_end_matches('/')
    );
    let addr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let path = url.split_once(&addr).unwrap().1.to_owned();
    let payload = body.to_string();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    );
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (_, body) = text.split_once("\r\n\r\n").expect("an HTTP body");
    serde_json::from_str(body).expect("a JSON body")
}

#[test]
fn every_sample_still_parses_with_teloxide() {
    let mut checked = 0;
    for entry in std::fs::read_dir(samples_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let text = std::fs::read_to_string(samples_dir().join(&name)).unwrap();
        if name.starts_with("update.") {
            // From text, not from a Value: `from_value` turns every update into an error kind.
            let update: teloxide::types::Update = serde_json::from_str(&text).unwrap();
            assert!(
                !matches!(update.kind, teloxide::types::UpdateKind::Error(_)),
                "{name} no longer parses as an update"
            );
            checked += 1;
        } else if name.starts_with("error.") {
            let body: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(body["ok"], json!(false), "{name}");
            assert!(body["description"].is_string(), "{name}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} samples found in samples/");
}

#[tokio::test]
async fn the_simulators_updates_have_the_samples_shapes() {
    let sim = Simulator::start(TOKEN).await;
    let user: SimUser = sim.user(284_629_471, "Wei", Some("zh-hans"));
    user.send_text("你好，我想反映一个问题");
    user.send_text("/start src_poster_2024");
    user.send_photo(b"jpeg".to_vec(), Some("证据"));
    user.send_document("收据.pdf", "application/pdf", b"%PDF".to_vec());
    user.send_voice(b"ogg".to_vec(), 3);
    user.send_sticker();
    user.send_location(32.22, 110.23);
    user.send_contact("+8613800000000");
    let produced = queued_updates(&sim).await;
    let kinds = [
        "update.message_text.json",
        "update.message_start_deeplink.json",
        "update.message_photo.json",
        "update.message_document.json",
        "update.message_voice.json",
        "update.message_sticker.json",
        "update.message_location.json",
        "update.message_contact.json",
    ];
    assert_eq!(produced.len(), kinds.len());
    for (update, kind) in produced.iter().zip(kinds) {
        assert_same_shape(kind, update, &sample(kind));
    }
}

#[tokio::test]
async fn a_sent_message_and_a_button_press_have_the_samples_shapes() {
    let sim = Simulator::start(TOKEN).await;
    let user = sim.user(284_629_471, "Wei", Some("zh-hans"));
    let keyboard = json!({"inline_keyboard": [[
        {"text": "🏠 家庭 / Household", "callback_data": "aud:household"},
        {"text": "🏢 企业 / Enterprise", "callback_data": "aud:enterprise"},
    ]]});
    let sent = post(
        &sim,
        "sendMessage",
        json!({
            "chat_id": user.id(),
            "text": "<b>欢迎使用清风</b>\n请选择您的身份：",
            "parse_mode": "HTML",
            "reply_markup": keyboard,
        }),
    )
    .await;
    let expected = sample("response.sendMessage.json");
    assert_same_shape("response.sendMessage.json", &sent, &expected);

    let shown = user.next_message().await;
    user.press(&shown, "aud:household");
    let produced = queued_updates(&sim).await;
    let press = produced
        .iter()
        .find(|u| u.get("callback_query").is_some())
        .expect("the press queued a callback_query update");
    assert_same_shape(
        "update.callback_query.json",
        press,
        &sample("update.callback_query.json"),
    );
}
