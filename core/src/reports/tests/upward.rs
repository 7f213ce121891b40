//! Routing by cadre-management authority, end to end on both backends: a report about a
//! 县处级 cadre is received, alerted to the county office without content, transferred up,
//! its reporter told and its content purged; a 乡科级 report reaches the county desk; a
//! township account sees neither.

use super::*;
use crate::reports::view;
use crate::store::ClaimedNotice;

const COUNTY_STAFF: i64 = 900;

async fn opened_bodies(store: &Store) -> Vec<(String, i64, String)> {
    // Everything queued so far, deadline alerts included.
    let later = monday() + chrono::TimeDelta::days(365);
    let claimed: Vec<ClaimedNotice> = store.claim_notices(later, 50).await.unwrap();
    claimed
        .iter()
        .map(|n| {
            let hash = n.code_hash.as_deref().unwrap();
            let kind: NoticeKind = n.kind.parse().unwrap();
            let to = keys()
                .open_recipient(hash, kind, n.recipient.as_ref().unwrap())
                .unwrap();
            let text = keys()
                .open_body(hash, kind, n.body.as_ref().unwrap())
                .unwrap()
                .render(Language::ZhCn);
            (n.kind.clone(), to.chat_id, text)
        })
        .collect()
}

fn township_scope() -> ReportScope {
    ReportScope::TownshipDesk("baofeng".parse().unwrap())
}

async fn township_sees(store: &Store, id: i64) -> bool {
    let listed = store
        .list_reports(&township_scope(), &ReportFilter::default(), 50, 0)
        .await
        .unwrap()
        .iter()
        .any(|r| r.id == id);
    let visible = store
        .visible_report(id, &township_scope())
        .await
        .unwrap()
        .is_some();
    listed || visible
}

