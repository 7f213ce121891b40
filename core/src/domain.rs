//! Domain types. Each one is parsed once at the edge (chat input, config, content files)
//! and cannot hold an invalid value afterwards.

mod audience;
mod campaign;
mod category;
mod chat_key;
mod credit_code;
mod language;
mod quiz;
mod region;
mod report;
mod routing;
mod slug;
mod staff;
mod subscriber;
mod tracking_code;

pub use audience::Audience;
pub use campaign::{
    Campaign, CampaignId, CronExpr, Schedule, TEMPLATE_VARIABLES, render, unknown_variables,
};
pub use category::ReportCategory;
pub use chat_key::ChatKey;
pub use credit_code::{CreditCodeError, UnifiedCreditCode};
pub use language::{Language, LocalizedText};
pub use quiz::{QuestionId, QuizQuestion};
pub use region::{RegionCode, RegionCodeError, Township, TownshipKind, Village, VillageName};
pub use report::{
    BoundedText, CategoryCode, Description, DeskCode, Disposal, Evidence, EvidenceKind,
    MessageText, MobileNumber, NewReport, PersonLevel, PersonName, PersonReported, RealName,
    ReportBody, ReportStatus, Reporter, TextError, UnitOrPosition, WhenWhere,
};
pub use routing::{
    BodyCode, CommissionTie, Desk, Destination, EnterpriseLevel, Handler, HigherBody, Routing,
    RoutingPolicy, Subject,
};
pub use staff::{Staff, StaffRole, Username};
pub use subscriber::{EnterpriseName, EnterpriseNameError, NewSubscriber, Profile, Subscriber};
pub use tracking_code::TrackingCode;
