//! Shared setup for the teloxide round-trip tests.
#![allow(dead_code)] // each test binary uses a different subset

use telegram_sim::Simulator;
use teloxide::Bot;
use teloxide::types::{Update, UpdateKind};

pub const TOKEN: &str = "7000000001:AAE-test-token";

/// A simulator plus a real teloxide `Bot` pointed at it.
pub async fn setup() -> (Simulator, Bot) {
    let sim = Simulator::start(TOKEN).await;
    let bot = Bot::new(sim.token()).set_api_url(sim.api_url().parse().expect("api url"));
    (sim, bot)
}

/// Fails when teloxide could not parse an update (it would silently drop it).
pub fn assert_parsed(updates: &[Update]) {
    for update in updates {
        assert!(
            !matches!(update.kind, UpdateKind::Error(_)),
            "unparseable update: {update:?}"
        );
    }
}
