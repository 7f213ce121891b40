//! `qingfeng serve --sandbox`: the whole service with no Telegram token, no data key and no
//! connection beyond loopback. An in-process Bot API simulator (`telegram-sim`) stands in for
//! Telegram; the dashboard's `/sandbox` page chats with the bot as test people.
//!
//! Everything the sandbox keeps is in its directory (the current one, or `--sandbox-dir`):
//! `qingfeng-sandbox.key` (the generated data key, mode 0600) and `qingfeng-sandbox.db`
//! (SQLite), and `qingfeng-sandbox-people.json` (the test people, so a restart lists them
//! again; their chats' messages are in memory only). A database URL set explicitly is honoured only if it is a SQLite file other than
//! the production default, so sandbox data never lands in the production database.
//! - `key`: the key file. `accounts`: the sandbox staff accounts. `chats`: the dashboard's
//!   `SandboxChats` over the simulator. `roster`: the people file.

mod accounts;
mod chats;
mod key;
mod roster;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use qingfeng_core::config::{BotToken, Config, DatabaseSection, DatabaseUrl};
use telegram_sim::Simulator;

use crate::startup::{Application, StartupError};

pub const KEY_FILE: &str = "qingfeng-sandbox.key";
pub const DATABASE_FILE: &str = "qingfeng-sandbox.db";
/// The simulator accepts any token it is started with; this one only has to look like one.
const SANDBOX_TOKEN: &str = "7000000001:SANDBOX_offline_not_a_real_token";

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot use the sandbox directory {}: {source}", path.display())]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read or create the sandbox key file {}: {source}", path.display())]
    KeyFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the sandbox key file {} is damaged (it should hold one base64 line); move it away to start a fresh sandbox, whose old database it cannot read",
        .0.display()
    )]
    BadKey(PathBuf),
    #[error(
        "the sandbox database {} exists but its key file {} is missing; put the key file back, or move the database away to start a fresh sandbox",
        db.display(), key.display()
    )]
    KeyMissing { key: PathBuf, db: PathBuf },
    #[error(
        "the sandbox never uses a PostgreSQL database (sandbox data must stay out of the production database); unset QINGFENG_DATABASE_URL / database.url, or set it to a sqlite:// file of its own"
    )]
    Postgres,
    #[error(
        "database.url is the production default ({0}); the sandbox keeps its data apart: unset it (the sandbox then uses {DATABASE_FILE} in its directory) or name another sqlite:// file"
    )]
    ProductionDefault(String),
    #[error(
        "http.addr {0} is not a loopback address; the sandbox dashboard listens on 127.0.0.1 (or ::1) only, e.g. QINGFENG_HTTP_ADDR=127.0.0.1:8080"
    )]
    NotLoopback(SocketAddr),
    #[error("cannot start the simulated Telegram on 127.0.0.1: {0}")]
    Simulator(std::io::Error),
    #[error("cannot create the sandbox accounts: {0}")]
    Account(String),
    #[error("{0}")]
    Store(#[from] qingfeng_core::StoreError),
    #[error("{0}")]
    Startup(#[from] StartupError),
}

impl SandboxError {
    /// Configuration problems exit with 2, like `serve`'s.
    pub fn is_config(&self) -> bool {
        matches!(
            self,
            SandboxError::Postgres
                | SandboxError::ProductionDefault(_)
                | SandboxError::NotLoopback(_)
                | SandboxError::BadKey(_)
                | SandboxError::KeyMissing { .. }
                | SandboxError::Startup(StartupError::Config(_))
        )
    }
}

/// A sandbox ready to run: the application (dashboard bound, store migrated, content in) and
/// what the start-up lines print.
pub struct Sandbox {
    pub app: Application,
    pub dir: PathBuf,
    database: DatabaseUrl,
    accounts: Vec<accounts::Account>,
    /// Whether quiet hours apply (only when configured explicitly).
    quiet_hours: bool,
}

/// Prepares the sandbox in `dir` (the current directory when `None`).
pub async fn build(mut config: Config, dir: Option<PathBuf>) -> Result<Sandbox, SandboxError> {
    let dir = sandbox_dir(dir)?;
    let database = database_url(&config, &dir)?;
    let addr = config.http.addr;
    if !addr.ip().is_loopback() {
        return Err(SandboxError::NotLoopback(addr));
    }
    let key_file = dir.join(KEY_FILE);
    if !key_file.exists()
        && let Some(db) = sqlite_file(&database).filter(|db| db.exists())
    {
        // A new key could not read that database, and would be kept for every later start.
        return Err(SandboxError::KeyMissing { key: key_file, db });
    }
    let data_key = key::load_or_create(&key_file)?;
    let sim = Simulator::start_on(SANDBOX_TOKEN, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .map_err(SandboxError::Simulator)?;
    config.telegram.token = Some(BotToken::parse(SANDBOX_TOKEN).expect("a token-shaped string"));
    config.telegram.api_url = sim.api_url().parse().expect("the simulator's URL");
    config.security.data_key = Some(data_key);
    config.database.url = database.clone();
    // Sandbox accounts are for trying the dashboard; a second factor would only get in the way.
    config.dashboard.require_totp = false;
    // "Run now" at 22:00 should show its messages now, not at 08:00; an author who wants to
    // see quiet hours at work sets them explicitly.
    let quiet_hours = config.origins.contains_key("scheduler.quiet_hours");
    if !quiet_hours {
        let midnight = chrono::NaiveTime::MIN;
        config.scheduler.quiet_hours = (midnight, midnight);
    }
    let chats = chats::SimChats::new(sim, Some(roster::Roster::in_dir(&dir)));
    let app = Application::build_with(config, Some(Arc::new(chats))).await?;
    let accounts = accounts::ensure(app.store()).await?;
    Ok(Sandbox {
        app,
        dir,
        database,
        accounts,
        quiet_hours,
    })
}

fn sandbox_dir(dir: Option<PathBuf>) -> Result<PathBuf, SandboxError> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let failed = |source| SandboxError::Dir {
        path: dir.clone(),
        source,
    };
    std::fs::create_dir_all(&dir).map_err(failed)?;
    std::path::absolute(&dir).map_err(failed)
}

/// `qingfeng-sandbox.db` in the sandbox directory, unless a SQLite file of its own was named.
fn database_url(config: &Config, dir: &Path) -> Result<DatabaseUrl, SandboxError> {
    if config.origins.contains_key("database.url") {
        return match &config.database.url {
            DatabaseUrl::Postgres(_) => Err(SandboxError::Postgres),
            url if same_file(url, &DatabaseSection::default().url) => {
                Err(SandboxError::ProductionDefault(url.as_str().to_owned()))
            }
            url => Ok(url.clone()),
        };
    }
    let url = format!("sqlite://{}", dir.join(DATABASE_FILE).display());
    url.parse().map_err(|e: String| SandboxError::Dir {
        path: dir.to_owned(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, e),
    })
}

/// Whether two SQLite URLs name one file (`sqlite://qingfeng.db`, `sqlite:./qingfeng.db`, …).
fn same_file(a: &DatabaseUrl, b: &DatabaseUrl) -> bool {
    let absolute = |url| sqlite_file(url).and_then(|p| std::path::absolute(p).ok());
    match (absolute(a), absolute(b)) {
        (Some(a), Some(b)) => a.components().eq(b.components()),
        _ => false,
    }
}

/// The file of a `sqlite://PATH[?options]` URL.
fn sqlite_file(url: &DatabaseUrl) -> Option<PathBuf> {
    let DatabaseUrl::Sqlite(raw) = url else {
        return None;
    };
    let path = raw.strip_prefix("sqlite:")?.trim_start_matches("//");
    let path = path.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

impl Sandbox {
    /// The start-up lines: where to open the sandbox and how to sign in.
    pub fn banner(&self) -> String {
        let addr = self.app.http_addr();
        let mut out = format!(
            "Qingfeng sandbox (no Telegram: a simulated one runs inside this process)\n\
             open http://{addr}/sandbox\n"
        );
        let mut existing = Vec::new();
        for account in &self.accounts {
            match &account.new_password {
                Some(password) => out.push_str(&format!(
                    "sign in as {} ({}) with password {password}\n",
                    account.username, account.role
                )),
                None => existing.push(account.username),
            }
        }
        if existing.len() < self.accounts.len() {
            out.push_str("these passwords are shown only now; note them\n");
        }
        if !existing.is_empty() {
            out.push_str(&format!(
                "the accounts {} exist (their passwords were shown on first start); reset one with\n  \
                 echo NEW-PASSWORD | QINGFENG_DATABASE_URL={} qingfeng staff set-password --username {} --password-stdin\n",
                existing.join(" and "),
                self.database.as_str(),
                existing[0],
            ));
        }
        if !self.quiet_hours {
            out.push_str(
                "quiet hours are off in the sandbox (set scheduler.quiet_hours to try them)\n",
            );
        }
        out.push_str(&format!(
            "sandbox data: {} (key {KEY_FILE}); stop with Ctrl-C\n",
            self.database.as_str()
        ));
        out
    }
}
