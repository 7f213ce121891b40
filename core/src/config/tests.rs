use std::collections::HashMap;
use std::path::PathBuf;

use super::*;

const TOKEN: &str = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc";
const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn file_with(contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qingfeng-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!(
        "{:x}.toml",
        contents.len() * 7919 + contents.bytes().map(usize::from).sum::<usize>()
    ));
    std::fs::write(&path, contents).unwrap();
    path
}

fn problems(result: Result<Config, ConfigError>) -> Vec<ConfigProblem> {
    result.expect_err("expected a configuration error").0
}

#[test]
fn defaults_apply_without_file_or_env() {
    let config = Config::load(None, &env(&[])).unwrap();
    assert_eq!(config.database_url.as_str(), DEFAULT_DATABASE_URL);
    assert_eq!(config.http_addr.to_string(), DEFAULT_HTTP_ADDR);
    assert_eq!(
        config.telegram_api_url.as_str(),
        "https://api.telegram.org/"
    );
    assert!(config.telegram_token.is_none());
    assert_eq!(config.serve_problems().len(), 2);
    assert!(config.serve_problems()[0].message.contains("@BotFather"));
}

#[test]
fn environment_overrides_the_file() {
    let path =
        file_with("[database]\nurl = \"sqlite://from-file.db\"\n[http]\naddr = \"0.0.0.0:9000\"\n");
    let config = Config::load(
        Some(&path),
        &env(&[
            ("QINGFENG_DATABASE_URL", "postgres://postgres@127.0.0.1/x"),
            ("QINGFENG_TELEGRAM_TOKEN", TOKEN),
        ]),
    )
    .unwrap();
    assert_eq!(config.database_url.backend(), "postgres");
    assert_eq!(
        config.origins["database.url"],
        Origin::Env("QINGFENG_DATABASE_URL")
    );
    assert_eq!(config.http_addr.to_string(), "0.0.0.0:9000");
    assert_eq!(config.origins["http.addr"], Origin::File(path));
    assert_eq!(config.telegram_token.unwrap().expose(), TOKEN);
}

#[test]
fn teloxide_token_is_the_fallback() {
    let config = Config::load(None, &env(&[("TELOXIDE_TOKEN", TOKEN)])).unwrap();
    assert_eq!(
        config.origins["telegram.token"],
        Origin::Env("TELOXIDE_TOKEN")
    );
    let both = Config::load(
        None,
        &env(&[
            ("TELOXIDE_TOKEN", "1:short"),
            ("QINGFENG_TELEGRAM_TOKEN", TOKEN),
        ]),
    )
    .unwrap();
    assert_eq!(
        both.origins["telegram.token"],
        Origin::Env("QINGFENG_TELEGRAM_TOKEN")
    );
}

#[test]
fn an_unknown_key_is_named_with_its_line() {
    let path = file_with("[telegram]\ntokn = \"x\"\n");
    let problems = problems(Config::load(Some(&path), &env(&[])));
    let text = problems[0].to_string();
    assert!(text.contains("unknown field `tokn`"), "{text}");
    assert!(text.contains("line 2"), "{text}");
}

#[test]
fn every_bad_value_is_reported_at_once() {
    let problems = problems(Config::load(
        None,
        &env(&[
            ("QINGFENG_DATABASE_URL", "mysql://root@localhost/q"),
            ("QINGFENG_HTTP_ADDR", "localhost"),
            ("QINGFENG_TELEGRAM_API_URL", "ftp://example"),
            ("QINGFENG_DATA_KEY", "c2hvcnQ="),
            ("QINGFENG_TELEGRAM_TOKEN", "not-a-token"),
            ("QINGFENG_DATABSE_URL", "sqlite://typo.db"),
        ]),
    ));
    let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
    for key in [
        "database.url",
        "http.addr",
        "telegram.api_url",
        "security.data_key",
        "telegram.token",
        "QINGFENG_DATABSE_URL",
    ] {
        assert!(keys.contains(&key), "{key} not reported in {keys:?}");
    }
    let db = problems
        .iter()
        .find(|p| p.key == "database.url")
        .unwrap()
        .to_string();
    assert!(
        db.contains("env QINGFENG_DATABASE_URL") && db.contains("postgres://"),
        "{db}"
    );
}

#[test]
fn a_missing_explicit_file_is_an_error() {
    let problems = problems(Config::load(
        Some(Path::new("/nonexistent/qingfeng.toml")),
        &env(&[]),
    ));
    assert!(problems[0].message.contains("cannot read"));
}

