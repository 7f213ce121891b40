//! Quizzes end to end through the fake Bot API, on both backends.

mod common;

use common::{TestApp, expect_text};
use qingfeng_core::domain::*;
use qingfeng_core::store::Trigger;
use qingfeng_core::testing::TestBackend;
use telegram_sim::{BotMessage, SimUser};

/// Three questions whose correct option is always "B" in a known text.
fn bank() -> Vec<QuizQuestion> {
    let text = |zh: &str, en: &str| LocalizedText {
        zh: zh.into(),
        en: en.into(),
    };
    (1..=3)
        .map(|i| QuizQuestion {
            id: format!("q{i}").parse().unwrap(),
            topics: vec!["reporting".into()],
            audience: None,
            question: text(
                &format!("第{i}题：举报电话是多少？"),
                &format!("Q{i}: which number takes reports?"),
            ),
            options: vec![
                text("110", "110"),
                text("12388", "12388"),
                text("114", "114"),
            ],
            answer: 1,
            explanation: text("12388是纪检监察举报电话。", "12388 is the reporting line."),
            source: text("12388举报平台", "The 12388 reporting platform"),
        })
        .collect()
}

async fn subscribe(
    app: &TestApp,
    chat_id: i64,
    township: &str,
    enterprise: Option<&str>,
) -> SimUser {
    let township: RegionCode = township.parse().unwrap();
    let profile = match enterprise {
        Some(name) => Profile::Enterprise {
            township,
            name: EnterpriseName::parse(name).unwrap(),
            credit_code: None,
        },
        None => Profile::Household {
            township,
            village: None,
        },
    };
    app.store
        .upsert_subscriber(&NewSubscriber {
            chat_id,
            language: Language::ZhCn,
            profile,
        })
        .await
        .unwrap();
    app.user(chat_id, Some("zh-hans"))
}

async fn with_bank(app: &TestApp) {
    app.store.import_questions(&bank(), true).await.unwrap();
}

/// Answers the question in `message`: right (option B) or wrong (option A).
fn answer(user: &SimUser, message: &BotMessage, right: bool) {
    user.press_button(message, if right { "B. 12388" } else { "A. 110" });
}

e2e_test!(a_full_quiz_gives_feedback_a_score_and_a_rank, |app| {
    with_bank(&app).await;
    let user = subscribe(&app, 7001, "baofeng", None).await;
    user.send_text("/quiz");
    let first = expect_text(&user, "第 1/3 题").await;
    assert_eq!(first.button_labels(), ["A. 110", "B. 12388", "C. 114"]);
    answer(&user, &first, true);
    let feedback = expect_text(&user, "回答正确").await;
    assert!(feedback.is_edit && feedback.buttons.is_empty());
    assert!(
        feedback.text.contains("解析：12388是纪检监察举报电话。")
            && feedback.text.contains("依据：12388举报平台"),
        "{}",
        feedback.text
    );
    expect_alert_text(&user, "正确").await;

    let second = expect_text(&user, "第 2/3 题").await;
    answer(&user, &second, false);
    let feedback = expect_text(&user, "回答错误。正确答案：B. 12388").await;
    assert!(feedback.text.contains("解析："));
    let third = expect_text(&user, "第 3/3 题").await;
    answer(&user, &third, true);
    expect_text(&user, "回答正确").await;
    let result = expect_text(&user, "本次得分 2/3").await;
    assert!(
        result.text.contains("宝丰镇的 1 位参与者中排第 1 名"),
        "{}",
        result.text
    );

    // A second quiz in the same period is not ranked.
    user.send_text("/quiz");
    for _ in 0..3 {
        let q = expect_text(&user, "题").await;
        answer(&user, &q, true);
        expect_text(&user, "回答正确").await;
    }
    let result = expect_text(&user, "本次得分 3/3").await;
    assert!(result.text.contains("不计入排名"), "{}", result.text);
    let rates = app.store.question_rates().await.unwrap();
    assert_eq!(
        rates.iter().map(|r| r.answers).sum::<i64>(),
        6,
        "every answer is kept"
    );
});

/// Waits for the next callback answer with text, without requiring an alert.
async fn expect_alert_text(user: &SimUser, needle: &str) {
    loop {
        let answer = user.next_callback_answer().await;
        if let Some(text) = answer.text {
            assert!(text.contains(needle), "{text}");
            return;
        }
    }
}

e2e_test!(
    a_quiz_survives_a_restart_and_double_presses_count_once,
    |app| {
        with_bank(&app).await;
        let user = subscribe(&app, 7002, "majiadu", None).await;
        user.send_text("/quiz");
        let first = expect_text(&user, "第 1/3 题").await;
        answer(&user, &first, true);
        expect_text(&user, "回答正确").await;
        answer(&user, &first, false);
        expect_alert_text(&user, "正确").await;
        expect_alert_text(&user, "已经回答过了").await;
        let second = expect_text(&user, "第 2/3 题").await;

        let app = app.kill_between_updates_and_restart().await;
        user.send_text("/quiz");
        expect_text(&user, "还没答完").await;
        let resumed = expect_text(&user, "第 2/3 题").await;
        answer(&user, &second, true);
        expect_text(&user, "回答正确").await;
        expect_alert_text(&user, "正确").await;
        // The copy sent on resuming is the same question, already answered.
        answer(&user, &resumed, true);

        expect_alert_text(&user, "已经回答过了").await;
        let third = expect_text(&user, "第 3/3 题").await;
        answer(&user, &third, true);
        expect_text(&user, "回答正确").await;
        expect_alert_text(&user, "正确").await;
        expect_text(&user, "本次得分 3/3").await;

        // A button from the finished quiz, and a forged one, change nothing.
        answer(&user, &first, false);
        expect_alert_text(&user, "已经回答过了").await;
        user.press(&first, "qa:999:0:1");
        expect_alert_text(&user, "无法识别").await;
        let attempt = app.store.attempt(1).await.unwrap().unwrap();
        assert_eq!((attempt.score, attempt.finished), (3, true));
    }
);

