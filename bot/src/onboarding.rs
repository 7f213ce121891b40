//! Onboarding: audience → township → village (households) or enterprise name and optional
//! credit code (enterprises) → confirmation → stored subscriber.
//!
//! Each step is a [`State`]; [`enter`] shows a state's prompt, [`on_action`] and [`on_text`]
//! move between states. Every region a button names is checked against the store, because
//! callback data can be stale (content re-imported) or forged.

use qingfeng_core::deeplink::DeepLink;
use qingfeng_core::domain::{
    Audience, CreditCodeError, EnterpriseName, EnterpriseNameError, NewSubscriber, Profile,
    RegionCode, UnifiedCreditCode, VillageName,
};
use qingfeng_core::i18n::Args;

mod change;

pub use change::{Detail, begin as change_detail};

use crate::action::Action;
use crate::context::{BotError, Ctx};
use crate::keyboards;
use crate::profile;
use crate::state::State;
use crate::text::Msg;

/// `/start`, with or without a deep-link payload.
pub async fn start(ctx: &Ctx<'_>, payload: Option<&str>) -> Result<State, BotError> {
    if let Some(payload) = payload {
        // Someone new who scanned a poster is greeted like anyone else: told whose service
        // this is before being asked anything.
        if ctx
            .store()
            .subscriber_by_chat(ctx.chat_id.0)
            .await?
            .is_none()
        {
            ctx.say(welcome(ctx).await?).await?;
        }
        match resolve_link(ctx, payload).await? {
            Some((state, place)) => {
                ctx.say(ctx.t_args(Msg::DeeplinkPlace, Args::new().text("place", place)))
                    .await?;
                return Ok(state);
            }
            None => {
                ctx.say(ctx.t(Msg::DeeplinkInvalid)).await?;
                return Ok(State::ChoosingAudience);
            }
        }
    }
    match ctx.store().subscriber_by_chat(ctx.chat_id.0).await? {
        Some(subscriber) if subscriber.active => {
            let text = profile::describe(ctx, &subscriber).await?;
            let text = format!("{}\n\n{text}", ctx.t(Msg::AlreadySubscribed));
            let keyboard = keyboards::profile(ctx.lang, &subscriber.profile, true);
            ctx.show(text, Some(keyboard)).await?;
            // The bottom menu comes back on every /start (a phone may have lost it, or show
            // it in the language before a switch).
            ctx.say_with_menu(ctx.t(Msg::MenuShown)).await?;
            Ok(State::Idle)
        }
        Some(_) => {
            ctx.show(
                ctx.t(Msg::WelcomeBack),
                Some(keyboards::welcome_back(ctx.lang)),
            )
            .await?;
            Ok(State::Idle)
        }
        None => {
            ctx.say(welcome(ctx).await?).await?;
            Ok(State::ChoosingAudience)
        }
    }
}

/// The welcome, naming the commission (竹山县纪委监委) whose service this is.
async fn welcome(ctx: &Ctx<'_>) -> Result<String, BotError> {
    let commission = match ctx.store().county_name().await? {
        Some(county) => ctx.t_args(
            Msg::CommissionName,
            Args::new().text("county", county.get(ctx.lang)),
        ),
        None => ctx.t(Msg::CommissionNameGeneric),
    };
    Ok(ctx.t_args(Msg::Welcome, Args::new().text("commission", commission)))
}

/// The state a valid, current deep link leads to, and the place's name; `None` for a link
/// that is forged, malformed or names a region no longer in the content.
async fn resolve_link(ctx: &Ctx<'_>, payload: &str) -> Result<Option<(State, String)>, BotError> {
    let Ok(link) = DeepLink::decode(payload, &ctx.deps.links) else {
        tracing::info!("refused a deep link that is not ours");
        return Ok(None);
    };
    let Some((township, true)) = ctx.store().township(&link.township).await? else {
        return Ok(None);
    };
    let township_name = township.name(ctx.lang).to_owned();
    let state = match (link.audience, link.village) {
        (Audience::Enterprise, _) => State::EnteringEnterpriseName {
            township: link.township,
        },
        (Audience::Household, None) => {
            return Ok(Some((
                after_township(ctx, Audience::Household, link.township).await?,
                township_name,
            )));
        }
        (Audience::Household, Some(village_code)) => {
            let Some((village, true)) = ctx.store().village(&link.township, &village_code).await?
            else {
                return Ok(None);
            };
            let place = format!(
                "{township_name}{}{}",
                separator(ctx),
                village.name(ctx.lang)
            );
            return Ok(Some((
                State::confirming(Profile::Household {
                    township: link.township,
                    village: Some(village_code),
                }),
                place,
            )));
        }
    };
    Ok(Some((state, township_name)))
}

