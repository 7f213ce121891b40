//! A report draft is not lost or corrupted by what people do around it: another command in
//! the middle, an older review's submit button, or a 放弃 tapped by mistake.

mod common;

use common::expect_alert;
use common::reporting::{Identity, fill_report, wait_for};

const REPORTER: i64 = 7_200_000_001;

e2e_test!(
    a_command_during_a_draft_keeps_the_draft_at_its_step,
    |app| {
        let user = app.user(REPORTER, Some("zh-hans"));
        user.send_text("/report");
        let m = wait_for(&user, "请选择问题类别").await;
        user.press_button(&m, "形式主义");
        wait_for(&user, "被反映人的姓名").await;
        for command in [
            "/quiz", "/help", "/me", "/lang", "/rank", "/status", "/start",
        ] {
            user.send_text(command);
            let shown = wait_for(&user, "未完成的举报草稿").await;
            assert!(
                shown.text.contains("被反映人的姓名"),
                "{command}: the draft's question is asked again: {}",
                shown.text
            );
        }
        assert!(
            !user.chat().iter().any(|m| m.text.contains("第 1/")),
            "no quiz started"
        );
        // The next words are the answer to the question on screen, as the reporter was told.
        user.send_text("张三");
        wait_for(&user, "在哪个单位").await;
    }
);

e2e_test!(only_the_newest_review_can_submit, |app| {
    let user = app.user(REPORTER, Some("zh-hans"));
    let first = fill_report(&user, Identity::Anonymous { notify: false }, false).await;
    user.press_button(&first, "修改");
    let menu = wait_for(&user, "要修改哪一项").await;
    user.press_button(&menu, "时间地点");
    wait_for(&user, "时间和地点").await;
    user.send_text("2026年10月，镇政府会议室");
    let second = wait_for(&user, "请核对举报内容").await;
    assert!(second.text.contains("会议室"), "{}", second.text);

    // The first review still shows the old place: its submit files nothing.
    user.press_button(&first, "提交");
    expect_alert(&user, "这份摘要已过期").await;
    let current = wait_for(&user, "请核对举报内容").await;
    assert!(current.text.contains("会议室"), "{}", current.text);
    assert_eq!(app.store.report_count().await.unwrap(), 0);

    user.press_button(&second, "提交");
    let shown = wait_for(&user, "您的查询码").await;
    assert_eq!(app.store.report_count().await.unwrap(), 1);
    assert!(
        shown.protect_content && !shown.text.contains("截图"),
        "{}",
        shown.text
    );

    // The protected message offers the code alone, unprotected, to keep.
    let code = common::reporting::code_in(&shown);
    user.press_button(&shown, "发送一条可保存的查询码");
    let savable = wait_for(&user, "清风举报查询码").await;
    assert!(savable.text.contains(&code) && !savable.protect_content);
    assert!(
        !savable.text.contains("会议室"),
        "no report content: {}",
        savable.text
    );
});

e2e_test!(abandoning_at_the_review_asks_first, |app| {
    let user = app.user(REPORTER, Some("zh-hans"));
    let review = fill_report(&user, Identity::Anonymous { notify: false }, false).await;
    user.press_button(&review, "放弃");
    let ask = wait_for(&user, "确定放弃这份举报吗").await;
    user.press_button(&ask, "返回继续");
    let again = wait_for(&user, "请核对举报内容").await;
    assert!(
        again.text.contains("张某某"),
        "the draft is intact: {}",
        again.text
    );

    user.press_button(&again, "放弃");
    let ask = wait_for(&user, "确定放弃这份举报吗").await;
    user.press_button(&ask, "确定放弃");
    wait_for(&user, "已放弃本次举报").await;
    // Nothing to resume, nothing filed.
    user.send_text("/report");
    wait_for(&user, "请选择问题类别").await;
    assert_eq!(app.store.report_count().await.unwrap(), 0);
});

e2e_test!(typing_a_township_name_works_like_pressing_it, |app| {
    let user = app.user(REPORTER, Some("zh-hans"));
    user.send_text("/report");
    let m = wait_for(&user, "请选择问题类别").await;
    user.press_button(&m, "形式主义");
    wait_for(&user, "被反映人的姓名").await;
    user.send_text("张三");
    wait_for(&user, "在哪个单位").await;
    user.send_text("某局");
    let m = wait_for(&user, "职务").await;
    user.press_button(&m, "跳过");
    let m = wait_for(&user, "哪一级").await;
    user.press_button(&m, "一般干部");
    let m = wait_for(&user, "工作人员吗").await;
    user.press_button(&m, "不是");
    wait_for(&user, "哪个乡镇").await;
    // Not a township: a short hint and the same question again.
    user.send_text("北京");
    wait_for(&user, "请点击下面的按钮选择").await;
    user.send_text("宝丰镇");
    wait_for(&user, "具体描述问题").await;
});

