//! Dashboard pages beyond reports: statistics, QR posters, campaigns, quizzes.

mod common;

use common::*;

qingfeng_core::store_test!(statistics_show_charts_and_export_csv, |store| {
    let web = Web::new(store).await;
    for township in ["baofeng", "baofeng", "majiadu"] {
        web.file(&report(
            Some(township),
            PersonLevel::Staff,
            Reporter::Anonymous { notify: false },
        ))
        .await;
    }
    let me = web.sign_in("admin").await;
    let page = web.get("/stats", &me.cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<svg") && page.body.contains("违规收受礼品礼金"),
        "{}",
        page.body
    );
    let csv = web.get("/stats/reports-by-township.csv", &me.cookie).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.body.contains("宝丰镇,2\r\n") && csv.body.contains("麻家渡镇,1\r\n"),
        "{}",
        csv.body
    );
    assert_eq!(
        web.get("/stats/nothing.csv", &me.cookie).await.status,
        StatusCode::NOT_FOUND
    );
    // Township accounts see their own desk's reports, not county-wide figures.
    let township = web.sign_in("baofeng").await;
    let own = web.get("/stats", &township.cookie).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(
        !own.body.contains("麻家渡镇") && !own.body.contains("stats-acknowledgements"),
        "{}",
        own.body
    );
    let csv = web
        .get("/stats/reports-by-township.csv", &township.cookie)
        .await;
    assert!(
        csv.body.contains("宝丰镇,2\r\n") && !csv.body.contains("麻家渡镇"),
        "{}",
        csv.body
    );
});

