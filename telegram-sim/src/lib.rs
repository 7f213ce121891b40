//! An in-process fake Telegram Bot API server for tests (and a sandbox mode).
//!
//! [`Simulator::start`] binds `127.0.0.1:0` and serves the Bot API over HTTP with
//! exactly the JSON shapes teloxide 0.17 parses: the samples in `samples/`, which
//! `tests/samples.rs` holds the simulator to.
//! Point a real `teloxide::Bot` at [`Simulator::api_url`] and drive it with
//! simulated users:
//!
//! ```no_run
//! # async fn demo() {
//! use std::time::Duration;
//! use telegram_sim::Simulator;
//! use teloxide::prelude::*;
//!
//! let sim = Simulator::start("123:TEST").await;
//! let bot = Bot::new(sim.token()).set_api_url(sim.api_url().parse().unwrap());
//! let alice = sim.user(284629471, "Wei", Some("zh-hans"));
//!
//! alice.send_text("/start");                 // queued for the bot's getUpdates
//! // ... run the bot's dispatcher (or call bot.get_updates()) ...
//! let welcome = alice.next_message().await; // what the bot sent back
//! alice.press_button(&welcome, "Enterprise");
//! alice.expect_silence(Duration::from_millis(200)).await;
//! # let _ = bot;
//! # }
//! ```
//!
//! # Model
//! - Private chats only: the chat id equals the user id. Users and the bot share
//!   one increasing message id sequence per chat. Sending to an unregistered chat
//!   fails with "Bad Request: chat not found".
//! - Requests are `POST /bot<token>/<Method>` (method names match any case) with a
//!   JSON, multipart or url-encoded body; downloads are
//!   `GET /file/bot<token>/<file_path>`. Errors are answered with HTTP 200 and
//!   Telegram's `{"ok":false,...}` envelope (only injected server errors use 5xx).
//! - `getUpdates` honours `offset` (confirmed updates never come back),
//!   remembers `allowed_updates` from the call that carried it, and long-polls.
//! - Bot output (new messages and edits) is logged per chat; [`SimUser::next_message`]
//!   consumes it in order while [`SimUser::chat`] shows the chat's current state.
//! - HTML `parse_mode` is checked crudely and tags are stripped from
//!   [`BotMessage::text`], so tests compare plain text.
//! - [`Simulator::inject_error`] queues one-shot failures (429, blocked, chat not
//!   found, 5xx); [`SimUser::block_bot`] makes every send to that user fail with 403.
//!
//! - [`Simulator::enforce_limits`] turns on Telegram's flood limits (429 with `retry_after`).
//!
//! - [`SimUser::transcript`] and [`Simulator::people`] show whole chats (both sides) for
//!   the sandbox chat page; [`Simulator::clear_chats`] forgets them all.
//!
//! The bot itself is user 7000000001, "Qingfeng" (`@qingfeng_test_bot`).

mod chat_view;
mod errors;
mod files;
mod html;
mod limits;
mod media;
mod messages;
mod methods;
mod params;
mod server;
mod shapes;
mod simulator;
mod state;
mod transcript;
mod types;
mod updates;
mod user;

pub use errors::InjectedError;
pub use shapes::{BOT_FIRST_NAME, BOT_ID, BOT_USERNAME};
pub use simulator::Simulator;
pub use transcript::{Person, Transcript, TranscriptEntry};
pub use types::{BotMessage, Button, CallbackAnswer, RecordedRequest, ReplyKeyboard};
pub use user::SimUser;
