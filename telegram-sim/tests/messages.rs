//! A real teloxide `Bot` against the simulator: sending, editing, errors, files.

mod common;

use std::time::Duration;

use common::{TOKEN, setup};
use telegram_sim::{BOT_ID, InjectedError, Simulator};
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, BotCommandScope, InlineKeyboardButton, InlineKeyboardMarkup, InputFile,
    KeyboardButton, KeyboardMarkup, KeyboardRemove, MessageId, ParseMode, Recipient,
};
use teloxide::{ApiError, RequestError};

const USER: i64 = 284_629_471;

fn keyboard() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![
        vec![
            InlineKeyboardButton::callback("🏠 家庭 / Household", "aud:household"),
            InlineKeyboardButton::callback("🏢 企业 / Enterprise", "aud:enterprise"),
        ],
        vec![InlineKeyboardButton::callback("❌ 取消 / Cancel", "cancel")],
    ])
}

#[tokio::test]
async fn get_me_parses() {
    let (sim, bot) = setup().await;
    let me = bot.get_me().await.expect("getMe");
    assert_eq!(me.id.0, BOT_ID as u64);
    assert_eq!(me.username(), "qingfeng_test_bot");
    assert!(me.can_join_groups);
    assert_eq!(sim.count_requests("getMe"), 1);
    assert_eq!(sim.requests()[0].method, "getMe");
}

#[tokio::test]
async fn wrong_token_is_unauthorized() {
    let sim = Simulator::start(TOKEN).await;
    let bot = Bot::new("1:wrong").set_api_url(sim.api_url().parse().unwrap());
    let err = bot.get_me().await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::InvalidToken)),
        "{err:?}"
    );
}

#[tokio::test]
async fn send_message_with_keyboard_reaches_user() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "Wei", Some("zh-hans"));
    let sent = bot
        .send_message(ChatId(USER), "欢迎使用清风\n请选择您的身份：")
        .reply_markup(keyboard())
        .protect_content(true)
        .await
        .expect("sendMessage");
    assert_eq!(sent.chat.id, ChatId(USER));
    assert!(sent.reply_markup().is_some());
    assert!(sent.has_protected_content());

    let seen = user.next_message().await;
    assert_eq!(seen.message_id, i64::from(sent.id.0));
    assert_eq!(seen.text, "欢迎使用清风\n请选择您的身份：");
    assert_eq!(seen.buttons.len(), 2);
    assert!(seen.has_button("Enterprise"));
    assert_eq!(
        seen.callback_data(),
        ["aud:household", "aud:enterprise", "cancel"]
    );
    assert!(seen.protect_content && !seen.is_edit);
    user.expect_silence(Duration::from_millis(50)).await;
}

#[tokio::test]
async fn edits_apply_to_chat_and_not_modified_is_detected() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "Wei", None);
    let sent = bot
        .send_message(ChatId(USER), "<b>第一步</b>")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard())
        .await
        .unwrap();
    let first = user.next_message().await;
    assert_eq!(first.text, "第一步");
    assert_eq!(first.parse_mode.as_deref(), Some("HTML"));

    let edited = bot
        .edit_message_text(ChatId(USER), sent.id, "第二步")
        .await
        .expect("edit");
    assert!(edited.edit_date().is_some());
    let edit = user.next_message().await;
    assert!(edit.is_edit && edit.buttons.is_empty());
    assert_eq!(edit.message_id, first.message_id);
    let chat = user.chat();
    assert_eq!(chat.len(), 1);
    assert_eq!(chat[0].text, "第二步");

    let err = bot
        .edit_message_text(ChatId(USER), sent.id, "第二步")
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageNotModified)),
        "{err:?}"
    );
    let err = bot
        .edit_message_reply_markup(ChatId(USER), MessageId(999))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageToEditNotFound)),
        "{err:?}"
    );

    bot.edit_message_reply_markup(ChatId(USER), sent.id)
        .reply_markup(keyboard())
        .await
        .expect("markup edit");
    assert_eq!(user.next_message().await.buttons.len(), 2);
}

