use chrono::TimeZone;

use super::*;
use crate::domain::PersonLevel;

const ZONE: Tz = chrono_tz::Asia::Shanghai;

/// Noon in the county on `day` of December 2026.
fn on(day: u32) -> DateTime<Utc> {
    ZONE.with_ymd_and_hms(2026, 12, day, 12, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn date(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
}

/// A report the `desk` received on the 1st, due for its acceptance decision on the 10th.
fn received(id: i64, desk: &str) -> ReportRecord {
    ReportRecord {
        id,
        code_hash: format!("h{id}"),
        category: "gifts".parse().unwrap(),
        township: Some("baofeng".parse().unwrap()),
        level: PersonLevel::Staff,
        desk: desk.parse().unwrap(),
        anonymous: true,
        status: ReportStatus::Received,
        disposal: None,
        assigned_to: None,
        duplicate_of: None,
        received_at: on(1),
        acceptance_due: date(10),
        forward_due: date(8),
        result_due: None,
        accepted_at: None,
        concluded_at: None,
        closed_at: None,
        higher_body: None,
        desk_received_at: on(1),
        transferred_at: None,
        transferred_to: None,
        content_purged_at: None,
    }
}

#[test]
fn decisions_by_the_deadline_and_conclusions_are_counted_per_desk() {
    let on_time = ReportRecord {
        status: ReportStatus::Concluded,
        accepted_at: Some(on(3)),
        concluded_at: Some(on(21)),
        ..received(1, "baofeng")
    };
    // Decided on the deadline day itself: still on time.
    let on_the_day = ReportRecord {
        status: ReportStatus::Accepted,
        accepted_at: Some(on(10)),
        ..received(2, "baofeng")
    };
    let late_refusal = ReportRecord {
        status: ReportStatus::NotAccepted,
        closed_at: Some(on(12)),
        ..received(3, "baofeng")
    };
    let overdue = received(4, "baofeng");
    let not_yet_due = ReportRecord {
        acceptance_due: date(20),
        ..received(5, "baofeng")
    };
    // Neither counts in a rate: not the desk's to decide.
    let passed_up = ReportRecord {
        higher_body: Some("shiyan".parse().unwrap()),
        ..received(6, "baofeng")
    };
    let duplicate = ReportRecord {
        status: ReportStatus::Closed,
        duplicate_of: Some(1),
        closed_at: Some(on(2)),
        ..received(7, "baofeng")
    };
    let county = ReportRecord {
        status: ReportStatus::Accepted,
        accepted_at: Some(on(2)),
        ..received(8, "county")
    };
    let records = [
        on_time,
        on_the_day,
        late_refusal,
        overdue,
        not_yet_due,
        passed_up,
        duplicate,
        county,
    ];
    let figures = by_desk(&records, ZONE, date(15));
    assert_eq!(figures.len(), 2);
    let baofeng = &figures[0];
    assert_eq!(baofeng.desk.as_str(), "baofeng");
    assert_eq!(baofeng.received, 7);
    assert_eq!((baofeng.decided_on_time, baofeng.decision_owed), (2, 4));
    assert_eq!(baofeng.on_time_rate(), Some(0.5));
    assert_eq!((baofeng.concluded, baofeng.accepted), (1, 2));
    assert_eq!(baofeng.conclusion_rate(), Some(0.5));
    // Decided after 2, 9 and 11 days; concluded after 20.
    assert_eq!(baofeng.days_to_decide, Some(22.0 / 3.0));
    assert_eq!(baofeng.days_to_conclude, Some(20.0));
    let county = &figures[1];
    assert_eq!((county.received, county.on_time_rate()), (1, Some(1.0)));
    assert_eq!(county.conclusion_rate(), Some(0.0));
    assert_eq!(county.days_to_conclude, None);
}

#[test]
fn a_desk_with_nothing_owed_yet_has_no_rate() {
    let figures = by_desk(&[received(1, "baofeng")], ZONE, date(5));
    assert_eq!(figures[0].on_time_rate(), None);
    assert_eq!(figures[0].conclusion_rate(), None);
    assert!(by_desk(&[], ZONE, date(5)).is_empty());
}
