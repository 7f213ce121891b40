//! The queue: deadline badges, the reporter-wrote-back marker, search (audited), 我的案件,
//! finished reports hidden by default, and bulk assignment.

mod common;

use common::*;
use qingfeng_core::reports::follow_up::reporter_message;

fn baofeng() -> NewReport {
    anonymous_baofeng_report()
}

fn row(queue: &str, id: i64) -> &str {
    let start = queue
        .find(&format!("id=\"row-{id}\""))
        .unwrap_or_else(|| panic!("no row {id} in:\n{queue}"));
    let end = start + queue[start..].find("</tr>").unwrap();
    &queue[start..end]
}

qingfeng_core::store_test!(the_queue_shows_the_next_deadline_as_a_badge, |store| {
    let web = Web::new(store).await;
    let overdue = web
        .file_at(&baofeng(), Utc::now() - chrono::TimeDelta::days(40))
        .await;
    let fresh = web.file(&baofeng()).await;
    let me = web.sign_in("admin").await;
    let queue = web.get("/reports", &me.cookie).await;
    assert_eq!(queue.status, StatusCode::OK);
    let due = web
        .store
        .report_record(overdue)
        .await
        .unwrap()
        .unwrap()
        .acceptance_due;
    let today = Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    let days = (today - due).num_days();
    assert!(days > 0);
    let late = row(&queue.body, overdue);
    assert!(
        late.contains(&format!(
            "受理告知 <span class=\"badge overdue\">逾期 {days} 天</span>"
        )),
        "{late}"
    );
    assert!(late.contains("宝丰镇纪委"), "the desk column: {late}");
    let fresh_due = web
        .store
        .report_record(fresh)
        .await
        .unwrap()
        .unwrap()
        .acceptance_due;
    let ahead = (fresh_due - today).num_days();
    assert!(
        row(&queue.body, fresh).contains(&format!("{ahead} 天后到期")),
        "{}",
        row(&queue.body, fresh)
    );
    // Every cell of the row opens the report.
    assert!(
        late.matches(&format!("href=\"/reports/{overdue}\""))
            .count()
            >= 5
    );
});

qingfeng_core::store_test!(
    a_reporter_who_wrote_back_is_marked_until_staff_act,
    |store| {
        let web = Web::new(store).await;
        let id = web.file(&baofeng()).await;
        let quiet = web.file(&baofeng()).await;
        let me = web.sign_in("admin").await;
        let accepted = web
            .post(
                &format!("/reports/{id}"),
                &me.cookie,
                &[("csrf", &me.csrf), ("action", "accept")],
            )
            .await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER);
        let text: MessageText = "我还有新的情况补充".parse().unwrap();
        let later = Utc::now() + chrono::TimeDelta::seconds(1);
        reporter_message(
            &web.store,
            &web.keys,
            &ReportSettings::default(),
            id,
            &text,
            later,
        )
        .await
        .unwrap();
        let queue = web.get("/reports", &me.cookie).await;
        assert!(
            row(&queue.body, id).contains("wrote-back"),
            "{}",
            row(&queue.body, id)
        );
        assert!(!row(&queue.body, quiet).contains("wrote-back"));
        // A reply is a staff action: the marker goes.
        let reply = qingfeng_core::reports::casework::act(
            &web.store,
            &web.keys,
            &ReportSettings::default(),
            id,
            &web.store.staff_login("admin").await.unwrap().unwrap().staff,
            qingfeng_core::reports::casework::StaffAction::Reply {
                text: "已收到".parse().unwrap(),
            },
            later + chrono::TimeDelta::seconds(1),
        )
        .await;
        reply.unwrap();
        let queue = web.get("/reports", &me.cookie).await;
        assert!(!row(&queue.body, id).contains("wrote-back"));
    }
);

