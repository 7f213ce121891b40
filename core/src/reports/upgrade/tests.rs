//! A database as the first key schedule left it, upgraded: every value opens under the new
//! keys and contexts, conversations and language choices move to keyed rows, old tracking codes
//! still work, and nothing of v1 is left behind.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{TimeDelta, Utc};

use super::super::follow_up::{Lookup, lookup};
use super::super::intake::{Filing, submit};
use super::super::notices::{NoticeBody, Recipient};
use super::super::{ReportKeys, ReportSettings, view};
use crate::crypto::{DataKey, RootKey};
use crate::domain::*;
use crate::store::{
    MessageKind, NewReportRow, NoticeKind, ReportChange, SealedAttachment, SealedMessage,
    StatusChange, Store,
};
use crate::store_test;

const DATA_KEY: [u8; 32] = [11; 32];
const CONTENT_KEY: [u8; 32] = [12; 32];
const CHAT: i64 = 5_550_123;

fn json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

async fn seed(store: &Store) {
    crate::testing::import_shipped(store, &crate::testing::REPORT_CONTENT).await;
}

/// What v1 wrote for one anonymous report with a reply address, a photo, a staff reply and a
/// queued notice, a staff account with TOTP, a conversation and a language choice.
async fn write_v1_database(store: &Store) -> (TrackingCode, i64, i64) {
    let (data_key, root) = (
        DataKey::from_bytes(DATA_KEY),
        RootKey::from_bytes(CONTENT_KEY),
    );
    let code = TrackingCode::generate();
    let hash = root
        .signer_v1("report-lookup", 32)
        .tag(&format!("code:{}", code.canonical()));
    let report = crate::testing::report(
        Some("baofeng"),
        PersonLevel::Staff,
        Reporter::Anonymous { notify: true },
    );
    let recipient = Recipient {
        chat_id: CHAT,
        language: Language::ZhCn,
    };
    let now = Utc::now();
    let row = NewReportRow {
        code_hash: hash.clone(),
        category: report.category.clone(),
        township: report.township.clone(),
        level: PersonLevel::Staff,
        desk: "baofeng".parse().unwrap(),
        higher_body: None,
        anonymous: true,
        received_at: now,
        acceptance_due: now.date_naive(),
        forward_due: now.date_naive(),
        body: root.seal_v1(&format!("report.body:{hash}"), &json(&report.body)),
        reporter: None,
        reply_address: Some(root.seal_v1("recipient", &json(&recipient))),
        attachments: vec![SealedAttachment {
            kind: EvidenceKind::Photo,
            size: Some(10),
            file: root.seal_v1(
                &format!("report.attachment:{hash}"),
                &json(&report.evidence[0]),
            ),
        }],
        quota: None,
    };
    let id = match store.file_report(&row, |_| Vec::new()).await.unwrap() {
        crate::store::Filed::New(id) => id,
        other => panic!("{other:?}"),
    };
    let reply = ReportChange {
        report_id: id,
        actor: "wang".into(),
        change: StatusChange::Keep,
        event: "replied",
        detail: None,
        message: Some(SealedMessage {
            kind: MessageKind::StaffPublic,
            staff: Some("wang".into()),
            body: root.seal_v1(&format!("report.message:{id}"), &json(&"请补充材料")),
        }),
        notices: Vec::new(),
        audit: None,
        linked: None,
        at: now,
    };
    store.apply_report_change(&reply).await.unwrap();
    let body = NoticeBody::new(
        "report-notice-reply",
        &[("id", id.to_string()), ("text", "请补充材料".into())],
        true,
    );
    let pool_sql = "INSERT INTO notices (kind, recipient, body, status, attempts, next_attempt_at,
                                         created_at)
                    VALUES ('reporter', $1, $2, 'queued', 0, $3, $3)";
    let (v1_recipient, v1_body) = (
        root.seal_v1("recipient", &json(&recipient)),
        root.seal_v1("notice.body", &json(&body)),
    );
    let name: Username = "li.ming".parse().unwrap();
    store
        .create_staff(&name, "hash", &StaffRole::Admin)
        .await
        .unwrap();
    let staff_id = store
        .staff_login("li.ming")
        .await
        .unwrap()
        .unwrap()
        .staff
        .id;
    let totp = STANDARD.encode(root.seal_v1(&format!("totp:{staff_id}"), &json(&"JBSWY3DP")));
    store.set_staff_totp(staff_id, Some(&totp)).await.unwrap();
    let wrapped = STANDARD.encode(data_key.seal_v1("report-key", &CONTENT_KEY));
    let dialogue = data_key.seal_v1(&format!("dialogue:{CHAT}"), br#"{"step":"idle"}"#);
    macro_rules! v1_rows {
        ($pool:expr) => {{
            sqlx::query(pool_sql)
                .bind(&v1_recipient)
                .bind(&v1_body)
                .bind(now)
                .execute($pool)
                .await
                .unwrap();
            sqlx::query("INSERT INTO kv_settings (key, value, updated_at) VALUES ('reports.key', $1, $2)")
                .bind(&wrapped)
                .bind(now)
                .execute($pool)
                .await
                .unwrap();
            sqlx::query("INSERT INTO dialogues_v1 (chat_id, state, updated_at) VALUES ($1, $2, $3)")
                .bind(CHAT)
                .bind(&dialogue)
                .bind(now)
                .execute($pool)
                .await
                .unwrap();
            sqlx::query("INSERT INTO chat_settings_v1 (chat_id, language, updated_at) VALUES ($1, 'en', $2)")
                .bind(CHAT)
                .bind(now)
                .execute($pool)
                .await
                .unwrap();
        }};
    }
    match (store.sqlite_pool(), store.postgres_pool()) {
        (Some(pool), _) => v1_rows!(pool),
        (_, Some(pool)) => v1_rows!(pool),
        _ => unreachable!(),
    }
    (code, id, staff_id)
}

