//! When campaigns fire and when their messages may be sent. Pure functions of time, so the
//! rules (cron in the local zone, date lists, active windows, quiet hours) are tested directly.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use qingfeng_core::config::SchedulerSection;
use qingfeng_core::domain::{Campaign, Schedule};

/// Hours in which non-urgent messages wait (default 21:00–08:00 local).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Default for QuietHours {
    fn default() -> Self {
        QuietHours::from_section(&SchedulerSection::default())
    }
}

impl QuietHours {
    pub fn from_section(section: &SchedulerSection) -> Self {
        let (start, end) = section.quiet_hours;
        QuietHours { start, end }
    }

    fn contains(&self, time: NaiveTime) -> bool {
        if self.start <= self.end {
            time >= self.start && time < self.end
        } else {
            time >= self.start || time < self.end
        }
    }

    /// The first moment at or after `at` outside quiet hours.
    pub fn release(&self, at: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
        let local = at.with_timezone(&tz);
        if !self.contains(local.time()) {
            return at;
        }
        let mut day = local.date_naive();
        if local.time() >= self.start && self.start > self.end {
            day = day.succ_opt().expect("far from the end of time");
        }
        local_to_utc(tz, day.and_time(self.end))
    }
}

/// A local date-time in `tz` as UTC; in a DST gap the next valid instant is used.
fn local_to_utc(tz: Tz, local: chrono::NaiveDateTime) -> DateTime<Utc> {
    let mut candidate = local;
    for _ in 0..4 {
        if let Some(dt) = tz.from_local_datetime(&candidate).earliest() {
            return dt.with_timezone(&Utc);
        }
        candidate += Duration::minutes(30);
    }
    Utc.from_utc_datetime(&local)
}

fn local_date(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// Firings in `(after, until]`, in order, inside the campaign's active window.
pub fn firings_between(
    campaign: &Campaign,
    tz: Tz,
    after: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let raw: Vec<DateTime<Utc>> = match &campaign.schedule {
        Schedule::Manual => Vec::new(),
        Schedule::Cron(cron) => cron
            .schedule()
            .after(&after.with_timezone(&tz))
            .map(|t| t.with_timezone(&Utc))
            .take_while(|t| *t <= until)
            .collect(),
        Schedule::Dates(dates) => dates
            .iter()
            .map(|d| local_to_utc(tz, *d))
            .filter(|t| *t > after && *t <= until)
            .collect(),
    };
    raw.into_iter()
        .filter(|t| campaign.is_active_on(local_date(*t, tz)))
        .collect()
}

/// The next firing after `after` (within a year), if any.
pub fn next_firing(campaign: &Campaign, tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    match &campaign.schedule {
        Schedule::Manual => None,
        Schedule::Cron(cron) => cron
            .schedule()
            .after(&after.with_timezone(&tz))
            .map(|t| t.with_timezone(&Utc))
            .take_while(|t| *t <= after + Duration::days(400))
            .find(|t| campaign.is_active_on(local_date(*t, tz))),
        Schedule::Dates(dates) => dates
            .iter()
            .map(|d| local_to_utc(tz, *d))
            .filter(|t| *t > after && campaign.is_active_on(local_date(*t, tz)))
            .min(),
    }
}

/// The most recent firing at or before `at`, looking back at most `horizon`.
pub fn latest_firing(
    campaign: &Campaign,
    tz: Tz,
    at: DateTime<Utc>,
    horizon: Duration,
) -> Option<DateTime<Utc>> {
    firings_between(campaign, tz, at - horizon, at).pop()
}

/// When a firing's messages may go out: at once, or at the end of quiet hours.
pub fn send_after(
    campaign: &Campaign,
    firing: DateTime<Utc>,
    quiet: &QuietHours,
    tz: Tz,
) -> DateTime<Utc> {
    if campaign.urgent {
        firing
    } else {
        quiet.release(firing, tz)
    }
}

#[cfg(test)]
mod tests;
