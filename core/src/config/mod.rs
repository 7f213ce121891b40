//! Configuration: built-in defaults, overridden by a TOML file, overridden by environment
//! variables. Every value is parsed into its type here, so the rest of the program never sees
//! a malformed URL or address. Errors name the key, where the value came from and what is
//! expected, and all of them are reported at once.

mod raw;
mod resolve;

/// Re-exported: callers name it with the rest of the configuration.
pub use crate::store::DatabaseUrl;

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::crypto::DataKey;
use crate::domain::{Language, ReportStatus};
use raw::RawConfig;

pub const DEFAULT_API_URL: &str = "https://api.telegram.org";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://qingfeng.db";
pub const DEFAULT_HTTP_ADDR: &str = "127.0.0.1:8080";
const DEFAULT_CONFIG_FILE: &str = "qingfeng.toml";

/// Environment variables the service reads. Any other `QINGFENG_*` variable is a typo.
pub const ENV_VARS: [&str; 7] = [
    "QINGFENG_CONFIG",
    "QINGFENG_TELEGRAM_TOKEN",
    "QINGFENG_TELEGRAM_API_URL",
    "QINGFENG_DATABASE_URL",
    "QINGFENG_HTTP_ADDR",
    "QINGFENG_DATA_KEY",
    "QINGFENG_LOG",
];

/// Where a value came from, shown by `check-config` so an operator knows what to edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File(PathBuf),
    Env(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File(path) => write!(f, "file {}", path.display()),
            Origin::Env(name) => write!(f, "env {name}"),
        }
    }
}

/// A Telegram bot token (`NUMBER:SECRET` from @BotFather). `Debug` and `Display` redact it.
#[derive(Clone, PartialEq, Eq)]
pub struct BotToken(String);

impl BotToken {
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let looks_right = s.split_once(':').is_some_and(|(id, secret)| {
            !id.is_empty()
                && id.chars().all(|c| c.is_ascii_digit())
                && secret.len() >= 20
                && secret
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
        if looks_right {
            Ok(BotToken(s.to_owned()))
        } else {
            Err("this does not look like a bot token; expected NUMBER:SECRET as @BotFather gives it".into())
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BotToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.0.split(':').next().unwrap_or_default();
        write!(f, "{id}:<redacted>")
    }
}

impl fmt::Debug for BotToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BotToken({self})")
    }
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub file: Option<PathBuf>,
    pub telegram_token: Option<BotToken>,
    pub telegram_api_url: url::Url,
    pub database_url: DatabaseUrl,
    pub database_max_connections: u32,
    pub http_addr: SocketAddr,
    /// Dashboard cookies are marked `Secure` (set when it is served over HTTPS).
    pub secure_cookies: bool,
    /// The header a trusted reverse proxy puts the client's address in (lower case).
    pub client_ip_header: Option<String>,
    /// Every dashboard account must use a TOTP second factor.
    pub require_totp: bool,
    pub data_key: Option<DataKey>,
    pub default_language: Language,
    pub content_dir: PathBuf,
    /// Schedules are evaluated, and quiet hours kept, in this zone.
    pub time_zone: chrono_tz::Tz,
    /// Non-urgent reminders wait out these local hours (start, end).
    pub quiet_hours: (chrono::NaiveTime, chrono::NaiveTime),
    /// Overall send rate; Telegram allows about 30/s (1000/s with paid broadcasts).
    pub rate_per_second: f64,
    /// Questions per quiz.
    pub quiz_questions: usize,
    /// Only the first attempt in each period counts for rankings.
    pub quiz_period: RankingPeriod,
    /// Send questions as Telegram quiz polls instead of inline keyboards.
    pub quiz_polls: bool,
    /// Report deadlines and limits (`[reports]`).
    pub reports: crate::reports::ReportSettings,
    pub origins: BTreeMap<&'static str, Origin>,
}

/// The period over which quiz rankings are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankingPeriod {
    Week,
    Month,
}

