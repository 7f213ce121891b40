//! The bottom menu (a persistent reply keyboard) and `/lang` with an argument, end to end
//! through the fake Bot API, on SQLite and PostgreSQL.

mod common;

use common::expect_text;
use common::reporting::wait_for;
use serde_json::json;
use telegram_sim::SimUser;

/// Signs a household up in 宝丰镇龙井村 and returns the success message.
async fn sign_up(user: &SimUser) -> telegram_sim::BotMessage {
    user.send_text("/start");
    let ask = wait_for(user, "请选择您的身份").await;
    user.press_button(&ask, "家庭");
    let townships = expect_text(user, "请选择您所在的乡镇").await;
    user.press_button(&townships, "宝丰镇");
    let villages = expect_text(user, "请选择您所在的村").await;
    user.press_button(&villages, "龙井村");
    let confirm = expect_text(user, "请确认您的登记信息").await;
    user.press_button(&confirm, "确认");
    expect_text(user, "登记成功").await
}

/// The `reply_markup` of the last sendMessage to `chat_id`.
fn last_reply_markup(app: &common::TestApp, chat_id: i64) -> serde_json::Value {
    app.sim
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.method == "sendMessage" && r.body["chat_id"] == json!(chat_id))
        .map(|r| r.body["reply_markup"].clone())
        .unwrap_or_default()
}

e2e_test!(the_bottom_menu_follows_a_signed_up_person, |app| {
    let user = app.user(4101, Some("zh-hans"));
    assert!(user.reply_keyboard().is_none(), "no menu before sign-up");
    let saved = sign_up(&user).await;
    assert!(
        !saved.is_edit,
        "the success comes as a new message, with the menu"
    );
    let menu = user
        .reply_keyboard()
        .expect("the menu is shown after sign-up");
    assert_eq!(menu.rows, [["答题", "举报"], ["查询", "我的"]]);
    assert!(menu.is_persistent && menu.resize_keyboard && !menu.one_time_keyboard);
    // The Bot API's ReplyKeyboardMarkup: rows of KeyboardButton objects and the two flags.
    assert_eq!(
        last_reply_markup(&app, 4101),
        json!({
            "keyboard": [[{"text": "答题"}, {"text": "举报"}], [{"text": "查询"}, {"text": "我的"}]],
            "is_persistent": true,
            "resize_keyboard": true,
        })
    );

    // Pressing works like the command.
    user.press_reply_button("我的");
    expect_text(&user, "龙井村").await;
    user.press_reply_button("查询");
    expect_text(&user, "请发送您的查询码").await;
    user.send_text("/cancel");
    user.next_message().await;
    user.press_reply_button("举报");
    let intro = expect_text(&user, "请选择问题类别").await;
    user.press_button(&intro, "违反廉洁纪律");
    let sub = expect_text(&user, "哪一类").await;
    user.press_button(&sub, "违规收受礼品礼金");
    expect_text(&user, "被反映人的姓名").await;

    // During a typed step a menu press is refused like a command, not taken as the name.
    user.press_reply_button("答题");
    let refused = expect_text(&user, "您有一份未完成的举报草稿").await;
    assert!(refused.text.contains("被反映人的姓名"), "{}", refused.text);
    user.press_reply_button("我的");
    expect_text(&user, "您有一份未完成的举报草稿").await;
    user.send_text("张某某");
    expect_text(&user, "在哪个单位").await;
    // 举报 resumes the draft, as /report does.
    user.press_reply_button("举报");
    expect_text(&user, "在哪个单位").await;
    user.send_text("/cancel");
    user.next_message().await;

    // /start for someone signed up shows their details and brings the menu back.
    user.send_text("/start");
    expect_text(&user, "您已经登记过了").await;
    expect_text(&user, "下方菜单随时可用").await;
    assert_eq!(
        last_reply_markup(&app, 4101)["keyboard"][0][0]["text"],
        "答题"
    );
    assert_eq!(last_reply_markup(&app, 4101)["is_persistent"], true);
});

e2e_test!(lang_takes_its_argument_and_the_menus_follow, |app| {
    let user = app.user(4102, Some("zh-hans"));
    sign_up(&user).await;

    user.send_text("/lang en");
    expect_text(&user, "Switched to English").await;
    let commands = app
        .sim
        .chat_commands(4102, None)
        .expect("a menu for this chat");
    assert!(
        commands
            .iter()
            .any(|(c, d)| c == "me" && d.contains("details")),
        "{commands:?}"
    );
    assert_eq!(
        user.reply_keyboard().expect("menu").rows,
        [["Quiz", "Report"], ["Status", "Me"]]
    );
    // The default menus are left alone: they serve everyone else.
    let default = app.sim.my_commands(None).expect("default menu");
    assert!(
        default
            .iter()
            .any(|(c, d)| c == "report" && d.contains("举报"))
    );
    user.press_reply_button("Me");
    expect_text(&user, "Your details").await;

    user.send_text("/lang zh");
    expect_text(&user, "已切换为中文").await;
    let commands = app
        .sim
        .chat_commands(4102, None)
        .expect("a menu for this chat");
    assert!(
        commands
            .iter()
            .any(|(c, d)| c == "report" && d.contains("举报")),
        "{commands:?}"
    );
    assert_eq!(user.reply_keyboard().unwrap().labels()[0], "答题");

    user.send_text("/lang fr");
    let unknown = expect_text(&user, "没有“fr”这种语言").await;
    assert!(unknown.has_button("English") && unknown.has_button("中文"));
    user.send_text("/lang");
    let choose = expect_text(&user, "Please choose a language").await;
    user.press_button(&choose, "English");
    expect_text(&user, "Switched to English").await;
    assert!(
        app.sim.chat_commands(4102, None).unwrap()[0]
            .1
            .contains("Sign up")
    );
});