#[test]
fn redacted_output_hides_secrets() {
    let config = Config::load(
        None,
        &env(&[
            ("QINGFENG_TELEGRAM_TOKEN", TOKEN),
            ("QINGFENG_DATA_KEY", KEY),
            ("QINGFENG_DATABASE_URL", "postgres://app:pw-secret@db/q"),
        ]),
    )
    .unwrap();
    let text = config.redacted();
    assert!(!text.contains("ABCDEFGHIJ"), "{text}");
    assert!(!text.contains(KEY), "{text}");
    assert!(!text.contains("pw-secret"), "{text}");
    assert!(text.contains("123456:<redacted>"), "{text}");
    assert!(text.contains("# env QINGFENG_DATABASE_URL"), "{text}");
    assert!(config.serve_problems().is_empty());
}

#[test]
fn scheduler_settings_parse_and_are_checked() {
    let path = file_with(
        "[scheduler]\ntime_zone = \"Asia/Urumqi\"\nquiet_hours = \"22:30-07:00\"\nrate_per_second = 1000\n",
    );
    let config = Config::load(Some(&path), &env(&[])).unwrap();
    assert_eq!(config.time_zone, chrono_tz::Asia::Urumqi);
    assert_eq!(
        config.quiet_hours.0,
        chrono::NaiveTime::from_hms_opt(22, 30, 0).unwrap()
    );
    assert_eq!(config.rate_per_second, 1000.0);

    let path = file_with(
        "[scheduler]\ntime_zone = \"Mars/Olympus\"\nquiet_hours = \"late\"\nrate_per_second = 5000\n",
    );
    let keys: Vec<String> = problems(Config::load(Some(&path), &env(&[])))
        .into_iter()
        .map(|p| p.key)
        .collect();
    assert_eq!(
        keys,
        [
            "scheduler.time_zone",
            "scheduler.quiet_hours",
            "scheduler.rate_per_second"
        ]
    );
}

#[test]
fn quiz_settings_parse_and_periods_are_labelled() {
    let path = file_with("[quiz]\nquestions = 8\nranking_period = \"month\"\npolls = true\n");
    let config = Config::load(Some(&path), &env(&[])).unwrap();
    assert_eq!(
        (config.quiz_questions, config.quiz_period, config.quiz_polls),
        (8, RankingPeriod::Month, true)
    );
    let path = file_with("[quiz]\nquestions = 0\nranking_period = \"year\"\n");
    let keys: Vec<String> = problems(Config::load(Some(&path), &env(&[])))
        .into_iter()
        .map(|p| p.key)
        .collect();
    assert_eq!(keys, ["quiz.questions", "quiz.ranking_period"]);
    let date = "2026-11-29".parse().unwrap();
    assert_eq!(RankingPeriod::Week.label(date), "2026-W48");
    assert_eq!(RankingPeriod::Month.label(date), "2026-11");
    assert_eq!(
        RankingPeriod::Week.label("2027-01-01".parse().unwrap()),
        "2026-W53"
    );
}

