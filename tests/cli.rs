//! The `qingfeng` binary as an operator runs it: exit codes, messages, signals.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::binary::{REPO, Server, run, wait_for_polling, workdir};
use common::{DATA_KEY, TOKEN, expect_text};
use qingfeng_core::crypto::DataKey;
use qingfeng_core::deeplink::{self, DeepLink};
use telegram_sim::Simulator;

#[test]
fn check_config_and_serve_explain_a_missing_token() {
    let dir = workdir();
    for command in ["check-config", "serve"] {
        let (code, _, stderr) = run(dir.path(), &[("QINGFENG_DATA_KEY", DATA_KEY)], &[command]);
        assert_eq!(code, 2, "{command}: {stderr}");
        assert!(
            stderr.contains("@BotFather") && stderr.contains("QINGFENG_TELEGRAM_TOKEN"),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn an_unknown_key_is_named_with_file_and_line() {
    let dir = workdir();
    std::fs::write(
        dir.path().join("custom.toml"),
        "[database]\nurl = \"sqlite://x.db\"\npool_size = 4\n",
    )
    .unwrap();
    let (code, _, stderr) = run(
        dir.path(),
        &[],
        &["--config", "custom.toml", "check-config"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("custom.toml")
            && stderr.contains("unknown field `pool_size`")
            && stderr.contains("line 3"),
        "{stderr}"
    );
}

#[test]
fn malformed_values_and_unknown_variables_are_named() {
    let dir = workdir();
    let (code, _, stderr) = run(
        dir.path(),
        &[
            ("QINGFENG_DATABASE_URL", "mysql://root@localhost/q"),
            ("QINGFENG_TELEGRAM_APIURL", "x"),
        ],
        &["check-config"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("database.url (from env QINGFENG_DATABASE_URL)")
            && stderr.contains("sqlite://"),
        "{stderr}"
    );
    assert!(
        stderr.contains("QINGFENG_TELEGRAM_APIURL")
            && stderr.contains("unknown environment variable"),
        "{stderr}"
    );
}

#[test]
fn an_unreachable_database_is_reported() {
    let dir = workdir();
    let env = [
        (
            "QINGFENG_DATABASE_URL",
            "postgres://postgres@127.0.0.1:1/qingfeng",
        ),
        ("QINGFENG_TELEGRAM_TOKEN", TOKEN),
        ("QINGFENG_TELEGRAM_API_URL", "http://127.0.0.1:1/"),
        ("QINGFENG_DATA_KEY", DATA_KEY),
    ];
    let (code, _, stderr) = run(dir.path(), &env, &["check-config"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cannot open the database") && stderr.contains("PostgreSQL is running"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cannot reach the Telegram Bot API"),
        "{stderr}"
    );
    let (code, _, stderr) = run(dir.path(), &env, &["serve"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cannot open the database"), "{stderr}");
}

#[test]
fn migrate_is_idempotent_and_content_import_reports_errors_precisely() {
    let dir = workdir();
    let (code, stdout, stderr) = run(dir.path(), &[], &["migrate"]);
    assert_eq!(code, 0, "{stderr}");
    let migrations = std::fs::read_dir(Path::new(REPO).join("migrations/sqlite"))
        .unwrap()
        .count();
    assert!(
        stdout.contains(&format!("{migrations} migration(s) applied")),
        "{stdout}"
    );
    assert!(
        dir.path().join("qingfeng.db").exists(),
        "the SQLite file is created on first run"
    );
    let (_, stdout, _) = run(dir.path(), &[], &["migrate"]);
    assert!(stdout.contains("0 migration(s) applied"), "{stdout}");

    let content = Path::new(REPO).join("content");
    let content = content.to_str().unwrap();
    for _ in 0..2 {
        let (code, stdout, stderr) = run(dir.path(), &[], &["content", "import", content]);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stdout.contains("竹山县 (420323): 17 townships, 2 villages, 0 retired"),
            "{stdout}"
        );
    }

    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(
        bad.join("regions.toml"),
        "[county]\ncode = \"420323\"\nname_zh = \"竹山县\"\nname_en = \"Zhushan\"\n\n[[townships]]\ncode = \"Bao Feng\"\nname_zh = \"宝丰镇\"\nname_en = \"Baofeng\"\nkind = \"town\"\n",
    )
    .unwrap();
    let (code, _, stderr) = run(
        dir.path(),
        &[],
        &["content", "import", bad.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("regions.toml:7:") && stderr.contains("not a region code"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was imported"), "{stderr}");
}

#[test]
fn deeplink_prints_a_signed_payload_for_a_known_village() {
    let dir = workdir();
    let content = PathBuf::from(REPO).join("content");
    run(
        dir.path(),
        &[],
        &["content", "import", content.to_str().unwrap()],
    );
    let env = [("QINGFENG_DATA_KEY", DATA_KEY)];
    let args = [
        "deeplink",
        "--audience",
        "household",
        "--township",
        "baofeng",
        "--village",
        "longjing",
        "--bot",
        "@qingfeng_test_bot",
    ];
    let (code, stdout, stderr) = run(dir.path(), &env, &args);
    assert_eq!(code, 0, "{stderr}");
    let payload = stdout
        .trim()
        .strip_prefix("https://t.me/qingfeng_test_bot?start=")
        .expect(&stdout);
    let key: DataKey = DATA_KEY.parse().unwrap();
    let link = DeepLink::decode(payload, &deeplink::signer(&key)).unwrap();
    assert_eq!(link.village.unwrap().as_str(), "longjing");

    let (code, _, stderr) = run(
        dir.path(),
        &env,
        &[
            "deeplink",
            "--audience",
            "household",
            "--township",
            "nowhere",
        ],
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("no such active township"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_survives_sigkill_mid_onboarding_and_stops_cleanly_on_sigterm() {
    let dir = workdir();
    let sim = Simulator::start(TOKEN).await;
    let user = sim.user(2001, "Wei", Some("zh-hans"));

    let server = Server::start(dir.path(), &sim, &[]);
    wait_for_polling(&sim, 0).await;
    user.send_text("/start");
    user.next_message().await;
    let ask = expect_text(&user, "请选择您的身份").await;
    user.press_button(&ask, "企业");
    let townships = expect_text(&user, "请选择您所在的乡镇").await;
    user.press_button(&townships, "城关镇");
    expect_text(&user, "请输入企业名称").await;

    server.signal("-KILL");
    let (code, _) = server.wait(Duration::from_secs(10));
    assert_eq!(code, None, "killed by a signal");

    let polls = sim.count_requests("getUpdates");
    let server = Server::start(dir.path(), &sim, &[]);
    wait_for_polling(&sim, polls).await;
    user.send_text("竹山县城关镇示例商贸有限公司");
    let skip = expect_text(&user, "统一社会信用代码").await;
    user.press_button(&skip, "跳过");
    let confirm = expect_text(&user, "示例商贸").await;
    user.press_button(&confirm, "确认");
    expect_text(&user, "登记成功").await;

    server.signal("-TERM");
    let (code, stderr) = server.wait(Duration::from_secs(15));
    assert_eq!(code, Some(0), "a clean exit on SIGTERM: {stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_a_revoked_token_and_check_config_probes_it() {
    let dir = workdir();
    let sim = Simulator::start("987654321:ANOTHER-token_abcdefghijklmnopqrstuv").await;
    let server = Server::start(dir.path(), &sim, &[]);
    let (code, stderr) = server.wait(Duration::from_secs(15));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("refused the bot token"), "{stderr}");

    let good = Simulator::start(TOKEN).await;
    let api = good.api_url();
    let path = dir.path().to_owned();
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || {
        let env = [
            ("QINGFENG_TELEGRAM_TOKEN", TOKEN),
            ("QINGFENG_TELEGRAM_API_URL", api.as_str()),
            ("QINGFENG_DATA_KEY", DATA_KEY),
        ];
        run(&path, &env, &["check-config"])
    })
    .await
    .unwrap();
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("@qingfeng_test_bot") && stdout.contains("ready for `qingfeng serve`"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("TEST-token") && !stdout.contains(DATA_KEY),
        "secrets are redacted: {stdout}"
    );
}

#[test]
fn the_shipped_bank_imports_and_a_duplicate_question_id_is_refused() {
    let dir = workdir();
    let content = Path::new(REPO).join("content");
    let (code, stdout, stderr) = run(
        dir.path(),
        &[],
        &["content", "import", content.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    let questions = stdout
        .lines()
        .find(|l| l.starts_with("imported quiz: "))
        .expect(&stdout);
    let count: usize = questions["imported quiz: ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(count >= 40, "{questions}");

    let bad = dir.path().join("bad");
    std::fs::create_dir_all(bad.join("quiz")).unwrap();
    let question = |id: &str| {
        format!(
            "[[questions]]\nid = \"{id}\"\ntopics = [\"reporting\"]\naudience = \"all\"\nquestion_zh = \"问\"\nquestion_en = \"Q\"\noptions_zh = [\"甲\", \"乙\"]\noptions_en = [\"A\", \"B\"]\nanswer = 1\nexplanation_zh = \"解\"\nexplanation_en = \"E\"\nsource_zh = \"源\"\nsource_en = \"S\"\n"
        )
    };
    std::fs::write(bad.join("quiz/a.toml"), question("same")).unwrap();
    std::fs::write(
        bad.join("quiz/b.toml"),
        format!("# comment\n{}", question("same")),
    )
    .unwrap();
    let (code, _, stderr) = run(
        dir.path(),
        &[],
        &["content", "import", bad.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("quiz/b.toml:3: question id `same` is already used at")
            && stderr.contains("quiz/a.toml:2"),
        "{stderr}"
    );
}

/// A packaged install: `serve` started in an empty directory, with no content folder and no
/// config file, still offers the whole county (the content is built into the binary).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_from_an_empty_directory_offers_all_seventeen_townships() {
    let dir = tempfile::tempdir().unwrap();
    let sim = Simulator::start(TOKEN).await;
    let user = sim.user(2002, "Wei", Some("zh-hans"));
    let server = Server::start(dir.path(), &sim, &[]);
    wait_for_polling(&sim, 0).await;
    user.send_text("/start");
    user.next_message().await;
    let ask = expect_text(&user, "请选择您的身份").await;
    user.press_button(&ask, "家庭");
    let townships = expect_text(&user, "请选择您所在的乡镇").await;
    let offered: Vec<String> = townships
        .button_labels()
        .into_iter()
        .filter(|label| label.ends_with('镇') || label.ends_with('乡'))
        .collect();
    assert_eq!(offered.len(), 17, "{offered:?}");
    server.signal("-TERM");
    let (code, stderr) = server.wait(Duration::from_secs(15));
    assert_eq!(code, Some(0), "a clean exit on SIGTERM: {stderr}");
}
