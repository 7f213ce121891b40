//! End-to-end onboarding through the fake Bot API, on SQLite and PostgreSQL.

mod common;

use std::time::Duration;

use common::{expect_alert, expect_text};
use qingfeng_core::crypto::DataKey;
use qingfeng_core::deeplink::{self, DeepLink};
use qingfeng_core::domain::{Audience, Profile};

e2e_test!(a_household_signs_up_with_its_village, |app| {
    let user = app.user(1001, Some("zh-hans"));
    user.send_text("/start");
    expect_text(&user, "欢迎使用「清风」").await;
    let ask = expect_text(&user, "请选择您的身份").await;
    user.press_button(&ask, "家庭");
    let townships = expect_text(&user, "请选择您所在的乡镇").await;
    assert!(townships.is_edit, "the prompt replaces the pressed message");
    let labels = townships.button_labels();
    for name in ["城关镇", "宝丰镇", "麻家渡镇", "柳林乡", "潘口乡"] {
        assert!(
            labels.iter().any(|l| l == name),
            "{name} missing from {labels:?}"
        );
    }
    assert_eq!(
        labels.len(),
        17 + 2,
        "17 townships, back and cancel: {labels:?}"
    );
    user.press_button(&townships, "宝丰镇");
    let villages = expect_text(&user, "请选择您所在的村").await;
    assert!(villages.has_button("龙井村") && villages.has_button("不在列表中"));
    user.press_button(&villages, "龙井村");
    let confirm = expect_text(&user, "请确认您的登记信息").await;
    assert!(
        confirm.text.contains("宝丰镇") && confirm.text.contains("龙井村"),
        "{}",
        confirm.text
    );
    assert!(
        app.store.subscriber_by_chat(1001).await.unwrap().is_none(),
        "nothing stored before confirming"
    );
    user.press_button(&confirm, "确认");
    expect_text(&user, "登记成功").await;

    let subscriber = app
        .store
        .subscriber_by_chat(1001)
        .await
        .unwrap()
        .expect("stored");
    assert!(subscriber.active);
    assert_eq!(
        subscriber.profile,
        Profile::Household {
            township: "baofeng".parse().unwrap(),
            village: Some("longjing".parse().unwrap())
        }
    );
    assert_eq!(subscriber.language, qingfeng_core::Language::ZhCn);

    user.send_text("/me");
    let me = expect_text(&user, "龙井村").await;
    assert!(
        me.text.contains("订阅中") && me.has_button("退订"),
        "{}",
        me.text
    );
});

e2e_test!(
    an_enterprise_signs_up_in_english_and_bad_input_is_re_prompted,
    |app| {
        let user = app.user(1002, Some("en-GB"));
        user.send_text("/start");
        expect_text(&user, "Welcome to Qingfeng").await;
        let ask = expect_text(&user, "Who are you signing up as?").await;
        user.press_button(&ask, "Enterprise");
        let townships = expect_text(&user, "Choose your township").await;
        user.press_button(&townships, "Chengguan Town");
        expect_text(&user, "Type the name of your enterprise").await;

        user.send_text("A");
        let again = expect_text(&user, "does not look like an enterprise name").await;
        assert!(
            again.text.contains("Type the name of your enterprise"),
            "the prompt is repeated: {}",
            again.text
        );
        user.send_text("Zhushan Green Tea Co., Ltd.");
        expect_text(&user, "unified social credit code").await;
        user.send_text("914403001922038217");
        expect_text(&user, "check character").await;
        user.send_text("12345");
        expect_text(&user, "you typed 5").await;
        user.send_text("9144 0300 1922 0382 16");
        let confirm = expect_text(&user, "Please confirm your details").await;
        assert!(
            confirm.text.contains("914403001922038216") && confirm.text.contains("Chengguan Town"),
            "{}",
            confirm.text
        );
        user.press_button(&confirm, "Confirm");
        expect_text(&user, "You are signed up").await;

        let subscriber = app.store.subscriber_by_chat(1002).await.unwrap().unwrap();
        assert_eq!(subscriber.profile.audience(), Audience::Enterprise);
        assert_eq!(subscriber.language, qingfeng_core::Language::En);
        match subscriber.profile {
            Profile::Enterprise {
                name,
                credit_code,
                township,
            } => {
                assert_eq!(name.as_str(), "Zhushan Green Tea Co., Ltd.");
                assert_eq!(credit_code.unwrap().as_str(), "914403001922038216");
                assert_eq!(township.as_str(), "chengguan");
            }
            other => panic!("unexpected profile {other:?}"),
        }
    }
);

