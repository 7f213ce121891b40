//! Starting and stopping the Telegram side: connect, register commands, poll, shut down.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use qingfeng_core::config::ServeConfig;
use qingfeng_core::crypto::DataKey;
use qingfeng_core::reports::{ReportKeys, ReportSettings};
use qingfeng_core::{Language, Store, deeplink};
use teloxide::prelude::*;
use teloxide::types::Me;
use teloxide::update_listeners;
use teloxide::{ApiError, RequestError};

use crate::commands;
use crate::context::{BotError, Deps};
use crate::handlers::schema;
use crate::redact::{SkipUnreadable, describe};
use crate::state::Dialogues;

pub struct Settings {
    pub token: String,
    pub api_url: url::Url,
    pub default_language: Language,
    pub data_key: DataKey,
    pub quiz: crate::quiz::QuizSettings,
    pub report_keys: ReportKeys,
    pub reports: ReportSettings,
    /// Filled with the bot's username once connected (the dashboard's posters need it).
    pub username: Arc<std::sync::OnceLock<String>>,
}

impl Settings {
    /// The bot's settings from what `serve` checked: the token and data key are there.
    pub fn new(
        serve: &ServeConfig,
        report_keys: ReportKeys,
        username: Arc<std::sync::OnceLock<String>>,
    ) -> Self {
        let config = &serve.config;
        Settings {
            token: serve.token.expose().to_owned(),
            api_url: config.telegram.api_url.clone(),
            default_language: config.default_language,
            data_key: serve.data_key.clone(),
            quiz: crate::quiz::QuizSettings::new(&config.quiz, config.time_zone()),
            report_keys,
            reports: config.reports.clone(),
            username,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "Telegram refused the bot token (Unauthorized). Check QINGFENG_TELEGRAM_TOKEN: it must be the \
         token @BotFather gave for this bot, and it changes if you revoke it"
    )]
    InvalidToken,
    #[error(transparent)]
    Bot(#[from] BotError),
}

/// Asks Telegram who we are, retrying while the network is down; an invalid token is final.
async fn connect(bot: &Bot, api_url: &url::Url) -> Result<Me, StartError> {
    let mut delay = Duration::from_secs(1);
    loop {
        match bot.get_me().await {
            Ok(me) => return Ok(me),
            Err(RequestError::Api(ApiError::InvalidToken)) => return Err(StartError::InvalidToken),
            Err(error) => {
                tracing::warn!(%error, api = %api_url, retry_in = ?delay, "cannot reach the Telegram Bot API yet");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(60));
            }
        }
    }
}

/// Registers the command menu: the default list in the default language, and one per language.
async fn register_commands(bot: &Bot, default_language: Language) -> Result<(), RequestError> {
    bot.set_my_commands(commands::menu(default_language))
        .await?;
    for lang in Language::ALL {
        let code = lang
            .tag()
            .split('-')
            .next()
            .unwrap_or(lang.tag())
            .to_owned();
        bot.set_my_commands(commands::menu(lang))
            .language_code(code)
            .await?;
    }
    Ok(())
}

/// Updates from one person are handled one at a time, in order. teloxide keys by chat, but a
/// quiz poll answer carries no chat: key it by the voter, whose private chat has the same id,
/// so it waits for the handler that sent (and recorded) the poll.
fn per_person(update: &Update) -> Option<i64> {
    update
        .chat()
        .map(|chat| chat.id.0)
        .or_else(|| update.from().map(|user| user.id.0 as i64))
}

/// Runs the bot until `shutdown` completes, then lets updates in progress finish.
pub async fn run(
    settings: Settings,
    store: Store,
    shutdown: impl Future<Output = ()>,
) -> Result<(), StartError> {
    let bot = Bot::new(settings.token).set_api_url(settings.api_url.clone());
    tokio::pin!(shutdown);
    let me = tokio::select! {
        me = connect(&bot, &settings.api_url) => me?,
        () = &mut shutdown => return Ok(()),
    };
    let username = me.username.clone().unwrap_or_default();
    let _ = settings.username.set(username.clone());
    tracing::info!(bot = %username, "connected to the Telegram Bot API");
    if let Err(error) = register_commands(&bot, settings.default_language).await {
        // The menu is a convenience; the bot works without it.
        tracing::warn!(%error, "could not register the command menu");
    }

    let deps = Arc::new(Deps {
        dialogues: Dialogues::new(
            store.clone(),
            settings.report_keys.clone(),
            settings.reports.draft_ttl,
        ),
        links: deeplink::signer(&settings.data_key),
        store,
        default_language: settings.default_language,
        bot_username: username,
        quiz: settings.quiz,
        report_keys: settings.report_keys,
        reports: settings.reports,
    });
    let listener = SkipUnreadable(update_listeners::polling_default(bot.clone()).await);
    let mut dispatcher = Dispatcher::builder(bot, schema())
        .dependencies(dptree::deps![deps])
        .default_handler(|_| async {})
        // Handlers log their own failures without content; teloxide's default handler
        // would log the error's debug form, which can embed a whole Bot API response.
        .error_handler(Arc::new(|error: BotError| async move {
            tracing::debug!(%error, "an update handler failed");
        }))
        .distribution_function(per_person)
        .build();
    let token = dispatcher.shutdown_token();
    let listener_failed = Arc::new(|error: RequestError| async move {
        tracing::warn!(error = %describe(&error), "getting updates from the Bot API failed");
    });
    let mut polling = tokio::spawn(async move {
        dispatcher
            .dispatch_with_listener(listener, listener_failed)
            .await
    });

    tokio::select! {
        _ = &mut polling => return Ok(()),
        () = &mut shutdown => {}
    }
    tracing::info!("stopping the bot: finishing updates in progress");
    let finished = loop {
        match token.shutdown() {
            // When the dispatcher stops on its own just before this, teloxide never completes
            // `done` (seen with an in-process Bot API, `serve --sandbox`): wait for either.
            Ok(done) => tokio::select! {
                () = done => break false,
                _ = &mut polling => break true,
            },
            // The dispatcher has not started polling yet; give it a moment.
            Err(_) if !polling.is_finished() => tokio::time::sleep(Duration::from_millis(20)).await,
            Err(_) => break false,
        }
    };
    if !finished {
        let _ = polling.await;
    }
    Ok(())
}

/// One quick check of the token for `check-config`: the bot's username, or why not.
pub async fn probe(token: &str, api_url: &url::Url) -> Result<String, String> {
    let bot = Bot::new(token).set_api_url(api_url.clone());
    match tokio::time::timeout(Duration::from_secs(10), bot.get_me()).await {
        Ok(Ok(me)) => Ok(me.username.clone().unwrap_or_default()),
        Ok(Err(RequestError::Api(ApiError::InvalidToken))) => {
            Err(StartError::InvalidToken.to_string())
        }
        Ok(Err(error)) => Err(format!(
            "cannot reach the Telegram Bot API at {api_url}: {error}"
        )),
        Err(_) => Err(format!(
            "no answer from the Telegram Bot API at {api_url} within 10 s"
        )),
    }
}
