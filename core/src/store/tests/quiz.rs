//! Store tests for quizzes, on both backends.

use crate::domain::*;
use crate::store::*;
use crate::store_test;

fn question(id: &str, audience: Option<Audience>) -> QuizQuestion {
    let text = |s: &str| LocalizedText {
        zh: s.into(),
        en: s.into(),
    };
    QuizQuestion {
        id: id.parse().unwrap(),
        topics: vec!["reporting".into()],
        audience,
        question: text("?"),
        options: vec![text("a"), text("b")],
        answer: 1,
        explanation: text("because"),
        source: text("rule"),
    }
}

async fn subscriber(store: &Store, chat_id: i64, township: &str, enterprise: Option<&str>) -> i64 {
    let township: RegionCode = township.parse().unwrap();
    let profile = match enterprise {
        Some(name) => Profile::Enterprise {
            township,
            name: EnterpriseName::parse(name).unwrap(),
            credit_code: None,
        },
        None => Profile::Household {
            township,
            village: None,
        },
    };
    store
        .upsert_subscriber(&NewSubscriber {
            chat_id,
            language: Language::ZhCn,
            profile,
        })
        .await
        .unwrap()
        .id
}

async fn seed(store: &Store) {
    let township = |c: &str| Township {
        code: c.parse().unwrap(),
        name: LocalizedText::new(c, c),
        kind: TownshipKind::Town,
    };
    store
        .import_regions(&[township("baofeng"), township("majiadu")], &[])
        .await
        .unwrap();
    let bank = [
        question("q1", None),
        question("q2", None),
        question("q3", Some(Audience::Enterprise)),
        question("q4", Some(Audience::Household)),
    ];
    store.import_questions(&bank, true).await.unwrap();
}

fn ids(list: &[&str]) -> Vec<QuestionId> {
    list.iter().map(|s| s.parse().unwrap()).collect()
}

store_test!(
    the_bank_filters_by_audience_and_retires_on_directory_import,
    |store| {
        seed(&store).await;
        let enterprise: Vec<String> = store
            .questions_for(Audience::Enterprise)
            .await
            .unwrap()
            .into_iter()
            .map(|q| q.id.to_string())
            .collect();
        assert_eq!(enterprise, ["q1", "q2", "q3"]);
        assert_eq!(
            store
                .import_questions(&[question("q1", None)], true)
                .await
                .unwrap(),
            3
        );
        assert_eq!(
            store
                .questions_for(Audience::Household)
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            store
                .import_questions(&[question("q2", None)], false)
                .await
                .unwrap(),
            0,
            "a single file adds"
        );
        assert_eq!(
            store
                .questions_for(Audience::Household)
                .await
                .unwrap()
                .len(),
            2
        );
        assert!(
            store
                .question(&"q4".parse().unwrap())
                .await
                .unwrap()
                .is_some(),
            "retired questions stay readable"
        );
    }
);

