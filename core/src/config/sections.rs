//! The configuration's sections, one struct per `[table]` of the file. Each section's `Default`
//! is the only place its defaults are written down: resolution starts from it, `check-config`
//! prints it as `default`, and the README table is checked against it. `[reports]` is
//! [`ReportSettings`](crate::reports::ReportSettings), whose `Default` lives with the reports.

use std::net::SocketAddr;

use chrono::NaiveTime;

use super::{BotToken, RankingPeriod};
use crate::crypto::DataKey;
use crate::store::DatabaseUrl;

pub const DEFAULT_API_URL: &str = "https://api.telegram.org";

/// `[telegram]`: how to reach the Bot API.
#[derive(Debug, Clone)]
pub struct TelegramSection {
    /// Optional here; `serve` needs it (see [`super::ServeConfig`]).
    pub token: Option<BotToken>,
    pub api_url: url::Url,
}

impl Default for TelegramSection {
    fn default() -> Self {
        TelegramSection {
            token: None,
            api_url: DEFAULT_API_URL.parse().expect("a valid URL"),
        }
    }
}

/// `[database]`.
#[derive(Debug, Clone)]
pub struct DatabaseSection {
    pub url: DatabaseUrl,
    pub max_connections: u32,
}

impl Default for DatabaseSection {
    fn default() -> Self {
        DatabaseSection {
            url: "sqlite://qingfeng.db"
                .parse()
                .expect("a valid database URL"),
            max_connections: 8,
        }
    }
}

/// `[http]`: where and how the dashboard is served.
#[derive(Debug, Clone)]
pub struct HttpSection {
    pub addr: SocketAddr,
    /// Dashboard cookies are marked `Secure` (set when it is served over HTTPS).
    pub secure_cookies: bool,
    /// The header a trusted reverse proxy puts the client's address in (lower case).
    pub client_ip_header: Option<String>,
}

impl Default for HttpSection {
    fn default() -> Self {
        HttpSection {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            secure_cookies: false,
            client_ip_header: None,
        }
    }
}

/// `[dashboard]`.
#[derive(Debug, Clone, Default)]
pub struct DashboardSection {
    /// Every dashboard account must use a TOTP second factor.
    pub require_totp: bool,
}

/// `[security]`.
#[derive(Debug, Clone, Default)]
pub struct SecuritySection {
    /// Optional here; `serve` needs it (see [`super::ServeConfig`]).
    pub data_key: Option<DataKey>,
}

/// `[scheduler]`. Its `time_zone` key sets the service's one time zone, which is held in
/// [`ReportSettings::time_zone`](crate::reports::ReportSettings) and read through
/// [`Config::time_zone`](super::Config::time_zone).
#[derive(Debug, Clone)]
pub struct SchedulerSection {
    /// Non-urgent reminders wait out these local hours (start, end).
    pub quiet_hours: (NaiveTime, NaiveTime),
    /// Overall send rate; Telegram allows about 30/s (1000/s with paid broadcasts).
    pub rate_per_second: f64,
}

impl Default for SchedulerSection {
    fn default() -> Self {
        let time = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("a valid hour");
        SchedulerSection {
            quiet_hours: (time(21), time(8)),
            rate_per_second: 30.0,
        }
    }
}

/// `[quiz]`.
#[derive(Debug, Clone)]
pub struct QuizSection {
    /// Questions per quiz.
    pub questions: usize,
    /// Only the first attempt in each period counts for rankings.
    pub ranking_period: RankingPeriod,
    /// Send questions as Telegram quiz polls instead of inline keyboards.
    pub polls: bool,
}

impl Default for QuizSection {
    fn default() -> Self {
        QuizSection {
            questions: 5,
            ranking_period: RankingPeriod::Week,
            polls: false,
        }
    }
}
