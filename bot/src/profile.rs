//! The subscriber's own view: `/me`, `/stop`, `/lang`, and the buttons under them.

use qingfeng_core::Language;
use qingfeng_core::domain::{Profile, Subscriber};
use qingfeng_core::i18n::Args;
use teloxide::prelude::*;
use teloxide::types::{BotCommandScope, Recipient};

use crate::action::Action;
use crate::context::{BotError, Ctx};
use crate::keyboards;
use crate::onboarding::Outcome;
use crate::state::State;
use crate::text::Msg;

/// Display names of a profile's places, in the chat's language.
pub struct Names {
    pub township: String,
    pub village: String,
    pub credit_code: String,
}

pub async fn names(ctx: &Ctx<'_>, profile: &Profile) -> Result<Names, BotError> {
    let township = profile.township();
    // A retired region still has its name: subscriptions keep pointing at it.
    let township_name = match ctx.store().township(township).await? {
        Some((t, _)) => t.name(ctx.lang).to_owned(),
        None => township.to_string(),
    };
    let village = match profile {
        Profile::Household {
            village: Some(code),
            ..
        } => match ctx.store().village(township, code).await? {
            Some((v, _)) => v.name(ctx.lang).to_owned(),
            None => code.to_string(),
        },
        Profile::Household { village: None, .. } => ctx.t(Msg::VillageNotListed),
        Profile::Enterprise { .. } => String::new(),
    };
    let credit_code = match profile {
        Profile::Enterprise {
            credit_code: Some(code),
            ..
        } => code.to_string(),
        _ => ctx.t(Msg::ValueNotProvided),
    };
    Ok(Names {
        township: township_name,
        village,
        credit_code,
    })
}

/// The `/me` text for a subscriber.
pub async fn describe(ctx: &Ctx<'_>, subscriber: &Subscriber) -> Result<String, BotError> {
    let names = names(ctx, &subscriber.profile).await?;
    let status = ctx.t(if subscriber.active {
        Msg::StatusActive
    } else {
        Msg::StatusInactive
    });
    Ok(match &subscriber.profile {
        Profile::Household { .. } => ctx.t_args(
            Msg::MeHousehold,
            Args::new()
                .text("township", names.township)
                .text("village", names.village)
                .text("status", status),
        ),
        Profile::Enterprise { name, .. } => ctx.t_args(
            Msg::MeEnterprise,
            Args::new()
                .text("township", names.township)
                .text("name", name.as_str())
                .text("credit_code", names.credit_code)
                .text("status", status),
        ),
    })
}

pub async fn show_me(ctx: &Ctx<'_>) -> Result<(), BotError> {
    match ctx.store().subscriber_by_chat(ctx.chat_id.0).await? {
        Some(subscriber) => {
            let text = describe(ctx, &subscriber).await?;
            let keyboard = keyboards::profile(ctx.lang, &subscriber.profile, subscriber.active);
            ctx.show(text, Some(keyboard)).await
        }
        None => ctx.show(ctx.t(Msg::MeNotSubscribed), None).await,
    }
}

/// Deactivates the subscription; returns what to tell the user.
pub async fn unsubscribe(ctx: &Ctx<'_>) -> Result<String, BotError> {
    let was_active = ctx
        .store()
        .subscriber_by_chat(ctx.chat_id.0)
        .await?
        .is_some_and(|s| s.active);
    if was_active {
        ctx.store()
            .set_subscriber_active(ctx.chat_id.0, false)
            .await?;
        tracing::info!("unsubscribed");
        Ok(ctx.t(Msg::StopDone))
    } else {
        Ok(ctx.t(Msg::StopNotSubscribed))
    }
}

/// `/lang` alone, or with an argument that names no language (`unknown`).
pub async fn choose_language(ctx: &Ctx<'_>, unknown: Option<&str>) -> Result<(), BotError> {
    let text = match unknown {
        Some(unknown) => {
            let args = Args::new().text("language", unknown);
            format!(
                "{}\n\n{}",
                ctx.t_args(Msg::LangUnknown, args),
                ctx.t(Msg::LangChoose)
            )
        }
        None => ctx.t(Msg::LangChoose),
    };
    ctx.show(text, Some(keyboards::languages())).await
}

/// Remembers the chat's language (a button under `/lang`, or `/lang en`), switches the command
/// menu and the bottom menu to it, and continues the step in progress in it.
pub async fn set_language(ctx: &Ctx<'_>, state: &State, lang: Language) -> Result<(), BotError> {
    let chat = ctx.deps.report_keys.chat_key(ctx.chat_id.0);
    ctx.store()
        .choose_language(&chat, ctx.chat_id.0, lang)
        .await?;
    let ctx = Ctx { lang, ..*ctx };
    // The start-up menus follow the app's language; a chat scope overrides them for a person
    // whose choice differs from their phone's.
    let scope = BotCommandScope::Chat {
        chat_id: Recipient::Id(ctx.chat_id),
    };
    if let Err(error) = ctx
        .bot
        .set_my_commands(crate::commands::menu(lang))
        .scope(scope)
        .await
    {
        // The command menu is a convenience; the language is switched without it.
        tracing::warn!(error = %crate::redact::describe(&error), "could not set the chat's command menu");
    }
    let signed_up = ctx
        .store()
        .subscriber_by_chat(ctx.chat_id.0)
        .await?
        .is_some_and(|s| s.active);
    if signed_up {
        ctx.say_with_menu(ctx.t(Msg::LangSet)).await?;
    } else {
        ctx.show(ctx.t(Msg::LangSet), None).await?;
    }
    crate::onboarding::enter(&ctx.detached(), state, None).await
}

/// Buttons that work whatever step the chat is at; `None` when the action is not one of these.
pub async fn on_action(
    ctx: &Ctx<'_>,
    state: &State,
    action: &Action,
) -> Result<Option<Outcome>, BotError> {
    Ok(Some(match action {
        Action::SetLanguage(lang) => {
            set_language(ctx, state, *lang).await?;
            Outcome::Done
        }
        Action::EditProfile => Outcome::Moved(State::ChoosingAudience),
        Action::EditDetail(detail) => match crate::onboarding::change_detail(ctx, *detail).await? {
            Some(state) => Outcome::Moved(state),
            None => Outcome::Finished(ctx.t(Msg::MeNotSubscribed)),
        },
        Action::Unsubscribe => Outcome::Finished(unsubscribe(ctx).await?),
        Action::Resubscribe => {
            if ctx
                .store()
                .set_subscriber_active(ctx.chat_id.0, true)
                .await?
            {
                tracing::info!("resubscribed");
                Outcome::Subscribed(ctx.t(Msg::Resubscribed))
            } else {
                Outcome::Finished(ctx.t(Msg::MeNotSubscribed))
            }
        }
        _ => return Ok(None),
    }))
}

/// Telegram's language for a chat, unless the chat chose one with `/lang`.
pub async fn language(
    deps: &crate::context::Deps,
    chat_id: i64,
    telegram_code: Option<&str>,
    default: Language,
) -> Result<Language, BotError> {
    let chat = deps.report_keys.chat_key(chat_id);
    Ok(match deps.store.chosen_language(&chat).await? {
        Some(lang) => lang,
        None => Language::from_telegram(telegram_code, default),
    })
}
