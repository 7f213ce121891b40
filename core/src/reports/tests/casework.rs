//! Casework on both backends: a report moves from received to closed through staff actions,
//! each audited, and the reporter is told what the rules say they are owed.

use super::*;

store_test!(
    casework_moves_through_the_lifecycle_and_tells_the_reporter,
    |store| {
        seed(&store).await;
        let (id, code) = file(
            &store,
            &report(Some("baofeng"), PersonLevel::Staff, real_name()),
        )
        .await;
        let s = ReportSettings::default();
        let k = keys();
        let staff_text = |t: &str| t.parse::<MessageText>().unwrap();
        let run =
            async |action: StaffAction| act(&store, &k, &s, id, &wang(), action, monday()).await;
        // Not possible before acceptance.
        let early = run(StaffAction::Dispose(Disposal::TalkOrLetter)).await;
        assert!(matches!(
            early,
            Err(ReportError::NotAllowed {
                status: ReportStatus::Received,
                ..
            })
        ));
        run(StaffAction::Forward {
            desk: "county".parse().unwrap(),
        })
        .await
        .unwrap();
        assert!(matches!(
            run(StaffAction::Forward {
                desk: "county".parse().unwrap()
            })
            .await,
            Err(ReportError::SameDesk(_))
        ));
        run(StaffAction::Accept).await.unwrap();
        run(StaffAction::Reply {
            text: staff_text("请补充购物卡的照片。"),
        })
        .await
        .unwrap();
        run(StaffAction::Note {
            text: staff_text("内部：与信访件 2026-17 可能重复"),
        })
        .await
        .unwrap();
        reporter_message(
            &store,
            &k,
            &s,
            id,
            &staff_text("照片已经发过了，请查收。"),
            monday(),
        )
        .await
        .unwrap();
        run(StaffAction::Dispose(Disposal::PreliminaryVerification))
            .await
            .unwrap();
        run(StaffAction::Conclude).await.unwrap();
        let record = store.report_record(id).await.unwrap().unwrap();
        assert_eq!(record.status, ReportStatus::Concluded);
        assert_eq!(record.desk.as_str(), "county");
        assert_eq!(
            record.result_due,
            Some(NaiveDate::from_ymd_opt(2026, 12, 21).unwrap())
        );
        // What is owed now is the result notice, counted from 办结.
        let deadline = deadlines::current_deadline(&s, &record).unwrap();
        assert_eq!(deadline.kind, deadlines::DeadlineKind::Result);
        assert_eq!(deadline.due, record.result_due.unwrap());
        assert!(matches!(
            deadline.counts_from,
            deadlines::CountsFrom::Conclusion(_)
        ));
        run(StaffAction::Close {
            outcome: staff_text("经核实，已给予相关人员党纪处分。"),
        })
        .await
        .unwrap();
        assert!(matches!(
            run(StaffAction::Accept).await,
            Err(ReportError::NotAllowed { .. })
        ));

        // The reporter sees public replies and their own message, never the internal note.
        let Lookup::Found(view) = lookup(&store, &k, &s, REPORTER, Language::ZhCn, &code, monday())
            .await
            .unwrap()
        else {
            panic!("found");
        };
        assert_eq!(view.record.status, ReportStatus::Closed);
        let texts: Vec<&str> = view.messages.iter().map(|(_, t, _)| t.as_str()).collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(!texts.iter().any(|t| t.contains("内部")));
        // Staff see everything, with the history naming who did what.
        let full = view::open(&store, &k, id).await.unwrap();
        assert_eq!(full.messages.len(), 4);
        assert_eq!(full.reporter.unwrap().mobile.as_str(), "13800138000");
        assert_eq!(full.evidence[0].file_id, "AgACAgIAAxkBAAIBSECRETFILEID");
        let kinds: Vec<&str> = full.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "received",
                "forwarded",
                "accepted",
                "replied",
                "noted",
                "reporter_message",
                "disposed",
                "concluded",
                "closed"
            ]
        );
        assert!(
            full.events[1..]
                .iter()
                .filter(|e| e.kind != "reporter_message")
                .all(|e| e.actor == "wang")
        );
        // Notices: accepted, reply, closed to the reporter; alerts to staff.
        let counts = store.notice_counts().await.unwrap();
        assert!(
            counts.contains(&("reporter".into(), "queued".into(), 3)),
            "{counts:?}"
        );
        let filtered = store
            .list_reports(
                &ReportScope::All,
                &ReportFilter {
                    status: Some(ReportStatus::Closed),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .unwrap();
        assert_eq!(filtered.len(), 1);
    }
);

