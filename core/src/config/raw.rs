//! The configuration file exactly as written: every key optional, unknown keys rejected
//! (a typo must not silently fall back to a default). `Serialize` is only there so a test can list
//! every field and hold each to a row of the key table.

use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub default_language: Option<String>,
    pub content_dir: Option<String>,
    #[serde(default)]
    pub telegram: RawTelegram,
    #[serde(default)]
    pub database: RawDatabase,
    #[serde(default)]
    pub http: RawHttp,
    #[serde(default)]
    pub security: RawSecurity,
    #[serde(default)]
    pub scheduler: RawScheduler,
    #[serde(default)]
    pub quiz: RawQuiz,
    #[serde(default)]
    pub reports: RawReports,
    #[serde(default)]
    pub dashboard: RawDashboard,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawDashboard {
    pub require_totp: Option<bool>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTelegram {
    pub token: Option<String>,
    pub api_url: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawDatabase {
    pub url: Option<String>,
    pub max_connections: Option<u32>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawHttp {
    pub addr: Option<String>,
    pub secure_cookies: Option<bool>,
    pub client_ip_header: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSecurity {
    pub data_key: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawScheduler {
    pub time_zone: Option<String>,
    pub quiet_hours: Option<String>,
    pub rate_per_second: Option<f64>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuiz {
    pub questions: Option<u32>,
    pub ranking_period: Option<String>,
    pub polls: Option<bool>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawReports {
    pub acceptance_working_days: Option<u32>,
    pub forward_working_days: Option<u32>,
    pub result_working_days: Option<u32>,
    pub warn_working_days: Option<u32>,
    pub daily_limit: Option<u32>,
    pub draft_hours: Option<u32>,
    pub wrong_codes_per_hour: Option<u32>,
    pub wrong_codes_global_per_hour: Option<u32>,
    pub purge_closed_after_days: Option<u32>,
    pub purge_not_accepted_after_days: Option<u32>,
    pub purge_transferred_after_days: Option<u32>,
}
