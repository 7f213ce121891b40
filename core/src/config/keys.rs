//! The one table of configuration keys. Resolution walks it (environment, then file, else the
//! section's default), `check-config` prints it, and tests check the README table and
//! `qingfeng.toml.example` against it, so a key cannot be added in one place and missed in another.

use std::net::SocketAddr;
use std::path::PathBuf;

use super::raw::RawConfig;
use super::sections::DEFAULT_API_URL;
use super::{BotToken, Config, RankingPeriod};
use crate::crypto::DataKey;
use crate::domain::ReportStatus;

/// One configuration key.
pub struct Key {
    /// The dotted name: `section.key` in the file, and in `check-config` and error messages.
    pub name: &'static str,
    /// Environment variables that override the file, first set one wins.
    pub env: &'static [&'static str],
    /// What it means, for the README's table.
    pub meaning: &'static str,
    /// The value as written in the file, if it is there.
    pub(super) file: fn(&RawConfig) -> Option<String>,
    /// Parses a value into its field; the error says what is expected.
    pub(super) set: fn(&mut Config, &str) -> Result<(), String>,
    /// The field as `check-config` prints it, secrets redacted.
    pub(super) show: fn(&Config) -> String,
}

/// Environment variables that are not keys: the file's path and the log filter.
pub const OTHER_ENV_VARS: [&str; 2] = ["QINGFENG_CONFIG", "QINGFENG_LOG"];

/// Every `QINGFENG_*` variable the service reads; any other is a typo.
pub fn known_env_vars() -> Vec<&'static str> {
    let mut names = vec![OTHER_ENV_VARS[0]];
    names.extend(KEYS.iter().flat_map(|k| k.env.iter().copied()));
    names.retain(|n| n.starts_with("QINGFENG_"));
    names.push(OTHER_ENV_VARS[1]);
    names
}

fn quoted(s: impl std::fmt::Display) -> String {
    format!("{:?}", s.to_string())
}

fn text<T: ToString>(value: &Option<T>) -> Option<String> {
    value.as_ref().map(ToString::to_string)
}

fn parse_bool(s: &str) -> Result<bool, String> {
    s.parse()
        .map_err(|_| format!("`{s}` is not `true` or `false`"))
}

fn count(s: &str, range: std::ops::RangeInclusive<u32>) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(format!(
            "`{s}` is not a whole number from {} to {}",
            range.start(),
            range.end()
        )),
    }
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

fn parse_quiet_hours(s: &str) -> Result<(chrono::NaiveTime, chrono::NaiveTime), String> {
    let expected = || format!("`{s}` is not a range of local times like 21:00-08:00");
    let (start, end) = s.split_once('-').ok_or_else(expected)?;
    let time =
        |t: &str| chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| expected());
    Ok((time(start)?, time(end)?))
}

fn parse_header(s: &str) -> Result<String, String> {
    let name = s.trim();
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Ok(name.to_ascii_lowercase())
    } else {
        Err(format!(
            "`{s}` is not an HTTP header name (e.g. X-Real-IP or X-Forwarded-For)"
        ))
    }
}

/// A `reports.*` count: the raw field, where it goes, and its range.
macro_rules! report_count {
    ($name:literal, $raw:ident, $field:ident, $range:expr, $meaning:literal) => {
        Key {
            name: $name,
            env: &[],
            meaning: $meaning,
            file: |r| text(&r.reports.$raw),
            set: |c, s| {
                c.reports.$field = count(s, $range)?;
                Ok(())
            },
            show: |c| c.reports.$field.to_string(),
        }
    };
}

/// A `reports.purge_*_after_days` key for one final status (0, the default, keeps content).
macro_rules! purge_days {
    ($name:literal, $raw:ident, $status:expr, $meaning:literal) => {
        Key {
            name: $name,
            env: &[],
            meaning: $meaning,
            file: |r| text(&r.reports.$raw),
            set: |c, s| {
                c.reports.retention.set($status, count(s, 0..=36_500)?);
                Ok(())
            },
            show: |c| {
                c.reports
                    .retention
                    .days_after($status)
                    .map_or("0 (off)".into(), |d| d.to_string())
            },
        }
    };
}