async fn table_exists(store: &Store, table: &str) -> bool {
    let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"));
    match (store.sqlite_pool(), store.postgres_pool()) {
        (Some(pool), _) => sqlx::query(sql).execute(pool).await.is_ok(),
        (_, Some(pool)) => sqlx::query(sql).execute(pool).await.is_ok(),
        _ => unreachable!(),
    }
}

store_test!(a_v1_database_is_upgraded_whole, |store| {
    seed(&store).await;
    let (code, id, staff_id) = write_v1_database(&store).await;
    let data_key = DataKey::from_bytes(DATA_KEY);
    // The wrong key changes nothing.
    assert!(
        ReportKeys::load_or_create(&store, &DataKey::from_bytes([99; 32]))
            .await
            .is_err()
    );
    assert!(table_exists(&store, "dialogues_v1").await);

    let keys = ReportKeys::load_or_create(&store, &data_key).await.unwrap();
    let s = ReportSettings::default();
    // The old tracking code still finds its report; content, evidence and messages open.
    let found = lookup(&store, &keys, &s, 1, Language::ZhCn, &code, Utc::now())
        .await
        .unwrap();
    let Lookup::Found(found) = found else {
        panic!("the v1 code is not found: {found:?}");
    };
    assert_eq!(found.record.id, id);
    assert_eq!(found.messages[0].1, "请补充材料");
    let opened = view::open(&store, &keys, id).await.unwrap();
    assert!(opened.body.unwrap().description.as_str().contains("购物卡"));
    assert_eq!(opened.evidence.len(), 1);
    assert!(opened.reachable);
    // The queued notice is bound to its report now and opens for the worker.
    let claimed = store.claim_notices(Utc::now(), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let hash = claimed[0]
        .code_hash
        .as_deref()
        .expect("bound to its report");
    let recipient = keys
        .open_recipient(
            hash,
            NoticeKind::Reporter,
            claimed[0].recipient.as_ref().unwrap(),
        )
        .unwrap();
    assert_eq!(recipient.chat_id, CHAT);
    // The second factor, the conversation and the language choice survive.
    let sealed = store
        .staff_login("li.ming")
        .await
        .unwrap()
        .unwrap()
        .totp_secret
        .unwrap();
    assert_eq!(
        keys.open_staff_secret(staff_id, &sealed).as_deref(),
        Some("JBSWY3DP")
    );
    let chat = keys.chat_key(CHAT);
    let state = store.load_dialogue(&chat).await.unwrap().unwrap();
    assert_eq!(
        keys.open_dialogue(&chat, &state).unwrap(),
        br#"{"step":"idle"}"#
    );
    assert_eq!(
        store.chosen_language(&chat).await.unwrap(),
        Some(Language::En)
    );
    // Nothing of v1 remains: the old tables, the old wrapped key, values sealed by the root.
    assert!(!table_exists(&store, "dialogues_v1").await);
    assert!(!table_exists(&store, "chat_settings_v1").await);
    assert!(store.kv_get("reports.key").await.unwrap().is_none());
    let root = RootKey::from_bytes(CONTENT_KEY);
    let report = store.sealed_report(id).await.unwrap().unwrap();
    assert!(
        root.open_v1(
            &format!("report.body:{hash}"),
            report.body.as_deref().unwrap()
        )
        .is_err()
    );

    // Later starts find the upgraded database; new reports get v2 code hashes.
    let again = ReportKeys::load_or_create(&store, &data_key).await.unwrap();
    let fresh_code = TrackingCode::generate();
    let fresh = crate::testing::report(
        Some("baofeng"),
        PersonLevel::Staff,
        Reporter::Anonymous { notify: false },
    );
    let filing = Filing {
        chat_id: 2,
        language: Language::ZhCn,
        report: &fresh,
        code: &fresh_code,
    };
    let filed = submit(
        &store,
        &again,
        &s,
        filing,
        Utc::now() + TimeDelta::seconds(1),
    )
    .await
    .unwrap();
    let record = store.report_record(filed.id).await.unwrap().unwrap();
    assert_eq!(record.code_hash, again.code_hash(&fresh_code));
    assert_eq!(
        again.code_hashes(&code).len(),
        2,
        "v1 codes are still tried"
    );
});

store_test!(a_new_database_starts_on_the_current_schedule, |store| {
    let data_key = DataKey::from_bytes(DATA_KEY);
    let keys = ReportKeys::load_or_create(&store, &data_key).await.unwrap();
    assert!(!table_exists(&store, "dialogues_v1").await);
    let code = TrackingCode::generate();
    assert_eq!(keys.code_hashes(&code).len(), 1, "no v1 codes to try");
    let again = ReportKeys::load_or_create(&store, &data_key).await.unwrap();
    assert_eq!(again.code_hash(&code), keys.code_hash(&code));
});
