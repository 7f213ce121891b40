//! A real teloxide `Bot` polling the simulator: update shapes, offsets, long polls.

mod common;

use std::time::{Duration, Instant};

use common::{assert_parsed, setup};
use teloxide::prelude::*;
use teloxide::types::{ChatMemberStatus, MediaKind, MessageKind, Update, UpdateKind};

const USER: i64 = 519_300_842;

/// The offset confirming every update in `updates`.
fn next_offset(updates: &[Update]) -> i32 {
    updates.last().map_or(0, |u| u.id.0 as i32 + 1)
}

#[tokio::test]
async fn text_message_parses_with_command_entity() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "张敏", Some("zh-hans"));
    let first = user.send_text("/start src_poster_2024");
    let second = user.send_text("你好");
    assert_eq!((first, second), (1, 2));

    let updates = bot.get_updates().await.expect("getUpdates");
    assert_parsed(&updates);
    assert_eq!(updates.len(), 2);
    assert_eq!(updates[0].id.0, 1);
    let UpdateKind::Message(msg) = &updates[0].kind else {
        panic!("not a message: {:?}", updates[0]);
    };
    assert_eq!(msg.text(), Some("/start src_poster_2024"));
    assert_eq!(msg.chat.id, ChatId(USER));
    assert_eq!(
        msg.from.as_ref().unwrap().language_code.as_deref(),
        Some("zh-hans")
    );
    let entities = msg.entities().expect("entities");
    assert_eq!((entities[0].offset, entities[0].length), (0, 6));

    // The bot's reply continues the chat's message id sequence.
    let reply = bot.send_message(ChatId(USER), "欢迎").await.unwrap();
    assert_eq!(reply.id.0, 3);
}

#[tokio::test]
async fn press_parses_into_callback_query() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "张敏", None);
    let keyboard = teloxide::types::InlineKeyboardMarkup::new(vec![vec![
        teloxide::types::InlineKeyboardButton::callback("🏢 企业", "aud:enterprise"),
    ]]);
    bot.send_message(ChatId(USER), "请选择")
        .reply_markup(keyboard)
        .await
        .unwrap();
    let shown = user.next_message().await;
    let query_id = user.press_button(&shown, "企业");

    let updates = bot.get_updates().await.unwrap();
    assert_parsed(&updates);
    let UpdateKind::CallbackQuery(query) = &updates[0].kind else {
        panic!("not a callback query: {:?}", updates[0]);
    };
    assert_eq!(query.id.0, query_id);
    assert_eq!(query.data.as_deref(), Some("aud:enterprise"));
    assert_eq!(query.from.id.0, USER as u64);
    let message = query.regular_message().expect("accessible message");
    assert_eq!(i64::from(message.id.0), shown.message_id);
    assert!(message.reply_markup().is_some());
}

#[tokio::test]
async fn offsets_confirm_and_drop_updates_forever() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "张敏", None);
    user.send_text("one");
    user.send_text("two");
    assert_eq!(sim.pending_updates(), 2);

    let updates = bot.get_updates().await.unwrap();
    assert_eq!(updates.len(), 2);
    // Unconfirmed updates are delivered again.
    assert_eq!(bot.get_updates().await.unwrap().len(), 2);

    let confirmed = bot
        .get_updates()
        .offset(next_offset(&updates))
        .await
        .unwrap();
    assert!(confirmed.is_empty());
    assert_eq!(sim.pending_updates(), 0);
    // A restarted bot polls from offset 0: nothing old comes back.
    assert!(bot.get_updates().offset(0).await.unwrap().is_empty());

    user.send_text("three");
    let fresh = bot.get_updates().offset(0).await.unwrap();
    assert_eq!(fresh.len(), 1);
    assert_eq!(fresh[0].id.0, 3);
}

#[tokio::test]
async fn allowed_updates_from_first_call_are_remembered() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "张敏", None);
    user.block_bot();
    user.send_text("hello");
    let updates = bot
        .get_updates()
        .allowed_updates([teloxide::types::AllowedUpdate::Message])
        .await
        .unwrap();
    assert_eq!(updates.len(), 1);
    assert!(matches!(updates[0].kind, UpdateKind::Message(_)));
    user.unblock_bot();
    user.send_text("again");
    let later = bot
        .get_updates()
        .offset(next_offset(&updates))
        .await
        .unwrap();
    assert_eq!(
        later.len(),
        1,
        "my_chat_member must stay filtered: {later:?}"
    );
}

