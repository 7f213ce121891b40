//! Chinese throughout: history, evidence, campaign runs, the audit log, statistics and error
//! pages read in the staff member's language, with Beijing times, and no internal codes.

mod common;

use common::*;

qingfeng_core::store_test!(a_report_page_reads_in_chinese_with_beijing_times, |store| {
    let web = Web::new(store).await;
    let id = web.file(&anonymous_baofeng_report()).await;
    let me = web.sign_in("admin").await;
    for form in [
        vec![("action", "accept")],
        vec![("action", "assign"), ("staff", "admin")],
        vec![
            ("action", "dispose"),
            ("disposal", "preliminary_verification"),
        ],
        vec![("action", "note"), ("text", "请核实")],
    ] {
        let mut form = form;
        form.push(("csrf", &me.csrf));
        let done = web.post(&format!("/reports/{id}"), &me.cookie, &form).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    }
    let page = web.get(&format!("/reports/{id}"), &me.cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_no_internal_codes("the report page", &page.body, &[]);
    let text = visible_text(&page.body);
    let today = Utc::now().with_timezone(&chrono_tz::Asia::Shanghai);
    let zh_date = format!(
        "{}年{}月{}日",
        today.format("%Y"),
        today.format("%-m"),
        today.format("%-d")
    );
    for expected in [
        "收到举报，承办部门：宝丰镇纪委",
        "指定承办人：admin",
        "确定处置方式：初步核实",
        "照片 118 KB",
        zh_date.as_str(),
    ] {
        assert!(text.contains(expected), "no `{expected}` in:\n{text}");
    }
    // The printed case file reads the same.
    let file = web.get(&format!("/reports/{id}/file"), &me.cookie).await;
    assert_no_internal_codes("the case file", &file.body, &[]);
    // The audit log names each action; no `report.view`, no seconds in UTC.
    let audit = web.get("/audit", &me.cookie).await;
    assert_no_internal_codes("the audit log", &audit.body, &[]);
    let audit = visible_text(&audit.body);
    assert!(
        audit.contains("查看举报件") && audit.contains("受理") && audit.contains(&zh_date),
        "{audit}"
    );
});

qingfeng_core::store_test!(campaign_runs_and_statistics_read_in_chinese, |store| {
    qingfeng_core::testing::import_shipped(&store, &["calendar.toml"]).await;
    let web = Web::new(store).await;
    qingfeng_core::testing::import_shipped(&web.store, &["campaigns.toml"]).await;
    let me = web.sign_in("admin").await;
    let campaigns = web.store.campaigns().await.unwrap();
    let ids: Vec<String> = campaigns
        .iter()
        .map(|c| c.campaign.id.to_string())
        .collect();
    let id = &ids[0];
    let run = web
        .post(
            &format!("/campaigns/{id}/action"),
            &me.cookie,
            &[("csrf", &me.csrf), ("action", "run")],
        )
        .await;
    assert_eq!(run.status, StatusCode::SEE_OTHER, "{}", run.body);
    let codes: Vec<&str> = ids.iter().map(String::as_str).collect();
    let page = web.get(&format!("/campaigns/{id}"), &me.cookie).await;
    assert_no_internal_codes("the campaign page", &page.body, &codes);
    assert!(
        visible_text(&page.body).contains("（手动 · 已发出）"),
        "{}",
        page.body
    );
    let list = web.get("/campaigns", &me.cookie).await;
    assert_no_internal_codes("the campaign list", &list.body, &codes);
    // Schedules in words, not cron expressions.
    let listed = visible_text(&list.body);
    assert!(
        listed.contains("每周一 09:00") && listed.contains("每月1日 09:00"),
        "{listed}"
    );
    assert!(!listed.contains("cron "), "{listed}");
    web.file(&report(
        Some("baofeng"),
        PersonLevel::Staff,
        Reporter::Anonymous { notify: false },
    ))
    .await;
    let stats = web.get("/stats", &me.cookie).await;
    assert_no_internal_codes("the statistics", &stats.body, &codes);
    let month = Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y年%-m月")
        .to_string();
    assert!(visible_text(&stats.body).contains(&month), "{}", stats.body);
    let audit = web.get("/audit", &me.cookie).await;
    assert_no_internal_codes("the audit log", &audit.body, &codes);
    // The quiz page names this period in words (2026年第49周), not as an ISO week.
    let quizzes = web.get("/quizzes", &me.cookie).await;
    assert_eq!(quizzes.status, StatusCode::OK);
    assert_no_internal_codes("the quiz page", &quizzes.body, &codes);
    assert!(
        visible_text(&quizzes.body).contains("周"),
        "{}",
        quizzes.body
    );
});

qingfeng_core::store_test!(error_pages_are_in_the_layout_with_the_menu, |store| {
    let web = Web::new(store).await;
    let me = web.sign_in("baofeng").await;
    for (path, status, sentence) in [
        (
            "/reports/999999",
            StatusCode::NOT_FOUND,
            "未找到这个页面或举报件",
        ),
        (
            "/no-such-page",
            StatusCode::NOT_FOUND,
            "未找到这个页面或举报件",
        ),
        (
            "/reports?status=nonsense",
            StatusCode::BAD_REQUEST,
            "请求有误",
        ),
    ] {
        let page = web.get(path, &me.cookie).await;
        assert_eq!(page.status, status, "{path}");
        assert!(
            page.body.contains(sentence) && page.body.contains("action=\"/logout\""),
            "{path}: {}",
            page.body
        );
    }
    // axum's own refusals (a form without its fields, a wrong method) read the same way.
    let malformed = web
        .post("/reports/1", &me.cookie, &[("csrf", &me.csrf)])
        .await;
    assert!(malformed.status.is_client_error());
    assert!(malformed.body.contains("请求有误") && malformed.body.contains("action=\"/logout\""));
    let wrong_method = web.get("/reports/assign", &me.cookie).await;
    assert!(
        wrong_method.body.contains("请求有误"),
        "{}",
        wrong_method.body
    );
    let refused = web
        .post(
            "/reports/1",
            &me.cookie,
            &[("csrf", "wrong"), ("action", "accept")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("表单已过期") && refused.body.contains("action=\"/logout\""));
    // Signed out, the page is still in the layout, with the way to sign in.
    let anonymous = web.get("/no-such-page", "").await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);
    assert!(anonymous.body.contains("href=\"/login\"") && !anonymous.body.contains("/logout"));
});
