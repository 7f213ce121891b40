//! Quiz ranking periods (`quiz.ranking_period`).

/// The period over which quiz rankings are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankingPeriod {
    Week,
    Month,
}

impl RankingPeriod {
    /// The period's label for a local date: `2026-W48` (ISO week) or `2026-11`.
    pub fn label(self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        match self {
            RankingPeriod::Week => {
                let week = date.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            RankingPeriod::Month => format!("{}-{:02}", date.year(), date.month()),
        }
    }

    /// The period around a local date as people say it: 本周（12月1日—7日）, This week (1–7 Dec),
    /// 本月（12月）, This month (December). The label above is for storage only.
    pub fn describe(self, date: chrono::NaiveDate, lang: crate::Language) -> String {
        use crate::Language;
        use chrono::Datelike;
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        const MONTH_NAMES: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match self {
            RankingPeriod::Week => {
                let monday =
                    date - chrono::Days::new(u64::from(date.weekday().num_days_from_monday()));
                let sunday = monday + chrono::Days::new(6);
                let same_month = monday.month() == sunday.month();
                match (lang, same_month) {
                    (Language::ZhCn, true) => format!(
                        "本周（{}月{}日—{}日）",
                        monday.month(),
                        monday.day(),
                        sunday.day()
                    ),
                    (Language::ZhCn, false) => format!(
                        "本周（{}月{}日—{}月{}日）",
                        monday.month(),
                        monday.day(),
                        sunday.month(),
                        sunday.day()
                    ),
                    (Language::En, true) => format!(
                        "This week ({}–{} {})",
                        monday.day(),
                        sunday.day(),
                        MONTHS[sunday.month0() as usize]
                    ),
                    (Language::En, false) => format!(
                        "This week ({} {} – {} {})",
                        monday.day(),
                        MONTHS[monday.month0() as usize],
                        sunday.day(),
                        MONTHS[sunday.month0() as usize]
                    ),
                }
            }
            RankingPeriod::Month => match lang {
                Language::ZhCn => format!("本月（{}月）", date.month()),
                Language::En => format!("This month ({})", MONTH_NAMES[date.month0() as usize]),
            },
        }
    }
}