#[tokio::test]
async fn validation_errors_use_telegram_descriptions() {
    let (sim, bot) = setup().await;
    sim.user(USER, "Wei", None);
    let err = bot
        .send_message(ChatId(USER), "<b>open")
        .parse_mode(ParseMode::Html)
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::CantParseEntities(_))),
        "{err:?}"
    );
    let err = bot
        .send_message(ChatId(USER), "x".repeat(4097))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageIsTooLong)),
        "{err:?}"
    );
    let long = InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::callback(
        "x",
        "d".repeat(65),
    )]]);
    let err = bot
        .send_message(ChatId(USER), "hi")
        .reply_markup(long)
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::ButtonDataInvalid)),
        "{err:?}"
    );
    let err = bot.send_message(ChatId(42), "nobody").await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::ChatNotFound)),
        "{err:?}"
    );
    let err = bot
        .delete_message(ChatId(USER), MessageId(77))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageToDeleteNotFound)),
        "{err:?}"
    );
}

#[tokio::test]
async fn injected_errors_surface_as_teloxide_errors() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "Wei", None);
    sim.inject_error(
        "sendMessage",
        Some(USER),
        InjectedError::TooManyRequests { retry_after: 7 },
    );
    sim.inject_error("SendMessage", None, InjectedError::Blocked);
    let err = bot.send_message(ChatId(USER), "a").await.unwrap_err();
    assert!(
        matches!(err, RequestError::RetryAfter(s) if s.seconds() == 7),
        "{err:?}"
    );
    let err = bot.send_message(ChatId(USER), "b").await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::BotBlocked)),
        "{err:?}"
    );
    bot.send_message(ChatId(USER), "c")
        .await
        .expect("one-shot errors are used up");
    assert_eq!(user.next_message().await.text, "c");

    user.block_bot();
    let err = bot.send_message(ChatId(USER), "d").await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::BotBlocked)),
        "{err:?}"
    );
    user.unblock_bot();
    bot.send_message(ChatId(USER), "e")
        .await
        .expect("unblocked");
    assert_eq!(sim.count_requests("sendmessage"), 5);
}

#[tokio::test]
async fn commands_are_recorded_per_language() {
    let (sim, bot) = setup().await;
    bot.set_my_commands([BotCommand::new("start", "开始")])
        .await
        .unwrap();
    bot.set_my_commands([BotCommand::new("start", "Start")])
        .language_code("en")
        .await
        .unwrap();
    assert_eq!(
        sim.my_commands(None),
        Some(vec![("start".into(), "开始".into())])
    );
    assert_eq!(sim.my_commands(Some("en")).unwrap()[0].1, "Start");
    assert_eq!(bot.get_my_commands().await.unwrap()[0].description, "开始");
    bot.delete_my_commands().language_code("en").await.unwrap();
    assert_eq!(sim.my_commands(Some("en")), None);
}

#[tokio::test]
async fn commands_for_one_chat_are_kept_apart_from_the_default_menu() {
    let (sim, bot) = setup().await;
    bot.set_my_commands([BotCommand::new("start", "开始")])
        .await
        .unwrap();
    let chat = BotCommandScope::Chat {
        chat_id: Recipient::Id(ChatId(USER)),
    };
    bot.set_my_commands([BotCommand::new("start", "Start")])
        .scope(chat.clone())
        .await
        .unwrap();
    assert_eq!(sim.chat_commands(USER, None).unwrap()[0].1, "Start");
    assert_eq!(sim.my_commands(None).unwrap()[0].1, "开始");
    let listed = bot.get_my_commands().scope(chat.clone()).await.unwrap();
    assert_eq!(listed[0].description, "Start");
    bot.delete_my_commands().scope(chat).await.unwrap();
    assert_eq!(sim.chat_commands(USER, None), None);
}

