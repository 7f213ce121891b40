//! Configuration: built-in defaults, overridden by a TOML file, overridden by environment
//! variables. Every value is parsed into its type here, so the rest of the program never sees
//! a malformed URL or address. Errors name the key, where the value came from and what is
//! expected, and all of them are reported at once.

mod keys;
mod ranking;
mod raw;
mod resolve;
mod sections;

/// Re-exported: callers name it with the rest of the configuration.
pub use crate::store::DatabaseUrl;
pub use keys::{KEYS, Key, OTHER_ENV_VARS, known_env_vars};
pub use ranking::RankingPeriod;
pub use sections::{
    DEFAULT_API_URL, DashboardSection, DatabaseSection, HttpSection, QuizSection, SchedulerSection,
    SecuritySection, TelegramSection,
};

use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::crypto::DataKey;
use crate::domain::Language;
use crate::reports::ReportSettings;
use raw::RawConfig;

const DEFAULT_CONFIG_FILE: &str = "qingfeng.toml";

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

/// The effective configuration, one field per section of the file.
#[derive(Debug, Clone)]
pub struct Config {
    pub file: Option<PathBuf>,
    pub default_language: Language,
    pub content_dir: PathBuf,
    pub telegram: TelegramSection,
    pub database: DatabaseSection,
    pub http: HttpSection,
    pub dashboard: DashboardSection,
    pub security: SecuritySection,
    pub scheduler: SchedulerSection,
    pub quiz: QuizSection,
    /// `[reports]`. Its time zone and staff language are not keys of their own: they are set
    /// by `scheduler.time_zone` and `default_language`, and held only here.
    pub reports: ReportSettings,
    /// Where each key that is not a default came from.
    pub origins: BTreeMap<&'static str, Origin>,
}

impl Default for Config {
    /// Built-in defaults only: each section's `Default`, and the two top-level keys here.
    fn default() -> Self {
        let reports = ReportSettings::default();
        Config {
            file: None,
            default_language: reports.staff_language,
            content_dir: PathBuf::from("content"),
            telegram: TelegramSection::default(),
            database: DatabaseSection::default(),
            http: HttpSection::default(),
            dashboard: DashboardSection::default(),
            security: SecuritySection::default(),
            scheduler: SchedulerSection::default(),
            quiz: QuizSection::default(),
            reports,
            origins: BTreeMap::new(),
        }
    }
}

impl Config {
    /// The service's one time zone: schedules, quiet hours, report dates and deadlines, and the
    /// times on the dashboard are all local to it (the `scheduler.time_zone` key).
    pub fn time_zone(&self) -> chrono_tz::Tz {
        self.reports.time_zone
    }
}

/// What `serve` runs with: the configuration plus the two values it cannot do without.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub token: BotToken,
    pub data_key: DataKey,
    pub config: Config,
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
        resolve::resolve(file, &raw, env)
    }

    /// What `serve` needs beyond a well-formed file: a token and a data key.
    pub fn serve_problems(&self) -> Vec<ConfigProblem> {
        let mut problems = Vec::new();
        if self.telegram.token.is_none() {
            problems.push(ConfigProblem {
                key: "telegram.token".into(),
                origin: None,
                message: "no Telegram bot token is set. Create a bot by talking to @BotFather in \
                          Telegram (send /newbot), then set QINGFENG_TELEGRAM_TOKEN=<token> \
                          (or TELOXIDE_TOKEN, or telegram.token in qingfeng.toml)"
                    .into(),
            });
        }
        if self.security.data_key.is_none() {
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

    /// Checks what `serve` needs beyond a well-formed file, reporting both at once.
    pub fn for_serve(self) -> Result<ServeConfig, ConfigError> {
        let problems = self.serve_problems();
        match (self.telegram.token.clone(), self.security.data_key.clone()) {
            (Some(token), Some(data_key)) if problems.is_empty() => Ok(ServeConfig {
                token,
                data_key,
                config: self,
            }),
            _ => Err(ConfigError(problems)),
        }
    }

    /// The effective configuration as `key = value  # origin`, secrets redacted.
    pub fn redacted(&self) -> String {
        let mut out = match &self.file {
            Some(path) => format!("# configuration file: {}\n", path.display()),
            None => "# configuration file: none (built-in defaults and environment)\n".to_owned(),
        };
        for key in KEYS {
            let origin = self
                .origins
                .get(key.name)
                .map_or_else(|| "default".to_owned(), ToString::to_string);
            let _ = writeln!(out, "{} = {}  # {origin}", key.name, (key.show)(self));
        }
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
