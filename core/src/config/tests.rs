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
    assert_eq!(config.database.url.as_str(), "sqlite://qingfeng.db");
    assert_eq!(config.http.addr.to_string(), "127.0.0.1:8080");
    assert_eq!(
        config.telegram.api_url.as_str(),
        "https://api.telegram.org/"
    );
    assert!(config.telegram.token.is_none());
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
    assert_eq!(config.database.url.backend(), "postgres");
    assert_eq!(
        config.origins["database.url"],
        Origin::Env("QINGFENG_DATABASE_URL")
    );
    assert_eq!(config.http.addr.to_string(), "0.0.0.0:9000");
    assert_eq!(config.origins["http.addr"], Origin::File(path));
    assert_eq!(config.telegram.token.unwrap().expose(), TOKEN);
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
    assert_eq!(config.time_zone(), chrono_tz::Asia::Urumqi);
    assert_eq!(
        config.scheduler.quiet_hours.0,
        chrono::NaiveTime::from_hms_opt(22, 30, 0).unwrap()
    );
    assert_eq!(config.scheduler.rate_per_second, 1000.0);

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
        (
            config.quiz.questions,
            config.quiz.ranking_period,
            config.quiz.polls
        ),
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

/// A valid value for every key: a line for the file, and one for each of its environment
/// variables. The origin test fails when a key in [`KEYS`] has no row here.
const SAMPLES: &[(&str, &str, &str)] = &[
    ("default_language", "default_language = \"en\"", "en"),
    ("content_dir", "content_dir = \"/srv/content\"", "/srv/env"),
    (
        "telegram.token",
        "[telegram]\ntoken = \"123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc\"",
        TOKEN,
    ),
    (
        "telegram.api_url",
        "[telegram]\napi_url = \"http://127.0.0.1:8081/\"",
        "http://127.0.0.1:8082/",
    ),
    (
        "database.url",
        "[database]\nurl = \"sqlite://file.db\"",
        "sqlite://env.db",
    ),
    (
        "database.max_connections",
        "[database]\nmax_connections = 4",
        "3",
    ),
    (
        "http.addr",
        "[http]\naddr = \"127.0.0.1:9090\"",
        "127.0.0.1:9091",
    ),
    (
        "http.secure_cookies",
        "[http]\nsecure_cookies = true",
        "true",
    ),
    (
        "http.client_ip_header",
        "[http]\nclient_ip_header = \"X-Real-IP\"",
        "X-Forwarded-For",
    ),
    (
        "dashboard.require_totp",
        "[dashboard]\nrequire_totp = true",
        "true",
    ),
    (
        "scheduler.time_zone",
        "[scheduler]\ntime_zone = \"Asia/Urumqi\"",
        "Asia/Tokyo",
    ),
    (
        "scheduler.quiet_hours",
        "[scheduler]\nquiet_hours = \"22:00-07:00\"",
        "23:00-06:00",
    ),
    (
        "scheduler.rate_per_second",
        "[scheduler]\nrate_per_second = 20",
        "10",
    ),
    ("quiz.questions", "[quiz]\nquestions = 7", "6"),
    (
        "quiz.ranking_period",
        "[quiz]\nranking_period = \"month\"",
        "month",
    ),
    ("quiz.polls", "[quiz]\npolls = true", "true"),
    (
        "reports.acceptance_working_days",
        "[reports]\nacceptance_working_days = 14",
        "13",
    ),
    (
        "reports.forward_working_days",
        "[reports]\nforward_working_days = 4",
        "3",
    ),
    (
        "reports.result_working_days",
        "[reports]\nresult_working_days = 14",
        "13",
    ),
    (
        "reports.warn_working_days",
        "[reports]\nwarn_working_days = 2",
        "1",
    ),
    ("reports.daily_limit", "[reports]\ndaily_limit = 2", "1"),
    (
        "reports.wrong_codes_per_hour",
        "[reports]\nwrong_codes_per_hour = 4",
        "3",
    ),
    (
        "reports.wrong_codes_global_per_hour",
        "[reports]\nwrong_codes_global_per_hour = 100",
        "99",
    ),
    ("reports.draft_hours", "[reports]\ndraft_hours = 12", "6"),
    (
        "reports.purge_closed_after_days",
        "[reports]\npurge_closed_after_days = 30",
        "20",
    ),
    (
        "reports.purge_not_accepted_after_days",
        "[reports]\npurge_not_accepted_after_days = 30",
        "20",
    ),
    (
        "reports.purge_transferred_after_days",
        "[reports]\npurge_transferred_after_days = 30",
        "20",
    ),
    (
        "security.data_key",
        "[security]\ndata_key = \"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"",
        KEY,
    ),
];

/// The origin and value `check-config` prints for `key`.
fn printed(config: &Config, key: &str) -> (String, String) {
    let prefix = format!("{key} = ");
    let line = config
        .redacted()
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("check-config prints no {key}"))
        .to_owned();
    let (value, origin) = line[prefix.len()..].rsplit_once("  # ").unwrap();
    (origin.to_owned(), value.to_owned())
}

