//! `calendar.toml`: public holidays and adjusted working days, year by year.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use toml::Spanned;

use super::{ContentError, Source};
use crate::calendar::CalendarYear;
use crate::calendar::{DayKind, YearStatus};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    years: Vec<RawYear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: Spanned<i32>,
    status: YearStatus,
    source: String,
    #[serde(default)]
    holidays: Vec<RawHoliday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name_zh: String,
    name_en: String,
    off: Vec<Spanned<String>>,
    #[serde(default)]
    work: Vec<Spanned<String>>,
}

pub(crate) fn parse(source: &Source) -> Result<Vec<CalendarYear>, Vec<ContentError>> {
    let raw: RawFile = source.parse().map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let mut years = Vec::new();
    let mut seen_years = HashSet::new();
    for raw_year in raw.years {
        let year = *raw_year.year.get_ref();
        if !(2000..=2100).contains(&year) || !seen_years.insert(year) {
            errors.push(source.error(
                Some(raw_year.year.span()),
                format!("year {year} is out of range or listed twice"),
            ));
            continue;
        }
        let mut seen_days = HashSet::new();
        let mut days = Vec::new();
        for holiday in &raw_year.holidays {
            let lists = [(DayKind::Off, &holiday.off), (DayKind::Work, &holiday.work)];
            for (kind, list) in lists {
                for text in list {
                    let Ok(date) = text.get_ref().parse::<NaiveDate>() else {
                        errors.push(source.error(
                            Some(text.span()),
                            format!("`{}` is not a date (YYYY-MM-DD)", text.get_ref()),
                        ));
                        continue;
                    };
                    if date.year() != year {
                        errors.push(
                            source.error(Some(text.span()), format!("{date} is not in {year}")),
                        );
                    } else if !seen_days.insert(date) {
                        errors.push(
                            source.error(Some(text.span()), format!("{date} is listed twice")),
                        );
                    } else {
                        days.push((date, kind, holiday.name_zh.clone(), holiday.name_en.clone()));
                    }
                }
            }
        }
        years.push(CalendarYear {
            year,
            status: raw_year.status,
            source: raw_year.source,
            days,
        });
    }
    if errors.is_empty() {
        Ok(years)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::calendar::WorkingCalendar;

    fn parse_text(text: &str) -> Result<Vec<CalendarYear>, Vec<String>> {
        parse(&Source {
            path: Path::new("calendar.toml"),
            text,
        })
        .map_err(|e| e.iter().map(ToString::to_string).collect())
    }

    fn calendar_of(years: &[CalendarYear]) -> WorkingCalendar {
        WorkingCalendar::new(
            years.iter().map(|y| (y.year, y.status)).collect(),
            years
                .iter()
                .flat_map(|y| y.days.iter().map(|(d, k, _, _)| (*d, *k)))
                .collect(),
        )
    }

    #[test]
    fn the_shipped_calendar_matches_the_state_council_notices() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../content/calendar.toml"
        ))
        .unwrap();
        let years = parse_text(&text).unwrap();
        let calendar = calendar_of(&years);
        let date = |s: &str| s.parse::<NaiveDate>().unwrap();
        // 2026: 春节 off Feb 15–23, work Sat Feb 14 and Sat Feb 28; 国庆 work Sun Sep 20, Sat Oct 10.
        for off in [
            "2026-01-02",
            "2026-02-16",
            "2026-02-23",
            "2026-05-05",
            "2026-06-19",
            "2026-09-25",
            "2026-10-07",
        ] {
            assert!(!calendar.is_working_day(date(off)), "{off} is a holiday");
        }
        for work in [
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        ] {
            assert!(
                calendar.is_working_day(date(work)),
                "{work} is an adjusted working day"
            );
        }
        // 2025: 春节 off Jan 28 – Feb 4, work Sun Jan 26 and Sat Feb 8; 国庆+中秋 off Oct 1–8.
        assert!(!calendar.is_working_day(date("2025-02-04")));
        assert!(calendar.is_working_day(date("2025-01-26")));
        assert!(!calendar.is_working_day(date("2025-10-08")));
        assert!(calendar.is_working_day(date("2025-10-11")));
        let status = |y: i32| years.iter().find(|c| c.year == y).unwrap().status;
        assert_eq!(status(2025), YearStatus::Official);
        assert_eq!(status(2026), YearStatus::Official);
        assert_eq!(status(2027), YearStatus::Provisional);
    }

    #[test]
    fn bad_dates_are_reported_with_their_line() {
        let text = "[[years]]\nyear = 2026\nstatus = \"official\"\nsource = \"x\"\n[[years.holidays]]\nname_zh = \"元旦\"\nname_en = \"New Year\"\noff = [\"2026-01-01\", \"2026-13-01\", \"2025-12-31\", \"2026-01-01\"]\n";
        let errors = parse_text(text).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors.iter().all(|e| e.starts_with("calendar.toml:8:")),
            "{errors:?}"
        );
        assert!(
            errors[0].contains("not a date")
                && errors[1].contains("not in 2026")
                && errors[2].contains("twice")
        );
    }
}