impl RankingPeriod {
    /// The period's label for a local date: `2026-W48` (ISO week) or `2026-11`.
    pub fn label(self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        match self {
            RankingPeriod::Week => {
                let week = date.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            RankingPeriod::Month => format!("{}-{:02}", date.year(), date.month()),
        }
    }

    /// The period around a local date as people say it: 本周（12月1日—7日）, This week (1–7 Dec),
    /// 本月（12月）, This month (December). The label above is for storage only.
    pub fn describe(self, date: chrono::NaiveDate, lang: crate::Language) -> String {
        use crate::Language;
        use chrono::Datelike;
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        const MONTH_NAMES: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match self {
            RankingPeriod::Week => {
                let monday =
                    date - chrono::Days::new(u64::from(date.weekday().num_days_from_monday()));
                let sunday = monday + chrono::Days::new(6);
                let same_month = monday.month() == sunday.month();
                match (lang, same_month) {
                    (Language::ZhCn, true) => format!(
                        "本周（{}月{}日—{}日）",
                        monday.month(),
                        monday.day(),
                        sunday.day()
                    ),
                    (Language::ZhCn, false) => format!(
                        "本周（{}月{}日—{}月{}日）",
                        monday.month(),
                        monday.day(),
                        sunday.month(),
                        sunday.day()
                    ),
                    (Language::En, true) => format!(
                        "This week ({}–{} {})",
                        monday.day(),
                        sunday.day(),
                        MONTHS[sunday.month0() as usize]
                    ),
                    (Language::En, false) => format!(
                        "This week ({} {} – {} {})",
                        monday.day(),
                        MONTHS[monday.month0() as usize],
                        sunday.day(),
                        MONTHS[sunday.month0() as usize]
                    ),
                }
            }
            RankingPeriod::Month => match lang {
                Language::ZhCn => format!("本月（{}月）", date.month()),
                Language::En => format!("This month ({})", MONTH_NAMES[date.month0() as usize]),
            },
        }
    }
}

/// One thing wrong with the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub key: String,
    pub origin: Option<Origin>,
    pub message: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.origin {
            Some(origin) => write!(f, "{} (from {origin}): {}", self.key, self.message),
            None => write!(f, "{}: {}", self.key, self.message),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub struct ConfigError(pub Vec<ConfigProblem>);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the configuration has {} problem(s):", self.0.len())?;
        for problem in &self.0 {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

/// Reads environment variables; a function so tests need not touch the process environment.
pub trait Env {
    fn get(&self, name: &str) -> Option<String>;
    /// Names of all variables, to spot misspelt `QINGFENG_*` ones.
    fn names(&self) -> Vec<String>;
}

pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
    fn names(&self) -> Vec<String> {
        std::env::vars_os()
            .filter_map(|(k, _)| k.into_string().ok())
            .collect()
    }
}

impl<S: std::hash::BuildHasher> Env for std::collections::HashMap<String, String, S> {
    fn get(&self, name: &str) -> Option<String> {
        std::collections::HashMap::get(self, name)
            .cloned()
            .filter(|v| !v.is_empty())
    }
    fn names(&self) -> Vec<String> {
        self.keys().cloned().collect()
    }
}

impl Config {
    /// Loads from `--config PATH`, else `QINGFENG_CONFIG`, else `./qingfeng.toml` when present,
    /// else defaults only; then applies environment overrides.
    pub fn load(explicit: Option<&Path>, env: &dyn Env) -> Result<Config, ConfigError> {
        let file = match explicit {
            Some(path) => Some(path.to_path_buf()),
            None => match env.get("QINGFENG_CONFIG") {
                Some(path) => Some(PathBuf::from(path)),
                None => Path::new(DEFAULT_CONFIG_FILE)
                    .is_file()
                    .then(|| PathBuf::from(DEFAULT_CONFIG_FILE)),
            },
        };
        let raw = match &file {
            Some(path) => read_file(path)?,
            None => RawConfig::default(),
        };
        resolve::Resolver::new(file, env).resolve(raw)
    }

    /// What `serve` needs beyond a well-formed file: a token and a data key.
    pub fn serve_problems(&self) -> Vec<ConfigProblem> {
        let mut problems = Vec::new();
        if self.telegram_token.is_none() {
            problems.push(ConfigProblem {
                key: "telegram.token".into(),
                origin: None,
                message: "no Telegram bot token is set. Create a bot by talking to @BotFather in \
                          Telegram (send /newbot), then set QINGFENG_TELEGRAM_TOKEN=<token> \
                          (or TELOXIDE_TOKEN, or telegram.token in qingfeng.toml)"
                    .into(),
            });
        }
        if self.data_key.is_none() {
            problems.push(ConfigProblem {
                key: "security.data_key".into(),
                origin: None,
                message: "no data key is set; it encrypts conversation state and reports at rest. \
                          Generate one once with `head -c 32 /dev/urandom | base64`, keep it safe \
                          and set QINGFENG_DATA_KEY=<key> (or security.data_key in qingfeng.toml)"
                    .into(),
            });
        }
        problems
    }

    /// The effective configuration as `key = value  # origin`, secrets redacted.
    pub fn redacted(&self) -> String {
        let origin = |key: &str| {
            self.origins
                .get(key)
                .map_or_else(|| "default".to_owned(), ToString::to_string)
        };
        let mut out = match &self.file {
            Some(path) => format!("# configuration file: {}\n", path.display()),
            None => "# configuration file: none (built-in defaults and environment)\n".to_owned(),
        };
        let mut line = |key: &str, value: String| {
            out.push_str(&format!("{key} = {value}  # {}\n", origin(key)));
        };
        line(
            "default_language",
            format!("{:?}", self.default_language.tag()),
        );
        line(
            "content_dir",
            format!("{:?}", self.content_dir.display().to_string()),
        );
        line(
            "telegram.token",
            self.telegram_token
                .as_ref()
                .map_or_else(|| "(not set)".into(), |t| format!("{:?}", t.to_string())),
        );
        line(
            "telegram.api_url",
            format!("{:?}", self.telegram_api_url.as_str()),
        );
        line(
            "database.url",
            format!("{:?}", self.database_url.to_string()),
        );
        line(
            "database.max_connections",
            self.database_max_connections.to_string(),
        );
        line("http.addr", format!("{:?}", self.http_addr.to_string()));
        line("http.secure_cookies", self.secure_cookies.to_string());
        line(
            "http.client_ip_header",
            format!("{:?}", self.client_ip_header.as_deref().unwrap_or("")),
        );
        line("dashboard.require_totp", self.require_totp.to_string());
        line(
            "scheduler.time_zone",
            format!("{:?}", self.time_zone.name()),
        );
        line(
            "scheduler.quiet_hours",
            format!(
                "\"{}-{}\"",
                self.quiet_hours.0.format("%H:%M"),
                self.quiet_hours.1.format("%H:%M")
            ),
        );
        line(
            "scheduler.rate_per_second",
            self.rate_per_second.to_string(),
        );
        line("quiz.questions", self.quiz_questions.to_string());
        line(
            "quiz.ranking_period",
            format!(
                "{:?}",
                match self.quiz_period {
                    RankingPeriod::Week => "week",
                    RankingPeriod::Month => "month",
                }
            ),
        );
        line("quiz.polls", self.quiz_polls.to_string());
        let r = &self.reports;
        for (key, value) in [
            ("reports.acceptance_working_days", r.acceptance_working_days),
            ("reports.forward_working_days", r.forward_working_days),
            ("reports.result_working_days", r.result_working_days),
            ("reports.warn_working_days", r.warn_working_days),
            ("reports.daily_limit", r.daily_limit),
            ("reports.wrong_codes_per_hour", r.wrong_codes_per_user),
            ("reports.wrong_codes_global_per_hour", r.wrong_codes_global),
        ] {
            line(key, value.to_string());
        }
        line(
            "reports.draft_hours",
            (r.draft_ttl.as_secs() / 3600).to_string(),
        );
        for (key, status) in [
            ("reports.purge_closed_after_days", ReportStatus::Closed),
            (
                "reports.purge_not_accepted_after_days",
                ReportStatus::NotAccepted,
            ),
            (
                "reports.purge_transferred_after_days",
                ReportStatus::Transferred,
            ),
        ] {
            let days = r.retention.days_after(status);
            line(key, days.map_or("0 (off)".into(), |d| d.to_string()));
        }
        line(
            "security.data_key",
            if self.data_key.is_some() {
                "\"<redacted>\"".into()
            } else {
                "(not set)".into()
            },
        );
        out
    }
}

fn read_file(path: &Path) -> Result<RawConfig, ConfigError> {
    let problem = |message: String| {
        ConfigError(vec![ConfigProblem {
            key: path.display().to_string(),
            origin: None,
            message,
        }])
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| problem(format!("cannot read the configuration file: {e}")))?;
    toml::from_str(&text).map_err(|e| problem(format!("invalid configuration: {e}")))
}

#[cfg(test)]
mod tests;
