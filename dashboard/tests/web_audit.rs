//! Every staff action and every look at report content leaves `(account, action, report)` in
//! the audit log, written by the dashboard as it happens.

mod common;

use common::*;

type Line = (String, String, Option<i64>);
/// A report, an action, and the form fields it needs.
type Step<'a> = (i64, &'a str, Vec<(&'a str, &'a str)>);

async fn audit_lines(web: &Web) -> Vec<Line> {
    web.store
        .audit_log(1000, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.username, e.action, e.report_id))
        .collect()
}

fn line(account: &str, action: &str, report: Option<i64>) -> Line {
    (account.to_owned(), action.to_owned(), report)
}

qingfeng_core::store_test!(every_action_and_view_is_audited, |store| {
    let web = Web::new(store).await;
    qingfeng_core::testing::import_shipped(&web.store, &["campaigns.toml"]).await;
    let filed = report(
        Some("baofeng"),
        PersonLevel::Staff,
        Reporter::Anonymous { notify: false },
    );
    let mut ids = Vec::new();
    for _ in 0..4 {
        ids.push(web.file(&filed).await);
    }
    let [worked, refused, forwarded, repeated] = ids[..] else {
        unreachable!()
    };
    let me = web.sign_in("admin").await;
    let mut expected = vec![line("admin", "login", None)];

    assert_eq!(
        web.get(&format!("/reports/{worked}"), &me.cookie)
            .await
            .status,
        StatusCode::OK
    );
    expected.push(line("admin", "report.view", Some(worked)));
    let evidence = web
        .get(&format!("/reports/{worked}/evidence/0"), &me.cookie)
        .await;
    assert_eq!(evidence.status, StatusCode::OK);
    expected.push(line("admin", "report.evidence", Some(worked)));

    // Merged while the report it repeats is still open.
    let of = worked.to_string();
    let merged = web
        .post(
            &format!("/reports/{repeated}"),
            &me.cookie,
            &[
                ("csrf", &me.csrf),
                ("action", "duplicate"),
                ("confirmed", "1"),
                ("of", &of),
            ],
        )
        .await;
    assert_eq!(
        merged.location(),
        format!("/reports/{repeated}?done=duplicate")
    );
    expected.push(line("admin", "report.duplicate", Some(repeated)));
    let steps: Vec<Step> = vec![
        (worked, "accept", vec![]),
        (worked, "assign", vec![("staff", "baofeng")]),
        (
            worked,
            "dispose",
            vec![("disposal", "preliminary_verification")],
        ),
        (worked, "reply", vec![("text", "已收到，正在核查。")]),
        (worked, "note", vec![("text", "内部备注")]),
        (worked, "conclude", vec![]),
        (
            worked,
            "close",
            vec![("text", "经核查，问题属实，已依规处理。")],
        ),
        (
            refused,
            "not_accept",
            vec![("text", "不属于本机关受理范围。")],
        ),
        (forwarded, "forward", vec![("desk", "majiadu")]),
    ];
    for (id, action, fields) in steps {
        let mut form = vec![
            ("csrf", me.csrf.as_str()),
            ("action", action),
            ("confirmed", "1"),
        ];
        form.extend(fields);
        let done = web.post(&format!("/reports/{id}"), &me.cookie, &form).await;
        assert_eq!(
            done.location(),
            format!("/reports/{id}?done={action}"),
            "{action}"
        );
        expected.push(line("admin", &format!("report.{action}"), Some(id)));
    }

    let campaign = "/campaigns/weekly-enterprise-tip/action";
    for action in ["pause", "resume", "run"] {
        let done = web
            .post(
                campaign,
                &me.cookie,
                &[("csrf", &me.csrf), ("action", action)],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{action}");
        expected.push(line("admin", &format!("campaign.{action}"), None));
    }
    let edit = web
        .get("/campaigns/weekly-enterprise-tip/edit", &me.cookie)
        .await;
    let toml = edit.body.split("<textarea").nth(1).unwrap();
    let toml = toml[toml.find('>').unwrap() + 1..]
        .split("</textarea>")
        .next()
        .unwrap();
    let toml = toml
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    for (original, toml) in [
        ("weekly-enterprise-tip", toml.clone()),
        ("", toml.replace("weekly-enterprise-tip", "audited-new")),
    ] {
        let saved = web
            .post(
                "/campaigns/save",
                &me.cookie,
                &[("csrf", &me.csrf), ("original", original), ("toml", &toml)],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    expected.push(line("admin", "campaign.edit", None));
    expected.push(line("admin", "campaign.create", None));

    let stats = web.get("/stats", &me.cookie).await;
    let csv = stats
        .body
        .split("href=\"/stats/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert_eq!(
        web.get(&format!("/stats/{csv}"), &me.cookie).await.status,
        StatusCode::OK
    );
    expected.push(line("admin", "stats.export", None));

    let changed = web
        .post(
            "/account/password",
            &me.cookie,
            &[
                ("csrf", me.csrf.as_str()),
                ("current", PASSWORD),
                ("new", "another long password"),
                ("confirm", "another long password"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    expected.push(line("admin", "password.change", None));

    let township = web.sign_in("baofeng").await;
    expected.push(line("baofeng", "login", None));
    let setup = web.get("/account/totp", &township.cookie).await;
    let secret = setup.hidden("secret");
    let code = qingfeng_dashboard::totp::current_code(&secret, Utc::now().timestamp()).unwrap();
    let enabled = web
        .post(
            "/account/totp",
            &township.cookie,
            &[
                ("csrf", township.csrf.as_str()),
                ("secret", &secret),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(enabled.status, StatusCode::SEE_OTHER, "{}", enabled.body);
    expected.push(line("baofeng", "totp.enable", None));
    let out = web
        .post("/logout", &township.cookie, &[("csrf", &township.csrf)])
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    expected.push(line("baofeng", "logout", None));

    let lines = audit_lines(&web).await;
    for want in &expected {
        assert!(lines.contains(want), "missing {want:?} in {lines:#?}");
    }
});

qingfeng_core::store_test!(a_quiz_import_is_audited, |store| {
    let web = Web::new(store).await;
    let me = web.sign_in("admin").await;
    let toml = std::fs::read_to_string(qingfeng_core::testing::shipped_content(
        "quiz/reporting.toml",
    ))
    .unwrap_or_default();
    assert!(!toml.is_empty(), "the shipped quiz file moved");
    let imported = web
        .post(
            "/quizzes/import",
            &me.cookie,
            &[("csrf", &me.csrf), ("toml", &toml)],
        )
        .await;
    assert_eq!(imported.location(), "/quizzes", "{}", imported.body);
    assert!(
        audit_lines(&web)
            .await
            .contains(&line("admin", "quiz.import", None))
    );
});
