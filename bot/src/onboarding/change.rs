//! Changing one detail of a sign-up from `/me`: the township, the village, the enterprise's
//! name or its credit code. Only that detail is asked; the rest of the profile is kept, and the
//! change is stored when the person confirms it, as at sign-up.

use qingfeng_core::domain::{EnterpriseName, Profile, RegionCode, UnifiedCreditCode};
use serde::{Deserialize, Serialize};

use crate::action::Action;
use crate::context::{BotError, Ctx};
use crate::state::State;

/// The detail being changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    Township,
    Village,
    EnterpriseName,
    CreditCode,
}

impl Detail {
    pub const ALL: [Detail; 4] = [
        Detail::Township,
        Detail::Village,
        Detail::EnterpriseName,
        Detail::CreditCode,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Detail::Township => "town",
            Detail::Village => "vil",
            Detail::EnterpriseName => "name",
            Detail::CreditCode => "code",
        }
    }

    pub fn from_code(code: &str) -> Option<Detail> {
        Detail::ALL.into_iter().find(|d| d.code() == code)
    }

    /// The details a profile has: a household has no name, an enterprise no village.
    pub fn of(profile: &Profile) -> &'static [Detail] {
        match profile {
            Profile::Household { .. } => &[Detail::Township, Detail::Village],
            Profile::Enterprise { .. } => {
                &[Detail::Township, Detail::EnterpriseName, Detail::CreditCode]
            }
        }
    }
}

/// The step that asks for `detail` of the signed-up person's profile; `None` when they are
/// not signed up or the profile has no such detail (an old or forged button).
pub async fn begin(ctx: &Ctx<'_>, detail: Detail) -> Result<Option<State>, BotError> {
    let Some(subscriber) = ctx.store().subscriber_by_chat(ctx.chat_id.0).await? else {
        return Ok(None);
    };
    let profile = subscriber.profile;
    if !Detail::of(&profile).contains(&detail) {
        return Ok(None);
    }
    Ok(Some(match detail {
        Detail::Village => State::ChoosingVillage {
            township: profile.township().clone(),
            page: 0,
        },
        _ => State::ChangingDetail {
            profile,
            detail,
            page: 0,
        },
    }))
}

/// A button while changing a detail; `None` when it does not belong to this step.
pub async fn on_action(
    ctx: &Ctx<'_>,
    profile: &Profile,
    detail: Detail,
    action: &Action,
) -> Result<Option<State>, BotError> {
    Ok(Some(match (detail, action) {
        (Detail::Township, Action::TownshipPage(page)) => State::ChangingDetail {
            profile: profile.clone(),
            detail,
            page: *page,
        },
        (Detail::Township, Action::Township(code)) => {
            if !matches!(ctx.store().township(code).await?, Some((_, true))) {
                return Ok(None);
            }
            moved_to(ctx, profile, code.clone()).await?
        }
        (Detail::CreditCode, Action::Skip) => State::confirming(match profile.clone() {
            Profile::Enterprise { township, name, .. } => Profile::Enterprise {
                township,
                name,
                credit_code: None,
            },
            household => household,
        }),
        _ => return Ok(None),
    }))
}

/// A household that moved picks its village in the new township; an enterprise keeps its name
/// and code.
async fn moved_to(
    ctx: &Ctx<'_>,
    profile: &Profile,
    township: RegionCode,
) -> Result<State, BotError> {
    Ok(match profile.clone() {
        Profile::Enterprise {
            name, credit_code, ..
        } => State::confirming(Profile::Enterprise {
            township,
            name,
            credit_code,
        }),
        Profile::Household { .. } if ctx.store().villages(&township).await?.is_empty() => {
            State::confirming(Profile::Household {
                township,
                village: None,
            })
        }
        Profile::Household { .. } => State::ChoosingVillage { township, page: 0 },
    })
}

/// Typed text while changing the name or the code: the new value, or why it was refused.
pub enum Typed {
    Changed(State),
    Name(qingfeng_core::domain::EnterpriseNameError),
    Code(qingfeng_core::domain::CreditCodeError),
    NotText,
}

pub fn on_text(profile: &Profile, detail: Detail, text: &str) -> Typed {
    let Profile::Enterprise {
        township,
        name,
        credit_code,
    } = profile.clone()
    else {
        return Typed::NotText;
    };
    match detail {
        Detail::EnterpriseName => match EnterpriseName::parse(text) {
            Ok(name) => Typed::Changed(State::confirming(Profile::Enterprise {
                township,
                name,
                credit_code,
            })),
            Err(e) => Typed::Name(e),
        },
        Detail::CreditCode => match text.parse::<UnifiedCreditCode>() {
            Ok(code) => Typed::Changed(State::confirming(Profile::Enterprise {
                township,
                name,
                credit_code: Some(code),
            })),
            Err(e) => Typed::Code(e),
        },
        Detail::Township | Detail::Village => Typed::NotText,
    }
}