pub const KEYS: &[Key] = &[
    Key {
        name: "default_language",
        env: &[],
        meaning: "for users whose Telegram language is neither Chinese nor English; staff alerts are written in it",
        file: |r| r.default_language.clone(),
        set: |c, s| {
            c.default_language = s.parse()?;
            // Staff alerts follow the default language; it is held once, here.
            c.reports.staff_language = c.default_language;
            Ok(())
        },
        show: |c| quoted(c.default_language.tag()),
    },
    Key {
        name: "content_dir",
        env: &[],
        meaning: "imported at `serve` start when the database has no regions; when the folder is missing (a packaged install), the content built into the binary is imported instead",
        file: |r| r.content_dir.clone(),
        set: |c, s| {
            c.content_dir = PathBuf::from(s);
            Ok(())
        },
        show: |c| quoted(c.content_dir.display()),
    },
    Key {
        name: "telegram.token",
        env: &["QINGFENG_TELEGRAM_TOKEN", "TELOXIDE_TOKEN"],
        meaning: "bot token from @BotFather (required by `serve`)",
        file: |r| r.telegram.token.clone(),
        set: |c, s| {
            c.telegram.token = Some(BotToken::parse(s)?);
            Ok(())
        },
        show: |c| text(&c.telegram.token).map_or("(not set)".into(), quoted),
    },
    Key {
        name: "telegram.api_url",
        env: &["QINGFENG_TELEGRAM_API_URL"],
        meaning: "Bot API server (tests point it at a fake)",
        file: |r| r.telegram.api_url.clone(),
        set: |c, s| {
            c.telegram.api_url = parse_api_url(s)?;
            Ok(())
        },
        show: |c| quoted(&c.telegram.api_url),
    },
    Key {
        name: "database.url",
        env: &["QINGFENG_DATABASE_URL"],
        meaning: "`sqlite://PATH` or `postgres://USER:PASSWORD@HOST:PORT/DB`",
        file: |r| r.database.url.clone(),
        set: |c, s| {
            c.database.url = s.parse()?;
            Ok(())
        },
        show: |c| quoted(&c.database.url),
    },
    Key {
        name: "database.max_connections",
        env: &[],
        meaning: "pool size (1–1000)",
        file: |r| text(&r.database.max_connections),
        set: |c, s| {
            c.database.max_connections =
                s.parse::<u32>()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| format!("`{s}` is not a number from 1 to 1000"))?;
            Ok(())
        },
        show: |c| c.database.max_connections.to_string(),
    },
    Key {
        name: "http.addr",
        env: &["QINGFENG_HTTP_ADDR"],
        meaning: "dashboard address",
        file: |r| r.http.addr.clone(),
        set: |c, s| {
            c.http.addr = s.parse::<SocketAddr>().map_err(|_| {
                format!("`{s}` is not an address; expected IP:PORT such as 127.0.0.1:8080")
            })?;
            Ok(())
        },
        show: |c| quoted(c.http.addr),
    },
    Key {
        name: "http.secure_cookies",
        env: &[],
        meaning: "mark dashboard cookies `Secure`: set it when the dashboard is served over HTTPS (e.g. behind a reverse proxy)",
        file: |r| text(&r.http.secure_cookies),
        set: |c, s| {
            c.http.secure_cookies = parse_bool(s)?;
            Ok(())
        },
        show: |c| c.http.secure_cookies.to_string(),
    },
    Key {
        name: "http.client_ip_header",
        env: &[],
        meaning: "behind a reverse proxy, the header it puts the client's address in (e.g. `X-Real-IP`), for the per-address sign-in limit; only set it when the proxy always sets (overwrites) that header",
        file: |r| r.http.client_ip_header.clone(),
        set: |c, s| {
            c.http.client_ip_header = Some(parse_header(s)?);
            Ok(())
        },
        show: |c| quoted(c.http.client_ip_header.as_deref().unwrap_or("")),
    },
    Key {
        name: "dashboard.require_totp",
        env: &[],
        meaning: "every dashboard account must set up a TOTP second factor before using the dashboard",
        file: |r| text(&r.dashboard.require_totp),
        set: |c, s| {
            c.dashboard.require_totp = parse_bool(s)?;
            Ok(())
        },
        show: |c| c.dashboard.require_totp.to_string(),
    },
    Key {
        name: "scheduler.time_zone",
        env: &[],
        meaning: "the service's time zone: schedules, quiet hours, report dates and deadlines, times on the dashboard",
        file: |r| r.scheduler.time_zone.clone(),
        set: |c, s| {
            c.reports.time_zone = s.parse::<chrono_tz::Tz>().map_err(|_| {
                format!("`{s}` is not a time zone; expected an IANA name such as Asia/Shanghai")
            })?;
            Ok(())
        },
        show: |c| quoted(c.time_zone().name()),
    },
    Key {
        name: "scheduler.quiet_hours",
        env: &[],
        meaning: "non-urgent reminders wait until the end",
        file: |r| r.scheduler.quiet_hours.clone(),
        set: |c, s| {
            c.scheduler.quiet_hours = parse_quiet_hours(s)?;
            Ok(())
        },
        show: |c| {
            let (start, end) = c.scheduler.quiet_hours;
            quoted(format!("{}-{}", start.format("%H:%M"), end.format("%H:%M")))
        },
    },
    Key {
        name: "scheduler.rate_per_second",
        env: &[],
        meaning: "overall send rate (Telegram: ~30/s; up to 1000/s with paid broadcasts)",
        file: |r| text(&r.scheduler.rate_per_second),
        set: |c, s| {
            c.scheduler.rate_per_second = s
                .parse::<f64>()
                .ok()
                .filter(|r| (0.1..=1000.0).contains(r))
                .ok_or_else(|| {
                    format!("`{s}` is not a rate from 0.1 to 1000 messages per second")
                })?;
            Ok(())
        },
        show: |c| c.scheduler.rate_per_second.to_string(),
    },
    Key {
        name: "quiz.questions",
        env: &[],
        meaning: "questions per quiz (1–20)",
        file: |r| text(&r.quiz.questions),
        set: |c, s| {
            c.quiz.questions = s
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=20).contains(n))
                .ok_or_else(|| format!("`{s}` is not a number of questions from 1 to 20"))?;
            Ok(())
        },
        show: |c| c.quiz.questions.to_string(),
    },
    Key {
        name: "quiz.ranking_period",
        env: &[],
        meaning: "`week` (ISO week) or `month`: only the first attempt in a period is ranked",
        file: |r| r.quiz.ranking_period.clone(),
        set: |c, s| {
            c.quiz.ranking_period = match s {
                "week" => RankingPeriod::Week,
                "month" => RankingPeriod::Month,
                _ => {
                    return Err(format!(
                        "`{s}` is not a ranking period; expected `week` or `month`"
                    ));
                }
            };
            Ok(())
        },
        show: |c| {
            quoted(match c.quiz.ranking_period {
                RankingPeriod::Week => "week",
                RankingPeriod::Month => "month",
            })
        },
    },
    Key {
        name: "quiz.polls",
        env: &[],
        meaning: "send questions as Telegram quiz polls instead of buttons",
        file: |r| text(&r.quiz.polls),
        set: |c, s| {
            c.quiz.polls = parse_bool(s)?;
            Ok(())
        },
        show: |c| c.quiz.polls.to_string(),
    },
    report_count!(
        "reports.acceptance_working_days",
        acceptance_working_days,
        acceptance_working_days,
        1..=60,
        "acceptance notice due this many working days after receipt"
    ),
    report_count!(
        "reports.forward_working_days",
        forward_working_days,
        forward_working_days,
        1..=60,
        "forwarding to another desk or body due within this many working days"
    ),
    report_count!(
        "reports.result_working_days",
        result_working_days,
        result_working_days,
        1..=60,
        "result notice due this many working days after conclusion"
    ),
    report_count!(
        "reports.warn_working_days",
        warn_working_days,
        warn_working_days,
        0..=30,
        "alert the desk when this many working days or fewer remain (and again when overdue)"
    ),
    report_count!(
        "reports.daily_limit",
        daily_limit,
        daily_limit,
        1..=100,
        "reports one Telegram account may file per day"
    ),
    report_count!(
        "reports.wrong_codes_per_hour",
        wrong_codes_per_hour,
        wrong_codes_per_user,
        1..=100,
        "wrong tracking codes one account may try per hour"
    ),
    report_count!(
        "reports.wrong_codes_global_per_hour",
        wrong_codes_global_per_hour,
        wrong_codes_global,
        1..=100_000,
        "wrong tracking codes everyone together may try per hour"
    ),
    Key {
        name: "reports.draft_hours",
        env: &[],
        meaning: "an untouched draft (any unfinished conversation) is discarded after this long",
        file: |r| text(&r.reports.draft_hours),
        set: |c, s| {
            let hours = count(s, 1..=168)?;
            c.reports.draft_ttl = std::time::Duration::from_secs(u64::from(hours) * 3600);
            Ok(())
        },
        show: |c| (c.reports.draft_ttl.as_secs() / 3600).to_string(),
    },
    purge_days!(
        "reports.purge_closed_after_days",
        purge_closed_after_days,
        ReportStatus::Closed,
        "purge a closed report's sealed content (description, person, reporter, reply address, evidence references, messages) this many days after it was closed; metadata, history and statistics stay"
    ),
    purge_days!(
        "reports.purge_not_accepted_after_days",
        purge_not_accepted_after_days,
        ReportStatus::NotAccepted,
        "the same, for reports not accepted"
    ),
    purge_days!(
        "reports.purge_transferred_after_days",
        purge_transferred_after_days,
        ReportStatus::Transferred,
        "the same, for reports passed to the higher commission (whose content is already purged when the transfer is recorded; this catches anything left)"
    ),
    Key {
        name: "security.data_key",
        env: &["QINGFENG_DATA_KEY"],
        meaning: "32 bytes, base64: encryption at rest and deep-link signatures (required by `serve`)",
        file: |r| r.security.data_key.clone(),
        set: |c, s| {
            c.security.data_key = Some(s.parse::<DataKey>().map_err(|e| e.to_string())?);
            Ok(())
        },
        show: |c| {
            let set = c.security.data_key.is_some();
            if set { "\"<redacted>\"" } else { "(not set)" }.into()
        },
    },
];
