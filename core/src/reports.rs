//! Reports (举报) as a service over the store: filing, the reporter's follow-up, the staff's
//! casework, deadlines and alerts. The bot, the CLI and the dashboard call this module; it
//! seals everything sensitive before the store sees it.
//!
//! - [`keys`]: the content key (wrapped by the data key) and the keys derived from it.
//! - `contexts`: what each sealed value is bound to.
//! - [`upgrade`]: the one-time move of a database from the first key schedule to the second.
//! - [`intake`]: quota and filing a new report.
//! - [`follow_up`]: `/status` lookups (throttled) and the reporter's messages.
//! - [`casework`]: staff actions, each one transaction with its history and notices.
//! - [`deadlines`]: due dates on the working-day calendar, and the alert scan.
//! - [`view`]: a report opened for staff.
//! - [`notices`]: sealed notices for the delivery worker.
//! - [`retention`]: purging the content of finished reports after a configured time.
//! - [`search`]: finding reports by number or by words in their opened content (audited).

pub mod casework;
mod contexts;
pub mod deadlines;
pub mod figures;
pub mod follow_up;
pub mod intake;
pub mod keys;
pub mod notices;
pub mod retention;
pub mod search;
mod settings;
pub mod upgrade;
pub mod view;

#[cfg(test)]
mod tests;

pub use keys::ReportKeys;
pub use retention::Retention;
pub use settings::ReportSettings;

use crate::crypto::CryptoError;
use crate::domain::ReportStatus;
use crate::store::StoreError;

/// The reports layer's one error type.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "cannot open sealed report data: QINGFENG_DATA_KEY is not the key the reports were sealed \
         with. Restore the previous key, or if you changed it on purpose, put the old one back and \
         run `qingfeng rekey` to move to the new one"
    )]
    WrongKey(#[from] CryptoError),
    #[error(
        "no routing is loaded: import content/routing.toml (`qingfeng content import content`)"
    )]
    NoRouting,
    #[error("no report {0}")]
    NotFound(i64),
    #[error("report {id} is {status}; that action is not possible now")]
    NotAllowed { id: i64, status: ReportStatus },
    #[error("no active desk `{0}`")]
    UnknownDesk(String),
    #[error("report {0} is already at that desk")]
    SameDesk(i64),
    #[error("a report can carry at most {max} files")]
    TooMuchEvidence { max: usize },
}