qingfeng_core::store_test!(posters_carry_a_signed_deep_link_as_svg_and_png, |store| {
    let web = Web::new(store).await;
    let me = web.sign_in("admin").await;
    let list = web.get("/posters", &me.cookie).await;
    assert!(
        list.body.contains("宝丰镇龙井村") && list.body.contains("麻家渡镇"),
        "{}",
        list.body
    );
    let query = "audience=household&township=baofeng&village=longjing";
    let page = web.get(&format!("/poster?{query}"), &me.cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg") && page.body.contains("扫码加入"));
    // The poster says whose service it is, and that WeChat's scanner will not open it.
    assert!(page.body.contains("竹山县纪委监委"), "{}", page.body);
    assert!(page.body.contains("微信“扫一扫”无法打开"), "{}", page.body);
    let start = page
        .body
        .find("https://t.me/qingfeng_bot?start=")
        .expect("the link is printed")
        + "https://t.me/qingfeng_bot?start=".len();
    let payload: String = page.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let signer = qingfeng_core::deeplink::signer(&DataKey::from_bytes([5; 32]));
    let link = qingfeng_core::deeplink::DeepLink::decode(&payload, &signer).unwrap();
    assert_eq!(link.village.unwrap().as_str(), "longjing");
    for (format, content_type) in [("svg", "image/svg+xml"), ("png", "image/png")] {
        let file = web
            .get(&format!("/poster?{query}&format={format}"), &me.cookie)
            .await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(
            file.headers.get(header::CONTENT_TYPE).unwrap(),
            content_type
        );
        assert!(
            file.headers
                .get(header::CONTENT_DISPOSITION)
                .unwrap()
                .to_str()
                .unwrap()
                .contains(&format!("longjing.{format}"))
        );
    }
    // What a phone scans from the printed PNG is the signed link for this village.
    let png = web
        .get(&format!("/poster?{query}&format=png"), &me.cookie)
        .await;
    assert_eq!(
        scan_qr(&png.bytes),
        format!("https://t.me/qingfeng_bot?start={payload}")
    );
    let enterprise = web
        .get("/poster?audience=enterprise&township=majiadu", &me.cookie)
        .await;
    assert_eq!(enterprise.status, StatusCode::OK);
    assert!(enterprise.body.contains("start=e_majiadu_"));
    // A township account makes its own township's posters only.
    let township = web.sign_in("baofeng").await;
    assert_eq!(
        web.get(
            "/poster?audience=enterprise&township=majiadu",
            &township.cookie
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        web.get(&format!("/poster?{query}"), &township.cookie)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        web.get("/poster?audience=mayor&township=baofeng", &township.cookie)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
});

qingfeng_core::store_test!(campaigns_are_listed_previewed_paused_and_run, |store| {
    qingfeng_core::testing::import_shipped(&store, &["calendar.toml"]).await;
    let web = Web::new(store).await;
    qingfeng_core::testing::import_shipped(&web.store, &["campaigns.toml"]).await;
    let me = web.sign_in("admin").await;
    let list = web.get("/campaigns", &me.cookie).await;
    assert!(
        list.body.contains("/campaigns/weekly-enterprise-tip"),
        "{}",
        list.body
    );
    let page = web
        .get("/campaigns/weekly-enterprise-tip", &me.cookie)
        .await;
    assert!(page.body.contains("lang=\"zh-CN\"") && page.body.contains("lang=\"en\""));
    assert!(
        page.body.contains("宝丰镇"),
        "the preview fills in a township"
    );
    let id: CampaignId = "weekly-enterprise-tip".parse().unwrap();
    let act = |action: &'static str| {
        let (web, me) = (&web, &me);
        async move {
            web.post(
                "/campaigns/weekly-enterprise-tip/action",
                &me.cookie,
                &[("csrf", &me.csrf), ("action", action)],
            )
            .await
        }
    };
    assert_eq!(act("pause").await.status, StatusCode::SEE_OTHER);
    assert!(web.store.campaign(&id).await.unwrap().unwrap().paused);
    act("resume").await;
    assert!(!web.store.campaign(&id).await.unwrap().unwrap().paused);
    assert_eq!(act("run").await.status, StatusCode::SEE_OTHER);
    assert_eq!(web.store.recent_runs(&id, 5).await.unwrap().len(), 1);
    let page = web
        .get("/campaigns/weekly-enterprise-tip", &me.cookie)
        .await;
    assert!(
        page.body.contains("手动"),
        "the run is listed: {}",
        page.body
    );
    // A second "run now" (a double submit) sends nothing and offers a deliberate repeat.
    let run_id = web.store.recent_runs(&id, 1).await.unwrap()[0].run_id;
    let again = act("run").await;
    assert_eq!(
        again.location(),
        format!("/campaigns/weekly-enterprise-tip?already_running={run_id}")
    );
    assert_eq!(web.store.recent_runs(&id, 5).await.unwrap().len(), 1);
    let page = web.get(again.location(), &me.cookie).await;
    assert!(
        page.body.contains("此次未重复发送") && page.body.contains("id=\"do-run-again\""),
        "{}",
        page.body
    );
    let repeat = || {
        let (web, me) = (&web, &me);
        let run_id = run_id.to_string();
        async move {
            web.post(
                "/campaigns/weekly-enterprise-tip/action",
                &me.cookie,
                &[
                    ("csrf", me.csrf.as_str()),
                    ("action", "run_again"),
                    ("repeating", run_id.as_str()),
                ],
            )
            .await
        }
    };
    assert_eq!(
        repeat().await.location(),
        "/campaigns/weekly-enterprise-tip"
    );
    assert_eq!(web.store.recent_runs(&id, 5).await.unwrap().len(), 2);
    // The repeat submitted twice still goes out once.
    assert!(repeat().await.location().contains("already_running="));
    assert_eq!(web.store.recent_runs(&id, 5).await.unwrap().len(), 2);
    let forged = web
        .post(
            "/campaigns/weekly-enterprise-tip/action",
            &me.cookie,
            &[("action", "pause")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let township = web.sign_in("baofeng").await;
    assert_eq!(
        web.get("/campaigns", &township.cookie).await.status,
        StatusCode::NOT_FOUND
    );
    let audit = web.get("/audit", &me.cookie).await;
    assert!(audit.body.contains("立即发送提醒") && audit.body.contains("暂停提醒活动"));
    assert!(audit.body.contains("再次发送提醒"));
});

const QUESTION: &str = r#"[[questions]]
id = "test-report-line"
topics = ["reporting"]
audience = "all"
question_zh = "纪检监察机关的全国统一举报电话是多少？"
question_en = "What is the commissions' national reporting line?"
options_zh = ["12388", "12345"]
options_en = ["12388", "12345"]
answer = 1
explanation_zh = "12388 是纪检监察机关的全国统一举报电话。"
explanation_en = "12388 is the commissions' national reporting line."
source_zh = "中央纪委国家监委网站"
source_en = "Website of the CCDI and NSC"
"#;

qingfeng_core::store_test!(
    the_quiz_bank_is_browsed_and_imported_with_errors_named,
    |store| {
        let web = Web::new(store).await;
        for file in std::fs::read_dir(qingfeng_core::testing::shipped_content("quiz")).unwrap() {
            content::import(&web.store, &file.unwrap().path())
                .await
                .unwrap();
        }
        let me = web.sign_in("admin").await;
        let page = web.get("/quizzes", &me.cookie).await;
        assert!(
            page.body.contains("qinqing-meaning-qin") && page.body.contains("题库 (59)"),
            "{}",
            page.body
        );
        let imported = web
            .post(
                "/quizzes/import",
                &me.cookie,
                &[("csrf", &me.csrf), ("toml", QUESTION)],
            )
            .await;
        assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
        assert!(
            web.get("/quizzes", &me.cookie)
                .await
                .body
                .contains("test-report-line")
        );
        let broken = QUESTION.replace("answer = 1", "answer = 7");
        let refused = web
            .post(
                "/quizzes/import",
                &me.cookie,
                &[("csrf", &me.csrf), ("toml", &broken)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::OK);
        assert!(
            refused.body.contains("import-errors")
                && refused.body.contains("第 1 行")
                && refused.body.contains("`answer` is 7"),
            "{}",
            refused.body
        );
        let township = web.sign_in("baofeng").await;
        assert_eq!(
            web.get("/quizzes", &township.cookie).await.status,
            StatusCode::NOT_FOUND
        );
    }
);

qingfeng_core::store_test!(
    campaigns_are_created_and_edited_with_the_import_checks,
    |store| {
        qingfeng_core::testing::import_shipped(&store, &["calendar.toml"]).await;
        let web = Web::new(store).await;
        qingfeng_core::testing::import_shipped(&web.store, &["campaigns.toml"]).await;
        let me = web.sign_in("admin").await;
        let fresh = web.get("/campaigns/new", &me.cookie).await;
        assert!(fresh.body.contains("[[campaigns]]"));
        let new = r#"[[campaigns]]
id = "village-meeting"
title_zh = "村务公开提醒"
title_en = "Village affairs disclosure"
audience = "household"
villages = ["baofeng/longjing"]
schedule = { cron = "0 0 10 1 * *" }

[[campaigns.messages]]
zh-CN = "【清廉村居】{township}的村务、财务公开栏已更新，欢迎查看并监督。"
en = "[Clean villages] The disclosure board in {township} has been updated; have a look."
"#;
        let save = |toml: String, original: &'static str| {
            let (web, me) = (&web, &me);
            async move {
                web.post(
                    "/campaigns/save",
                    &me.cookie,
                    &[
                        ("csrf", me.csrf.as_str()),
                        ("original", original),
                        ("toml", &toml),
                    ],
                )
                .await
            }
        };
        let created = save(new.to_owned(), "").await;
        assert_eq!(
            created.location(),
            "/campaigns/village-meeting",
            "{}",
            created.body
        );
        let id: CampaignId = "village-meeting".parse().unwrap();
        assert!(web.store.campaign(&id).await.unwrap().unwrap().active);
        // The same id again is refused; so is a bad schedule or an unknown village, with the line.
        assert!(
            save(new.to_owned(), "")
                .await
                .body
                .contains("已被其他活动使用")
        );
        let bad = save(
            new.replace("0 0 10 1 * *", "every day")
                .replace("longjing", "nowhere"),
            "",
        )
        .await;
        assert!(
            bad.body
                .split("id=\"campaign-errors\"")
                .nth(1)
                .is_some_and(|errors| {
                    let errors = errors.split("</div>").next().unwrap_or("");
                    errors.contains("第 7 行") && errors.contains("every day")
                }),
            "{}",
            bad.body
        );
        let unknown = save(new.replace("longjing", "nowhere"), "").await;
        let errors = unknown
            .body
            .split("id=\"campaign-errors\"")
            .nth(1)
            .unwrap_or("")
            .split("</div>")
            .next()
            .unwrap_or("")
            .to_owned();
        assert!(
            errors.contains("baofeng/nowhere") && errors.contains("regions.toml"),
            "{errors}"
        );
        // Editing: the form holds the campaign; a renamed id is refused; a change is saved.
        let edit = web.get("/campaigns/village-meeting/edit", &me.cookie).await;
        assert!(edit.body.contains("village-meeting") && edit.body.contains("村务公开提醒"));
        let renamed = save(
            new.replace("\"village-meeting\"", "\"renamed\""),
            "village-meeting",
        )
        .await;
        assert!(renamed.body.contains("不能修改"));
        let changed = save(
            new.replace("村务公开提醒", "三务公开提醒"),
            "village-meeting",
        )
        .await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER);
        let stored = web.store.campaign(&id).await.unwrap().unwrap();
        assert_eq!(stored.campaign.title.zh, "三务公开提醒");
        // The others are untouched.
        assert!(
            web.store
                .campaign(&"weekly-enterprise-tip".parse().unwrap())
                .await
                .unwrap()
                .unwrap()
                .active
        );
    }
);

/// Decodes the one QR code in a greyscale PNG.
fn scan_qr(png_bytes: &[u8]) -> String {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes))
        .read_info()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(frame.color_type, png::ColorType::Grayscale);
    let (width, height) = (frame.width as usize, frame.height as usize);
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the poster");
    grids[0].decode().unwrap().1
}