e2e_test!(
    videos_and_a_spoken_description_are_kept_within_the_stated_limits,
    |app| {
        let user = app.user(REPORTER + 3, Some("zh-hans"));
        user.send_text("/report");
        let m = wait_for(&user, "请选择问题类别").await;
        user.press_button(&m, "形式主义");
        wait_for(&user, "被反映人的姓名").await;
        user.send_text("王某");
        wait_for(&user, "在哪个单位").await;
        user.send_text("宝丰镇人民政府");
        let m = wait_for(&user, "职务").await;
        user.press_button(&m, "跳过");
        let m = wait_for(&user, "哪一级").await;
        user.press_button(&m, "一般干部");
        let m = wait_for(&user, "县纪委监委的工作人员吗").await;
        user.press_button(&m, "不是");
        let m = wait_for(&user, "哪个乡镇").await;
        user.press_button(&m, "宝丰镇");
        let ask = wait_for(&user, "具体描述问题").await;
        assert!(
            ask.text.contains("语音"),
            "the prompt offers a voice message: {}",
            ask.text
        );
        assert!(ask.text.contains("【第 7 步，共 11 步】"), "{}", ask.text);

        // Said rather than typed: kept, and a short written summary is still asked for.
        user.send_voice(b"ogg bytes of the account".to_vec(), 95);
        let kept = wait_for(&user, "已收到您的语音").await;
        assert!(kept.text.contains("具体描述问题"), "{}", kept.text);
        user.send_text("镇里办低保要求群众反复提交同样的材料，跑了五六趟还没办成。");
        wait_for(&user, "时间和地点").await;
        user.send_text("2026年11月，宝丰镇便民服务中心");

        let ask = wait_for(&user, "如有证据").await;
        // The limits are stated before anything is sent.
        assert!(
            ask.text.contains("视频")
                && ask.text.contains("最多 5 个")
                && ask.text.contains("20 MB"),
            "{}",
            ask.text
        );
        assert!(
            ask.text.contains("已收到 1 个"),
            "the voice message counts: {}",
            ask.text
        );
        user.send_video(b"mp4 bytes".to_vec(), 40, 19 * 1024 * 1024);
        wait_for(&user, "已收到第 2 个证据").await;
        user.send_video(b"mp4 bytes".to_vec(), 300, 25 * 1024 * 1024);
        let refused = wait_for(&user, "约 25 MB").await;
        assert!(refused.text.contains("20 MB 的上限"), "{}", refused.text);
        user.press_button(&refused, "完成");
        let m = wait_for(&user, "实名举报还是匿名举报").await;
        assert!(m.text.contains("【第 10 步，共 11 步】"), "{}", m.text);
        user.press_button(&m, "匿名举报");
        let m = wait_for(&user, "是否希望").await;
        assert!(m.text.contains("【第 11 步，共 11 步】"), "{}", m.text);
        user.press_button(&m, "否，不留");
        let review = wait_for(&user, "请核对举报内容").await;
        assert!(!review.text.contains("步，共"), "{}", review.text);
        assert!(review.text.contains("证据：2 个"), "{}", review.text);
        user.press_button(&review, "提交");
        wait_for(&user, "您的查询码").await;
    }
);

e2e_test!(the_list_of_changes_has_a_way_back_to_the_review, |app| {
    let user = app.user(REPORTER + 4, Some("zh-hans"));
    let review = fill_report(&user, Identity::Anonymous { notify: false }, false).await;
    user.press_button(&review, "修改");
    let which = wait_for(&user, "修改哪一项").await;
    user.press_button(&which, "返回");
    let again = wait_for(&user, "请核对举报内容").await;
    assert!(
        again.text.contains("张某某"),
        "nothing was cleared: {}",
        again.text
    );
    user.press_button(&again, "提交");
    wait_for(&user, "您的查询码").await;
    assert_eq!(app.store.report_count().await.unwrap(), 1);
});

