//! # qingfeng-core
//!
//! What every part of Qingfeng shares: the domain types, configuration, the store (SQLite
//! and PostgreSQL), encryption at rest, localised text and the content files a county edits.
//! It knows nothing of Telegram or HTTP; the bot, scheduler and dashboard crates build on it.
//!
//! ## Layout
//! - [`domain`]: parsed, always-valid types (audience, region codes, credit codes, profiles).
//! - [`calendar`]: the working-day calendar (holidays, adjusted working days).
//! - [`channel`]: the narrow trait the delivery worker sends through.
//! - [`config`]: defaults → `qingfeng.toml` → environment variables, with every problem named.
//! - [`store`]: the database API, one implementation over both backends, plus migrations.
//! - [`crypto`]: XChaCha20-Poly1305 sealing and HMAC signing keyed by the data key.
//! - [`i18n`]: Fluent messages from `locales/`, zh-CN first.
//! - [`content`]: validation and import of `content/*.toml`.
//! - [`deeplink`]: signed QR-code payloads for `/start`.
//! - [`reports`]: the report service — intake, casework, deadlines, follow-up, notices,
//!   retention — with each action and view audited in its own transaction.
//! - `testing` (feature `testing`, tests only): a fresh database per test on either backend,
//!   and the seeding fixtures the workspace's test harnesses share.

pub mod calendar;
pub mod channel;
pub mod config;
pub mod content;
pub mod crypto;
pub mod deeplink;
pub mod domain;
pub mod i18n;
pub mod reports;
pub mod store;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use config::Config;
pub use domain::Language;
pub use store::{Store, StoreError};