e2e_test!(rankings_compare_townships_and_enterprises, |app| {
    with_bank(&app).await;
    let take = async |user: &SimUser, right: usize| {
        user.send_text("/quiz");
        for i in 0..3 {
            let q = expect_text(user, "题").await;
            answer(user, &q, i < right);
            expect_text(user, "回答").await;
        }
        expect_text(user, "本次得分").await;
    };
    let a = subscribe(&app, 7101, "baofeng", Some("竹山县甲建材有限公司")).await;
    let b = subscribe(&app, 7102, "baofeng", Some("竹山县乙茶业有限公司")).await;
    let c = subscribe(&app, 7103, "majiadu", None).await;
    take(&a, 3).await;
    take(&b, 1).await;
    take(&c, 2).await;

    b.send_text("/rank");
    let rank = expect_text(&b, "您的成绩：1/3").await;
    assert!(
        rank.text.contains("在宝丰镇的 2 位参与者中排第 2 名"),
        "{}",
        rank.text
    );
    // Both townships average 67 %; the one with more participants comes first.
    assert!(
        rank.text.contains("1. 宝丰镇 — 67%，2 人参与")
            && rank.text.contains("2. 麻家渡镇 — 67%，1 人参与"),
        "{}",
        rank.text
    );
    assert!(
        rank.text.contains("1. 竹山县甲建材有限公司 — 3/3")
            && rank.text.contains("2. 竹山县乙茶业有限公司 — 1/3"),
        "{}",
        rank.text
    );
    c.send_text("/rank");
    let household = expect_text(&c, "您的成绩：2/3").await;
    assert!(
        !household.text.contains("企业排行"),
        "households see no enterprise ranking"
    );
});

e2e_test!(a_scheduled_invitation_starts_the_quiz, |app| {
    with_bank(&app).await;
    let user = subscribe(&app, 7201, "baofeng", None).await;
    let invitation = Campaign {
        urgent: true,
        quiz_invitation: true,
        ..qingfeng_core::testing::campaign(
            "weekly-quiz",
            "每周一测开始了！",
            "The weekly quiz is open!",
        )
    };
    app.store
        .import_campaigns(std::slice::from_ref(&invitation))
        .await
        .unwrap();
    let now = chrono::Utc::now();
    app.store
        .create_run(&invitation, now, Trigger::Manual, now)
        .await
        .unwrap();
    let message = expect_text(&user, "每周一测开始了").await;
    user.press_button(&message, "开始答题");
    expect_text(&user, "第 1/3 题").await;
});

e2e_test!(not_subscribed_or_an_empty_bank_gets_a_clear_answer, |app| {
    let stranger = app.user(7301, Some("zh-hans"));
    stranger.send_text("/quiz");
    expect_text(&stranger, "答题前请先登记").await;
    let user = subscribe(&app, 7302, "baofeng", None).await;
    user.send_text("/quiz");
    expect_text(&user, "题库暂时没有题目").await;
    user.send_text("/rank");
    expect_text(&user, "还没有计入排名").await;
});

async fn quiz_polls(backend: TestBackend) {
    let app = common::spawn_app_configured(backend, |config| config.quiz.polls = true).await;
    with_bank(&app).await;
    let user = subscribe(&app, 7401, "baofeng", None).await;
    user.send_text("/quiz");
    for number in 1..=3 {
        let poll = expect_text(&user, &format!("第 {number}/3 题")).await;
        let raw = &poll.raw["poll"];
        assert_eq!(raw["type"], "quiz");
        assert_eq!(raw["is_anonymous"], false);
        assert_eq!(raw["correct_option_id"], 1);
        let poll_id = raw["id"].as_str().unwrap().to_owned();
        user.answer_poll(&poll_id, &[if number == 2 { 0 } else { 1 }]);
        if number == 1 {
            // A repeated poll answer is not counted again.
            user.answer_poll(&poll_id, &[1]);
        }
    }
    expect_text(&user, "本次得分 2/3").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiz_polls_sqlite() {
    quiz_polls(TestBackend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiz_polls_postgres() {
    quiz_polls(TestBackend::Postgres).await;
}

e2e_test!(typing_a_letter_or_the_option_answers_like_pressing, |app| {
    with_bank(&app).await;
    let user = subscribe(&app, 7003, "baofeng", None).await;
    user.send_text("/quiz");
    expect_text(&user, "第 1/3 题").await;
    // Option B is right in every question of the test bank.
    user.send_text("B");
    expect_text(&user, "回答正确").await;
    expect_text(&user, "第 2/3 题").await;
    user.send_text("Ａ");
    expect_text(&user, "回答错误").await;
    expect_text(&user, "第 3/3 题").await;
    user.send_text("12388");
    expect_text(&user, "回答正确").await;
    let done = expect_text(&user, "答题完成").await;
    // The period in people's words, never an ISO week label.
    assert!(
        done.text.contains("本周（") && !done.text.contains("-W"),
        "{}",
        done.text
    );
    // With no question waiting, a letter is ordinary text again.
    user.send_text("B");
    expect_text(&user, "/report").await;
});
