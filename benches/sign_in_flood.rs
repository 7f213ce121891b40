//! Sign-in flood benchmark: `cargo bench --bench sign_in_flood` (release build, SQLite).
//!
//! The reporter-safety review saw 16 clients posting `/login` push `/healthz` from 3 ms to
//! 385 ms median and the bot's replies from 4 ms to 370 ms, because argon2 ran on the async
//! threads the bot and scheduler share. This runs the whole service in-process against the fake
//! Bot API and measures, side by side in one run, the `/healthz` round trip and the bot's reply
//! to `/help`, first quietly and then while 16 clients post sign-ins as fast as they are
//! answered (each with a new unknown name, so every attempt is checked with argon2, from 16
//! addresses via `X-Real-IP`, so the per-address limit alone does not stop them).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use qingfeng::startup::Application;
use qingfeng_core::config::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TOKEN: &str = "123456789:BENCH-token_abcdefghijklmnopqrstuvwxyz";
const DATA_KEY: &str = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";
const FLOODERS: usize = 16;
const SAMPLES: usize = 60;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(bench());
}

async fn bench() {
    let dir = tempfile::tempdir().unwrap();
    let sim = telegram_sim::Simulator::start(TOKEN).await;
    let env: HashMap<String, String> = [
        ("QINGFENG_TELEGRAM_TOKEN", TOKEN.to_owned()),
        ("QINGFENG_TELEGRAM_API_URL", sim.api_url()),
        (
            "QINGFENG_DATABASE_URL",
            format!("sqlite://{}", dir.path().join("bench.db").display()),
        ),
        ("QINGFENG_HTTP_ADDR", "127.0.0.1:0".to_owned()),
        ("QINGFENG_DATA_KEY", DATA_KEY.to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let mut config = Config::load(None, &env).unwrap();
    config.content_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    config.http.client_ip_header = Some("x-real-ip".into());
    let app = Application::build(config).await.unwrap();
    let addr = app.http_addr();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let service = tokio::spawn(app.run_until(async {
        let _ = stop_rx.await;
    }));
    while sim.count_requests("getUpdates") == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let user = sim.user(1, "Bench", Some("zh-hans"));

    let quiet = measure(addr, &user).await;
    let running = Arc::new(AtomicBool::new(true));
    let (answered, refused) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let flooders: Vec<_> = (0..FLOODERS)
        .map(|n| {
            let (running, answered, refused) = (running.clone(), answered.clone(), refused.clone());
            tokio::spawn(async move {
                let mut attempt = 0u64;
                while running.load(Ordering::Relaxed) {
                    attempt += 1;
                    let status = sign_in(addr, n, &format!("guess-{n}-{attempt}")).await;
                    if status == 429 {
                        refused.fetch_add(1, Ordering::Relaxed);
                    } else {
                        answered.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let flooded = measure(addr, &user).await;
    running.store(false, Ordering::Relaxed);
    for flooder in flooders {
        flooder.await.unwrap();
    }

    println!("sign-in flood: {FLOODERS} clients, {SAMPLES} samples per figure (release, SQLite)");
    println!(
        "sign-ins during the flood: {} checked, {} refused with 429 (per-address and overall limits)",
        answered.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed)
    );
    println!("| measure | quiet p50 | flood p50 | quiet p99 | flood p99 |");
    println!("|---|---|---|---|---|");
    for (name, q, f) in [
        ("/healthz round trip", &quiet.health, &flooded.health),
        ("bot reply to /help", &quiet.reply, &flooded.reply),
    ] {
        println!(
            "| {name} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms |",
            percentile(q, 0.5),
            percentile(f, 0.5),
            percentile(q, 0.99),
            percentile(f, 0.99)
        );
    }
    let _ = stop_tx.send(());
    service.await.unwrap().unwrap();
}

struct Figures {
    health: Vec<f64>,
    reply: Vec<f64>,
}

async fn measure(addr: SocketAddr, user: &telegram_sim::SimUser) -> Figures {
    let mut figures = Figures {
        health: Vec::new(),
        reply: Vec::new(),
    };
    for _ in 0..SAMPLES {
        let started = Instant::now();
        let response = request(addr, "GET /healthz HTTP/1.0\r\nHost: bench\r\n\r\n").await;
        assert!(response.starts_with("HTTP/1.0 200") || response.starts_with("HTTP/1.1 200"));
        figures
            .health
            .push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        user.send_text("/help");
        user.next_message_within(Duration::from_secs(30))
            .await
            .expect("the bot replies");
        figures.reply.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    figures
}

/// One sign-in attempt as a browser makes it (form, cookie, CSRF token); the HTTP status.
async fn sign_in(addr: SocketAddr, client: usize, username: &str) -> u16 {
    let ip = format!("10.0.{}.{}", client / 250, client % 250 + 1);
    let form = request(
        addr,
        &format!("GET /login HTTP/1.0\r\nHost: bench\r\nX-Real-IP: {ip}\r\n\r\n"),
    )
    .await;
    let cookie = form
        .split("qf_login=")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_default()
        .to_owned();
    let csrf = form
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default();
    let body = format!("username={username}&password=wrong+password&csrf={csrf}");
    let response = request(
        addr,
        &format!(
            "POST /login HTTP/1.0\r\nHost: bench\r\nX-Real-IP: {ip}\r\nCookie: qf_login={cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

async fn request(addr: SocketAddr, raw: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(raw.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    String::from_utf8_lossy(&response).into_owned()
}

fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}
