//! A campaign's cron schedule as an officer says it: "每周一 09:00", "每月1日 09:00",
//! "Every Monday at 09:00". Only the shapes a county uses are put in words (a fixed time, every
//! day, some weekdays, or one day of the month); anything else is shown as written.

use qingfeng_core::Language;

const DAYS: [(&str, &str, &str); 7] = [
    ("MON", "一", "Monday"),
    ("TUE", "二", "Tuesday"),
    ("WED", "三", "Wednesday"),
    ("THU", "四", "Thursday"),
    ("FRI", "五", "Friday"),
    ("SAT", "六", "Saturday"),
    ("SUN", "日", "Sunday"),
];

/// The weekdays of a day-of-week field written with names (`MON`, `MON-FRI`, `MON,WED`).
fn weekdays(field: &str) -> Option<Vec<usize>> {
    let index = |name: &str| {
        DAYS.iter()
            .position(|(n, _, _)| n.eq_ignore_ascii_case(name))
    };
    let mut days = Vec::new();
    for part in field.split(',') {
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (index(from)?, index(to)?);
                if from > to {
                    return None;
                }
                days.extend(from..=to);
            }
            None => days.push(index(part)?),
        }
    }
    Some(days)
}

/// The schedule in words, or `None` for a shape this does not describe.
pub fn describe(cron: &str, lang: Language) -> Option<String> {
    let fields: Vec<&str> = cron.split_whitespace().collect();
    let [second, minute, hour, day, month, weekday] = fields.as_slice() else {
        return None;
    };
    let minute: u32 = minute.parse().ok().filter(|m| *m < 60)?;
    let hour: u32 = hour.parse().ok().filter(|h| *h < 24)?;
    if *second != "0" || *month != "*" {
        return None;
    }
    let time = format!("{hour:02}:{minute:02}");
    let zh = lang == Language::ZhCn;
    Some(match (*day, *weekday) {
        ("*", "*" | "?") => match zh {
            true => format!("每天 {time}"),
            false => format!("Every day at {time}"),
        },
        ("*" | "?", days) => {
            let days = weekdays(days)?;
            match zh {
                true => {
                    let names: Vec<&str> = days.iter().map(|d| DAYS[*d].1).collect();
                    format!("每周{} {time}", names.join("、"))
                }
                false => {
                    let names: Vec<&str> = days.iter().map(|d| DAYS[*d].2).collect();
                    format!("Every {} at {time}", names.join(", "))
                }
            }
        }
        (day, "*" | "?") => {
            let day: u32 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
            match zh {
                true => format!("每月{day}日 {time}"),
                false => format!("Day {day} of every month at {time}"),
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_shapes_read_as_people_say_them() {
        let zh = |c| describe(c, Language::ZhCn);
        assert_eq!(zh("0 0 9 * * MON").as_deref(), Some("每周一 09:00"));
        assert_eq!(
            zh("0 30 8 * * MON-FRI").as_deref(),
            Some("每周一、二、三、四、五 08:30")
        );
        assert_eq!(zh("0 0 9 1 * *").as_deref(), Some("每月1日 09:00"));
        assert_eq!(zh("0 0 20 * * *").as_deref(), Some("每天 20:00"));
        assert_eq!(
            describe("0 0 9 * * MON,THU", Language::En).as_deref(),
            Some("Every Monday, Thursday at 09:00")
        );
        // Shapes not put in words are shown as written by the caller.
        for odd in [
            "*/5 * * * * *",
            "0 0 9 * 1-6 *",
            "0 0 9 * * 2",
            "0 0 9 1 * MON",
            "bad",
        ] {
            assert_eq!(zh(odd), None, "{odd}");
        }
    }
}