fn separator(ctx: &Ctx<'_>) -> &'static str {
    match ctx.lang {
        qingfeng_core::Language::ZhCn => "",
        qingfeng_core::Language::En => ", ",
    }
}

/// After a township is chosen: households pick a village (unless none are listed),
/// enterprises type their name.
async fn after_township(
    ctx: &Ctx<'_>,
    audience: Audience,
    township: RegionCode,
) -> Result<State, BotError> {
    Ok(match audience {
        Audience::Enterprise => State::EnteringEnterpriseName { township },
        Audience::Household if ctx.store().villages(&township).await?.is_empty() => {
            State::confirming(Profile::Household {
                township,
                village: None,
            })
        }
        Audience::Household => State::ChoosingVillage { township, page: 0 },
    })
}

/// Shows the prompt of `state`, with an optional note (e.g. why the last input was refused).
pub async fn enter(ctx: &Ctx<'_>, state: &State, note: Option<String>) -> Result<(), BotError> {
    let (prompt, keyboard) = match state {
        // Not onboarding: those states show their own prompts.
        State::Idle
        | State::Reporting { .. }
        | State::AwaitingTrackingCode
        | State::WritingToStaff { .. } => return Ok(()),
        State::ChoosingAudience => (ctx.t(Msg::AskAudience), keyboards::audience(ctx.lang)),
        State::ChoosingTownship { page, .. } => {
            let townships = ctx.store().townships().await?;
            (
                ctx.t(Msg::AskTownship),
                keyboards::townships(ctx.lang, &townships, *page),
            )
        }
        State::ChoosingVillage { township, page } => {
            let villages = ctx.store().villages(township).await?;
            (
                ctx.t(Msg::AskVillage),
                keyboards::villages(ctx.lang, &villages, *page),
            )
        }
        State::ChangingDetail {
            detail: Detail::Township | Detail::Village,
            page,
            ..
        } => {
            let townships = ctx.store().townships().await?;
            (
                ctx.t(Msg::AskTownship),
                keyboards::townships(ctx.lang, &townships, *page),
            )
        }
        State::ChangingDetail {
            detail: Detail::EnterpriseName,
            ..
        } => (
            ctx.t(Msg::AskEnterpriseName),
            keyboards::back_and_cancel(ctx.lang),
        ),
        State::ChangingDetail {
            detail: Detail::CreditCode,
            ..
        } => (ctx.t(Msg::AskCreditCode), keyboards::skip(ctx.lang)),
        State::EnteringVillageName { .. } => {
            (ctx.t(Msg::AskVillageName), keyboards::skip(ctx.lang))
        }
        State::EnteringEnterpriseName { .. } => (
            ctx.t(Msg::AskEnterpriseName),
            keyboards::back_and_cancel(ctx.lang),
        ),
        State::EnteringCreditCode { .. } => (ctx.t(Msg::AskCreditCode), keyboards::skip(ctx.lang)),
        State::Confirming {
            profile,
            unlisted_village,
        } => {
            let summary = summary(ctx, profile, unlisted_village.as_ref()).await?;
            (summary, keyboards::confirm(ctx.lang))
        }
    };
    let text = match note {
        Some(note) => format!("{note}\n\n{prompt}"),
        None => prompt,
    };
    ctx.show(text, Some(keyboard)).await
}

async fn summary(
    ctx: &Ctx<'_>,
    profile: &Profile,
    unlisted_village: Option<&VillageName>,
) -> Result<String, BotError> {
    let names = profile::names(ctx, profile).await?;
    let village = match unlisted_village {
        Some(typed) => ctx.t_args(
            Msg::VillageTyped,
            Args::new().text("village", typed.as_str()),
        ),
        None => names.village,
    };
    Ok(match profile {
        Profile::Household { .. } => ctx.t_args(
            Msg::ConfirmHousehold,
            Args::new()
                .text("township", names.township)
                .text("village", village),
        ),
        Profile::Enterprise { name, .. } => ctx.t_args(
            Msg::ConfirmEnterprise,
            Args::new()
                .text("township", names.township)
                .text("name", name.as_str())
                .text("credit_code", names.credit_code),
        ),
    })
}

/// What a button press led to. The caller saves the state first and shows second, so a crash
/// between the two never leaves the user looking at a step the store does not know about.
pub enum Outcome {
    /// Go to this step and show its prompt.
    Moved(State),
    /// The flow is over: back to idle, show this text.
    Finished(String),
    /// Signed up (or subscribed again): back to idle, show this text with the bottom menu.
    Subscribed(String),
    /// Fully handled; the state is unchanged.
    Done,
    /// The button does not belong to the current step (an old message, or forged).
    Invalid,
}

/// Applies a button press to the onboarding flow.
pub async fn on_action(ctx: &Ctx<'_>, state: &State, action: &Action) -> Result<Outcome, BotError> {
    let next = match (state, action) {
        (State::Idle, _) => return Ok(Outcome::Invalid),
        (_, Action::Cancel) | (State::ChangingDetail { .. }, Action::Back) => {
            return Ok(Outcome::Finished(ctx.t(Msg::OnboardingCancelled)));
        }
        (
            State::ChangingDetail {
                profile, detail, ..
            },
            action,
        ) => match change::on_action(ctx, profile, *detail, action).await? {
            Some(next) => next,
            None => return Ok(Outcome::Invalid),
        },
        (State::ChoosingAudience, Action::Audience(audience)) => State::ChoosingTownship {
            audience: *audience,
            page: 0,
        },
        (State::ChoosingTownship { audience, .. }, Action::TownshipPage(page)) => {
            State::ChoosingTownship {
                audience: *audience,
                page: *page,
            }
        }
        (State::ChoosingTownship { audience, .. }, Action::Township(code)) => {
            if !matches!(ctx.store().township(code).await?, Some((_, true))) {
                return Ok(Outcome::Invalid);
            }
            after_township(ctx, *audience, code.clone()).await?
        }
        (State::ChoosingTownship { .. }, Action::Back) => State::ChoosingAudience,
        (State::ChoosingVillage { township, .. }, Action::VillagePage(page)) => {
            State::ChoosingVillage {
                township: township.clone(),
                page: *page,
            }
        }
        (State::ChoosingVillage { township, .. }, Action::Village(code)) => {
            if !matches!(ctx.store().village(township, code).await?, Some((_, true))) {
                return Ok(Outcome::Invalid);
            }
            let profile = Profile::Household {
                township: township.clone(),
                village: Some(code.clone()),
            };
            State::confirming(profile)
        }
        (State::ChoosingVillage { township, .. }, Action::VillageNotListed) => {
            State::EnteringVillageName {
                township: township.clone(),
            }
        }
        (State::EnteringVillageName { township }, Action::Skip) => unlisted(township.clone(), None),
        (State::EnteringVillageName { township }, Action::Back) => State::ChoosingVillage {
            township: township.clone(),
            page: 0,
        },
        (State::ChoosingVillage { .. }, Action::Back) => State::ChoosingTownship {
            audience: Audience::Household,
            page: 0,
        },
        (State::EnteringEnterpriseName { .. }, Action::Back) => State::ChoosingTownship {
            audience: Audience::Enterprise,
            page: 0,
        },
        (State::EnteringCreditCode { township, name }, Action::Skip) => {
            State::confirming(Profile::Enterprise {
                township: township.clone(),
                name: name.clone(),
                credit_code: None,
            })
        }
        (State::EnteringCreditCode { township, .. }, Action::Back) => {
            State::EnteringEnterpriseName {
                township: township.clone(),
            }
        }
        (
            State::Confirming {
                profile,
                unlisted_village,
            },
            Action::Confirm,
        ) => {
            let saved = subscribe(ctx, profile).await?;
            if let Some(name) = unlisted_village {
                let township = profile.township();
                ctx.store()
                    .note_unlisted_village(township, name, chrono::Utc::now())
                    .await?;
            }
            return Ok(Outcome::Subscribed(saved));
        }
        (State::Confirming { .. }, Action::Restart) => State::ChoosingAudience,
        _ => return Ok(Outcome::Invalid),
    };
    Ok(Outcome::Moved(next))
}

/// Commits the subscription and returns the success text: the user sees success only once
/// it is stored. Confirming twice (a crash before the state was saved) updates the same row.
async fn subscribe(ctx: &Ctx<'_>, profile: &Profile) -> Result<String, BotError> {
    let new = NewSubscriber {
        chat_id: ctx.chat_id.0,
        language: ctx.lang,
        profile: profile.clone(),
    };
    ctx.store().upsert_subscriber(&new).await?;
    tracing::info!(audience = %profile.audience(), township = %profile.township(), "subscribed");
    let names = profile::names(ctx, profile).await?;
    Ok(ctx.t_args(
        Msg::OnboardingSaved,
        Args::new().text("township", names.township),
    ))
}

/// Applies typed text: the two free-text steps parse it; elsewhere a button is expected.
/// Returns the next state and a note to show above its prompt.
pub fn on_text(ctx: &Ctx<'_>, state: &State, text: &str) -> (State, Option<String>) {
    let (next, note) = match state {
        State::EnteringEnterpriseName { township } => match EnterpriseName::parse(text) {
            Ok(name) => (
                State::EnteringCreditCode {
                    township: township.clone(),
                    name,
                },
                None,
            ),
            Err(e) => (state.clone(), Some(ctx.t(name_error(&e)))),
        },
        State::EnteringCreditCode { township, name } => match text.parse::<UnifiedCreditCode>() {
            Ok(code) => {
                let profile = Profile::Enterprise {
                    township: township.clone(),
                    name: name.clone(),
                    credit_code: Some(code),
                };
                (State::confirming(profile), None)
            }
            Err(e) => (state.clone(), Some(credit_code_error(ctx, &e))),
        },
        State::ChangingDetail {
            profile, detail, ..
        } => match change::on_text(profile, *detail, text) {
            change::Typed::Changed(next) => (next, None),
            change::Typed::Name(e) => (state.clone(), Some(ctx.t(name_error(&e)))),
            change::Typed::Code(e) => (state.clone(), Some(credit_code_error(ctx, &e))),
            change::Typed::NotText => (state.clone(), Some(ctx.t(Msg::UseTheButtons))),
        },
        State::EnteringVillageName { township } => match village_name(text) {
            Some(name) => (unlisted(township.clone(), Some(name)), None),
            None => (state.clone(), Some(ctx.t(Msg::VillageNameInvalid))),
        },
        _ => (state.clone(), Some(ctx.t(Msg::UseTheButtons))),
    };
    (next, note)
}

/// A household whose village the list lacks, with the name they typed, if any.
fn unlisted(township: RegionCode, typed: Option<VillageName>) -> State {
    State::Confirming {
        profile: Profile::Household {
            township,
            village: None,
        },
        unlisted_village: typed,
    }
}

/// One line of 2 to 30 characters with a letter in it: a place, not "好的" or "123".
fn village_name(text: &str) -> Option<VillageName> {
    let text = text.trim();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if text.contains('\n') || letters < 2 {
        return None;
    }
    text.parse().ok()
}

fn name_error(error: &EnterpriseNameError) -> Msg {
    match error {
        EnterpriseNameError::TooShort => Msg::EnterpriseNameTooShort,
        EnterpriseNameError::TooLong => Msg::EnterpriseNameTooLong,
        EnterpriseNameError::ControlCharacters => Msg::EnterpriseNameOneLine,
    }
}

fn credit_code_error(ctx: &Ctx<'_>, error: &CreditCodeError) -> String {
    match error {
        CreditCodeError::Length(count) => {
            ctx.t_args(Msg::CreditCodeLength, Args::new().with("count", *count))
        }
        CreditCodeError::Character(c) => ctx.t_args(
            Msg::CreditCodeCharacter,
            Args::new().text("character", c.to_string()),
        ),
        CreditCodeError::Checksum => ctx.t(Msg::CreditCodeChecksum),
    }
}
