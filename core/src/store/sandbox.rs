//! Emptying a sandbox database of its people while keeping what the county configured.

use super::{BeginWrite, Store, StoreError, on_pool};

/// Children before parents, so every foreign key is satisfied at each step. Content
/// (regions, categories, desks, campaigns, quiz bank, calendar), staff accounts and their
/// sessions, the audit log (append-only; its report ids are no foreign key) and the report key
/// in `kv_settings` are not listed: they stay.
const PEOPLE_TABLES: &[&str] = &[
    "DELETE FROM deadline_alerts",
    "DELETE FROM notices",
    "DELETE FROM report_events",
    "DELETE FROM report_messages",
    "DELETE FROM report_attachments",
    "DELETE FROM reports",
    "DELETE FROM acknowledgements",
    "DELETE FROM deliveries",
    "DELETE FROM campaign_runs",
    "DELETE FROM quiz_answers",
    "DELETE FROM quiz_polls",
    "DELETE FROM quiz_attempts",
    "DELETE FROM subscribers",
    "DELETE FROM dialogues",
    "DELETE FROM chat_settings",
    "DELETE FROM rate_limits",
];

impl Store {
    /// A sandbox reset: deletes every subscriber, conversation, quiz attempt, report (with its
    /// files, messages, events and notices), campaign run and delivery, in one transaction.
    /// Returns how many rows went. Only `serve --sandbox` offers it; never call it on a
    /// production database.
    pub async fn reset_people(&self) -> Result<u64, StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let mut removed = 0;
            for &statement in PEOPLE_TABLES {
                removed += sqlx::query(statement)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            Ok(removed)
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::Language;
    use crate::testing::{household, subscribe};

    async fn file_a_report(store: &crate::Store) -> i64 {
        use crate::domain::{PersonLevel, Reporter, TrackingCode};
        use crate::reports::intake::{Filing, submit};
        use crate::reports::{ReportKeys, ReportSettings};
        let keys = ReportKeys::load_or_create(store, &crate::crypto::DataKey::generate())
            .await
            .unwrap();
        let report = crate::testing::report(
            Some("baofeng"),
            PersonLevel::Staff,
            Reporter::Anonymous { notify: false },
        );
        let filing = Filing {
            chat_id: 41,
            language: Language::ZhCn,
            report: &report,
            code: &TrackingCode::generate(),
        };
        let settings = ReportSettings::default();
        let filed = submit(store, &keys, &settings, filing, chrono::Utc::now()).await;
        filed.unwrap().id
    }

    crate::store_test!(reset_people_keeps_content_and_staff, |store| {
        crate::content::import_shipped(&store).await.unwrap();
        let hash = "$argon2id$placeholder";
        store
            .create_staff(
                &"sandbox-admin".parse().unwrap(),
                hash,
                &crate::domain::StaffRole::Admin,
            )
            .await
            .unwrap();
        subscribe(&store, [41, 42], Language::ZhCn, &household("baofeng")).await;
        assert!(store.subscriber_by_chat(41).await.unwrap().is_some());
        let id = file_a_report(&store).await;
        assert!(store.report_record(id).await.unwrap().is_some());

        let removed = store.reset_people().await.unwrap();

        assert!(removed >= 2, "{removed}");
        assert!(store.subscriber_by_chat(41).await.unwrap().is_none());
        assert!(store.subscriber_by_chat(42).await.unwrap().is_none());
        assert!(store.report_record(id).await.unwrap().is_none());
        // A second reset finds nothing left to delete.
        assert_eq!(store.reset_people().await.unwrap(), 0);
        assert_eq!(store.townships().await.unwrap().len(), 17);
        assert!(!store.report_categories().await.unwrap().is_empty());
        assert!(store.staff_login("sandbox-admin").await.unwrap().is_some());
    });
}