/// Every key `check-config` prints, with a valid value for the file (`section`, `name = value`)
/// and its environment variable if it has one. The first test fails when a printed key is
/// missing here, so a new key cannot skip the origin checks.
#[allow(clippy::type_complexity)]
const KEYS: &[(&str, &str, Option<(&str, &str)>)] = &[
    ("default_language", "default_language = \"en\"", None),
    ("content_dir", "content_dir = \"/srv/content\"", None),
    (
        "telegram.token",
        "[telegram]\ntoken = \"123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc\"",
        Some(("QINGFENG_TELEGRAM_TOKEN", TOKEN)),
    ),
    (
        "telegram.api_url",
        "[telegram]\napi_url = \"http://127.0.0.1:8081/\"",
        Some(("QINGFENG_TELEGRAM_API_URL", "http://127.0.0.1:8082/")),
    ),
    (
        "database.url",
        "[database]\nurl = \"sqlite://file.db\"",
        Some(("QINGFENG_DATABASE_URL", "sqlite://env.db")),
    ),
    (
        "database.max_connections",
        "[database]\nmax_connections = 4",
        None,
    ),
    (
        "http.addr",
        "[http]\naddr = \"127.0.0.1:9090\"",
        Some(("QINGFENG_HTTP_ADDR", "127.0.0.1:9091")),
    ),
    ("http.secure_cookies", "[http]\nsecure_cookies = true", None),
    (
        "http.client_ip_header",
        "[http]\nclient_ip_header = \"X-Real-IP\"",
        None,
    ),
    (
        "dashboard.require_totp",
        "[dashboard]\nrequire_totp = true",
        None,
    ),
    (
        "scheduler.time_zone",
        "[scheduler]\ntime_zone = \"Asia/Urumqi\"",
        None,
    ),
    (
        "scheduler.quiet_hours",
        "[scheduler]\nquiet_hours = \"22:00-07:00\"",
        None,
    ),
    (
        "scheduler.rate_per_second",
        "[scheduler]\nrate_per_second = 20",
        None,
    ),
    ("quiz.questions", "[quiz]\nquestions = 7", None),
    (
        "quiz.ranking_period",
        "[quiz]\nranking_period = \"month\"",
        None,
    ),
    ("quiz.polls", "[quiz]\npolls = true", None),
    (
        "reports.acceptance_working_days",
        "[reports]\nacceptance_working_days = 14",
        None,
    ),
    (
        "reports.forward_working_days",
        "[reports]\nforward_working_days = 4",
        None,
    ),
    (
        "reports.result_working_days",
        "[reports]\nresult_working_days = 14",
        None,
    ),
    (
        "reports.warn_working_days",
        "[reports]\nwarn_working_days = 2",
        None,
    ),
    ("reports.daily_limit", "[reports]\ndaily_limit = 2", None),
    (
        "reports.wrong_codes_per_hour",
        "[reports]\nwrong_codes_per_hour = 4",
        None,
    ),
    (
        "reports.wrong_codes_global_per_hour",
        "[reports]\nwrong_codes_global_per_hour = 100",
        None,
    ),
    ("reports.draft_hours", "[reports]\ndraft_hours = 12", None),
    (
        "reports.purge_closed_after_days",
        "[reports]\npurge_closed_after_days = 30",
        None,
    ),
    (
        "reports.purge_not_accepted_after_days",
        "[reports]\npurge_not_accepted_after_days = 30",
        None,
    ),
    (
        "reports.purge_transferred_after_days",
        "[reports]\npurge_transferred_after_days = 30",
        None,
    ),
    (
        "security.data_key",
        "[security]\ndata_key = \"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"",
        Some(("QINGFENG_DATA_KEY", KEY)),
    ),
];

/// The origin `check-config` prints for `key`.
fn printed_origin(config: &Config, key: &str) -> String {
    let prefix = format!("{key} = ");
    let line = config
        .redacted()
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("check-config prints no {key}"))
        .to_owned();
    line.rsplit("  # ").next().unwrap().to_owned()
}

#[test]
fn check_config_names_the_origin_of_every_key() {
    let printed: std::collections::BTreeSet<String> = Config::load(None, &env(&[]))
        .unwrap()
        .redacted()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split(" = ").next().unwrap().to_owned())
        .collect();
    let tested: std::collections::BTreeSet<String> =
        KEYS.iter().map(|(key, _, _)| (*key).to_owned()).collect();
    assert_eq!(printed, tested, "every printed key has a row in KEYS");

    for &(key, file_line, env_var) in KEYS {
        let defaults = Config::load(None, &env(&[])).unwrap();
        assert_eq!(printed_origin(&defaults, key), "default", "{key}");
        let path = file_with(&format!("{file_line}\n"));
        let from_file =
            Config::load(Some(&path), &env(&[])).unwrap_or_else(|e| panic!("{key}: {e}"));
        assert_eq!(
            printed_origin(&from_file, key),
            format!("file {}", path.display()),
            "{key}"
        );
        if let Some((name, value)) = env_var {
            let from_env = Config::load(Some(&path), &env(&[(name, value)])).unwrap();
            assert_eq!(
                printed_origin(&from_env, key),
                format!("env {name}"),
                "{key}"
            );
        }
    }
}

#[test]
fn ranking_periods_are_described_in_local_words() {
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    let week = RankingPeriod::Week;
    assert_eq!(
        week.describe(day("2026-12-02"), Language::ZhCn),
        "本周（11月30日—12月6日）"
    );
    assert_eq!(
        week.describe(day("2026-12-09"), Language::ZhCn),
        "本周（12月7日—13日）"
    );
    assert_eq!(
        week.describe(day("2026-12-09"), Language::En),
        "This week (7–13 Dec)"
    );
    assert_eq!(
        week.describe(day("2026-12-02"), Language::En),
        "This week (30 Nov – 6 Dec)"
    );
    // Sunday belongs to the week that began on Monday.
    assert_eq!(
        week.describe(day("2026-12-13"), Language::ZhCn),
        "本周（12月7日—13日）"
    );
    let month = RankingPeriod::Month;
    assert_eq!(
        month.describe(day("2026-12-02"), Language::ZhCn),
        "本月（12月）"
    );
    assert_eq!(
        month.describe(day("2026-02-28"), Language::En),
        "This month (February)"
    );
}
