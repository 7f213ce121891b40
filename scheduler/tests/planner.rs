//! The planner on both backends: firings become runs once; holidays skip; downtime catches up
//! within the window or records a miss; quiet hours hold sends; the loop follows its clock.

mod common;

use chrono::Duration;
use common::*;
use qingfeng_core::calendar::CalendarYear;
use qingfeng_core::calendar::{DayKind, YearStatus};
use qingfeng_core::domain::{Audience, Schedule};
use qingfeng_scheduler::{Clock, Planner, Settings};

fn planner(store: &qingfeng_core::Store, clock: Clock) -> Planner {
    Planner::new(store.clone(), Settings::default(), clock)
}

fn weekly() -> qingfeng_core::domain::Campaign {
    campaign(
        "weekly",
        Some(Audience::Enterprise),
        Schedule::Cron("0 0 9 * * MON".parse().unwrap()),
    )
}

qingfeng_core::store_test!(a_firing_becomes_one_run, |store| {
    seed(&store, 3, 2).await;
    store.import_campaigns(&[weekly()]).await.unwrap();
    let p = planner(&store, Clock::System);
    // Monday 2026-03-02 09:00 Shanghai = 01:00 UTC.
    p.tick(utc("2026-03-01T16:00:00Z"), utc("2026-03-02T01:00:30Z"))
        .await
        .unwrap();
    let runs = store.recent_runs(&weekly().id, 10).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(
        (
            runs[0].scheduled_for,
            runs[0].targeted,
            runs[0].trigger_kind.as_str()
        ),
        (utc("2026-03-02T01:00:00Z"), 3, "schedule")
    );
    // Overlapping ticks (a restart re-reading the window) do not repeat it.
    p.tick(utc("2026-03-01T16:00:00Z"), utc("2026-03-02T02:00:00Z"))
        .await
        .unwrap();
    assert_eq!(store.recent_runs(&weekly().id, 10).await.unwrap().len(), 1);
    // Nothing fires between Mondays.
    p.tick(utc("2026-03-02T02:00:00Z"), utc("2026-03-09T00:59:59Z"))
        .await
        .unwrap();
    assert_eq!(store.recent_runs(&weekly().id, 10).await.unwrap().len(), 1);
});

qingfeng_core::store_test!(working_days_only_campaigns_skip_holidays, |store| {
    seed(&store, 2, 0).await;
    let mut c = weekly();
    c.working_days_only = true;
    store
        .import_campaigns(std::slice::from_ref(&c))
        .await
        .unwrap();
    let day = |s: &str| s.parse().unwrap();
    store
        .import_calendar(&[CalendarYear {
            year: 2026,
            status: YearStatus::Official,
            source: "test".into(),
            days: vec![(
                day("2026-02-16"),
                DayKind::Off,
                "春节".into(),
                "Spring Festival".into(),
            )],
        }])
        .await
        .unwrap();
    let p = planner(&store, Clock::System);
    // Monday 16 Feb 2026 is in the Spring Festival holiday; Monday 23 Feb is not listed here.
    p.tick(utc("2026-02-15T00:00:00Z"), utc("2026-02-23T02:00:00Z"))
        .await
        .unwrap();
    let runs = store.recent_runs(&c.id, 10).await.unwrap();
    let statuses: Vec<&str> = runs.iter().map(|r| r.status.as_str()).collect();
    assert_eq!(statuses, ["sent", "skipped"], "newest first");
});

qingfeng_core::store_test!(date_lists_fire_on_their_dates, |store| {
    seed(&store, 1, 1).await;
    let c = campaign(
        "holiday",
        None,
        Schedule::Dates(vec![
            "2026-02-13T09:00:00".parse().unwrap(),
            "2026-04-02T09:00:00".parse().unwrap(),
        ]),
    );
    store
        .import_campaigns(std::slice::from_ref(&c))
        .await
        .unwrap();
    let p = planner(&store, Clock::System);
    p.tick(utc("2026-01-01T00:00:00Z"), utc("2026-12-31T00:00:00Z"))
        .await
        .unwrap();
    let runs = store.recent_runs(&c.id, 10).await.unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[1].scheduled_for, utc("2026-02-13T01:00:00Z"));
    assert_eq!(runs[1].targeted, 2, "audience all");
});

