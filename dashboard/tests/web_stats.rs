//! The statistics commissions report: 按期受理率 and 办结率 by desk over a date range.

mod common;

use chrono::{Duration, Utc};
use common::*;
use qingfeng_core::domain::{PersonLevel, Reporter};
use qingfeng_core::testing::report;

qingfeng_core::store_test!(handling_rates_by_desk_follow_the_date_range, |store| {
    qingfeng_core::testing::import_shipped(&store, &["calendar.toml"]).await;
    let web = Web::new(store).await;
    let me = web.sign_in("admin").await;
    let about = || {
        report(
            Some("baofeng"),
            PersonLevel::Staff,
            Reporter::Anonymous { notify: false },
        )
    };
    // Two reports from 40 days ago, past their acceptance deadline: one is accepted now
    // (late), one is never decided. One from today is accepted at once (on time).
    let long_ago = Utc::now() - Duration::days(40);
    let late = web.file_at(&about(), long_ago).await;
    web.file_at(&about(), long_ago).await;
    let prompt = web.file(&about()).await;
    for id in [late, prompt] {
        let accepted = web
            .post(
                &format!("/reports/{id}"),
                &me.cookie,
                &[("action", "accept"), ("csrf", &me.csrf)],
            )
            .await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    }

    let page = web.get("/stats", &me.cookie).await;
    let text = visible_text(&page.body);
    assert!(
        text.contains("按期受理率") && text.contains("办结率"),
        "{text}"
    );
    // Decided on time: 1 of the 3 owed; concluded: none of the 2 accepted.
    assert!(text.contains("33.3% (1/3)"), "{text}");
    assert!(text.contains("0.0% (0/2)"), "{text}");

    // Only today's report in a range of today alone.
    let today = Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    let page = web
        .get(&format!("/stats?from={today}&to={today}"), &me.cookie)
        .await;
    let text = visible_text(&page.body);
    assert!(text.contains("100.0% (1/1)"), "{text}");
    let csv = web
        .get(
            &format!("/stats/handling.csv?from={today}&to={today}"),
            &me.cookie,
        )
        .await;
    assert!(csv.body.contains("100.0% (1/1)"), "{}", csv.body);

    // A nonsense range is answered, inside the layout.
    let bad = web.get("/stats?from=2026-13-40", &me.cookie).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
});
