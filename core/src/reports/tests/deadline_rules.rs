//! Deadlines on the shipped calendar: a report received just before 春节 2026 (off Feb 15–23,
//! with the 调休 Saturdays Feb 14 and Feb 28 worked), counted by hand from the State Council's
//! notice in `shared/FACTS.md`.

use chrono::{NaiveDate, TimeZone, Utc};

use crate::calendar::{Certainty, WorkingCalendar};
use crate::reports::ReportSettings;
use crate::reports::deadlines::{Urgency, intake_deadlines, urgency};
use crate::store_test;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn shipped_calendar(store: &crate::Store) -> WorkingCalendar {
    crate::testing::import_shipped(store, &["calendar.toml"]).await;
    store.working_calendar().await.unwrap()
}

store_test!(
    deadlines_count_working_days_across_the_spring_festival,
    |store| {
        let calendar = shipped_calendar(&store).await;
        let settings = ReportSettings::default();

        // Tuesday 2026-02-10, 23:30 Beijing time (15:30 UTC): received on the 10th.
        let late_evening = Utc.with_ymd_and_hms(2026, 2, 10, 15, 30, 0).unwrap();
        let (acceptance, forward, certainty) = intake_deadlines(&calendar, &settings, late_evening);
        // 11, 12, 13, Sat 14 (worked), then 24, 25, 26, 27, Sat 28 (worked), Mar 2–6, Mar 9.
        assert_eq!(acceptance, date("2026-03-09"));
        assert_eq!(forward, date("2026-02-24"));
        assert_eq!(certainty, Certainty::Official);

        // 00:30 Beijing time on the 11th is still the 10th in UTC: the local date counts.
        let after_midnight = Utc.with_ymd_and_hms(2026, 2, 10, 16, 30, 0).unwrap();
        let (acceptance, forward, _) = intake_deadlines(&calendar, &settings, after_midnight);
        assert_eq!(acceptance, date("2026-03-10"));
        assert_eq!(forward, date("2026-02-25"));

        // Urgency (due soon = at most 3 working days left) around the holiday.
        let due = date("2026-02-24");
        for (today, expected) in [
            ("2026-02-11", Urgency::Fine), // 12, 13, 14, 24: four working days left
            ("2026-02-12", Urgency::DueSoon), // 13, 14, 24
            ("2026-02-13", Urgency::DueSoon), // eleven calendar days, but two working days
            ("2026-02-20", Urgency::DueSoon), // mid-holiday
            ("2026-02-24", Urgency::DueSoon), // the day itself
            ("2026-02-25", Urgency::Overdue),
        ] {
            assert_eq!(
                urgency(&calendar, &settings, date(today), due),
                expected,
                "{today}"
            );
        }
        let due = date("2026-03-09");
        for (today, expected) in [
            ("2026-03-03", Urgency::Fine),    // 4, 5, 6, 9
            ("2026-03-04", Urgency::DueSoon), // 5, 6, 9
            ("2026-03-09", Urgency::DueSoon),
            ("2026-03-10", Urgency::Overdue),
        ] {
            assert_eq!(
                urgency(&calendar, &settings, date(today), due),
                expected,
                "{today}"
            );
        }

        for (from, to, days) in [
            ("2026-02-13", "2026-02-27", 5), // Sat 14, then 24–27
            ("2026-02-14", "2026-02-23", 0), // the whole holiday
            ("2026-02-27", "2026-03-02", 2), // Sat 28 (worked), Mon 2
            ("2025-12-31", "2026-01-05", 2), // 元旦 off 1–3, Sun Jan 4 worked, Mon 5
            ("2026-03-09", "2026-03-09", 0),
            ("2026-03-09", "2026-02-10", 0), // backwards
        ] {
            assert_eq!(
                calendar.working_days_between(date(from), date(to)),
                days,
                "{from} → {to}"
            );
        }
    }
);