#[test]
fn check_config_names_the_origin_of_every_key() {
    let names: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
    let sampled: Vec<&str> = SAMPLES.iter().map(|(k, _, _)| *k).collect();
    assert_eq!(names, sampled, "every key has a sample row, in table order");
    let defaults = Config::load(None, &env(&[])).unwrap();
    for (key, &(_, file_line, env_value)) in KEYS.iter().zip(SAMPLES) {
        let (origin, default_value) = printed(&defaults, key.name);
        assert_eq!(origin, "default", "{}", key.name);
        let path = file_with(&format!("{file_line}\n"));
        let from_file =
            Config::load(Some(&path), &env(&[])).unwrap_or_else(|e| panic!("{}: {e}", key.name));
        let (origin, file_value) = printed(&from_file, key.name);
        assert_eq!(origin, format!("file {}", path.display()), "{}", key.name);
        assert_ne!(
            file_value, default_value,
            "{}: the sample changes the value",
            key.name
        );
        // A key without its own variable is still checked: nothing in the environment moves it.
        let names: Vec<&str> = if key.env.is_empty() {
            vec![]
        } else {
            key.env.to_vec()
        };
        for name in names {
            let from_env = Config::load(Some(&path), &env(&[(name, env_value)]))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let (origin, env_printed) = printed(&from_env, key.name);
            assert_eq!(origin, format!("env {name}"), "{}", key.name);
            if key.name != "security.data_key" && key.name != "telegram.token" {
                assert_ne!(env_printed, file_value, "{name} overrides the file");
            }
        }
        if key.env.is_empty() {
            let unrelated = env(&[("QINGFENG_HTTP_ADDR", "127.0.0.1:1")]);
            let (origin, _) = printed(&Config::load(Some(&path), &unrelated).unwrap(), key.name);
            assert_eq!(origin, format!("file {}", path.display()), "{}", key.name);
        }
    }
}

/// A key's README row, generated from the table and the sections' defaults.
fn readme_row(key: &Key, defaults: &Config) -> String {
    let env = match key.env {
        [] => "—".to_owned(),
        [first, rest @ ..] => {
            let mut text = format!("`{first}`");
            for name in rest {
                text.push_str(&format!(" (falls back to `{name}`)"));
            }
            text
        }
    };
    let shown = (key.show)(defaults);
    let default = match shown.trim_matches('"') {
        "" | "(not set)" => "—".to_owned(),
        value => format!("`{value}`"),
    };
    format!("| `{}` | {env} | {default} | {} |", key.name, key.meaning)
}

#[test]
fn the_readme_configuration_table_matches_the_key_table() {
    let readme = include_str!("../../../README.md");
    let defaults = Config::default();
    let expected: Vec<String> = KEYS.iter().map(|k| readme_row(k, &defaults)).collect();
    let actual: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| file key |"))
        .skip(2)
        .take_while(|l| l.starts_with("| `"))
        .collect();
    assert_eq!(
        actual,
        expected,
        "README.md's configuration table is generated from config::KEYS; replace its key rows with:\n{}",
        expected.join("\n")
    );
    for name in OTHER_ENV_VARS {
        assert!(
            readme.contains(&format!("| — | `{name}` |")),
            "{name} in README"
        );
    }
}

#[test]
fn the_example_file_shows_every_key() {
    let example = include_str!("../../../qingfeng.toml.example");
    let mut section = String::new();
    let mut shown = std::collections::BTreeSet::new();
    for line in example.lines() {
        let line = line.trim_start_matches('#').trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = format!("{name}.");
        } else if let Some((name, _)) = line.split_once('=') {
            shown.insert(format!("{section}{}", name.trim()));
        }
    }
    for key in KEYS {
        assert!(
            shown.contains(key.name),
            "qingfeng.toml.example lacks {}",
            key.name
        );
    }
}

/// A field of the file with no row in the key table would be accepted and then ignored.
#[test]
fn every_field_of_the_file_is_a_key() {
    let raw = serde_json::to_value(super::raw::RawConfig::default()).unwrap();
    let mut fields = Vec::new();
    for (name, value) in raw.as_object().unwrap() {
        match value.as_object() {
            Some(section) => fields.extend(section.keys().map(|field| format!("{name}.{field}"))),
            None => fields.push(name.clone()),
        }
    }
    assert!(fields.len() > 20, "the fields were not listed: {fields:?}");
    for field in fields {
        assert!(
            KEYS.iter().any(|key| key.name == field),
            "`{field}` can be written in the file but no key reads it"
        );
    }
}

#[test]
fn serve_needs_a_token_and_a_data_key() {
    let problems = Config::load(None, &env(&[]))
        .unwrap()
        .for_serve()
        .unwrap_err()
        .0;
    let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["telegram.token", "security.data_key"]);
    let config = Config::load(
        None,
        &env(&[
            ("QINGFENG_TELEGRAM_TOKEN", TOKEN),
            ("QINGFENG_DATA_KEY", KEY),
        ]),
    )
    .unwrap();
    assert_eq!(config.for_serve().unwrap().token.expose(), TOKEN);
}

#[test]
fn the_time_zone_and_language_are_set_once_for_reports_too() {
    let path = file_with("default_language = \"en\"\n[scheduler]\ntime_zone = \"Asia/Tokyo\"\n");
    let config = Config::load(Some(&path), &env(&[])).unwrap();
    assert_eq!(config.reports.time_zone, chrono_tz::Asia::Tokyo);
    assert_eq!(config.reports.staff_language, Language::En);
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