qingfeng_core::store_test!(
    downtime_catches_up_within_the_window_else_records_a_miss,
    |store| {
        seed(&store, 2, 0).await;
        let mut late = weekly();
        late.id = "late".parse().unwrap();
        let mut stale = weekly();
        stale.id = "stale".parse().unwrap();
        stale.catch_up_hours = 1;
        store
            .import_campaigns(&[late.clone(), stale.clone()])
            .await
            .unwrap();
        let p = planner(&store, Clock::System);
        // First started on the Sunday, then down over the Monday 09:00 firing and started
        // again at 12:00 Shanghai, three hours after it.
        p.catch_up(utc("2026-03-01T04:00:00Z")).await.unwrap();
        p.catch_up(utc("2026-03-02T04:00:00Z")).await.unwrap();
        let late_runs = store.recent_runs(&late.id, 10).await.unwrap();
        assert_eq!(
            (
                late_runs.len(),
                late_runs[0].trigger_kind.as_str(),
                late_runs[0].targeted
            ),
            (1, "catch_up", 2)
        );
        let stale_runs = store.recent_runs(&stale.id, 10).await.unwrap();
        assert_eq!(
            (stale_runs.len(), stale_runs[0].status.as_str()),
            (1, "missed")
        );
        // A second start changes nothing.
        p.catch_up(utc("2026-03-02T04:30:00Z")).await.unwrap();
        assert_eq!(store.recent_runs(&late.id, 10).await.unwrap().len(), 1);
        assert_eq!(store.recent_runs(&stale.id, 10).await.unwrap().len(), 1);
    }
);

qingfeng_core::store_test!(
    a_brand_new_database_reports_nothing_missed_before_its_first_start,
    |store| {
        seed(&store, 2, 0).await;
        let mut stale = weekly();
        stale.catch_up_hours = 1;
        store
            .import_campaigns(std::slice::from_ref(&stale))
            .await
            .unwrap();
        let p = planner(&store, Clock::System);
        // Installed and started on the Monday at 12:00, after the 09:00 firing.
        p.catch_up(utc("2026-03-02T04:00:00Z")).await.unwrap();
        assert!(store.recent_runs(&stale.id, 10).await.unwrap().is_empty());
        // Down over the next Monday's firing: that one was missed.
        p.catch_up(utc("2026-03-09T04:00:00Z")).await.unwrap();
        let runs = store.recent_runs(&stale.id, 10).await.unwrap();
        assert_eq!((runs.len(), runs[0].status.as_str()), (1, "missed"));
    }
);

qingfeng_core::store_test!(quiet_hours_hold_deliveries_until_morning, |store| {
    seed(&store, 2, 0).await;
    let c = campaign(
        "evening",
        None,
        Schedule::Cron("0 30 22 * * *".parse().unwrap()),
    );
    store
        .import_campaigns(std::slice::from_ref(&c))
        .await
        .unwrap();
    planner(&store, Clock::System)
        .tick(utc("2026-03-02T14:00:00Z"), utc("2026-03-02T14:31:00Z"))
        .await
        .unwrap();
    // 22:30 Shanghai: nothing is due until 08:00 the next morning (00:00 UTC).
    assert!(
        store
            .claim_deliveries(utc("2026-03-02T23:59:59Z"), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .claim_deliveries(utc("2026-03-03T00:00:00Z"), 10)
            .await
            .unwrap()
            .len(),
        2
    );
});

qingfeng_core::store_test!(the_loop_follows_its_clock, |store| {
    seed(&store, 2, 0).await;
    store.import_campaigns(&[weekly()]).await.unwrap();
    let start = utc("2026-03-01T12:00:00Z");
    let clock = Clock::manual(start);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(planner(&store, clock.clone()).run(async {
        let _ = stopped.await;
    }));
    // A brand-new database: the Monday before the first start is not reported missed.
    let wait_for_runs = async |n: usize| {
        for _ in 0..500 {
            let runs = store.recent_runs(&weekly().id, 10).await.unwrap();
            if runs.iter().filter(|r| r.status == "sent").count() == n {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("expected {n} runs");
    };
    clock.set(start + Duration::hours(12));
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    wait_for_runs(0).await;
    clock.set(utc("2026-03-02T01:00:00Z"));
    wait_for_runs(1).await;
    clock.set(utc("2026-03-09T01:00:05Z"));
    wait_for_runs(2).await;
    let statuses: Vec<String> = store
        .recent_runs(&weekly().id, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, ["sent", "sent"]);
    stop.send(()).unwrap();
    running.await.unwrap();
});
