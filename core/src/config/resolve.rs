//! Turning the raw file plus environment variables into a typed [`Config`], key by key.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use super::raw::RawConfig;
use super::{
    BotToken, Config, ConfigError, ConfigProblem, DEFAULT_API_URL, DEFAULT_DATABASE_URL,
    DEFAULT_HTTP_ADDR, ENV_VARS, Env, Origin, RankingPeriod,
};
use crate::crypto::DataKey;
use crate::domain::Language;
use crate::domain::ReportStatus;
use crate::reports::{ReportSettings, Retention};

/// Applies the layers key by key, collecting every problem instead of stopping at the first.
pub(super) struct Resolver<'a> {
    file: Option<PathBuf>,
    env: &'a dyn Env,
    origins: BTreeMap<&'static str, Origin>,
    problems: Vec<ConfigProblem>,
}

impl<'a> Resolver<'a> {
    pub(super) fn new(file: Option<PathBuf>, env: &'a dyn Env) -> Self {
        Resolver {
            file,
            env,
            origins: BTreeMap::new(),
            problems: Vec::new(),
        }
    }

    /// The winning raw value for `key`: the first set environment variable, else the file.
    fn pick(
        &mut self,
        key: &'static str,
        env_names: &[&'static str],
        from_file: Option<String>,
    ) -> Option<String> {
        for name in env_names {
            if let Some(value) = self.env.get(name) {
                self.origins.insert(key, Origin::Env(name));
                return Some(value);
            }
        }
        let value = from_file?;
        self.origins
            .insert(key, Origin::File(self.file.clone().unwrap_or_default()));
        Some(value)
    }

    /// Parses the winning value, or the default when nothing set it.
    fn parse<T>(
        &mut self,
        key: &'static str,
        env_names: &[&'static str],
        from_file: Option<String>,
        default: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        let value = self.pick(key, env_names, from_file);
        let (text, origin) = match value {
            Some(v) => (v, self.origins.get(key).cloned()),
            None => (default.to_owned(), Some(Origin::Default)),
        };
        match parse(&text) {
            Ok(parsed) => Some(parsed),
            Err(message) => {
                self.problems.push(ConfigProblem {
                    key: key.into(),
                    origin,
                    message,
                });
                None
            }
        }
    }

    fn parse_optional<T>(
        &mut self,
        key: &'static str,
        env_names: &[&'static str],
        from_file: Option<String>,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = self.pick(key, env_names, from_file)?;
        match parse(&text) {
            Ok(parsed) => Some(parsed),
            Err(message) => {
                let origin = self.origins.get(key).cloned();
                self.problems.push(ConfigProblem {
                    key: key.into(),
                    origin,
                    message,
                });
                None
            }
        }
    }

    fn check_unknown_env(&mut self) {
        let mut names = self.env.names();
        names.sort();
        for name in names {
            if name.starts_with("QINGFENG_") && !ENV_VARS.contains(&name.as_str()) {
                self.problems.push(ConfigProblem {
                    key: name,
                    origin: None,
                    message: format!(
                        "unknown environment variable; known ones are {}",
                        ENV_VARS.join(", ")
                    ),
                });
            }
        }
    }

    pub(super) fn resolve(mut self, raw: RawConfig) -> Result<Config, ConfigError> {
        self.check_unknown_env();
        let token = self.parse_optional(
            "telegram.token",
            &["QINGFENG_TELEGRAM_TOKEN", "TELOXIDE_TOKEN"],
            raw.telegram.token,
            BotToken::parse,
        );
        let api_url = self.parse(
            "telegram.api_url",
            &["QINGFENG_TELEGRAM_API_URL"],
            raw.telegram.api_url,
            DEFAULT_API_URL,
            parse_api_url,
        );
        let database_url = self.parse(
            "database.url",
            &["QINGFENG_DATABASE_URL"],
            raw.database.url,
            DEFAULT_DATABASE_URL,
            str::parse,
        );
        let max_connections = self.parse(
            "database.max_connections",
            &[],
            raw.database.max_connections.map(|n| n.to_string()),
            "8",
            |s| match s.parse::<u32>() {
                Ok(n) if (1..=1000).contains(&n) => Ok(n),
                _ => Err(format!("`{s}` is not a number from 1 to 1000")),
            },
        );
        let http_addr = self.parse(
            "http.addr",
            &["QINGFENG_HTTP_ADDR"],
            raw.http.addr,
            DEFAULT_HTTP_ADDR,
            |s| {
                s.parse::<SocketAddr>().map_err(|_| {
                    format!("`{s}` is not an address; expected IP:PORT such as 127.0.0.1:8080")
                })
            },
        );
        let data_key = self.parse_optional(
            "security.data_key",
            &["QINGFENG_DATA_KEY"],
            raw.security.data_key,
            |s| s.parse::<DataKey>().map_err(|e| e.to_string()),
        );
        let default_language = self.parse(
            "default_language",
            &[],
            raw.default_language,
            Language::ZhCn.tag(),
            str::parse,
        );
        let content_dir = self.parse("content_dir", &[], raw.content_dir, "content", |s| {
            Ok(PathBuf::from(s))
        });
        let time_zone = self.parse(
            "scheduler.time_zone",
            &[],
            raw.scheduler.time_zone,
            "Asia/Shanghai",
            |s| {
                s.parse::<chrono_tz::Tz>().map_err(|_| {
                    format!("`{s}` is not a time zone; expected an IANA name such as Asia/Shanghai")
                })
            },
        );
        let quiet_hours = self.parse(
            "scheduler.quiet_hours",
            &[],
            raw.scheduler.quiet_hours,
            "21:00-08:00",
            parse_quiet_hours,
        );
        let quiz_questions = self.parse(
            "quiz.questions",
            &[],
            raw.quiz.questions.map(|n| n.to_string()),
            "5",
            |s| match s.parse::<usize>() {
                Ok(n) if (1..=20).contains(&n) => Ok(n),
                _ => Err(format!("`{s}` is not a number of questions from 1 to 20")),
            },
        );
        let quiz_period = self.parse(
            "quiz.ranking_period",
            &[],
            raw.quiz.ranking_period,
            "week",
            |s| match s {
                "week" => Ok(RankingPeriod::Week),
                "month" => Ok(RankingPeriod::Month),
                _ => Err(format!(
                    "`{s}` is not a ranking period; expected `week` or `month`"
                )),
            },
        );
        // Booleans go through the resolver too, so `check-config` names where they came from.
        let quiz_polls = self.parse(
            "quiz.polls",
            &[],
            raw.quiz.polls.map(|b| b.to_string()),
            "false",
            parse_bool,
        );
        let secure_cookies = self.parse(
            "http.secure_cookies",
            &[],
            raw.http.secure_cookies.map(|b| b.to_string()),
            "false",
            parse_bool,
        );
        let require_totp = self.parse(
            "dashboard.require_totp",
            &[],
            raw.dashboard.require_totp.map(|b| b.to_string()),
            "false",
            parse_bool,
        );
        let client_ip_header = self.parse_optional(
            "http.client_ip_header",
            &[],
            raw.http.client_ip_header.clone(),
            |s| {
                let name = s.trim();
                if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    Ok(name.to_ascii_lowercase())
                } else {
                    Err(format!(
                        "`{s}` is not an HTTP header name (e.g. X-Real-IP or X-Forwarded-For)"
                    ))
                }
            },
        );
        let rate_per_second = self.parse(
            "scheduler.rate_per_second",
            &[],
            raw.scheduler.rate_per_second.map(|r| r.to_string()),
            "30",
            |s| match s.parse::<f64>() {
                Ok(r) if (0.1..=1000.0).contains(&r) => Ok(r),
                _ => Err(format!(
                    "`{s}` is not a rate from 0.1 to 1000 messages per second"
                )),
            },
        );
        let mut count =
            |key: &'static str,
             value: Option<u32>,
             default: &str,
             range: std::ops::RangeInclusive<u32>| {
                self.parse(key, &[], value.map(|n| n.to_string()), default, |s| match s
                    .parse::<u32>()
                {
                    Ok(n) if range.contains(&n) => Ok(n),
                    _ => Err(format!(
                        "`{s}` is not a whole number from {} to {}",
                        range.start(),
                        range.end()
                    )),
                })
            };
        let r = &raw.reports;
        let acceptance = count(
            "reports.acceptance_working_days",
            r.acceptance_working_days,
            "15",
            1..=60,
        );
        let forward = count(
            "reports.forward_working_days",
            r.forward_working_days,
            "5",
            1..=60,
        );
        let result = count(
            "reports.result_working_days",
            r.result_working_days,
            "15",
            1..=60,
        );
        let warn = count(
            "reports.warn_working_days",
            r.warn_working_days,
            "3",
            0..=30,
        );
        let daily_limit = count("reports.daily_limit", r.daily_limit, "3", 1..=100);
        let draft_hours = count("reports.draft_hours", r.draft_hours, "24", 1..=168);
        let wrong_codes = count(
            "reports.wrong_codes_per_hour",
            r.wrong_codes_per_hour,
            "5",
            1..=100,
        );
        let wrong_codes_global = count(
            "reports.wrong_codes_global_per_hour",
            r.wrong_codes_global_per_hour,
            "200",
            1..=100_000,
        );
        // 0 (the default) keeps content; see `reports::retention`.
        let purge = [
            (
                ReportStatus::Closed,
                count(
                    "reports.purge_closed_after_days",
                    r.purge_closed_after_days,
                    "0",
                    0..=36_500,
                ),
            ),
            (
                ReportStatus::NotAccepted,
                count(
                    "reports.purge_not_accepted_after_days",
                    r.purge_not_accepted_after_days,
                    "0",
                    0..=36_500,
                ),
            ),
            (
                ReportStatus::Transferred,
                count(
                    "reports.purge_transferred_after_days",
                    r.purge_transferred_after_days,
                    "0",
                    0..=36_500,
                ),
            ),
        ];

        if !self.problems.is_empty() {
            return Err(ConfigError(self.problems));
        }
        let missing = "every required value was parsed or reported above";
        let after: Vec<(ReportStatus, u32)> = purge
            .iter()
            .filter_map(|(status, days)| days.filter(|d| *d > 0).map(|d| (*status, d)))
            .collect();
        let retention = Retention::new(&after).expect("final statuses and positive days");
        Ok(Config {
            file: self.file,
            telegram_token: token,
            telegram_api_url: api_url.expect(missing),
            database_url: database_url.expect(missing),
            database_max_connections: max_connections.expect(missing),
            http_addr: http_addr.expect(missing),
            secure_cookies: secure_cookies.expect(missing),
            client_ip_header,
            require_totp: require_totp.expect(missing),
            data_key,
            default_language: default_language.expect(missing),
            content_dir: content_dir.expect(missing),
            time_zone: time_zone.expect(missing),
            quiet_hours: quiet_hours.expect(missing),
            rate_per_second: rate_per_second.expect(missing),
            quiz_questions: quiz_questions.expect(missing),
            quiz_period: quiz_period.expect(missing),
            quiz_polls: quiz_polls.expect(missing),
            reports: ReportSettings {
                time_zone: time_zone.expect(missing),
                staff_language: default_language.expect(missing),
                acceptance_working_days: acceptance.expect(missing),
                forward_working_days: forward.expect(missing),
                result_working_days: result.expect(missing),
                warn_working_days: warn.expect(missing),
                daily_limit: daily_limit.expect(missing),
                draft_ttl: std::time::Duration::from_secs(
                    u64::from(draft_hours.expect(missing)) * 3600,
                ),
                wrong_codes_per_user: wrong_codes.expect(missing),
                wrong_codes_global: wrong_codes_global.expect(missing),
                retention,
            },
            origins: self.origins,
        })
    }
}

fn parse_bool(s: &str) -> Result<bool, String> {
    s.parse()
        .map_err(|_| format!("`{s}` is not `true` or `false`"))
}

fn parse_quiet_hours(s: &str) -> Result<(chrono::NaiveTime, chrono::NaiveTime), String> {
    let expected = || format!("`{s}` is not a range of local times like 21:00-08:00");
    let (start, end) = s.split_once('-').ok_or_else(expected)?;
    let time =
        |t: &str| chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| expected());
    Ok((time(start)?, time(end)?))
}

fn parse_api_url(s: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(s)
        .map_err(|e| format!("`{s}` is not a URL ({e}); expected e.g. {DEFAULT_API_URL}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "`{s}` is not an http(s) URL; expected e.g. {DEFAULT_API_URL}"
        ));
    }
    Ok(url)
}