store_test!(
    answers_count_once_and_only_for_the_current_question,
    |store| {
        seed(&store).await;
        let sub = subscriber(&store, 10, "baofeng", None).await;
        let attempt = store
            .start_attempt(sub, 10, "2026-W10", &ids(&["q1", "q2"]))
            .await
            .unwrap();
        assert!(attempt.ranked && !attempt.finished && attempt.position == 0);
        assert_eq!(
            store.open_attempt(10).await.unwrap().unwrap().id,
            attempt.id
        );

        assert_eq!(
            store.record_answer(attempt.id, 1, 1, true).await.unwrap(),
            AnswerOutcome::NotCurrent,
            "not yet"
        );
        let AnswerOutcome::Recorded {
            attempt: after,
            correct,
        } = store.record_answer(attempt.id, 0, 1, true).await.unwrap()
        else {
            panic!()
        };
        assert!(correct);
        assert_eq!((after.position, after.score), (1, 1));
        assert_eq!(
            store.record_answer(attempt.id, 0, 0, false).await.unwrap(),
            AnswerOutcome::AlreadyAnswered,
            "a second press"
        );
        let AnswerOutcome::Recorded { attempt: done, .. } =
            store.record_answer(attempt.id, 1, 0, false).await.unwrap()
        else {
            panic!()
        };
        assert!(done.finished);
        assert_eq!(done.score, 1);
        assert_eq!(
            store.record_answer(attempt.id, 1, 1, true).await.unwrap(),
            AnswerOutcome::AlreadyAnswered
        );
        assert!(store.open_attempt(10).await.unwrap().is_none());
        assert_eq!(store.attempt(attempt.id).await.unwrap().unwrap().score, 1);

        let second = store
            .start_attempt(sub, 10, "2026-W10", &ids(&["q2"]))
            .await
            .unwrap();
        assert!(
            !second.ranked,
            "only the first attempt in a period is ranked"
        );
        assert!(
            store
                .start_attempt(sub, 10, "2026-W11", &ids(&["q2"]))
                .await
                .unwrap()
                .ranked
        );

        let since = chrono::Utc::now() - chrono::Duration::days(1);
        let mut recent = store.recent_question_ids(sub, since).await.unwrap();
        recent.sort();
        assert_eq!(recent, ["q1", "q2"]);
        let rates = store.question_rates().await.unwrap();
        assert_eq!(
            rates
                .iter()
                .map(|r| (r.question_id.as_str(), r.answers, r.correct))
                .collect::<Vec<_>>(),
            [("q1", 1, 1), ("q2", 1, 0)]
        );

        store.save_poll("poll-1", second.id, 0).await.unwrap();
        assert_eq!(store.poll("poll-1").await.unwrap(), Some((second.id, 0)));
        assert_eq!(store.poll("nope").await.unwrap(), None);
    }
);

store_test!(leaderboards_rank_ranked_finished_attempts, |store| {
    seed(&store).await;
    let finish = async |chat: i64, township: &str, enterprise: Option<&str>, correct: &[bool]| {
        let sub = subscriber(&store, chat, township, enterprise).await;
        let questions: Vec<QuestionId> = (0..correct.len())
            .map(|i| format!("q{}", i + 1).parse().unwrap())
            .collect();
        let attempt = store
            .start_attempt(sub, chat, "2026-11", &questions)
            .await
            .unwrap();
        for (position, c) in correct.iter().enumerate() {
            store
                .record_answer(attempt.id, position, 0, *c)
                .await
                .unwrap();
        }
        sub
    };
    let a = finish(1, "baofeng", Some("甲实业公司"), &[true, true]).await;
    let b = finish(2, "baofeng", Some("乙实业公司"), &[true, false]).await;
    finish(3, "majiadu", None, &[true, true]).await;
    finish(4, "majiadu", None, &[true, true]).await;
    // Unfinished and unranked attempts do not count.
    let c = subscriber(&store, 5, "baofeng", None).await;
    store
        .start_attempt(c, 5, "2026-11", &ids(&["q1", "q2"]))
        .await
        .unwrap();

    let first = store.standing(a, "2026-11").await.unwrap().unwrap();
    assert_eq!(
        (first.score, first.total, first.rank, first.participants),
        (2, 2, 1, 2)
    );
    let second = store.standing(b, "2026-11").await.unwrap().unwrap();
    assert_eq!(
        (
            second.rank,
            second.participants,
            second.township_code.as_str()
        ),
        (2, 2, "baofeng")
    );
    assert!(store.standing(c, "2026-11").await.unwrap().is_none());
    assert!(store.standing(a, "2026-12").await.unwrap().is_none());

    let townships = store.township_leaderboard("2026-11").await.unwrap();
    assert_eq!(
        townships
            .iter()
            .map(|t| (t.township_code.as_str(), t.participants))
            .collect::<Vec<_>>(),
        [("majiadu", 2), ("baofeng", 2)]
    );
    assert!(
        (townships[0].average - 1.0).abs() < 1e-9 && (townships[1].average - 0.75).abs() < 1e-9
    );
    let enterprises = store.enterprise_leaderboard("2026-11", 10).await.unwrap();
    assert_eq!(
        enterprises
            .iter()
            .map(|e| (e.enterprise_name.as_str(), e.score))
            .collect::<Vec<_>>(),
        [("甲实业公司", 2), ("乙实业公司", 1)]
    );
});
