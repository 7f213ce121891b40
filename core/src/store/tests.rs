//! The store suite: every test runs on SQLite and on PostgreSQL.

use crate::domain::*;
use crate::store::Store;
use crate::store_test;

fn code(s: &str) -> RegionCode {
    s.parse().unwrap()
}

fn township(c: &str, zh: &str) -> Township {
    Township {
        code: code(c),
        name: LocalizedText::new(zh, format!("{c} Town")),
        kind: TownshipKind::Town,
    }
}

fn village(t: &str, c: &str, zh: &str) -> Village {
    Village {
        township: code(t),
        code: code(c),
        name: LocalizedText::new(zh, format!("{c} Village")),
    }
}

fn fixture_regions() -> (Vec<Township>, Vec<Village>) {
    let townships = vec![
        township("baofeng", "宝丰镇"),
        township("majiadu", "麻家渡镇"),
    ];
    let villages = vec![
        village("baofeng", "longjing", "龙井村"),
        village("majiadu", "luojiapo", "罗家坡村"),
    ];
    (townships, villages)
}

async fn seed(store: &Store) {
    let (townships, villages) = fixture_regions();
    store.import_regions(&townships, &villages).await.unwrap();
}

fn household(chat_id: i64, village: Option<&str>) -> NewSubscriber {
    NewSubscriber {
        chat_id,
        language: Language::ZhCn,
        profile: Profile::Household {
            township: code("baofeng"),
            village: village.map(code),
        },
    }
}

store_test!(migrations_are_idempotent, |store| {
    assert_eq!(
        store.migrate().await.unwrap(),
        0,
        "a second migrate applies nothing"
    );
});

store_test!(
    region_import_is_idempotent_and_retires_missing_regions,
    |store| {
        seed(&store).await;
        let (townships, villages) = fixture_regions();
        let again = store.import_regions(&townships, &villages).await.unwrap();
        assert_eq!((again.townships, again.villages, again.retired), (2, 2, 0));
        let names: Vec<String> = store
            .townships()
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.name.zh)
            .collect();
        assert_eq!(names, ["宝丰镇", "麻家渡镇"]);

        // Drop 麻家渡镇 and its village, add 城关镇 first: order follows the file.
        let changed = store
            .import_regions(
                &[
                    township("chengguan", "城关镇"),
                    township("baofeng", "宝丰镇"),
                ],
                &[village("baofeng", "longjing", "龙井村")],
            )
            .await
            .unwrap();
        assert_eq!(changed.retired, 2);
        let codes: Vec<String> = store
            .townships()
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.code.to_string())
            .collect();
        assert_eq!(codes, ["chengguan", "baofeng"]);
        let (retired, active) = store.township(&code("majiadu")).await.unwrap().unwrap();
        assert_eq!((retired.name.zh.as_str(), active), ("麻家渡镇", false));
        assert!(store.villages(&code("majiadu")).await.unwrap().is_empty());
        assert!(store.township(&code("nowhere")).await.unwrap().is_none());
    }
);

store_test!(subscribers_upsert_stop_and_resubscribe, |store| {
    seed(&store).await;
    let first = store
        .upsert_subscriber(&household(42, Some("longjing")))
        .await
        .unwrap();
    assert!(first.active);
    assert_eq!(
        first.profile,
        Profile::Household {
            township: code("baofeng"),
            village: Some(code("longjing"))
        }
    );

    assert!(store.set_subscriber_active(42, false).await.unwrap());
    assert!(!store.subscriber_by_chat(42).await.unwrap().unwrap().active);
    assert!(
        !store.set_subscriber_active(7, false).await.unwrap(),
        "no such subscriber"
    );

    let enterprise = NewSubscriber {
        chat_id: 42,
        language: Language::En,
        profile: Profile::Enterprise {
            township: code("majiadu"),
            name: EnterpriseName::parse("竹山县绿松石工艺品有限公司").unwrap(),
            credit_code: Some("914403001922038216".parse().unwrap()),
        },
    };
    let again = store.upsert_subscriber(&enterprise).await.unwrap();
    assert_eq!(again.id, first.id, "one subscription per chat");
    assert!(again.active);
    assert_eq!(again.profile, enterprise.profile);
    assert_eq!(again.language, Language::En);
    assert_eq!(
        store
            .count_active_subscribers(Audience::Enterprise)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .count_active_subscribers(Audience::Household)
            .await
            .unwrap(),
        0
    );
});

store_test!(the_schema_refuses_unknown_regions, |store| {
    seed(&store).await;
    let mut bad = household(5, Some("longjing"));
    bad.profile = Profile::Household {
        township: code("majiadu"),
        village: Some(code("longjing")),
    };
    assert!(
        store.upsert_subscriber(&bad).await.is_err(),
        "village of another township"
    );
    bad.profile = Profile::Household {
        township: code("nowhere"),
        village: None,
    };
    assert!(
        store.upsert_subscriber(&bad).await.is_err(),
        "unknown township"
    );
    assert!(store.subscriber_by_chat(5).await.unwrap().is_none());
});

store_test!(
    language_choice_is_kept_and_follows_the_subscriber,
    |store| {
        seed(&store).await;
        let chat = ChatKey::new("chat-42".into());
        assert_eq!(store.chosen_language(&chat).await.unwrap(), None);
        store.upsert_subscriber(&household(42, None)).await.unwrap();
        store
            .choose_language(&chat, 42, Language::En)
            .await
            .unwrap();
        assert_eq!(
            store.chosen_language(&chat).await.unwrap(),
            Some(Language::En)
        );
        assert_eq!(
            store
                .subscriber_by_chat(42)
                .await
                .unwrap()
                .unwrap()
                .language,
            Language::En
        );
        store
            .choose_language(&chat, 42, Language::ZhCn)
            .await
            .unwrap();
        assert_eq!(
            store.chosen_language(&chat).await.unwrap(),
            Some(Language::ZhCn)
        );
    }
);

store_test!(dialogue_state_round_trips_as_bytes_and_expires, |store| {
    let chat = ChatKey::new("chat-9".into());
    let other = ChatKey::new("chat-10".into());
    let at = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    assert_eq!(store.load_dialogue(&chat).await.unwrap(), None);
    let later = at("2026-12-02T10:20:30Z");
    store
        .save_dialogue(&chat, &[0, 1, 2, 255], later)
        .await
        .unwrap();
    store.save_dialogue(&chat, &[3, 4], later).await.unwrap();
    store
        .save_dialogue(&other, &[5], at("2026-12-01T08:00:00Z"))
        .await
        .unwrap();
    assert_eq!(store.load_dialogue(&chat).await.unwrap(), Some(vec![3, 4]));
    // Expiry is kept to the hour (10:20:30 → 11:00); only rows past it are purged.
    assert_eq!(
        store
            .purge_dialogues(at("2026-12-02T10:59:59Z"))
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.load_dialogue(&other).await.unwrap(), None);
    assert_eq!(store.load_dialogue(&chat).await.unwrap(), Some(vec![3, 4]));
    store.delete_dialogue(&chat).await.unwrap();
    assert_eq!(store.load_dialogue(&chat).await.unwrap(), None);
    assert!(store.trim_wal().await.unwrap());
});

mod outbox;
mod quiz;
mod staff;
