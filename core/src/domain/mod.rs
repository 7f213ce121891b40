//! Domain types. Each one is parsed once at the edge (chat input, config, content files)
//! and cannot hold an invalid value afterwards.

mod audience;
mod credit_code;
mod language;
mod region;
mod subscriber;

pub use audience::Audience;
pub use credit_code::{CreditCodeError, UnifiedCreditCode};
pub use language::Language;
pub use region::{RegionCode, RegionCodeError, Township, TownshipKind, Village};
pub use subscriber::{EnterpriseName, EnterpriseNameError, NewSubscriber, Profile, Subscriber};