/// Makes the database refuse the surviving report's "merged" history row, as a failure midway
/// through a merge would.
async fn refuse_merged_rows(store: &Store, refuse: bool) {
    if let Some(pool) = store.sqlite_pool() {
        let sql = if refuse {
            "CREATE TRIGGER refuse_merged BEFORE INSERT ON report_events
             WHEN NEW.kind = 'merged' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        } else {
            "DROP TRIGGER refuse_merged"
        };
        sqlx::query(sql).execute(pool).await.unwrap();
    }
    if let Some(pool) = store.postgres_pool() {
        let sql: &[&str] = if refuse {
            &[
                "CREATE FUNCTION refuse_merged() RETURNS trigger LANGUAGE plpgsql
                 AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$",
                "CREATE TRIGGER refuse_merged BEFORE INSERT ON report_events FOR EACH ROW
                 WHEN (NEW.kind = 'merged') EXECUTE FUNCTION refuse_merged()",
            ]
        } else {
            &["DROP TRIGGER refuse_merged ON report_events"]
        };
        for statement in sql {
            sqlx::query(*statement).execute(pool).await.unwrap();
        }
    }
}

store_test!(
    a_merge_marks_the_duplicate_and_records_it_on_the_survivor_together_or_not_at_all,
    |store| {
        seed(&store).await;
        let r = report(Some("baofeng"), PersonLevel::Staff, real_name());
        let (survivor, _) = file(&store, &r).await;
        let (duplicate, _) = file(&store, &r).await;
        let (s, k) = (ReportSettings::default(), keys());
        let merge = async || {
            let action = StaffAction::MarkDuplicate { of: survivor };
            act(&store, &k, &s, duplicate, &wang(), action, monday()).await
        };
        let kinds = async |id: i64| -> Vec<String> {
            let events = store.report_events(id).await.unwrap();
            events.into_iter().map(|e| e.kind).collect()
        };
        let notices_before = store.notice_counts().await.unwrap();

        refuse_merged_rows(&store, true).await;
        assert!(matches!(merge().await, Err(ReportError::Store(_))));
        let record = store.report_record(duplicate).await.unwrap().unwrap();
        assert_eq!(record.status, ReportStatus::Received);
        assert_eq!(record.duplicate_of, None);
        assert_eq!(kinds(duplicate).await, ["received"]);
        assert_eq!(kinds(survivor).await, ["received"]);
        assert_eq!(store.notice_counts().await.unwrap(), notices_before);

        refuse_merged_rows(&store, false).await;
        merge().await.unwrap();
        let record = store.report_record(duplicate).await.unwrap().unwrap();
        assert_eq!(record.status, ReportStatus::Closed);
        assert_eq!(record.duplicate_of, Some(survivor));
        assert_eq!(kinds(duplicate).await, ["received", "duplicate"]);
        assert_eq!(kinds(survivor).await, ["received", "merged"]);
        let merged = store.report_events(survivor).await.unwrap().pop().unwrap();
        assert_eq!(merged.actor, "wang");
        assert_eq!(merged.detail, Some(duplicate.to_string()));
    }
);

store_test!(
    a_report_cannot_be_merged_into_one_that_is_no_longer_open,
    |store| {
        seed(&store).await;
        let r = report(Some("baofeng"), PersonLevel::Staff, real_name());
        let (survivor, _) = file(&store, &r).await;
        let (duplicate, _) = file(&store, &r).await;
        let (s, k) = (ReportSettings::default(), keys());
        let reason = "不属于受理范围".parse::<MessageText>().unwrap();
        let not_accept = StaffAction::NotAccept { reason };
        act(&store, &k, &s, survivor, &wang(), not_accept, monday())
            .await
            .unwrap();

        for of in [survivor, duplicate + 100] {
            let merge = StaffAction::MarkDuplicate { of };
            let refused = act(&store, &k, &s, duplicate, &wang(), merge, monday()).await;
            assert!(
                matches!(refused, Err(ReportError::NotAllowed { id, .. }) if id == of),
                "{refused:?}"
            );
        }
        let record = store.report_record(duplicate).await.unwrap().unwrap();
        assert_eq!(record.status, ReportStatus::Received);
        assert_eq!(record.duplicate_of, None);
        let kinds: Vec<String> = store
            .report_events(duplicate)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, ["received"]);
    }
);