e2e_test!(a_restart_in_the_middle_resumes_where_the_user_was, |app| {
    let user = app.user(1003, None);
    user.send_text("/start");
    user.next_message().await;
    let ask = expect_text(&user, "请选择您的身份").await;
    user.press_button(&ask, "企业");
    let townships = expect_text(&user, "请选择您所在的乡镇").await;
    user.press_button(&townships, "宝丰镇");
    expect_text(&user, "请输入企业名称").await;

    // Killed between two messages (no graceful shutdown) ...
    let app = app.kill_between_updates_and_restart().await;
    user.send_text("竹山县龙井茶业有限公司");
    expect_text(&user, "统一社会信用代码").await;

    // ... and a graceful restart.
    let app = app.restart().await;
    let skip = user.chat().into_iter().last().unwrap();
    user.press_button(&skip, "跳过");
    let confirm = expect_text(&user, "请确认您的登记信息").await;
    assert!(
        confirm.text.contains("竹山县龙井茶业有限公司") && confirm.text.contains("未填写"),
        "{}",
        confirm.text
    );

    // A button from before the restarts is answered, not ignored.
    user.press(&ask, "aud:household");
    expect_alert(&user, "失效").await;
    let current = expect_text(&user, "请确认您的登记信息").await;
    user.press_button(&current, "确认");
    expect_text(&user, "登记成功").await;
    assert!(app.store.subscriber_by_chat(1003).await.unwrap().is_some());
});

fn link(audience: Audience, township: &str, village: Option<&str>) -> String {
    let key: DataKey = common::DATA_KEY.parse().unwrap();
    DeepLink {
        audience,
        township: township.parse().unwrap(),
        village: village.map(|v| v.parse().unwrap()),
    }
    .encode(&deeplink::signer(&key))
}

e2e_test!(
    a_qr_code_deep_link_prefills_audience_township_and_village,
    |app| {
        let user = app.user(1004, Some("zh-hans"));
        user.send_text(&format!(
            "/start {}",
            link(Audience::Household, "majiadu", Some("luojiapo"))
        ));
        // Someone new who scans a poster is told first whose service this is.
        expect_text(&user, "竹山县纪委监委通过这里").await;
        expect_text(&user, "您扫描的是麻家渡镇罗家坡村的二维码").await;
        let confirm = expect_text(&user, "请确认您的登记信息").await;
        user.press_button(&confirm, "确认");
        expect_text(&user, "登记成功").await;
        let subscriber = app.store.subscriber_by_chat(1004).await.unwrap().unwrap();
        assert_eq!(
            subscriber.profile,
            Profile::Household {
                township: "majiadu".parse().unwrap(),
                village: Some("luojiapo".parse().unwrap())
            }
        );

        let owner = app.user(1005, Some("zh-hans"));
        owner.send_text(&format!(
            "/start {}",
            link(Audience::Enterprise, "baofeng", None)
        ));
        expect_text(&owner, "竹山县纪委监委").await;
        expect_text(&owner, "宝丰镇的二维码").await;
        expect_text(&owner, "请输入企业名称").await;
    }
);

e2e_test!(
    a_forged_or_stale_deep_link_falls_back_to_the_normal_flow,
    |app| {
        let user = app.user(1006, Some("zh-hans"));
        user.send_text("/start src_poster_2024");
        expect_text(&user, "欢迎使用").await;
        expect_text(&user, "二维码链接无法识别").await;
        expect_text(&user, "请选择您的身份").await;

        let tampered = link(Audience::Household, "baofeng", Some("longjing"))
            .replacen("baofeng", "majiadu", 1);
        user.send_text(&format!("/start {tampered}"));
        expect_text(&user, "欢迎使用").await;
        expect_text(&user, "二维码链接无法识别").await;
        expect_text(&user, "请选择您的身份").await;

        // Signed, but the village is not in the content any more.
        user.send_text(&format!(
            "/start {}",
            link(Audience::Household, "baofeng", Some("gone"))
        ));
        expect_text(&user, "欢迎使用").await;
        expect_text(&user, "二维码链接无法识别").await;
        expect_text(&user, "请选择您的身份").await;
    }
);

