//! Outbox benchmark: `cargo bench --bench outbox` (release build, SQLite, one run).
//!
//! Reports, side by side with the targets of the scheduled-reminders issue:
//! 1. fan-out of 100,000 recipients into the outbox (target ≤ 3 s);
//! 2. send rate with limits lifted against the fake Bot API (target ≥ 5,000 msg/s);
//! 3. the rate achieved under the default limits against a fake that enforces Telegram's
//!    limits (target within 2 % of 30/s, zero 429s);
//! 4. peak RSS of this process (target < 100 MB).
//!
//! The fake Bot API runs in a child process (this binary again, with `BENCH_SIM_USERS` set),
//! so the RSS is that of the store and worker, not of the simulator's message log.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use qingfeng_bot::TelegramChannel;
use qingfeng_core::Store;
use qingfeng_core::channel::{Channel, OutgoingMessage, SendError};
use qingfeng_core::domain::*;
use qingfeng_core::store::Trigger;
use qingfeng_scheduler::{Clock, Settings, Worker};

const TOKEN: &str = "123456789:BENCH-token_abcdefghijklmnopqrstuvwxyz";
const FANOUT: i64 = 100_000;
const THROUGHPUT: i64 = 20_000;
const LIMITED: i64 = 600;

fn main() {
    if let Ok(users) = std::env::var("BENCH_SIM_USERS") {
        return sim_child(
            users.parse().expect("a user count"),
            std::env::var("BENCH_SIM_LIMITS").is_ok(),
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(bench());
}

/// The fake Bot API, in its own process: prints its URL, answers `stats` with the number of
/// 429s it gave, and exits when stdin closes.
fn sim_child(users: i64, limits: bool) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let sim = telegram_sim::Simulator::start(TOKEN).await;
        for id in 1..=users {
            sim.user(id, "Bench", Some("zh-hans"));
        }
        if limits {
            sim.enforce_limits(30, Duration::from_secs(1));
        }
        println!("{}", sim.api_url());
        std::io::stdout().flush().unwrap();
        let stats = sim.clone();
        tokio::task::spawn_blocking(move || {
            for line in std::io::stdin().lock().lines().map_while(Result::ok) {
                if line == "stats" {
                    println!("{}", stats.rate_limited_count());
                    std::io::stdout().flush().unwrap();
                }
            }
        })
        .await
        .unwrap();
    });
}

struct SimProcess {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<std::process::ChildStdout>,
    url: String,
}

