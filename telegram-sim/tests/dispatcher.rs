//! A full teloxide `Dispatcher` (long polling, allowed_updates, offsets) against
//! the simulator, driven by a simulated user.

mod common;

use std::time::Duration;

use common::setup;
use teloxide::dispatching::UpdateFilterExt;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

const USER: i64 = 284_629_471;

async fn on_message(bot: Bot, msg: Message) -> ResponseResult<()> {
    let keyboard = InlineKeyboardMarkup::new(vec![vec![
        InlineKeyboardButton::callback("🏠 家庭 / Household", "aud:household"),
        InlineKeyboardButton::callback("🏢 企业 / Enterprise", "aud:enterprise"),
    ]]);
    let text = format!("echo: {}", msg.text().unwrap_or("?"));
    bot.send_message(msg.chat.id, text)
        .reply_markup(keyboard)
        .await?;
    Ok(())
}

async fn on_callback(bot: Bot, query: CallbackQuery) -> ResponseResult<()> {
    bot.answer_callback_query(query.id.clone())
        .text("ok")
        .await?;
    if let Some(message) = query.regular_message() {
        let text = format!("您选择了：{}", query.data.as_deref().unwrap_or_default());
        bot.edit_message_text(message.chat.id, message.id, text)
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn dispatcher_round_trip() {
    let (sim, bot) = setup().await;
    let user = sim.user(USER, "Wei", Some("zh-hans"));
    let handler = dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_callback));
    let mut dispatcher = Dispatcher::builder(bot, handler).build();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });

    user.send_text("/start");
    let welcome = user.next_message().await;
    assert_eq!(welcome.text, "echo: /start");
    assert_eq!(welcome.button_labels().len(), 2);

    let query = user.press_button(&welcome, "Enterprise");
    let answer = user.next_callback_answer().await;
    assert_eq!(
        (answer.callback_query_id, answer.text),
        (query, Some("ok".into()))
    );
    let edit = user.next_message().await;
    assert!(edit.is_edit);
    assert_eq!(edit.text, "您选择了：aud:enterprise");
    assert_eq!(user.chat().len(), 1);
    user.expect_silence(Duration::from_millis(300)).await;

    assert!(sim.wait_updates_confirmed(Duration::from_secs(5)).await);
    let first_poll = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "getUpdates")
        .expect("polled");
    assert!(
        first_poll.body["allowed_updates"].is_array(),
        "{first_poll:?}"
    );
    running.abort();
}