e2e_test!(text_stickers_and_forged_buttons_get_clear_answers, |app| {
    let user = app.user(1007, Some("zh-hans"));
    user.send_text("/start");
    user.next_message().await;
    let ask = expect_text(&user, "请选择您的身份").await;

    user.send_text("我是开饭店的");
    let reprompt = expect_text(&user, "请点击下方按钮").await;
    assert!(
        reprompt.has_button("企业"),
        "the prompt comes back with its buttons"
    );
    user.send_sticker();
    expect_text(&user, "只能识别文字和按钮").await;
    expect_text(&user, "请选择您的身份").await;

    user.press(&ask, "garbage:data");
    expect_alert(&user, "无法识别").await;
    expect_text(&user, "请选择您的身份").await;

    user.press_button(&reprompt, "家庭");
    let townships = expect_text(&user, "请选择您所在的乡镇").await;
    user.press(&townships, "town:nowhere");
    expect_alert(&user, "失效").await;
    expect_text(&user, "请选择您所在的乡镇").await;

    user.send_text("/frobnicate");
    expect_text(&user, "没有这个命令").await;
    user.send_text("/cancel");
    expect_text(&user, "已取消").await;
    user.send_text("/cancel");
    expect_text(&user, "没有进行中的操作").await;
    user.send_text("随便说点什么");
    expect_text(&user, "12388").await;
    assert!(app.store.subscriber_by_chat(1007).await.unwrap().is_none());
});

e2e_test!(stop_then_start_again_resubscribes, |app| {
    let user = app.user(1008, Some("zh-hans"));
    user.send_text(&format!(
        "/start {}",
        link(Audience::Household, "baofeng", Some("longjing"))
    ));
    expect_text(&user, "欢迎使用").await;
    user.next_message().await;
    let confirm = expect_text(&user, "请确认").await;
    user.press_button(&confirm, "确认");
    expect_text(&user, "登记成功").await;

    user.send_text("/stop");
    expect_text(&user, "已退订").await;
    assert!(
        !app.store
            .subscriber_by_chat(1008)
            .await
            .unwrap()
            .unwrap()
            .active
    );
    user.send_text("/stop");
    expect_text(&user, "没有订阅").await;

    user.send_text("/start");
    let back = expect_text(&user, "欢迎回来").await;
    user.press_button(&back, "恢复订阅");
    expect_text(&user, "已恢复订阅").await;
    assert!(
        app.store
            .subscriber_by_chat(1008)
            .await
            .unwrap()
            .unwrap()
            .active
    );

    // /me → change details walks the flow again and updates the same subscription.
    user.send_text("/me");
    let me = expect_text(&user, "您的登记信息").await;
    user.press_button(&me, "重新登记");
    let ask = expect_text(&user, "请选择您的身份").await;
    user.press_button(&ask, "家庭");
    let townships = expect_text(&user, "乡镇").await;
    user.press_button(&townships, "柳林乡");
    // No villages are listed for 柳林乡, so the village step is skipped.
    let confirm = expect_text(&user, "请确认").await;
    assert!(
        confirm.text.contains("柳林乡") && confirm.text.contains("未列出"),
        "{}",
        confirm.text
    );
    user.press_button(&confirm, "确认");
    expect_text(&user, "登记成功").await;
    let subscriber = app.store.subscriber_by_chat(1008).await.unwrap().unwrap();
    assert_eq!(
        subscriber.profile,
        Profile::Household {
            township: "liulin".parse().unwrap(),
            village: None
        }
    );
});

e2e_test!(lang_switches_and_is_remembered, |app| {
    let user = app.user(1009, Some("zh-hans"));
    user.send_text("/lang");
    let choose = expect_text(&user, "Please choose a language").await;
    user.press_button(&choose, "English");
    expect_text(&user, "Switched to English").await;
    let app = app.restart().await;
    user.send_text("/help");
    expect_text(&user, "Qingfeng can do this for you").await;
    assert_eq!(
        app.store
            .chosen_language(&app.keys().await.chat_key(1009))
            .await
            .unwrap(),
        Some(qingfeng_core::Language::En)
    );
});

