//! `qingfeng serve --sandbox` as a newcomer runs it: the real binary in an empty directory
//! with no `QINGFENG_*` variables (only a free dashboard port). It serves the sandbox chat
//! page, the bot offers the whole county to a test person, nothing connects beyond loopback,
//! and a second start reuses the key, the database and the accounts.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::sandbox::{Browser, SandboxServer, form_csrf};
use serde_json::Value;

/// Polls the person's chat JSON until `found` picks something out of it.
fn wait_for<T>(
    browser: &mut Browser,
    person: &str,
    what: &str,
    found: impl Fn(&Value) -> Option<T>,
) -> T {
    let started = Instant::now();
    loop {
        let reply = browser.get(&format!("/sandbox/chat/{person}"));
        assert_eq!(reply.status, 200, "{}", reply.body);
        let chat: Value = serde_json::from_str(&reply.body).unwrap();
        if let Some(value) = found(&chat) {
            return value;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no {what} in the chat: {chat:#}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The bot message whose HTML contains `needle`.
fn message_with(chat: &Value, needle: &str) -> Option<Value> {
    chat["messages"]
        .as_array()?
        .iter()
        .rev()
        .find(|m| m["from_bot"] == true && m["html"].as_str().is_some_and(|h| h.contains(needle)))
        .cloned()
}

fn buttons(message: &Value) -> Vec<(String, String)> {
    message["buttons"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .filter_map(|b| {
            Some((
                b["text"].as_str()?.to_owned(),
                b["data"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

/// The socket inodes the process holds open.
fn socket_inodes(pid: u32) -> HashSet<String> {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok())
        .filter_map(|target| {
            let target = target.to_string_lossy().into_owned();
            Some(
                target
                    .strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .to_owned(),
            )
        })
        .collect()
}

/// Whether a `/proc/net` address (hex, each 32-bit word in host order) is loopback or zero:
/// 127.0.0.0/8, ::1, ::ffff:127.x.x.x, 0.0.0.0 or ::.
fn loopback_or_zero(hex_ip: &str) -> bool {
    let words: Vec<[u8; 4]> = hex_ip
        .as_bytes()
        .chunks(8)
        .map(|w| {
            u32::from_str_radix(std::str::from_utf8(w).unwrap(), 16)
                .unwrap()
                .to_ne_bytes()
        })
        .collect();
    let bytes: Vec<u8> = words.concat();
    match bytes.len() {
        4 => bytes[0] == 127 || bytes == [0; 4],
        16 => {
            let ip = std::net::Ipv6Addr::from(<[u8; 16]>::try_from(bytes).unwrap());
            ip.is_loopback()
                || ip.is_unspecified()
                || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        _ => false,
    }
}

/// Every TCP and UDP socket of the process, as `(table, local, remote)`.
fn sockets_of(pid: u32) -> Vec<(String, String, String)> {
    let inodes = socket_inodes(pid);
    let mut found = Vec::new();
    for table in ["tcp", "tcp6", "udp", "udp6"] {
        let text = std::fs::read_to_string(format!("/proc/{pid}/net/{table}")).unwrap();
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() > 9 && inodes.contains(fields[9]) {
                found.push((table.to_owned(), fields[1].to_owned(), fields[2].to_owned()));
            }
        }
    }
    found
}

#[test]
fn loopback_detection_reads_proc_net_addresses() {
    assert!(loopback_or_zero("0100007F"));
    assert!(loopback_or_zero("00000000"));
    assert!(!loopback_or_zero("0101A8C0")); // 192.168.1.1
    assert!(loopback_or_zero("00000000000000000000000001000000")); // ::1
    assert!(loopback_or_zero("0000000000000000FFFF00000100007F")); // ::ffff:127.0.0.1
    assert!(!loopback_or_zero("0000000000000000FFFF00000101A8C0")); // ::ffff:192.168.1.1
    assert!(!loopback_or_zero("B80D0120000000000000000001000000")); // 2001:db8::1
}

/// A new test person starts the bot and chooses "household": the townships the bot offers.
fn townships_offered(browser: &mut Browser, csrf: &str) -> Vec<String> {
    let created = browser.post(
        "/sandbox/people",
        &[("csrf", csrf), ("name", "王伟"), ("language", "zh-hans")],
        &[],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let location = created.header("location").unwrap().to_owned();
    let person = location
        .strip_prefix("/sandbox?person=")
        .unwrap()
        .to_owned();
    let xhr = [("X-Sandbox", "1")];
    let started = browser.post(
        &format!("/sandbox/chat/{person}/text"),
        &[("csrf", csrf), ("text", "/start")],
        &xhr,
    );
    assert_eq!(started.status, 204, "{}", started.body);
    let ask = wait_for(browser, &person, "audience question", |c| {
        message_with(c, "请选择您的身份")
    });
    let (_, household) = buttons(&ask)
        .into_iter()
        .find(|(label, _)| label.contains("家庭"))
        .expect("a household button");
    let id = ask["id"].to_string();
    let pressed = browser.post(
        &format!("/sandbox/chat/{person}/press"),
        &[("csrf", csrf), ("message", &id), ("data", &household)],
        &xhr,
    );
    assert_eq!(pressed.status, 204, "{}", pressed.body);
    let townships = wait_for(browser, &person, "township question", |c| {
        message_with(c, "请选择您所在的乡镇")
    });
    buttons(&townships)
        .into_iter()
        .map(|(label, _)| label)
        .filter(|label| label.ends_with('镇') || label.ends_with('乡'))
        .collect()
}

/// Every socket of the process is loopback (or unconnected) at both ends.
fn assert_only_loopback(pid: u32) {
    let sockets = sockets_of(pid);
    assert!(
        !sockets.is_empty(),
        "the process has its listeners at least"
    );
    for (table, local, remote) in &sockets {
        let (ip, _port) = remote.split_once(':').unwrap();
        assert!(
            loopback_or_zero(ip),
            "{table} socket {local} -> {remote} leaves loopback"
        );
    }
}

#[test]
fn serve_sandbox_in_an_empty_directory_offers_all_seventeen_townships_over_loopback_only() {
    let dir = tempfile::tempdir().unwrap();
    let server = SandboxServer::start(dir.path());
    let admin = server.passwords.get("sandbox-admin").cloned();
    let admin = admin.unwrap_or_else(|| panic!("no admin password in:\n{}", server.banner));
    assert!(
        server.passwords.contains_key("sandbox-baofeng"),
        "{}",
        server.banner
    );
    let key_file = dir.path().join("qingfeng-sandbox.key");
    let key = std::fs::read_to_string(&key_file).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is the owner's only");
    }
    assert!(dir.path().join("qingfeng-sandbox.db").is_file());

    let mut browser = Browser::new(server.addr);
    assert_eq!(browser.get("/sandbox").status, 303, "sign-in first");
    browser.sign_in("sandbox-admin", &admin);
    let page = browser.get("/sandbox");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("id=\"sandbox-banner\""),
        "the SANDBOX banner"
    );
    assert!(
        browser
            .get("/reports")
            .body
            .contains("id=\"sandbox-banner\"")
    );
    let csrf = form_csrf(&page.body);

    let offered = townships_offered(&mut browser, &csrf);
    assert_eq!(offered.len(), 17, "{offered:?}");
    assert_only_loopback(server.pid());
    let first_log = server.stderr.clone();
    assert_eq!(server.stop(), Some(0), "a clean exit on SIGTERM");
    // A brand-new database missed nothing: the reminders due before it existed are not news.
    let log = first_log.lock().unwrap().clone();
    assert!(!log.contains("missed while the service was down"), "{log}");

    // A second start: same key, same database (the admin's password still works), no new
    // passwords printed, the same test people.
    let server = SandboxServer::start(dir.path());
    assert!(server.passwords.is_empty(), "{}", server.banner);
    assert!(server.banner.contains("exist"), "{}", server.banner);
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), key);
    let mut browser = Browser::new(server.addr);
    browser.sign_in("sandbox-admin", &admin);
    let page = browser.get("/sandbox");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("王伟"),
        "the test person is listed again"
    );
    let stderr = server.stderr.clone();
    assert_eq!(server.stop(), Some(0), "{}", stderr.lock().unwrap());
}

#[test]
fn serve_sandbox_refuses_postgres_the_production_default_a_public_address_and_a_lost_key() {
    let dir = tempfile::tempdir().unwrap();
    let env = [(
        "QINGFENG_DATABASE_URL",
        "postgres://postgres@127.0.0.1:5432/postgres",
    )];
    let (code, _, stderr) = common::binary::run(dir.path(), &env, &["serve", "--sandbox"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("PostgreSQL"), "{stderr}");
    for url in ["sqlite://qingfeng.db", "sqlite:./qingfeng.db?mode=rwc"] {
        let env = [("QINGFENG_DATABASE_URL", url)];
        let (code, _, stderr) = common::binary::run(dir.path(), &env, &["serve", "--sandbox"]);
        assert_eq!(code, 2, "{url}: {stderr}");
        assert!(stderr.contains("production default"), "{stderr}");
    }
    let env = [("QINGFENG_HTTP_ADDR", "0.0.0.0:0")];
    let (code, _, stderr) = common::binary::run(dir.path(), &env, &["serve", "--sandbox"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("loopback"), "{stderr}");
    assert!(
        !dir.path().join("qingfeng.db").exists(),
        "nothing was written to the production default"
    );
    // A sandbox database whose key file went missing: a new key could never read it.
    std::fs::write(dir.path().join("qingfeng-sandbox.db"), b"").unwrap();
    let (code, _, stderr) = common::binary::run(dir.path(), &[], &["serve", "--sandbox"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("key file"), "{stderr}");
    assert!(
        !dir.path().join("qingfeng-sandbox.key").exists(),
        "no new key"
    );
}

#[test]
fn sandbox_dir_keeps_the_key_and_database_where_it_says() {
    let dir = tempfile::tempdir().unwrap();
    let server = SandboxServer::start_with(dir.path(), &["--sandbox-dir", "trial/one"]);
    let data = dir.path().join("trial/one");
    assert!(
        data.join("qingfeng-sandbox.key").is_file(),
        "{}",
        server.banner
    );
    assert!(data.join("qingfeng-sandbox.db").is_file());
    assert!(!dir.path().join("qingfeng-sandbox.db").exists());
    assert!(server.banner.contains("trial/one"), "{}", server.banner);
    let mut browser = Browser::new(server.addr);
    browser.sign_in("sandbox-baofeng", &server.passwords["sandbox-baofeng"]);
    let page = browser.get("/sandbox");
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("id=\"reset-sandbox\""),
        "reset is for admins"
    );
    assert_eq!(server.stop(), Some(0));
}

/// A household signed up through a poster scan takes a quiz sent as Telegram polls, answered
/// through the page's poll endpoint (`quiz.polls = true` in the sandbox's qingfeng.toml).
#[test]
fn a_poster_scan_signs_up_and_a_poll_quiz_reaches_its_score() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("qingfeng.toml"), "[quiz]\npolls = true\n").unwrap();
    let server = SandboxServer::start(dir.path());
    let mut browser = Browser::new(server.addr);
    browser.sign_in("sandbox-admin", &server.passwords["sandbox-admin"]);
    let csrf = form_csrf(&browser.get("/sandbox").body);
    let created = browser.post(
        "/sandbox/people",
        &[("csrf", &csrf), ("name", "李娜"), ("language", "zh-hans")],
        &[],
    );
    let location = created.header("location").unwrap().to_owned();
    let person = location
        .strip_prefix("/sandbox?person=")
        .unwrap()
        .to_owned();
    let scan = browser.post(
        "/sandbox/scan?audience=household&township=baofeng&village=longjing",
        &[("csrf", &csrf), ("person", &person)],
        &[],
    );
    assert_eq!(scan.status, 303, "{}", scan.body);
    let confirm = wait_for(&mut browser, &person, "confirmation", |c| {
        message_with(c, "请确认您的登记信息")
    });
    assert!(
        confirm["html"].as_str().unwrap().contains("龙井村"),
        "{confirm}"
    );
    let (_, yes) = buttons(&confirm)
        .into_iter()
        .find(|(label, _)| label.contains("确认"))
        .unwrap();
    let xhr = [("X-Sandbox", "1")];
    let id = confirm["id"].to_string();
    let press = [("csrf", csrf.as_str()), ("message", &id), ("data", &yes)];
    browser.post(&format!("/sandbox/chat/{person}/press"), &press, &xhr);
    wait_for(&mut browser, &person, "welcome", |c| {
        message_with(c, "登记成功")
    });

    let quiz = [("csrf", csrf.as_str()), ("text", "/quiz")];
    browser.post(&format!("/sandbox/chat/{person}/text"), &quiz, &xhr);
    for number in 1.. {
        let needle = format!("第 {number}/");
        let poll = wait_for(&mut browser, &person, &needle, |c| {
            message_with(c, &needle).filter(|m| m["poll"].is_object())
        });
        let poll_id = poll["poll"]["id"].as_str().unwrap().to_owned();
        let answer = [("csrf", csrf.as_str()), ("poll", &poll_id), ("option", "0")];
        let answered = browser.post(&format!("/sandbox/chat/{person}/poll"), &answer, &xhr);
        assert_eq!(answered.status, 204, "{}", answered.body);
        let next = format!("第 {}/", number + 1);
        let score = wait_for(&mut browser, &person, "next question or score", |c| {
            message_with(c, "本次得分")
                .map(Some)
                .or_else(|| message_with(c, &next).map(|_| None))
        });
        if score.is_some() {
            break;
        }
        assert!(number < 20, "the quiz did not end");
    }
    assert_eq!(server.stop(), Some(0));
}
