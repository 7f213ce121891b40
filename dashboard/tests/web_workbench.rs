//! The report page as a workbench: the primary action for the status first, a staff picker for
//! 承办人 limited to who may see the report, pickers without presets, and evidence previewed
//! inline (only types a browser shows without running anything) with the download kept.

mod common;

use common::*;

qingfeng_core::store_test!(
    the_panel_offers_the_next_step_and_who_may_handle_it,
    |store| {
        let web = Web::new(store).await;
        let id = web.file(&anonymous_baofeng_report()).await;
        let me = web.sign_in("admin").await;
        let page = web.get(&format!("/reports/{id}"), &me.cookie).await;
        let panel = &page.body[page.body.find("id=\"actions\"").unwrap()..];
        // 受理 is the first form, marked as the primary action.
        let first = panel.find("<form").unwrap();
        assert!(
            panel[first..].starts_with("<form method=\"post\" action=\"")
                && panel[first..panel.find("do-accept").unwrap()].contains("primary"),
            "{panel}"
        );
        // The 承办人 picker names the accounts that see this report: not another township's.
        let picker = &panel[panel.find("id=\"assign-staff\"").unwrap()..];
        let picker = &picker[..picker.find("</select>").unwrap()];
        assert!(picker.contains("value=\"admin\"") && picker.contains("value=\"baofeng\""));
        assert!(!picker.contains("majiadu"), "{picker}");
        // No preset desk to forward to by mistake.
        assert!(
            panel.contains("<select name=\"desk\" required><option value=\"\">请选择</option>")
        );
        web.post(
            &format!("/reports/{id}"),
            &me.cookie,
            &[("csrf", &me.csrf), ("action", "accept")],
        )
        .await;
        let page = web.get(&format!("/reports/{id}"), &me.cookie).await;
        let panel = &page.body[page.body.find("id=\"actions\"").unwrap()..];
        assert!(
            panel[..panel.find("do-dispose").unwrap()].contains("action primary"),
            "after 受理, 处置 is next: {panel}"
        );
    }
);

qingfeng_core::store_test!(evidence_is_previewed_inline_and_still_downloads, |store| {
    let web = Web::new(store).await;
    let mut r = report(
        Some("baofeng"),
        PersonLevel::Staff,
        Reporter::Anonymous { notify: false },
    );
    r.evidence.push(Evidence {
        kind: EvidenceKind::Voice,
        file_id: "VOICEFILE".into(),
        file_name: None,
        size: Some(30_000),
    });
    r.evidence.push(Evidence {
        kind: EvidenceKind::Document,
        file_id: "PDFFILE".into(),
        file_name: Some("合同.pdf".into()),
        size: Some(90_000),
    });
    let id = web.file(&r).await;
    let me = web.sign_in("baofeng").await;
    let page = web.get(&format!("/reports/{id}"), &me.cookie).await;
    assert!(
        page.body
            .contains(&format!("<img src=\"/reports/{id}/evidence/0?inline=1\""))
    );
    assert!(page.body.contains(&format!(
        "<audio controls preload=\"none\" src=\"/reports/{id}/evidence/1?inline=1\""
    )));
    assert!(
        !page
            .body
            .contains(&format!("/reports/{id}/evidence/2?inline=1"))
    );
    for n in 0..3 {
        assert!(
            page.body
                .contains(&format!("href=\"/reports/{id}/evidence/{n}\""))
        );
    }
    let disposition = |response: &Response| {
        response
            .headers
            .get(header::CONTENT_DISPOSITION)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    let shown = web
        .get(&format!("/reports/{id}/evidence/0?inline=1"), &me.cookie)
        .await;
    assert_eq!(
        disposition(&shown),
        format!("inline; filename=\"report-{id}-1.jpg\"")
    );
    let voice = web
        .get(&format!("/reports/{id}/evidence/1?inline=1"), &me.cookie)
        .await;
    assert_eq!(
        voice.headers.get(header::CONTENT_TYPE).unwrap(),
        "audio/ogg"
    );
    assert!(disposition(&voice).starts_with("inline;"));
    // A PDF is never shown in the page, whatever the address asks.
    let pdf = web
        .get(&format!("/reports/{id}/evidence/2?inline=1"), &me.cookie)
        .await;
    assert!(disposition(&pdf).starts_with("attachment;"));
    // The CSP lets the previews load from the dashboard itself, and nothing else.
    let csp = page
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        csp.contains("media-src 'self'") && !csp.contains("script-src"),
        "{csp}"
    );
    // Each preview that loads is on record, as a download is.
    let log = web.store.audit_log(100, 0).await.unwrap();
    assert_eq!(
        log.iter().filter(|e| e.action == "report.evidence").count(),
        3
    );
});

qingfeng_core::store_test!(
    canned_texts_are_edited_by_admins_and_offered_on_the_report,
    |store| {
        let web = Web::new(store).await;
        let id = web.file(&anonymous_baofeng_report()).await;
        // Township accounts may not edit them.
        let township = web.sign_in("baofeng").await;
        let refused = web.get("/settings/texts", &township.cookie).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);

        let me = web.sign_in("admin").await;
        let page = web.get("/settings/texts", &me.cookie).await;
        assert!(
            page.body.contains("不属于纪检监察机关的受理范围"),
            "{}",
            page.body
        );
        let reason = "您反映的问题属于劳动争议，建议向县劳动人事争议仲裁委员会申请仲裁。";
        let saved = web
            .post(
                "/settings/texts",
                &me.cookie,
                &[
                    ("csrf", &me.csrf),
                    ("not_accept", &format!("{reason}\n\n  ")),
                    ("reply", "已收悉，正在处理。"),
                    ("close", ""),
                ],
            )
            .await;
        assert_eq!(saved.location(), "/settings/texts?saved=1");

        let path = format!("/reports/{id}");
        let report_page = web.get(&path, &me.cookie).await;
        assert!(
            report_page
                .body
                .contains(&format!("<option value=\"{reason}\">")),
            "{}",
            report_page.body
        );
        // Chosen with the box left empty: the confirmation shows it and it is what is sent.
        let form = [
            ("csrf", me.csrf.as_str()),
            ("action", "not_accept"),
            ("canned", reason),
            ("text", "  "),
        ];
        let asked = web.post(&path, &me.cookie, &form).await;
        assert!(
            asked
                .body
                .contains(&format!("name=\"text\" value=\"{reason}\"")),
            "{}",
            asked.body
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
        let audit = web.store.audit_log(10, 0).await.unwrap();
        assert!(
            audit.iter().any(|e| e.action == "settings.texts"),
            "{audit:?}"
        );
    }
);
