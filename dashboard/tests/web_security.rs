//! What every response carries (security headers, no caching of report pages, a policy with no
//! inline code) and what a township account is not told about other desks.

mod common;

use common::*;

fn assert_secure(response: &Response, what: &str) {
    let header = |name: &str| {
        response
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let csp = header("content-security-policy");
    for directive in [
        "default-src 'none'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(directive), "{what}: CSP {csp:?}");
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header("referrer-policy"), "no-referrer", "{what}");
    assert_eq!(header("cache-control"), "no-store", "{what}");
}

qingfeng_core::store_test!(every_response_carries_the_security_headers, |store| {
    let web = Web::new(store).await;
    let id = web
        .file(&report(
            Some("baofeng"),
            PersonLevel::Staff,
            Reporter::Anonymous { notify: false },
        ))
        .await;
    let login = web.get("/login", "").await;
    assert_secure(&login, "the sign-in page");
    let me = web.sign_in("admin").await;
    for path in [
        "/reports".to_owned(),
        format!("/reports/{id}"),
        format!("/reports/{id}/evidence/0"),
        "/audit".to_owned(),
        "/stats".to_owned(),
        "/reports/999999".to_owned(),
        "/no/such/page".to_owned(),
    ] {
        let page = web.get(&path, &me.cookie).await;
        assert_secure(&page, &path);
    }
    // Pages keep to the policy: their only style is the stylesheet, and it may be cached.
    let page = web.get(&format!("/reports/{id}"), &me.cookie).await;
    assert!(
        page.body
            .contains(r#"<link rel="stylesheet" href="/assets/app.css">"#)
    );
    assert!(!page.body.contains("<style") && !page.body.contains("style="));
    assert!(!page.body.contains("<script"));
    let css = web.get("/assets/app.css", "").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.body.contains("header {"), "{}", css.body);
    assert_eq!(
        css.headers.get("cache-control").unwrap(),
        "public, max-age=3600"
    );
});

qingfeng_core::store_test!(evidence_lists_show_no_file_names, |store| {
    let web = Web::new(store).await;
    let mut r = report(
        Some("baofeng"),
        PersonLevel::Staff,
        Reporter::Anonymous { notify: false },
    );
    r.evidence[0].kind = EvidenceKind::Document;
    r.evidence[0].file_name = Some("李四的合同.pdf".into());
    let id = web.file(&r).await;
    let me = web.sign_in("baofeng").await;
    let page = web.get(&format!("/reports/{id}"), &me.cookie).await;
    assert!(!page.body.contains("李四的合同"), "{}", page.body);
    let file = web
        .get(&format!("/reports/{id}/evidence/0"), &me.cookie)
        .await;
    let disposition = file.headers.get("content-disposition").unwrap();
    assert_eq!(
        disposition,
        &format!("attachment; filename=\"report-{id}-1.pdf\"")
    );
});

// Merging links reports across desks; a township account must not learn the numbers of
// reports it cannot open.
qingfeng_core::store_test!(merged_reports_at_other_desks_are_not_named, |store| {
    let web = Web::new(store).await;
    let anonymous = Reporter::Anonymous { notify: false };
    let here = web
        .file(&report(
            Some("baofeng"),
            PersonLevel::Staff,
            anonymous.clone(),
        ))
        .await;
    // About a county-level official: the county office's desk, even from 宝丰镇.
    let county = web
        .file(&report(
            Some("baofeng"),
            PersonLevel::CountyOrAbove,
            anonymous,
        ))
        .await;
    let admin = web.sign_in("admin").await;
    let merge = web
        .post(
            &format!("/reports/{county}"),
            &admin.cookie,
            &[
                ("csrf", &admin.csrf),
                ("action", "duplicate"),
                ("confirmed", "1"),
                ("of", &here.to_string()),
            ],
        )
        .await;
    assert!(
        merge.location().contains("done=duplicate"),
        "{}",
        merge.location()
    );
    // The county sees the merge; the township sees its report without the other's number.
    let seen_by_admin = web.get(&format!("/reports/{here}"), &admin.cookie).await;
    assert!(seen_by_admin.body.contains(&format!("/reports/{county}")));
    let township = web.sign_in("baofeng").await;
    assert_eq!(
        web.get(&format!("/reports/{county}"), &township.cookie)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let seen_by_township = web.get(&format!("/reports/{here}"), &township.cookie).await;
    assert_eq!(seen_by_township.status, StatusCode::OK);
    assert!(
        !seen_by_township.body.contains(&format!("#{county}"))
            && !seen_by_township
                .body
                .contains(&format!("/reports/{county}"))
            && !seen_by_township.body.contains(&format!("merged {county}")),
        "{}",
        seen_by_township.body
    );
});