#[tokio::test]
async fn a_reply_keyboard_stays_under_the_input_field_until_removed() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "Wei", None);
    let menu = KeyboardMarkup::new([
        [KeyboardButton::new("答题"), KeyboardButton::new("举报")],
        [KeyboardButton::new("查询"), KeyboardButton::new("我的")],
    ])
    .persistent()
    .resize_keyboard();
    let sent = bot
        .send_message(ChatId(USER), "菜单")
        .reply_markup(menu)
        .await
        .expect("teloxide parses the answer");
    // Telegram does not echo a reply keyboard: Message.reply_markup is inline only.
    assert!(sent.reply_markup().is_none());
    let keyboard = user.reply_keyboard().expect("a keyboard is shown");
    assert_eq!(keyboard.labels(), ["答题", "举报", "查询", "我的"]);
    assert!(keyboard.is_persistent && keyboard.resize_keyboard && !keyboard.one_time_keyboard);
    bot.send_message(ChatId(USER), "no markup").await.unwrap();
    assert!(user.reply_keyboard().is_some(), "a plain message keeps it");
    bot.send_message(ChatId(USER), "bye")
        .reply_markup(KeyboardRemove::new())
        .await
        .unwrap();
    assert!(user.reply_keyboard().is_none());
}

#[tokio::test]
async fn files_round_trip_through_multipart_and_downloads() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "Wei", None);
    let sent = bot
        .send_document(
            ChatId(USER),
            InputFile::memory(b"%PDF-1.4".to_vec()).file_name("回执.pdf"),
        )
        .caption("<i>回执</i>")
        .parse_mode(ParseMode::Html)
        .await
        .expect("sendDocument");
    let document = sent.document().expect("document");
    assert_eq!(document.file_name.as_deref(), Some("回执.pdf"));
    assert_eq!(user.next_message().await.text, "回执");
    assert_eq!(sim.file_bytes(&document.file.id.0).unwrap(), b"%PDF-1.4");

    let photo_id = user.send_photo(vec![1, 2, 3], Some("现场"));
    assert!(photo_id > 0);
    let file_id = sim.add_file(b"hello".to_vec(), "documents/file_9.txt");
    let file = bot.get_file(file_id.into()).await.expect("getFile");
    assert_eq!(file.path, "documents/file_9.txt");
    let mut bytes = Vec::new();
    bot.download_file(&file.path, &mut bytes)
        .await
        .expect("download");
    assert_eq!(bytes, b"hello");

    let photo = bot
        .send_photo(ChatId(USER), InputFile::memory(vec![9u8; 10]))
        .await
        .expect("sendPhoto");
    assert_eq!(photo.photo().unwrap()[0].file.size, 10);
}

#[tokio::test]
async fn polls_and_callback_answers() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "Wei", None);
    let sent = bot
        .send_poll(
            ChatId(USER),
            "收受红包属于哪类违纪行为？",
            ["违反廉洁纪律".into(), "违反工作纪律".into()],
        )
        .type_(teloxide::types::PollType::Quiz)
        .correct_option_id(0)
        .is_anonymous(false)
        .await
        .expect("sendPoll");
    let poll = sent.poll().expect("poll");
    assert_eq!(user.next_message().await.text, "收受红包属于哪类违纪行为？");
    let stopped = bot
        .stop_poll(ChatId(USER), sent.id)
        .await
        .expect("stopPoll");
    assert!(stopped.is_closed && stopped.id == poll.id);

    let err = bot
        .answer_callback_query("nope".to_owned().into())
        .await
        .unwrap_err();
    assert!(format!("{err}").contains("query is too old"), "{err:?}");
    let query = user.press(&user.chat()[0], "forged:data");
    bot.answer_callback_query(query.clone().into())
        .text("已记录")
        .show_alert(true)
        .await
        .expect("answer");
    let answer = user.next_callback_answer().await;
    assert_eq!(answer.callback_query_id, query);
    assert_eq!(answer.text.as_deref(), Some("已记录"));
    assert!(answer.show_alert);
}

#[tokio::test]
#[should_panic(expected = "labels: [\"🏠 家庭 / Household\"")]
async fn press_button_panics_listing_labels() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "Wei", None);
    bot.send_message(ChatId(USER), "hi")
        .reply_markup(keyboard())
        .await
        .unwrap();
    let shown = user.next_message().await;
    user.press_button(&shown, "Nope");
}

#[tokio::test]
#[should_panic(
    expected = "expected silence for user 284629471, but the bot sent message #1 \"hi\""
)]
async fn expect_silence_panics_on_output() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "Wei", None);
    bot.send_message(ChatId(USER), "hi").await.unwrap();
    user.expect_silence(Duration::from_millis(50)).await;
}