e2e_test!(
    commands_are_registered_per_language_and_blocking_deactivates,
    |app| {
        let zh = app.sim.my_commands(None).expect("default commands");
        let en = app.sim.my_commands(Some("en")).expect("English commands");
        assert_eq!(zh.len(), 10);
        assert!(
            zh.iter().any(|(c, d)| c == "start" && d.contains("订阅")),
            "{zh:?}"
        );
        assert!(
            zh.iter().any(|(c, d)| c == "report" && d.contains("举报")),
            "{zh:?}"
        );
        assert!(
            en.iter().any(|(c, d)| c == "me" && d.contains("details")),
            "{en:?}"
        );
        assert!(app.sim.my_commands(Some("zh")).is_some());

        let user = app.user(1010, Some("zh-hans"));
        user.send_text(&format!(
            "/start {}",
            link(Audience::Household, "baofeng", None)
        ));
        expect_text(&user, "欢迎使用").await;
        user.next_message().await;
        let villages = expect_text(&user, "请选择您所在的村").await;
        user.press_button(&villages, "不在列表中");
        let ask = expect_text(&user, "请输入您所在的村").await;
        user.press_button(&ask, "跳过");
        let confirm = expect_text(&user, "请确认").await;
        user.press_button(&confirm, "确认");
        expect_text(&user, "登记成功").await;

        user.block_bot();
        tokio::time::timeout(Duration::from_secs(10), async {
            while app
                .store
                .subscriber_by_chat(1010)
                .await
                .unwrap()
                .unwrap()
                .active
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("blocking the bot marks the subscriber inactive");
    }
);

e2e_test!(dialogue_state_is_encrypted_at_rest, |app| {
    let user = app.user(1011, None);
    user.send_text(&format!(
        "/start {}",
        link(Audience::Enterprise, "baofeng", None)
    ));
    expect_text(&user, "欢迎使用").await;
    user.next_message().await;
    expect_text(&user, "请输入企业名称").await;
    user.send_text("秘密企业名称有限公司");
    expect_text(&user, "统一社会信用代码").await;

    let url = app.db.url.as_str().to_owned();
    // The row is keyed by a keyed hash of the chat id, and holds only sealed bytes.
    let chat = app.keys().await.chat_key(1011);
    let sql = "SELECT state FROM dialogues WHERE chat_key = $1";
    let raw: Vec<u8> = match app.db.url {
        qingfeng_core::store::DatabaseUrl::Sqlite(_) => {
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            sqlx::query_scalar(sql)
                .bind(chat.as_str())
                .fetch_one(&pool)
                .await
                .unwrap()
        }
        qingfeng_core::store::DatabaseUrl::Postgres(_) => {
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            sqlx::query_scalar(sql)
                .bind(chat.as_str())
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert!(!chat.as_str().contains("1011"));
    let lossy = String::from_utf8_lossy(&raw);
    assert!(
        !lossy.contains("秘密") && !lossy.contains("baofeng") && !lossy.contains("credit"),
        "{lossy}"
    );
});

e2e_test!(the_health_check_reports_the_database, |app| {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.http_addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(
        response.starts_with("HTTP/1.0 200") || response.starts_with("HTTP/1.1 200"),
        "{response}"
    );
    assert!(
        response.contains("\"status\":\"ok\"") && response.contains(app.store.backend_name()),
        "{response}"
    );
});

e2e_test!(
    a_failed_request_gets_an_apology_and_the_bot_keeps_going,
    |app| {
        let user = app.user(1012, Some("zh-hans"));
        app.sim.inject_error(
            "sendMessage",
            Some(1012),
            telegram_sim::InjectedError::ChatNotFound,
        );
        user.send_text("/help");
        expect_text(&user, "系统暂时出现故障").await;
        user.send_text("/help");
        expect_text(&user, "「清风」可以为您做这些事").await;
    }
);

e2e_test!(
    a_press_telegram_will_not_let_us_answer_is_still_handled_without_an_apology,
    |app| {
        let user = app.user(1013, Some("zh-hans"));
        user.send_text("/start");
        user.next_message().await;
        let ask = expect_text(&user, "请选择您的身份").await;
        // As for a press made more than ~15 minutes ago: "query is too old".
        app.sim.inject_error(
            "answerCallbackQuery",
            None,
            telegram_sim::InjectedError::ChatNotFound,
        );
        user.press_button(&ask, "家庭");
        expect_text(&user, "请选择您所在的乡镇").await;
        user.send_text("/help");
        expect_text(&user, "「清风」可以为您做这些事").await;
    }
);

e2e_test!(
    a_village_missing_from_the_list_can_be_typed_for_the_staff,
    |app| {
        for chat in [1020, 1021] {
            let user = app.user(chat, Some("zh-hans"));
            user.send_text("/start");
            expect_text(&user, "竹山县纪委监委").await;
            let ask = expect_text(&user, "请选择您的身份").await;
            user.press_button(&ask, "家庭");
            let townships = expect_text(&user, "请选择您所在的乡镇").await;
            user.press_button(&townships, "宝丰镇");
            let villages = expect_text(&user, "请选择您所在的村").await;
            user.press_button(&villages, "不在列表中");
            expect_text(&user, "请输入您所在的村").await;
            // An answer that is no place name is refused with a hint; nothing is lost.
            user.send_text("好");
            let again = expect_text(&user, "2 到 30 个字").await;
            assert!(again.text.contains("请输入您所在的村"), "{}", again.text);
            user.send_text(" 新建村 ");
            let confirm = expect_text(&user, "请确认您的登记信息").await;
            assert!(
                confirm.text.contains("您填写的是“新建村”"),
                "{}",
                confirm.text
            );
            user.press_button(&confirm, "确认");
            expect_text(&user, "登记成功").await;
            let subscriber = app.store.subscriber_by_chat(chat).await.unwrap().unwrap();
            assert_eq!(
                subscriber.profile,
                Profile::Household {
                    township: "baofeng".parse().unwrap(),
                    village: None
                }
            );
        }
        let unlisted = app.store.unlisted_villages().await.unwrap();
        assert_eq!(unlisted.len(), 1, "{unlisted:?}");
        assert_eq!(
            (
                unlisted[0].township.as_str(),
                unlisted[0].name.as_str(),
                unlisted[0].mentions
            ),
            ("baofeng", "新建村", 2)
        );
    }
);

e2e_test!(changing_one_detail_in_me_keeps_the_others, |app| {
    let code: qingfeng_core::domain::UnifiedCreditCode = "914403001922038216".parse().unwrap();
    let enterprise = Profile::Enterprise {
        township: "baofeng".parse().unwrap(),
        name: qingfeng_core::domain::EnterpriseName::parse("竹山县某某农业有限公司").unwrap(),
        credit_code: Some(code.clone()),
    };
    qingfeng_core::testing::subscribe(
        &app.store,
        [1030],
        qingfeng_core::Language::ZhCn,
        &enterprise,
    )
    .await;
    let user = app.user(1030, Some("zh-hans"));
    user.send_text("/me");
    let me = expect_text(&user, "您的登记信息").await;
    assert!(!me.has_button("修改村"), "an enterprise has no village");
    user.press_button(&me, "修改企业名称");
    expect_text(&user, "请输入企业名称").await;
    user.send_text("好的");
    expect_text(&user, "不像企业名称").await;
    user.send_text("竹山县某某生态农业有限公司");
    let confirm = expect_text(&user, "请确认您的登记信息").await;
    user.press_button(&confirm, "确认");
    expect_text(&user, "登记成功").await;
    let stored = app.store.subscriber_by_chat(1030).await.unwrap().unwrap();
    assert_eq!(
        stored.profile,
        Profile::Enterprise {
            township: "baofeng".parse().unwrap(),
            name: qingfeng_core::domain::EnterpriseName::parse("竹山县某某生态农业有限公司")
                .unwrap(),
            credit_code: Some(code),
        },
        "only the name changed"
    );

    let household = qingfeng_core::testing::household("baofeng");
    qingfeng_core::testing::subscribe(
        &app.store,
        [1031],
        qingfeng_core::Language::ZhCn,
        &household,
    )
    .await;
    let user = app.user(1031, Some("zh-hans"));
    user.send_text("/me");
    let me = expect_text(&user, "您的登记信息").await;
    user.press_button(&me, "修改村");
    let villages = expect_text(&user, "请选择您所在的村").await;
    user.press_button(&villages, "龙井村");
    let confirm = expect_text(&user, "请确认您的登记信息").await;
    assert!(confirm.text.contains("宝丰镇") && confirm.text.contains("龙井村"));
    user.press_button(&confirm, "确认");
    expect_text(&user, "登记成功").await;
    let stored = app.store.subscriber_by_chat(1031).await.unwrap().unwrap();
    assert_eq!(
        stored.profile,
        Profile::Household {
            township: "baofeng".parse().unwrap(),
            village: Some("longjing".parse().unwrap())
        }
    );
});
