//! China's working-day calendar: weekends and public holidays off, adjusted working days
//! (调休) on. Loaded from `content/calendar.toml`; a year without an official notice is
//! *provisional* (statutory holidays only) and callers say so wherever they show a deadline.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// 放假: a holiday, whatever the weekday.
    Off,
    /// 调休上班: a weekend day that is a working day.
    Work,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YearStatus {
    Official,
    Provisional,
}

/// How sure a computed date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certainty {
    /// Every year involved has its State Council notice loaded.
    Official,
    /// Some year is provisional or unknown: tell the reader.
    Provisional,
}

#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    days: HashMap<NaiveDate, DayKind>,
    years: HashMap<i32, YearStatus>,
}

impl WorkingCalendar {
    pub fn new(years: HashMap<i32, YearStatus>, days: HashMap<NaiveDate, DayKind>) -> Self {
        WorkingCalendar { days, years }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some(DayKind::Off) => false,
            Some(DayKind::Work) => true,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    pub fn certainty(&self, year: i32) -> Certainty {
        match self.years.get(&year) {
            Some(YearStatus::Official) => Certainty::Official,
            _ => Certainty::Provisional,
        }
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .count() as i64
    }

    /// The date `n` working days after `start` (not counting `start` itself), and how sure it
    /// is. `n = 0` is `start`.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> (NaiveDate, Certainty) {
        let mut date = start;
        let mut certainty = self.certainty(start.year());
        let mut left = n;
        while left > 0 {
            date = date
                .succ_opt()
                .expect("dates stay far from the end of time");
            if self.certainty(date.year()) == Certainty::Provisional {
                certainty = Certainty::Provisional;
            }
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        (date, certainty)
    }
}

/// One year of the calendar file.
#[derive(Debug, Clone)]
pub struct CalendarYear {
    pub year: i32,
    pub status: YearStatus,
    pub source: String,
    /// (date, kind, holiday name zh, holiday name en)
    pub days: Vec<(NaiveDate, DayKind, String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Spring Festival 2026 as the State Council published it.
    fn calendar() -> WorkingCalendar {
        let mut days = HashMap::new();
        let mut d = date("2026-02-15");
        while d <= date("2026-02-23") {
            days.insert(d, DayKind::Off);
            d = d.succ_opt().unwrap();
        }
        days.insert(date("2026-02-14"), DayKind::Work);
        days.insert(date("2026-02-28"), DayKind::Work);
        WorkingCalendar::new(HashMap::from([(2026, YearStatus::Official)]), days)
    }

    #[test]
    fn holidays_and_adjusted_days_override_weekdays() {
        let c = calendar();
        assert!(c.is_working_day(date("2026-02-14")), "Saturday worked");
        assert!(!c.is_working_day(date("2026-02-16")), "Monday off");
        assert!(!c.is_working_day(date("2026-03-01")), "an ordinary Sunday");
        assert!(c.is_working_day(date("2026-03-02")));
    }

    #[test]
    fn working_days_skip_the_holiday() {
        let c = calendar();
        // Friday 13 Feb + 1 working day = Saturday 14 Feb (adjusted working day).
        assert_eq!(
            c.add_working_days(date("2026-02-13"), 1),
            (date("2026-02-14"), Certainty::Official)
        );
        // Then the holiday: next is Tuesday 24 Feb.
        assert_eq!(
            c.add_working_days(date("2026-02-14"), 1).0,
            date("2026-02-24")
        );
        assert_eq!(
            c.add_working_days(date("2026-02-13"), 0).0,
            date("2026-02-13")
        );
    }

    #[test]
    fn unknown_years_are_provisional() {
        let c = calendar();
        assert_eq!(
            c.add_working_days(date("2026-12-28"), 5).1,
            Certainty::Provisional
        );
        assert_eq!(c.certainty(2027), Certainty::Provisional);
    }
}
