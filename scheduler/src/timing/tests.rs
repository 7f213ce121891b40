use chrono::NaiveDateTime;
use chrono_tz::Asia::Shanghai;
use qingfeng_core::domain::Schedule;

use super::*;

fn campaign(schedule: Schedule) -> Campaign {
    Campaign {
        schedule,
        ..qingfeng_core::testing::campaign("tip", "一", "one")
    }
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

#[test]
fn cron_fires_in_local_time() {
    // Mondays 09:00 in Shanghai are 01:00 UTC.
    let c = campaign(Schedule::Cron("0 0 9 * * MON".parse().unwrap()));
    let firings = firings_between(
        &c,
        Shanghai,
        utc("2026-03-01T00:00:00Z"),
        utc("2026-03-17T00:00:00Z"),
    );
    assert_eq!(
        firings,
        [
            utc("2026-03-02T01:00:00Z"),
            utc("2026-03-09T01:00:00Z"),
            utc("2026-03-16T01:00:00Z")
        ]
    );
    assert_eq!(
        next_firing(&c, Shanghai, utc("2026-03-02T01:00:00Z")),
        Some(utc("2026-03-09T01:00:00Z"))
    );
    assert_eq!(
        latest_firing(&c, Shanghai, utc("2026-03-09T01:00:00Z"), Duration::days(8)),
        Some(utc("2026-03-09T01:00:00Z")),
        "a firing exactly now counts"
    );
}

#[test]
fn date_lists_fire_once_each() {
    let c = campaign(Schedule::Dates(vec![
        local("2026-02-13T09:00"),
        local("2027-02-03T09:00"),
    ]));
    assert_eq!(
        next_firing(&c, Shanghai, utc("2026-01-01T00:00:00Z")),
        Some(utc("2026-02-13T01:00:00Z"))
    );
    assert_eq!(
        next_firing(&c, Shanghai, utc("2026-02-13T01:00:00Z")),
        Some(utc("2027-02-03T01:00:00Z"))
    );
    assert_eq!(next_firing(&c, Shanghai, utc("2027-02-03T01:00:00Z")), None);
    assert_eq!(
        firings_between(
            &c,
            Shanghai,
            utc("2026-02-13T00:59:59Z"),
            utc("2026-02-13T01:00:00Z")
        )
        .len(),
        1
    );
}

#[test]
fn the_active_window_bounds_firings() {
    let mut c = campaign(Schedule::Cron("0 0 9 1 * *".parse().unwrap()));
    c.active_from = Some("2026-03-01".parse().unwrap());
    c.active_until = Some("2026-04-30".parse().unwrap());
    let firings = firings_between(
        &c,
        Shanghai,
        utc("2026-01-01T00:00:00Z"),
        utc("2026-12-31T00:00:00Z"),
    );
    assert_eq!(
        firings,
        [utc("2026-03-01T01:00:00Z"), utc("2026-04-01T01:00:00Z")]
    );
    assert_eq!(next_firing(&c, Shanghai, utc("2026-04-01T01:00:00Z")), None);
}

#[test]
fn quiet_hours_hold_non_urgent_sends_until_morning() {
    let quiet = QuietHours::default();
    let mut c = campaign(Schedule::Manual);
    // 22:30 Shanghai (14:30 UTC) → 08:00 next morning (00:00 UTC).
    assert_eq!(
        send_after(&c, utc("2026-03-02T14:30:00Z"), &quiet, Shanghai),
        utc("2026-03-03T00:00:00Z")
    );
    // 06:00 Shanghai (22:00 UTC the day before) → 08:00 the same local morning.
    assert_eq!(
        send_after(&c, utc("2026-03-02T22:00:00Z"), &quiet, Shanghai),
        utc("2026-03-03T00:00:00Z")
    );
    // 09:00 is fine; 08:00 exactly is fine; 21:00 exactly is quiet.
    assert_eq!(
        send_after(&c, utc("2026-03-02T01:00:00Z"), &quiet, Shanghai),
        utc("2026-03-02T01:00:00Z")
    );
    assert_eq!(
        send_after(&c, utc("2026-03-02T00:00:00Z"), &quiet, Shanghai),
        utc("2026-03-02T00:00:00Z")
    );
    assert_eq!(
        send_after(&c, utc("2026-03-02T13:00:00Z"), &quiet, Shanghai),
        utc("2026-03-03T00:00:00Z")
    );
    c.urgent = true;
    assert_eq!(
        send_after(&c, utc("2026-03-02T14:30:00Z"), &quiet, Shanghai),
        utc("2026-03-02T14:30:00Z")
    );
}

#[test]
fn manual_campaigns_never_fire_by_themselves() {
    let c = campaign(Schedule::Manual);
    assert_eq!(next_firing(&c, Shanghai, utc("2026-01-01T00:00:00Z")), None);
    assert!(
        firings_between(
            &c,
            Shanghai,
            utc("2026-01-01T00:00:00Z"),
            utc("2027-01-01T00:00:00Z")
        )
        .is_empty()
    );
}
