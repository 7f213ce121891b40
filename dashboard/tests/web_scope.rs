//! A township account sees its own desk and nothing else, whatever it asks for: every queue
//! filter, another township in the URL, county-only pages and county-only forms.

mod common;

use chrono::NaiveDate;
use common::*;
use qingfeng_core::store::{ReportFilter, ReportScope};

async fn file_at(web: &Web, township: &str, category: &str) -> i64 {
    let mut r = report(
        Some(township),
        PersonLevel::Staff,
        Reporter::Anonymous { notify: false },
    );
    r.category = category.parse().unwrap();
    web.file(&r).await
}

fn filters() -> Vec<(&'static str, ReportFilter)> {
    let none = ReportFilter::default;
    vec![
        ("no filter", none()),
        (
            "the other desk",
            ReportFilter {
                desk: Some("majiadu".parse().unwrap()),
                ..none()
            },
        ),
        (
            "its own desk",
            ReportFilter {
                desk: Some("baofeng".parse().unwrap()),
                ..none()
            },
        ),
        (
            "the other township",
            ReportFilter {
                township: Some("majiadu".parse().unwrap()),
                ..none()
            },
        ),
        (
            "its own township",
            ReportFilter {
                township: Some("baofeng".parse().unwrap()),
                ..none()
            },
        ),
        (
            "a status",
            ReportFilter {
                status: Some(ReportStatus::Received),
                ..none()
            },
        ),
        (
            "a category",
            ReportFilter {
                category: Some("banquets".parse().unwrap()),
                ..none()
            },
        ),
        (
            "overdue",
            ReportFilter {
                overdue_on: Some(NaiveDate::from_ymd_opt(2099, 1, 1).unwrap()),
                ..none()
            },
        ),
    ]
}

qingfeng_core::store_test!(
    list_reports_keeps_to_the_scope_under_every_filter,
    |store| {
        let web = Web::new(store).await;
        let mut majiadu = Vec::new();
        let mut baofeng = Vec::new();
        for category in ["gifts", "banquets"] {
            baofeng.push(file_at(&web, "baofeng", category).await);
            majiadu.push(file_at(&web, "majiadu", category).await);
        }
        let township = ReportScope::TownshipDesk("baofeng".parse().unwrap());
        for (what, filter) in filters() {
            let seen: Vec<i64> = web
                .store
                .list_reports(&township, &filter, 100, 0)
                .await
                .unwrap()
                .iter()
                .map(|r| r.id)
                .collect();
            assert!(
                seen.iter().all(|id| baofeng.contains(id)),
                "{what}: {seen:?}"
            );
            // The county sees the other desk's reports through the same filter, so the filter
            // itself is not what hid them.
            let county: Vec<i64> = web
                .store
                .list_reports(&ReportScope::All, &filter, 100, 0)
                .await
                .unwrap()
                .iter()
                .map(|r| r.id)
                .collect();
            assert!(
                seen.iter().all(|id| county.contains(id)),
                "{what}: the scope only narrows"
            );
            if what != "its own desk" && what != "its own township" {
                assert!(
                    county.iter().any(|id| majiadu.contains(id)),
                    "{what}: {county:?}"
                );
            }
        }
    }
);

qingfeng_core::store_test!(a_township_account_gets_nothing_county_wide, |store| {
    let web = Web::new(store).await;
    qingfeng_core::testing::import_shipped(&web.store, &["campaigns.toml"]).await;
    let other = file_at(&web, "majiadu", "gifts").await;
    let own = file_at(&web, "baofeng", "gifts").await;
    let me = web.sign_in("baofeng").await;

    let queue = web.get("/reports?township=majiadu", &me.cookie).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(
        !queue.body.contains(&format!("/reports/{other}\"")),
        "{}",
        queue.body
    );
    let queue = web.get("/reports", &me.cookie).await;
    assert!(
        queue.body.contains(&format!("/reports/{own}\"")),
        "{}",
        queue.body
    );
    assert_eq!(
        web.get(&format!("/reports/{other}"), &me.cookie)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    for path in [
        "/campaigns",
        "/campaigns/weekly-enterprise-tip",
        "/quizzes",
        "/audit",
    ] {
        assert_eq!(
            web.get(path, &me.cookie).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }

    let campaigns_before = format!("{:?}", web.store.campaigns().await.unwrap());
    let questions_before = web
        .store
        .questions_for(Audience::Enterprise)
        .await
        .unwrap()
        .len();
    let posts: [(&str, Vec<(&str, &str)>); 3] = [
        (
            "/campaigns/weekly-enterprise-tip/action",
            vec![("action", "pause")],
        ),
        (
            "/campaigns/save",
            vec![
                ("original", ""),
                ("toml", "[[campaigns]]\nid = \"township-made\"\n"),
            ],
        ),
        (
            "/quizzes/import",
            vec![("toml", "[[questions]]\nid = \"township-made\"\n")],
        ),
    ];
    for (path, fields) in posts {
        let mut form = vec![("csrf", me.csrf.as_str())];
        form.extend(fields);
        let response = web.post(path, &me.cookie, &form).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        format!("{:?}", web.store.campaigns().await.unwrap()),
        campaigns_before
    );
    assert_eq!(
        web.store
            .questions_for(Audience::Enterprise)
            .await
            .unwrap()
            .len(),
        questions_before
    );
    let pause = web
        .post(
            &format!("/reports/{other}"),
            &me.cookie,
            &[("csrf", &me.csrf), ("action", "accept")],
        )
        .await;
    assert_eq!(pause.status, StatusCode::NOT_FOUND);
    assert_eq!(status_of(&web, other).await, ReportStatus::Received);
});