qingfeng_core::store_test!(search_finds_words_in_the_content_and_is_audited, |store| {
    let web = Web::new(store).await;
    let mut tractor = baofeng();
    tractor.body.description = "村主任把今年惠民农机购置补贴的那台拖拉机私下给了自己的亲戚使用。"
        .parse()
        .unwrap();
    let found = web.file(&tractor).await;
    let other = web.file(&baofeng()).await;
    let mut elsewhere = report(
        Some("majiadu"),
        PersonLevel::Staff,
        Reporter::Anonymous { notify: false },
    );
    elsewhere.body.description = "另一个镇也有人反映了拖拉机购置补贴被村干部截留的问题。"
        .parse()
        .unwrap();
    let hidden = web.file(&elsewhere).await;

    let me = web.sign_in("baofeng").await;
    let results = web
        .get("/reports?q=%E6%8B%96%E6%8B%89%E6%9C%BA", &me.cookie)
        .await;
    assert_eq!(results.status, StatusCode::OK);
    assert!(
        results.body.contains(&format!("id=\"row-{found}\"")),
        "{}",
        results.body
    );
    assert!(!results.body.contains(&format!("id=\"row-{other}\"")));
    assert!(
        !results.body.contains(&format!("id=\"row-{hidden}\"")),
        "another desk's report is not searched"
    );
    // The filters narrow a search: in another category nothing is found (or opened).
    let narrowed = web
        .get(
            "/reports?q=%E6%8B%96%E6%8B%89%E6%9C%BA&category=demands",
            &me.cookie,
        )
        .await;
    assert!(!narrowed.body.contains(&format!("id=\"row-{found}\"")));
    // By number: `#N` or `N`.
    let by_number = web.get(&format!("/reports?q=%23{other}"), &me.cookie).await;
    assert!(by_number.body.contains(&format!("id=\"row-{other}\"")));
    assert!(!by_number.body.contains(&format!("id=\"row-{found}\"")));
    // The match is on record, without the words searched for.
    let log = web.store.audit_log(100, 0).await.unwrap();
    let searched: Vec<_> = log.iter().filter(|e| e.action == "report.search").collect();
    assert_eq!(searched.len(), 1, "{log:?}");
    assert_eq!(searched[0].report_id, Some(found));
    assert_eq!(searched[0].username, "baofeng");
    assert!(searched[0].detail.is_none());
});

qingfeng_core::store_test!(finished_reports_are_hidden_unless_asked_for, |store| {
    let web = Web::new(store).await;
    let done = web.file(&baofeng()).await;
    let open = web.file(&baofeng()).await;
    let me = web.sign_in("admin").await;
    let not_accept = web
        .post(
            &format!("/reports/{done}"),
            &me.cookie,
            &[
                ("csrf", &me.csrf),
                ("action", "not_accept"),
                ("confirmed", "1"),
                ("text", "不属于受理范围"),
            ],
        )
        .await;
    assert_eq!(not_accept.status, StatusCode::SEE_OTHER);
    let queue = web.get("/reports", &me.cookie).await;
    assert!(queue.body.contains(&format!("id=\"row-{open}\"")));
    assert!(!queue.body.contains(&format!("id=\"row-{done}\"")));
    assert!(queue.body.contains("显示已办结"));
    let all = web.get("/reports?closed=1", &me.cookie).await;
    assert!(all.body.contains(&format!("id=\"row-{done}\"")));
});

qingfeng_core::store_test!(bulk_assignment_is_for_admins_and_audited, |store| {
    let web = Web::new(store).await;
    let first = web.file(&baofeng()).await;
    let second = web.file(&baofeng()).await;
    let untouched = web.file(&baofeng()).await;
    let me = web.sign_in("admin").await;
    let first_s = first.to_string();
    let second_s = second.to_string();
    let form = [
        ("csrf", me.csrf.as_str()),
        ("staff", "admin"),
        ("id", first_s.as_str()),
        ("id", second_s.as_str()),
    ];
    let forged = web
        .post(
            "/reports/assign",
            &me.cookie,
            &[("staff", "admin"), ("id", &first_s)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let township = web.sign_in("baofeng").await;
    let mut theirs = form;
    theirs[0] = ("csrf", township.csrf.as_str());
    let refused = web.post("/reports/assign", &township.cookie, &theirs).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        !web.get("/reports", &township.cookie)
            .await
            .body
            .contains("do-bulk-assign")
    );

    let done = web.post("/reports/assign", &me.cookie, &form).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/reports?assigned=2&skipped=0");
    let notice = web.get(done.location(), &me.cookie).await;
    assert!(
        notice.body.contains("已为 2 件举报件指定承办人"),
        "{}",
        notice.body
    );
    for id in [first, second] {
        let record = web.store.report_record(id).await.unwrap().unwrap();
        assert_eq!(record.assigned_to.as_deref(), Some("admin"));
    }
    let log = web.store.audit_log(100, 0).await.unwrap();
    let assigned: Vec<_> = log
        .iter()
        .filter(|e| e.action == "report.assign")
        .filter_map(|e| e.report_id)
        .collect();
    assert!(
        assigned.contains(&first) && assigned.contains(&second),
        "{log:?}"
    );
    // 我的案件: the two assigned to me, not the third.
    let mine = web.get("/reports?mine=1", &me.cookie).await;
    assert!(mine.body.contains(&format!("id=\"row-{first}\"")));
    assert!(mine.body.contains(&format!("id=\"row-{second}\"")));
    assert!(!mine.body.contains(&format!("id=\"row-{untouched}\"")));
    // An unknown account is refused with a reason.
    let unknown = web
        .post(
            "/reports/assign",
            &me.cookie,
            &[("csrf", &me.csrf), ("staff", "nobody"), ("id", &first_s)],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
});
