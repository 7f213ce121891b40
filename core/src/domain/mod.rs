//! Domain types. Each one is parsed once at the edge (chat input, config, content files)
//! and cannot hold an invalid value afterwards.

mod audience;
mod campaign;
mod credit_code;
mod language;
mod quiz;
mod region;
mod slug;
mod subscriber;

pub use audience::Audience;
pub use campaign::{
    Campaign, CampaignId, CronExpr, LocalizedText, Schedule, TEMPLATE_VARIABLES, render,
    unknown_variables,
};
pub use credit_code::{CreditCodeError, UnifiedCreditCode};
pub use language::Language;
pub use quiz::{QuestionId, QuizQuestion};
pub use region::{RegionCode, RegionCodeError, Township, TownshipKind, Village};
pub use subscriber::{EnterpriseName, EnterpriseNameError, NewSubscriber, Profile, Subscriber};