impl SimProcess {
    fn start(users: i64, limits: bool) -> SimProcess {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .env("BENCH_SIM_USERS", users.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        if limits {
            command.env("BENCH_SIM_LIMITS", "1");
        }
        let mut child = command.spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut url = String::new();
        stdout.read_line(&mut url).unwrap();
        SimProcess {
            child,
            stdin,
            stdout,
            url: url.trim().to_owned(),
        }
    }

    fn rate_limited(&mut self) -> u64 {
        writeln!(self.stdin, "stats").unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        line.trim().parse().unwrap()
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Counts the 429s the worker saw.
struct Counting {
    inner: TelegramChannel,
    rate_limited: Arc<AtomicU64>,
}

impl Channel for Counting {
    async fn send(
        &self,
        chat_id: i64,
        message: &OutgoingMessage,
    ) -> Result<Option<i64>, SendError> {
        let result = self.inner.send(chat_id, message).await;
        if matches!(result, Err(SendError::RateLimited(_))) {
            self.rate_limited.fetch_add(1, Ordering::Relaxed);
        }
        result
    }
}

async fn store_with(dir: &std::path::Path, name: &str, subscribers: i64) -> Store {
    let url = format!("sqlite://{}", dir.join(name).display())
        .parse()
        .unwrap();
    let store = Store::open(&url, 4).await.unwrap();
    let township = qingfeng_core::testing::township("baofeng", "宝丰镇");
    store.import_regions(&[township], &[]).await.unwrap();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.join(name).display()))
        .await
        .unwrap();
    let now = Utc::now().to_rfc3339();
    let mut tx = pool.begin().await.unwrap();
    for chunk in (1..=subscribers).collect::<Vec<_>>().chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|id| format!("({id}, 'household', 'baofeng', 'zh-CN', TRUE, '{now}', '{now}')"))
            .collect();
        let sql = format!(
            "INSERT INTO subscribers (chat_id, audience, township_code, language, active, created_at, updated_at) VALUES {}",
            values.join(",")
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    pool.close().await;
    store
}

fn campaign() -> Campaign {
    Campaign {
        urgent: true,
        acknowledge: true,
        ..qingfeng_core::testing::campaign(
            "bench",
            "{township}：节日期间请勿收送礼品礼金。",
            "{township}: no gifts.",
        )
    }
}

async fn enqueue(store: &Store) -> (i64, Duration) {
    let c = campaign();
    store
        .import_campaigns(std::slice::from_ref(&c))
        .await
        .unwrap();
    let now = Utc::now();
    let started = Instant::now();
    let run = store
        .create_run(&c, now, Trigger::Manual, now)
        .await
        .unwrap()
        .unwrap();
    (run.run_id, started.elapsed())
}

/// Sends everything queued; returns the wall time.
async fn drain<C: Channel>(worker: &mut Worker<C>, store: &Store) -> Duration {
    let started = Instant::now();
    while let Some(due) = store.next_delivery_due().await.unwrap() {
        let wait = (due - Utc::now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;
        worker.try_execute_batch().await.unwrap();
    }
    started.elapsed()
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

async fn bench() {
    let dir = tempfile::tempdir().unwrap();

    // 1. Fan-out.
    let store = store_with(dir.path(), "fanout.db", FANOUT).await;
    let (run, fanout) = enqueue(&store).await;
    let targeted = store.run_figures(run).await.unwrap().unwrap().targeted;
    assert_eq!(targeted, FANOUT);
    store.close().await;

    // 2. Throughput with the limits lifted.
    let store = store_with(dir.path(), "throughput.db", THROUGHPUT).await;
    let sim = SimProcess::start(THROUGHPUT, false);
    enqueue(&store).await;
    let lifted = Settings {
        rate_per_second: 0.0,
        batch_size: 1000,
        max_in_flight: 128,
        ..Settings::default()
    };
    let channel = TelegramChannel::new(TOKEN, sim.url.parse().unwrap());
    let mut worker = Worker::new(store.clone(), channel, lifted, Clock::System);
    let elapsed = drain(&mut worker, &store).await;
    let throughput = THROUGHPUT as f64 / elapsed.as_secs_f64();
    drop(sim);
    store.close().await;

    // 3. Default limits against a fake that enforces Telegram's.
    let store = store_with(dir.path(), "limited.db", LIMITED).await;
    let mut sim = SimProcess::start(LIMITED, true);
    let (run, _) = enqueue(&store).await;
    let rate_limited = Arc::new(AtomicU64::new(0));
    let channel = Counting {
        inner: TelegramChannel::new(TOKEN, sim.url.parse().unwrap()),
        rate_limited: Arc::clone(&rate_limited),
    };
    let mut worker = Worker::new(store.clone(), channel, Settings::default(), Clock::System);
    let elapsed = drain(&mut worker, &store).await;
    let figures = store.run_figures(run).await.unwrap().unwrap();
    assert_eq!(figures.sent, LIMITED);
    let achieved = (LIMITED - 1) as f64 / elapsed.as_secs_f64();
    let refused = sim.rate_limited();
    store.close().await;

    let rss = peak_rss_mb();
    println!(
        "Outbox benchmark (SQLite, release, {} cores)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("| measure | result | target | ratio to target |");
    println!("|---|---|---|---|");
    println!(
        "| fan-out of {FANOUT} recipients | {:.2} s | ≤ 3 s | {:.2} |",
        fanout.as_secs_f64(),
        fanout.as_secs_f64() / 3.0
    );
    println!(
        "| send rate, limits lifted ({THROUGHPUT} messages) | {throughput:.0} msg/s | ≥ 5000 msg/s | {:.2} |",
        throughput / 5000.0
    );
    println!(
        "| send rate, default limits, enforcing fake ({LIMITED} messages) | {achieved:.2} msg/s, {refused} 429s from the fake, {} seen by the worker | 30 msg/s ± 2 %, 0 429s | {:.3} |",
        rate_limited.load(Ordering::Relaxed),
        achieved / 30.0
    );
    println!(
        "| peak RSS (store + worker, simulator excluded) | {rss:.1} MB | < 100 MB | {:.2} |",
        rss / 100.0
    );
}