/// Starts a report as a household signed up in 宝丰镇 and answers up to the level question.
async fn start_as_baofeng_household(app: &common::TestApp, chat: i64) -> telegram_sim::SimUser {
    let profile = qingfeng_core::testing::household("baofeng");
    qingfeng_core::testing::subscribe(&app.store, [chat], qingfeng_core::Language::ZhCn, &profile)
        .await;
    let user = app.user(chat, Some("zh-hans"));
    user.send_text("/report");
    let m = wait_for(&user, "请选择问题类别").await;
    assert!(
        m.text.contains("· 违反群众纪律：优亲厚友、吃拿卡要"),
        "each category comes with examples: {}",
        m.text
    );
    user.press_button(&m, "形式主义");
    let m = wait_for(&user, "被反映人的姓名").await;
    user.press_button(&m, "不清楚");
    let m = wait_for(&user, "在哪个单位").await;
    user.press_button(&m, "不清楚");
    let m = wait_for(&user, "职务").await;
    user.press_button(&m, "跳过");
    user
}

async fn only_report(app: &common::TestApp) -> qingfeng_core::store::ReportRecord {
    let scope = qingfeng_core::store::ReportScope::All;
    let filter = Default::default();
    let reports = app
        .store
        .list_reports(&scope, &filter, 10, 0)
        .await
        .unwrap();
    assert_eq!(reports.len(), 1, "exactly one report is filed");
    let id = reports[0].id;
    app.store.report_record(id).await.unwrap().unwrap()
}

e2e_test!(
    a_signed_up_villager_files_an_anonymous_report_in_ten_steps,
    |app| {
        let user = start_as_baofeng_household(&app, REPORTER + 5).await;
        let m = wait_for(&user, "哪一级").await;
        assert!(m.text.contains("【第 5 步，共 10 步】"), "{}", m.text);
        user.press_button(&m, "村（社区）干部");
        // A village cadre does not work for the commission, and the township is the one the
        // villager signed up in: neither is asked.
        let m = wait_for(&user, "具体描述问题").await;
        assert!(m.text.contains("【第 6 步，共 10 步】"), "{}", m.text);
        user.send_text("村里发放补贴时优亲厚友，把名额给了村干部的亲戚。");
        wait_for(&user, "时间和地点").await;
        user.send_text("2026年11月，村委会");
        let m = wait_for(&user, "如有证据").await;
        user.press_button(&m, "没有证据");
        let m = wait_for(&user, "实名举报还是匿名举报").await;
        user.press_button(&m, "匿名举报");
        let m = wait_for(&user, "是否希望").await;
        assert!(m.text.contains("【第 10 步，共 10 步】"), "{}", m.text);
        user.press_button(&m, "否，不留");
        let review = wait_for(&user, "请核对举报内容").await;
        assert!(
            review.text.contains("乡镇：宝丰镇（按您登记的乡镇填写"),
            "the township is shown and can be changed: {}",
            review.text
        );
        assert!(review.text.contains("不清楚"), "{}", review.text);
        user.press_button(&review, "提交");
        wait_for(&user, "您的查询码").await;

        let record = only_report(&app).await;
        assert_eq!(
            record.township.as_ref().map(|t| t.as_str()),
            Some("baofeng")
        );
        assert_eq!(
            record.desk.as_str(),
            "baofeng",
            "a village cadre: the township desk"
        );
    }
);

e2e_test!(
    a_reporter_who_does_not_know_whether_it_is_commission_staff_reaches_the_county,
    |app| {
        let user = start_as_baofeng_household(&app, REPORTER + 6).await;
        let m = wait_for(&user, "哪一级").await;
        user.press_button(&m, "一般干部");
        let m = wait_for(&user, "县纪委监委的工作人员吗").await;
        user.press_button(&m, "不清楚");
        wait_for(&user, "具体描述问题").await;
        user.send_text("办事窗口工作人员刁难群众，索要好处费后才肯办理。");
        wait_for(&user, "时间和地点").await;
        user.send_text("2026年11月，镇便民服务中心");
        let m = wait_for(&user, "如有证据").await;
        user.press_button(&m, "没有证据");
        let m = wait_for(&user, "实名举报还是匿名举报").await;
        user.press_button(&m, "匿名举报");
        let m = wait_for(&user, "是否希望").await;
        user.press_button(&m, "否，不留");
        let review = wait_for(&user, "请核对举报内容").await;
        assert!(
            review.text.contains("是否纪检监察干部：不清楚"),
            "{}",
            review.text
        );
        user.press_button(&review, "提交");
        wait_for(&user, "您的查询码").await;
        // Possibly commission staff: a township desk must not judge them.
        assert_eq!(only_report(&app).await.desk.as_str(), "county");
    }
);