#[tokio::test]
async fn long_poll_returns_early_when_an_update_arrives() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "张敏", None);
    let poller = tokio::spawn({
        let bot = bot.clone();
        async move {
            let started = Instant::now();
            let updates = bot.get_updates().timeout(10).await.unwrap();
            (updates, started.elapsed())
        }
    });
    sim.wait_for_request("getUpdates", Duration::from_secs(5))
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    user.send_text("wake up");
    let (updates, elapsed) = poller.await.unwrap();
    assert_eq!(updates.len(), 1);
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");

    let started = Instant::now();
    let empty = bot
        .get_updates()
        .offset(next_offset(&updates))
        .timeout(1)
        .await
        .unwrap();
    assert!(empty.is_empty());
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn every_user_update_kind_parses() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "张敏", Some("zh-hans"));
    user.send_photo(vec![0xFF, 0xD8, 0xFF], Some("现场照片 1/2"));
    user.send_document("收据-2024-05.pdf", "application/pdf", b"%PDF".to_vec());
    user.send_voice(vec![1; 32], 7);
    user.send_video(vec![2; 16], 30, 19 * 1024 * 1024);
    user.send_sticker();
    user.send_location(36.651216, 117.120095);
    user.send_contact("8613800138000");
    user.answer_poll("5377643193141559001", &[0]);
    user.block_bot();

    let updates = bot.get_updates().await.unwrap();
    assert_parsed(&updates);
    assert_eq!(updates.len(), 9);
    let media: Vec<&MediaKind> = updates
        .iter()
        .filter_map(|u| match &u.kind {
            UpdateKind::Message(m) => match &m.kind {
                MessageKind::Common(common) => Some(&common.media_kind),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert!(
        matches!(media[0], MediaKind::Photo(p) if p.caption.as_deref() == Some("现场照片 1/2"))
    );
    assert!(matches!(media[1], MediaKind::Document(_)));
    assert!(matches!(media[2], MediaKind::Voice(v) if v.voice.duration.seconds() == 7));
    assert!(
        matches!(media[3], MediaKind::Video(v) if v.video.file.size == 19 * 1024 * 1024
            && v.video.duration.seconds() == 30)
    );
    assert!(matches!(media[4], MediaKind::Sticker(_)));
    assert!(matches!(media[5], MediaKind::Location(_)));
    assert!(matches!(media[6], MediaKind::Contact(_)));
    assert!(matches!(&updates[7].kind, UpdateKind::PollAnswer(a) if a.option_ids == [0]));
    let UpdateKind::MyChatMember(member) = &updates[8].kind else {
        panic!("not my_chat_member: {:?}", updates[8]);
    };
    assert_eq!(member.new_chat_member.status(), ChatMemberStatus::Banned);

    // A user's document is downloadable through getFile.
    let UpdateKind::Message(doc_msg) = &updates[1].kind else {
        unreachable!()
    };
    let doc = doc_msg.document().unwrap();
    let file = bot.get_file(doc.file.id.clone()).await.unwrap();
    let mut bytes = Vec::new();
    teloxide::net::Download::download_file(&bot, &file.path, &mut bytes)
        .await
        .unwrap();
    assert_eq!(bytes, b"%PDF");
}

#[tokio::test]
async fn updates_parse_from_text_like_teloxide_does() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "张敏", None);
    bot.send_message(ChatId(USER), "hi").await.unwrap();
    let shown = user.next_message().await;
    user.press(&shown, "x");
    // The callback's `message` embeds the raw Message; it must parse from text.
    let raw = serde_json::json!({ "update_id": 1, "callback_query": {
        "id": "1", "from": { "id": USER, "is_bot": false, "first_name": "张敏" },
        "message": shown.raw, "chat_instance": "-1", "data": "x" } });
    let update: Update = serde_json::from_str(&raw.to_string()).unwrap();
    assert!(matches!(update.kind, UpdateKind::CallbackQuery(_)));
    assert_eq!(bot.get_updates().await.unwrap().len(), 1);
}
