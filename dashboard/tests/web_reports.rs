//! Reports in the dashboard: triage from received to closed, roles enforced by URL, CSRF,
//! escaping, duplicates and evidence.

mod common;

use common::*;

qingfeng_core::store_test!(a_report_is_triaged_from_received_to_closed, |store| {
    let web = Web::new(store).await;
    let id = web.file(&anonymous_baofeng_report()).await;
    let me = web.sign_in("admin").await;
    let set_cookie_line = web.try_sign_in("admin", PASSWORD).await;
    let session = set_cookie_line
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Strict"),
        "{session}"
    );

    let queue = web.get("/reports", &me.cookie).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(
        queue.body.contains(&format!("/reports/{id}")) && queue.body.contains("违规收受礼品礼金")
    );
    let page = web.get(&format!("/reports/{id}"), &me.cookie).await;
    assert!(page.body.contains("购物卡"), "decrypted for staff");
    for (action, extra) in [
        ("accept", ("", "")),
        ("dispose", ("disposal", "preliminary_verification")),
        ("reply", ("text", "已收到，正在核实。")),
        ("note", ("text", "内部：请纪检员联系企业")),
        ("close", ("text", "经核实，已责令退还购物卡并给予诫勉。")),
    ] {
        let mut form = vec![
            ("csrf", me.csrf.as_str()),
            ("action", action),
            ("confirmed", "1"),
        ];
        if !extra.0.is_empty() {
            form.push(extra);
        }
        let done = web.post(&format!("/reports/{id}"), &me.cookie, &form).await;
        assert_eq!(
            done.status,
            StatusCode::SEE_OTHER,
            "{action}: {}",
            done.body
        );
        assert_eq!(done.location(), format!("/reports/{id}?done={action}"));
    }
    assert_eq!(status_of(&web, id).await, ReportStatus::Closed);
    // Closed: accepting again is refused with a message, not an error page.
    let again = web
        .post(
            &format!("/reports/{id}"),
            &me.cookie,
            &[("csrf", &me.csrf), ("action", "accept")],
        )
        .await;
    assert_eq!(again.location(), format!("/reports/{id}?error=not_allowed"));
    let page = web
        .get(&format!("/reports/{id}?error=not_allowed"), &me.cookie)
        .await;
    assert!(page.body.contains("当前状态下不能进行这项操作") && page.body.contains("已办结并反馈"));
    // Every view and action is in the audit log.
    let audit = web.get("/audit", &me.cookie).await;
    for entry in [
        "查看举报件",
        "受理",
        "确定处置方式",
        "回复举报人",
        "内部备注",
        "告知处理结果",
        "登录",
    ] {
        assert!(audit.body.contains(entry), "{entry} in the audit log");
    }
    // The reply and the outcome wait in the outbox for the reporter (the note does not).
    let counts = web.store.notice_counts().await.unwrap();
    assert!(
        counts.contains(&("reporter".into(), "queued".into(), 3)),
        "{counts:?}"
    );
    // Signing out ends the session.
    let out = web.post("/logout", &me.cookie, &[("csrf", &me.csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(web.get("/reports", &me.cookie).await.location(), "/login");
});

qingfeng_core::store_test!(
    a_township_account_cannot_reach_another_townships_report,
    |store| {
        let web = Web::new(store).await;
        let ours = web
            .file(&report(
                Some("baofeng"),
                PersonLevel::Staff,
                Reporter::Anonymous { notify: false },
            ))
            .await;
        let theirs = web
            .file(&report(
                Some("majiadu"),
                PersonLevel::Staff,
                Reporter::Anonymous { notify: false },
            ))
            .await;
        let county = web
            .file(&report(
                Some("baofeng"),
                PersonLevel::CountyOrAbove,
                Reporter::Anonymous { notify: false },
            ))
            .await;
        let me = web.sign_in("baofeng").await;
        let queue = web.get("/reports", &me.cookie).await;
        assert!(queue.body.contains(&format!("/reports/{ours}\"")));
        assert!(
            !queue.body.contains(&format!("/reports/{theirs}\""))
                && !queue.body.contains(&format!("/reports/{county}\""))
        );
        for id in [theirs, county] {
            assert_eq!(
                web.get(&format!("/reports/{id}"), &me.cookie).await.status,
                StatusCode::NOT_FOUND
            );
            let post = web
                .post(
                    &format!("/reports/{id}"),
                    &me.cookie,
                    &[("csrf", &me.csrf), ("action", "accept")],
                )
                .await;
            assert_eq!(post.status, StatusCode::NOT_FOUND);
            assert_eq!(status_of(&web, id).await, ReportStatus::Received);
        }
        assert_eq!(
            web.get("/reports/99999", &me.cookie).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            web.get("/audit", &me.cookie).await.status,
            StatusCode::NOT_FOUND
        );
        // Not signed in: to the sign-in page.
        assert_eq!(
            web.get(&format!("/reports/{ours}"), "").await.location(),
            "/login"
        );
    }
);

qingfeng_core::store_test!(forms_without_their_csrf_token_are_refused, |store| {
    let web = Web::new(store).await;
    let id = web
        .file(&report(
            Some("baofeng"),
            PersonLevel::Staff,
            Reporter::Anonymous { notify: false },
        ))
        .await;
    let me = web.sign_in("admin").await;
    for form in [
        vec![("action", "accept")],
        vec![("action", "accept"), ("csrf", "forged")],
    ] {
        let refused = web.post(&format!("/reports/{id}"), &me.cookie, &form).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(status_of(&web, id).await, ReportStatus::Received);
    assert_eq!(
        web.post("/logout", &me.cookie, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    // A sign-in posted without the form's cookie (from another site) is refused too.
    let cross_site = web
        .post(
            "/login",
            "",
            &[("username", "admin"), ("password", PASSWORD), ("csrf", "x")],
        )
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
});

qingfeng_core::store_test!(report_content_is_escaped, |store| {
    let web = Web::new(store).await;
    let mut hostile = report(
        Some("baofeng"),
        PersonLevel::Staff,
        Reporter::Anonymous { notify: false },
    );
    hostile.body.description = "<script>alert('xss')</script> 村干部截留惠民资金，金额不详。"
        .parse()
        .unwrap();
    let id = web.file(&hostile).await;
    let me = web.sign_in("admin").await;
    let page = web.get(&format!("/reports/{id}"), &me.cookie).await;
    assert!(!page.body.contains("<script>alert"), "{}", page.body);
    assert!(
        page.body.contains("&#60;script&#62;alert(") || page.body.contains("&lt;script&gt;alert("),
        "shown as text: {}",
        page.body
    );
});

qingfeng_core::store_test!(a_duplicate_is_merged_into_the_open_report, |store| {
    let web = Web::new(store).await;
    let anonymous = Reporter::Anonymous { notify: true };
    let first = web
        .file(&report(
            Some("baofeng"),
            PersonLevel::Staff,
            anonymous.clone(),
        ))
        .await;
    let second = web
        .file(&report(
            Some("baofeng"),
            PersonLevel::Staff,
            anonymous.clone(),
        ))
        .await;
    let elsewhere = web
        .file(&report(Some("majiadu"), PersonLevel::Staff, anonymous))
        .await;
    let me = web.sign_in("baofeng").await;
    let path = format!("/reports/{second}");
    let outside = web
        .post(
            &path,
            &me.cookie,
            &[
                ("csrf", &me.csrf),
                ("action", "duplicate"),
                ("confirmed", "1"),
                ("of", &elsewhere.to_string()),
            ],
        )
        .await;
    assert_eq!(
        outside.location(),
        format!("{path}?error=of"),
        "a report this account cannot see"
    );
    let itself = web
        .post(
            &path,
            &me.cookie,
            &[
                ("csrf", &me.csrf),
                ("action", "duplicate"),
                ("confirmed", "1"),
                ("of", &second.to_string()),
            ],
        )
        .await;
    assert_eq!(itself.location(), format!("{path}?error=not_allowed"));
    let merged = web
        .post(
            &path,
            &me.cookie,
            &[
                ("csrf", &me.csrf),
                ("action", "duplicate"),
                ("confirmed", "1"),
                ("of", &format!("#{first}")),
            ],
        )
        .await;
    assert_eq!(merged.location(), format!("{path}?done=duplicate"));
    assert_eq!(status_of(&web, second).await, ReportStatus::Closed);
    assert_eq!(status_of(&web, first).await, ReportStatus::Received);
    let survivor = web.get(&format!("/reports/{first}"), &me.cookie).await;
    assert!(
        survivor
            .body
            .contains(&format!("href=\"/reports/{second}\"")),
        "{}",
        survivor.body
    );
    let duplicate = web.get(&path, &me.cookie).await;
    assert!(duplicate.body.contains("id=\"duplicate-of\""));
    // The duplicate's reporter is told where it went.
    let counts = web.store.notice_counts().await.unwrap();
    assert!(
        counts.contains(&("reporter".into(), "queued".into(), 1)),
        "{counts:?}"
    );
});

qingfeng_core::store_test!(
    evidence_is_fetched_through_the_server_and_audited,
    |store| {
        let web = Web::new(store).await;
        let mut with_files = report(
            Some("baofeng"),
            PersonLevel::Staff,
            Reporter::Anonymous { notify: false },
        );
        with_files.evidence.push(Evidence {
            kind: EvidenceKind::Document,
            file_id: "DOC-MISSING".into(),
            file_name: Some("\"evil\r\n.pdf".into()),
            size: Some(10),
        });
        let id = web.file(&with_files).await;
        let other = web
            .file(&report(
                Some("majiadu"),
                PersonLevel::Staff,
                Reporter::Anonymous { notify: false },
            ))
            .await;
        let me = web.sign_in("baofeng").await;
        let page = web.get(&format!("/reports/{id}"), &me.cookie).await;
        assert!(page.body.contains(&format!("/reports/{id}/evidence/0")));
        let photo = web
            .get(&format!("/reports/{id}/evidence/0"), &me.cookie)
            .await;
        assert_eq!(photo.status, StatusCode::OK);
        assert_eq!(photo.body, "bytes of AgACAgIAAxkBAAIBSECRETFILEID");
        assert_eq!(
            photo.headers.get(header::CONTENT_TYPE).unwrap(),
            "image/jpeg"
        );
        assert_eq!(
            photo.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff"
        );
        let disposition = photo
            .headers
            .get(header::CONTENT_DISPOSITION)
            .unwrap()
            .to_str()
            .unwrap();
        assert_eq!(
            disposition,
            format!("attachment; filename=\"report-{id}-1.jpg\"")
        );
        // Telegram cannot serve it: a clear error, not a crash.
        assert_eq!(
            web.get(&format!("/reports/{id}/evidence/1"), &me.cookie)
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            web.get(&format!("/reports/{id}/evidence/9"), &me.cookie)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            web.get(&format!("/reports/{other}/evidence/0"), &me.cookie)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let admin = web.sign_in("admin").await;
        let audit = web.get("/audit", &admin.cookie).await;
        assert_eq!(
            audit.body.matches("下载证据").count(),
            1,
            "only the fetch that worked"
        );
    }
);

qingfeng_core::store_test!(irreversible_actions_ask_to_confirm_first, |store| {
    let web = Web::new(store).await;
    let id = web.file(&anonymous_baofeng_report()).await;
    let me = web.sign_in("admin").await;
    let path = format!("/reports/{id}");
    let reason = "不属于本机关受理范围，请向县人社局反映。";
    let asked = web
        .post(
            &path,
            &me.cookie,
            &[
                ("csrf", &me.csrf),
                ("action", "not_accept"),
                ("text", reason),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        asked.body.contains("确定对举报件") && asked.body.contains("id=\"confirm-not_accept\"")
    );
    // The reason is carried in the form, not in an address.
    assert!(
        asked
            .body
            .contains(&format!("name=\"text\" value=\"{reason}\""))
    );
    assert!(
        asked
            .body
            .contains(&format!("href=\"{path}\" id=\"confirm-back\""))
    );
    assert_eq!(
        status_of(&web, id).await,
        ReportStatus::Received,
        "nothing done yet"
    );
    let done = web
        .post(
            &path,
            &me.cookie,
            &[
                ("csrf", &me.csrf),
                ("action", "not_accept"),
                ("text", reason),
                ("confirmed", "1"),
            ],
        )
        .await;
    assert_eq!(done.location(), format!("{path}?done=not_accept"));
    assert_eq!(status_of(&web, id).await, ReportStatus::NotAccepted);
    // Reversible actions go straight through.
    let other = web.file(&anonymous_baofeng_report()).await;
    let accepted = web
        .post(
            &format!("/reports/{other}"),
            &me.cookie,
            &[("csrf", &me.csrf), ("action", "accept")],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
});
