//! `qingfeng report list | show | act` and `qingfeng rekey`, as an operator runs them.

mod common;

use std::io::Write;
use std::process::{Output, Stdio};

use chrono::Utc;
use common::DATA_KEY;
use common::binary::{qingfeng, run, workdir};
use qingfeng_core::Store;
use qingfeng_core::crypto::DataKey;
use qingfeng_core::domain::*;
use qingfeng_core::reports::intake::{Filing, submit};
use qingfeng_core::reports::{ReportKeys, ReportSettings};
use qingfeng_core::store::DatabaseUrl;

const NEW_KEY: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

fn with_stdin(
    dir: &std::path::Path,
    env: &[(&str, &str)],
    args: &[&str],
    input: &str,
) -> (i32, String, String) {
    let mut child = qingfeng(dir, env)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_list_show_and_act_on_reports_and_can_rotate_the_data_key() {
    let dir = workdir();
    let env = [("QINGFENG_DATA_KEY", DATA_KEY)];
    let (code, stdout, stderr) = run(dir.path(), &env, &["content", "import", "content"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("categories") && stdout.contains("desks"),
        "{stdout}"
    );

    // A report, filed as the bot files it.
    let url: DatabaseUrl = format!("sqlite://{}", dir.path().join("qingfeng.db").display())
        .parse()
        .unwrap();
    let store = Store::open(&url, 1).await.unwrap();
    let key: DataKey = DATA_KEY.parse().unwrap();
    let keys = ReportKeys::load_or_create(&store, &key).await.unwrap();
    let report = qingfeng_core::testing::report(
        Some("baofeng"),
        PersonLevel::Staff,
        Reporter::Anonymous { notify: false },
    );
    let code = TrackingCode::generate();
    let filing = Filing {
        chat_id: 42,
        language: Language::ZhCn,
        report: &report,
        code: &code,
    };
    let filed = submit(
        &store,
        &keys,
        &ReportSettings::default(),
        filing,
        Utc::now(),
    )
    .await
    .unwrap();
    store.close().await;
    let id = filed.id.to_string();

    let (code, stdout, stderr) = run(dir.path(), &env, &["report", "list"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("received") && stdout.contains("baofeng") && stdout.contains("gifts"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("购物卡"),
        "the list shows no content: {stdout}"
    );

    // `--as` must name a dashboard account: the audit log names a real person.
    let (code, _, stderr) = run(
        dir.path(),
        &env,
        &["report", "act", &id, "--as", "wang", "accept"],
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("no staff account `wang`"), "{stderr}");
    let (code, _, stderr) = run(dir.path(), &env, &["report", "show", &id, "--as", "nobody"]);
    assert_eq!(code, 1, "{stderr}");
    let (code, _, stderr) = with_stdin(
        dir.path(),
        &env,
        &[
            "staff",
            "add",
            "--username",
            "wang",
            "--role",
            "county",
            "--password-stdin",
        ],
        "a long enough password\n",
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run(
        dir.path(),
        &env,
        &["report", "act", &id, "--as", "wang", "accept"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("now accepted"), "{stdout}");
    let (code, _, stderr) = with_stdin(
        dir.path(),
        &env,
        &["report", "act", &id, "--as", "wang", "note"],
        "与去年的信访件有关",
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run(
        dir.path(),
        &env,
        &["report", "act", &id, "--as", "wang", "conclude"],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("is accepted; that action is not possible now"),
        "{stderr}"
    );
    let (code, _, stderr) = with_stdin(
        dir.path(),
        &env,
        &["report", "act", &id, "--as", "wang", "reply"],
        "",
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("empty"), "{stderr}");
    let (code, _, stderr) = run(
        dir.path(),
        &env,
        &["report", "act", &id, "--as", "wang", "dispose", "arrest"],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("talk_or_letter"),
        "the valid dispositions are listed: {stderr}"
    );

    let (code, stdout, stderr) = run(dir.path(), &env, &["report", "show", &id, "--as", "wang"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("购物卡")
            && stdout.contains("note by wang")
            && stdout.contains("reporter: anonymous"),
        "{stdout}"
    );
    // What was done and seen at the terminal is in the audit log, as from the dashboard; a
    // refused action is not.
    let store = Store::open(&url, 1).await.unwrap();
    let audit: Vec<(String, String, Option<i64>)> = store
        .audit_log(50, 0)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action.starts_with("report."))
        .map(|e| (e.username, e.action, e.report_id))
        .collect();
    store.close().await;
    let expected = ["report.view", "report.note", "report.accept"]
        .map(|action| ("wang".to_owned(), action.to_owned(), Some(filed.id)));
    assert_eq!(audit, expected);

    // A report for the higher commission is passed up from the terminal; its content goes.
    let store = Store::open(&url, 1).await.unwrap();
    let upward = qingfeng_core::testing::report(
        Some("baofeng"),
        PersonLevel::CountyOrAbove,
        Reporter::Anonymous { notify: false },
    );
    let upward_code = TrackingCode::generate();
    let filing = Filing {
        chat_id: 43,
        language: Language::ZhCn,
        report: &upward,
        code: &upward_code,
    };
    let up = submit(
        &store,
        &keys,
        &ReportSettings::default(),
        filing,
        Utc::now(),
    )
    .await
    .unwrap()
    .id
    .to_string();
    store.close().await;
    let (code, _, stderr) = run(
        dir.path(),
        &env,
        &[
            "report",
            "act",
            &up,
            "--as",
            "wang",
            "transfer-up",
            "--to",
            "十堰市纪委监委",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run(dir.path(), &env, &["report", "show", &up, "--as", "wang"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("transferred to 十堰市纪委监委")
            && stdout.contains("content purged")
            && !stdout.contains("购物卡"),
        "{stdout}"
    );

    // Rotating the data key: re-wrap, then only the new key opens reports.
    let (code, stdout, stderr) = with_stdin(dir.path(), &env, &["rekey"], NEW_KEY);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("set QINGFENG_DATA_KEY"), "{stdout}");
    let (code, _, stderr) = run(dir.path(), &env, &["report", "show", &id, "--as", "wang"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("QINGFENG_DATA_KEY is not the key"),
        "{stderr}"
    );
    let (code, stdout, stderr) = run(
        dir.path(),
        &[("QINGFENG_DATA_KEY", NEW_KEY)],
        &["report", "show", &id, "--as", "wang"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("购物卡"), "{stdout}");
}

#[test]
fn staff_accounts_are_added_with_the_password_on_stdin() {
    let dir = workdir();
    let env = [("QINGFENG_DATA_KEY", DATA_KEY)];
    let (code, _, stderr) = run(dir.path(), &env, &["content", "import", "content"]);
    assert_eq!(code, 0, "{stderr}");
    let add = |args: &[&str], password: &str| {
        let mut all = vec!["staff", "add"];
        all.extend_from_slice(args);
        with_stdin(dir.path(), &env, &all, password)
    };
    let (code, stdout, stderr) = add(
        &[
            "--username",
            "li.ming",
            "--role",
            "township",
            "--township",
            "baofeng",
            "--password-stdin",
        ],
        "a long enough password\n",
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("created township account `li.ming`"),
        "{stdout}"
    );
    for (args, password, expected) in [
        (
            vec![
                "--username",
                "li.ming",
                "--role",
                "county",
                "--password-stdin",
            ],
            "another long password",
            "is taken",
        ),
        (
            vec!["--username", "wang", "--role", "county", "--password-stdin"],
            "short",
            "at least 10",
        ),
        (
            vec![
                "--username",
                "zhao",
                "--role",
                "township",
                "--password-stdin",
            ],
            "a long enough password",
            "--township CODE",
        ),
        (
            vec![
                "--username",
                "zhao",
                "--role",
                "township",
                "--township",
                "atlantis",
                "--password-stdin",
            ],
            "a long enough password",
            "not in the imported regions",
        ),
        (
            vec![
                "--username",
                "Zhao Li",
                "--role",
                "admin",
                "--password-stdin",
            ],
            "a long enough password",
            "is not a username",
        ),
        (
            vec!["--username", "zhao", "--role", "admin"],
            "a long enough password",
            "--password-stdin",
        ),
    ] {
        let (code, _, stderr) = add(&args, password);
        assert_eq!(code, 1, "{args:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_reset_a_forgotten_password_and_a_lost_authenticator() {
    let dir = workdir();
    let env = [("QINGFENG_DATA_KEY", DATA_KEY)];
    assert_eq!(
        run(dir.path(), &env, &["content", "import", "content"]).0,
        0
    );
    let (code, _, stderr) = with_stdin(
        dir.path(),
        &env,
        &[
            "staff",
            "add",
            "--username",
            "admin",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "first long password",
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = with_stdin(
        dir.path(),
        &env,
        &[
            "staff",
            "set-password",
            "--username",
            "admin",
            "--password-stdin",
        ],
        "second long password",
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("unlocked"), "{stdout}");
    // Signing in checks the password against the stored hash: the new one works, the old not.
    let url: DatabaseUrl = format!("sqlite://{}", dir.path().join("qingfeng.db").display())
        .parse()
        .unwrap();
    let store = Store::open(&url, 1).await.unwrap();
    let login = store.staff_login("admin").await.unwrap().unwrap();
    let verify = qingfeng_dashboard::password::verify;
    assert!(verify("second long password", &login.password_hash));
    assert!(!verify("first long password", &login.password_hash));
    // An authenticator was set up, then lost.
    store
        .set_staff_totp(login.staff.id, Some("sealed secret"))
        .await
        .unwrap();
    let (code, stdout, stderr) = run(
        dir.path(),
        &env,
        &["staff", "reset-totp", "--username", "admin"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("two-step verification is off"), "{stdout}");
    let login = store.staff_login("admin").await.unwrap().unwrap();
    assert_eq!(login.totp_secret, None, "sign-in asks for no code now");
    store.close().await;
    let (code, _, stderr) = run(
        dir.path(),
        &env,
        &["staff", "reset-totp", "--username", "nobody"],
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("no account `nobody`"), "{stderr}");
}
