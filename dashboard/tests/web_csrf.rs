//! Every state-changing form is refused without its CSRF token: each POST route, with its token
//! missing, forged, or taken from another account's page, answers 403 and changes nothing. A
//! POST route added without an entry in the table below fails the first test.

mod common;

use std::collections::BTreeSet;

use common::*;

/// Each POST route with a form that would succeed with the right token.
fn forms(report_id: i64) -> Vec<(String, Vec<(&'static str, String)>)> {
    let owned = |pairs: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    };
    let now = chrono::Utc::now().timestamp();
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let code = qingfeng_dashboard::totp::current_code(secret, now).unwrap();
    vec![
        (
            "/login".into(),
            owned(&[("username", "admin"), ("password", PASSWORD)]),
        ),
        ("/logout".into(), Vec::new()),
        ("/settings/texts".into(), owned(&[("reply", "已收悉。")])),
        (
            "/account/password".into(),
            owned(&[
                ("current", PASSWORD),
                ("new", "another long password"),
                ("confirm", "another long password"),
            ]),
        ),
        (
            "/account/totp".into(),
            owned(&[("secret", secret), ("code", &code)]),
        ),
        (
            "/campaigns/weekly-enterprise-tip/action".into(),
            owned(&[("action", "pause")]),
        ),
        (
            "/campaigns/save".into(),
            owned(&[("original", ""), ("toml", NEW_CAMPAIGN)]),
        ),
        ("/quizzes/import".into(), owned(&[("toml", QUESTION)])),
        (
            format!("/reports/{report_id}"),
            owned(&[("action", "accept")]),
        ),
        (
            "/reports/assign".into(),
            vec![("staff", "admin".into()), ("id", report_id.to_string())],
        ),
        // The sandbox's (404 after the token check in real mode, as here).
        (
            "/sandbox/people".into(),
            owned(&[("name", "王伟"), ("language", "zh-hans")]),
        ),
        ("/sandbox/reset".into(), owned(&[("confirm", "yes")])),
        (
            "/sandbox/scan?audience=household&township=baofeng".into(),
            owned(&[("person", "7")]),
        ),
        ("/sandbox/chat/7/text".into(), owned(&[("text", "/start")])),
        (
            "/sandbox/chat/7/press".into(),
            owned(&[("message", "3"), ("data", "aud:household")]),
        ),
        (
            "/sandbox/chat/7/poll".into(),
            owned(&[("poll", "P1"), ("option", "0")]),
        ),
        // Not multipart, so no token can be read from it.
        ("/sandbox/chat/7/file".into(), Vec::new()),
    ]
}

const NEW_CAMPAIGN: &str = r#"[[campaigns]]
id = "csrf-probe"
title_zh = "探测"
title_en = "Probe"
audience = "all"
schedule = { manual = true }
[[campaigns.messages]]
zh-CN = "探测"
en = "Probe"
"#;

const QUESTION: &str = r#"[[questions]]
id = "csrf-probe"
topics = ["reporting"]
audience = "all"
question_zh = "纪检监察机关的全国统一举报电话是多少？"
question_en = "What is the commissions' national reporting line?"
options_zh = ["12388", "12345"]
options_en = ["12388", "12345"]
answer = 1
explanation_zh = "12388 是纪检监察举报电话。"
explanation_en = "12388 is the reporting line."
source = "《纪检监察机关处理检举控告工作规则》"
"#;

/// The route paths declared with `post(` in the dashboard's sources (`src/routes` and its
/// subfolders), with their `{..}` parameters, however rustfmt wrapped the `.route(` call.
fn declared_post_routes() -> BTreeSet<String> {
    let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/routes")];
    let mut routes = BTreeSet::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let source = std::fs::read_to_string(path).unwrap();
            for call in source.split(".route(").skip(1) {
                let call = call.trim_start();
                let Some(rest) = call.strip_prefix('"') else {
                    continue;
                };
                let (route, handlers) = rest.split_once('"').unwrap();
                // The method router is the call's second argument: up to the line that closes
                // the call.
                if handlers.split(")\n").next().unwrap().contains("post(") {
                    routes.insert(route.to_owned());
                }
            }
        }
    }
    routes
}

/// Replaces the concrete ids in a tested path with the router's `{id}` (`{person}` for a
/// sandbox chat), and drops the query.
fn pattern(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    let parts: Vec<&str> = path.split('/').collect();
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| match (i, *part) {
            (3, p) if parts[2] == "chat" && p.chars().all(|c| c.is_ascii_digit()) => {
                "{person}".to_owned()
            }
            (2, p) if p.chars().all(|c| c.is_ascii_digit()) || p == "weekly-enterprise-tip" => {
                "{id}".to_owned()
            }
            (_, p) => (*p).to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn the_table_names_every_post_route() {
    let declared = declared_post_routes();
    let tested: BTreeSet<String> = forms(1).iter().map(|(path, _)| pattern(path)).collect();
    assert!(declared.len() >= 8, "routes found: {declared:?}");
    assert_eq!(declared, tested, "add each new POST route to `forms`");
}

/// What a refused form must leave alone.
async fn snapshot(web: &Web, report_id: i64) -> String {
    let store = &web.store;
    let staff = store.staff_login("admin").await.unwrap().unwrap();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?} {:?} {:?}\n{}",
        store.report_record(report_id).await.unwrap(),
        store.report_messages(report_id).await.unwrap(),
        store.campaigns().await.unwrap(),
        store.questions_for(Audience::Enterprise).await.unwrap(),
        staff.password_hash,
        staff.totp_secret,
        staff.staff,
        store.audit_log(1000, 0).await.unwrap().len(),
    )
}

qingfeng_core::store_test!(a_missing_or_forged_csrf_token_changes_nothing, |store| {
    let web = Web::new(store).await;
    qingfeng_core::testing::import_shipped(&web.store, &["campaigns.toml"]).await;
    let id = web
        .file(&report(
            Some("baofeng"),
            PersonLevel::Staff,
            Reporter::Anonymous { notify: false },
        ))
        .await;
    let me = web.sign_in("admin").await;
    let other = web.sign_in("baofeng").await;
    let login_page = web.get("/login", "").await;
    let login_cookie = format!("qf_login={}", login_page.cookie("qf_login").unwrap());
    let before = snapshot(&web, id).await;
    for (path, form) in forms(id) {
        let cookie = if path == "/login" {
            login_cookie.clone()
        } else {
            me.cookie.clone()
        };
        for (how, token) in [
            ("missing", None),
            (
                "forged",
                Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            ),
            ("another account's", Some(other.csrf.as_str())),
        ] {
            let mut fields: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            if let Some(token) = token {
                fields.push(("csrf", token));
            }
            let response = web.post(&path, &cookie, &fields).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{path} with the token {how}: {}",
                response.body
            );
            assert!(response.cookie("qf_session").is_none(), "{path}: {how}");
            assert_eq!(
                snapshot(&web, id).await,
                before,
                "{path} with the token {how}"
            );
        }
    }
    // The session survived the forged sign-out.
    assert_eq!(web.get("/reports", &me.cookie).await.status, StatusCode::OK);
    // And the same forms with the right token do change things (the table is not inert).
    let accepted = web
        .post(
            &format!("/reports/{id}"),
            &me.cookie,
            &[("action", "accept"), ("csrf", &me.csrf)],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert_ne!(snapshot(&web, id).await, before);
});