store_test!(
    a_county_level_report_is_alerted_without_content_transferred_up_and_purged,
    |store| {
        seed(&store).await;
        let s = ReportSettings::default();
        let r = report(Some("baofeng"), PersonLevel::CountyOrAbove, real_name());
        let (id, code) = file(&store, &r).await;

        let record = store.report_record(id).await.unwrap().unwrap();
        assert_eq!(
            record.desk.as_str(),
            "county",
            "the county office passes it up"
        );
        assert_eq!(record.higher_body.as_ref().unwrap().as_str(), "shiyan");
        // 5 working days from Monday 30 Nov 2026: Monday 7 Dec.
        let due = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let deadline = deadlines::current_deadline(&s, &record).unwrap();
        assert_eq!(deadline.kind, deadlines::DeadlineKind::UpwardTransfer);
        assert_eq!(deadline.due, due);
        assert_eq!(
            deadline.counts_from,
            deadlines::CountsFrom::Receipt(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap())
        );

        // The county office's alert says only what it is and by when: no place, no category.
        let alerts = opened_bodies(&store).await;
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        let (kind, chat, text) = &alerts[0];
        assert_eq!((kind.as_str(), *chat), ("staff_alert", COUNTY_STAFF));
        assert!(
            text.contains("上级纪委监委") && text.contains("2026-12-07"),
            "{text}"
        );
        for secret in crate::testing::REPORT_SECRETS
            .iter()
            .chain(&["宝丰", "收受礼品"])
        {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(!township_sees(&store, id).await);

        // Its deadline alert (overdue on Tuesday 8 Dec) names no place or category either.
        let overdue = Utc.with_ymd_and_hms(2026, 12, 8, 2, 0, 0).unwrap();
        assert_eq!(
            deadlines::scan(&store, &keys(), &s, overdue).await.unwrap(),
            1
        );
        let alerts = opened_bodies(&store).await;
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        let text = &alerts[0].2;
        assert!(text.contains("2026-12-07"), "{text}");
        for secret in ["宝丰", "收受礼品", "礼品礼金"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }

        // The county office records the transfer; the reporter is told; the content goes.
        let to: MessageText = "十堰市纪委监委".parse().unwrap();
        act(
            &store,
            &keys(),
            &s,
            id,
            &wang(),
            StaffAction::TransferUp { to },
            monday(),
        )
        .await
        .unwrap();
        let record = store.report_record(id).await.unwrap().unwrap();
        assert_eq!(record.status, ReportStatus::Transferred);
        assert_eq!(record.transferred_to.as_deref(), Some("十堰市纪委监委"));
        assert_eq!(record.transferred_at, Some(monday()));
        assert_eq!(record.content_purged_at, Some(monday()));
        assert!(deadlines::current_deadline(&s, &record).is_none());

        let sealed = store.sealed_report(id).await.unwrap().unwrap();
        assert!(sealed.body.is_none() && sealed.reporter.is_none());
        assert!(sealed.reply_address.is_none() && sealed.attachments.is_empty());
        let opened = view::open(&store, &keys(), id).await.unwrap();
        assert!(opened.body.is_none() && opened.evidence.is_empty());
        let history: Vec<&str> = opened.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(history, vec!["received", "transferred"]);

        let notices = opened_bodies(&store).await;
        assert_eq!(notices.len(), 1, "{notices:?}");
        let (kind, chat, text) = &notices[0];
        assert_eq!((kind.as_str(), *chat), ("reporter", REPORTER));
        assert!(text.contains("已移送上级纪委监委"), "{text}");

        let audit = store.audit_log(10, 0).await.unwrap();
        assert_eq!(audit[0].action, "report.transfer_up");
        assert_eq!(audit[0].report_id, Some(id));

        // The tracking code still answers, with the status.
        let Lookup::Found(found) = lookup(
            &store,
            &keys(),
            &s,
            REPORTER,
            Language::ZhCn,
            &code,
            monday(),
        )
        .await
        .unwrap() else {
            panic!("the code still finds the report");
        };
        assert_eq!(found.record.status, ReportStatus::Transferred);
        assert!(!township_sees(&store, id).await);
        // Only once: the transfer is final.
        let again = act(
            &store,
            &keys(),
            &s,
            id,
            &wang(),
            StaffAction::TransferUp {
                to: "十堰市纪委监委".parse().unwrap(),
            },
            monday(),
        )
        .await;
        assert!(matches!(again, Err(ReportError::NotAllowed { .. })));
    }
);

store_test!(
    section_level_and_unknown_levels_reach_the_county_desk_not_the_township,
    |store| {
        seed(&store).await;
        for level in [PersonLevel::Section, PersonLevel::Unknown] {
            let (id, _) = file(&store, &report(Some("baofeng"), level, anonymous(false))).await;
            let record = store.report_record(id).await.unwrap().unwrap();
            assert_eq!(record.desk.as_str(), "county", "{level}");
            assert!(record.higher_body.is_none(), "{level}");
            assert!(!township_sees(&store, id).await, "{level}");
        }
        // The commission's own leaders go up; its other staff stay with the county office.
        let mut leader = report(Some("baofeng"), PersonLevel::Section, anonymous(false));
        leader.body.person.commission = CommissionTie::Leader;
        let (id, _) = file(&store, &leader).await;
        let record = store.report_record(id).await.unwrap().unwrap();
        assert!(record.higher_body.is_some());
        assert!(!township_sees(&store, id).await);
    }
);

store_test!(a_forward_starts_the_receiving_desks_own_clock, |store| {
    seed(&store).await;
    let (id, _) = file(
        &store,
        &report(Some("baofeng"), PersonLevel::Section, anonymous(false)),
    )
    .await;
    // A week later the county passes it down to the township.
    let later = monday() + chrono::TimeDelta::days(7);
    act(
        &store,
        &keys(),
        &ReportSettings::default(),
        id,
        &wang(),
        StaffAction::Forward {
            desk: "baofeng".parse().unwrap(),
        },
        later,
    )
    .await
    .unwrap();
    let record = store.report_record(id).await.unwrap().unwrap();
    assert_eq!(record.desk_received_at, later);
    // 5 and 15 working days from Monday 7 Dec 2026.
    assert_eq!(
        record.forward_due,
        NaiveDate::from_ymd_opt(2026, 12, 14).unwrap()
    );
    assert_eq!(
        record.acceptance_due,
        NaiveDate::from_ymd_opt(2026, 12, 28).unwrap()
    );
    assert_eq!(record.received_at, monday(), "the original receipt is kept");
});

store_test!(
    retention_purges_closed_reports_content_but_keeps_their_history,
    |store| {
        seed(&store).await;
        let (id, _) = file(
            &store,
            &report(Some("baofeng"), PersonLevel::Staff, anonymous(false)),
        )
        .await;
        let s = ReportSettings::default();
        for action in [
            StaffAction::Accept,
            StaffAction::Dispose(Disposal::NoAction),
            StaffAction::Close {
                outcome: "经核实，问题不属实。".parse().unwrap(),
            },
        ] {
            act(&store, &keys(), &s, id, &wang(), action, monday())
                .await
                .unwrap();
        }
        let retention = Retention::new(&[(ReportStatus::Closed, 30)]).unwrap();
        let day = chrono::TimeDelta::days(1);
        assert_eq!(
            retention.purge_on(&store.report_record(id).await.unwrap().unwrap()),
            Some(monday() + day * 30)
        );
        assert_eq!(
            retention::run(&store, &retention, monday() + day * 29)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            retention::run(&store, &retention, monday() + day * 31)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            retention::run(&store, &retention, monday() + day * 32)
                .await
                .unwrap(),
            0
        );
        let opened = view::open(&store, &keys(), id).await.unwrap();
        assert!(opened.body.is_none() && opened.messages.is_empty());
        assert_eq!(opened.record.status, ReportStatus::Closed);
        assert_eq!(opened.events.last().unwrap().kind, "purged");
        assert_eq!(
            store.audit_log(1, 0).await.unwrap()[0].action,
            "report.purge"
        );
        // Off by default.
        assert_eq!(Retention::default().purge_on(&opened.record), None);
    }
);
