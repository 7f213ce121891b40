//! # qingfeng-bot
//!
//! The Telegram conversation. It owns the dispatcher schema, commands, dialogues and keyboards;
//! it reads and writes the store through `qingfeng-core` and never calls the scheduler.
//!
//! ## Layout
//! - [`runtime`]: connect to the Bot API, register the command menu, poll, shut down gracefully.
//! - `handlers`: the `dptree` schema and its endpoints (messages, buttons, blocked bot).
//! - `onboarding`: `/start` → audience → township → village or enterprise → confirmation.
//! - `profile`: `/me`, `/stop`, `/lang` and the buttons under them.
//! - `quiz`: `/quiz` (inline keyboards or quiz polls), feedback, results and `/rank`.
//! - `report`: `/report` — the draft, its prompts and evidence, submission and `/status`.
//! - `context`: what a handler needs for one update, and the bot's error type.
//! - `files`: Telegram as a file source (`getFile`, then the download).
//! - `redact`: what may be logged about a failed Bot API call, and dropping updates teloxide
//!   cannot read without logging them.
//! - `state`: the per-chat [`State`] enum, persisted sealed after every step.
//! - `channel`: Telegram as the outbox's delivery channel (`TelegramChannel`).
//! - `action`, `keyboards`: callback data (parsed strictly) and inline keyboards.
//! - `commands`, `text`: the command menu and the typed catalogue of Fluent message ids.

mod action;
mod channel;
mod commands;
mod context;
mod files;
mod handlers;
mod keyboards;
mod onboarding;
mod profile;
mod quiz;
mod redact;
mod report;
pub mod runtime;
mod state;
mod text;

pub use channel::TelegramChannel;
pub use context::BotError;
pub use files::TelegramFiles;
pub use quiz::QuizSettings;
pub use runtime::{Settings, StartError, probe, run};
pub use state::State;
