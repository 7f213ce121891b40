//! Deadlines and limits for reports, from `[reports]` in the configuration.

use std::time::Duration;

use chrono_tz::Tz;

use crate::Language;

#[derive(Debug, Clone)]
pub struct ReportSettings {
    /// Dates (receipt, deadlines) are local dates in this zone.
    pub time_zone: Tz,
    /// Staff alerts are written in this language.
    pub staff_language: Language,
    /// Acceptance notice due within this many working days of receipt (规则: 15).
    pub acceptance_working_days: u32,
    /// A report for another desk or body is forwarded within this many working days (5).
    pub forward_working_days: u32,
    /// The result notice is due within this many working days of conclusion (15).
    pub result_working_days: u32,
    /// Alert the desk when this many working days or fewer remain.
    pub warn_working_days: u32,
    /// Reports one Telegram account may file per day.
    pub daily_limit: u32,
    /// A draft report untouched this long is discarded.
    pub draft_ttl: Duration,
    /// Wrong tracking codes one account may try per hour.
    pub wrong_codes_per_user: u32,
    /// Wrong tracking codes everyone together may try per hour.
    pub wrong_codes_global: u32,
    /// When finished reports' content is purged (off by default).
    pub retention: super::Retention,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            time_zone: chrono_tz::Asia::Shanghai,
            staff_language: Language::ZhCn,
            acceptance_working_days: 15,
            forward_working_days: 5,
            result_working_days: 15,
            warn_working_days: 3,
            daily_limit: 3,
            draft_ttl: Duration::from_secs(24 * 3600),
            wrong_codes_per_user: 5,
            wrong_codes_global: 200,
            retention: super::Retention::default(),
        }
    }
}
