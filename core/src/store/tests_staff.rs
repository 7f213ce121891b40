//! Store tests for staff accounts, sessions and the audit log, on both backends.

use chrono::{TimeDelta, Utc};

use crate::domain::*;
use crate::store::*;
use crate::store_test;

async fn seed(store: &Store) {
    let baofeng = Township {
        code: "baofeng".parse().unwrap(),
        name_zh: "宝丰镇".into(),
        name_en: "Baofeng".into(),
        kind: TownshipKind::Town,
    };
    store.import_regions(&[baofeng], &[]).await.unwrap();
}

store_test!(
    accounts_lock_sessions_expire_and_the_audit_log_is_append_only,
    |store| {
        seed(&store).await;
        let name: Username = "li.ming".parse().unwrap();
        let role = StaffRole::Township("baofeng".parse().unwrap());
        assert!(store.create_staff(&name, "hash-1", &role).await.unwrap());
        assert!(
            !store
                .create_staff(&name, "hash-2", &StaffRole::Admin)
                .await
                .unwrap(),
            "taken"
        );
        let login = store.staff_login("li.ming").await.unwrap().unwrap();
        assert_eq!(login.staff.role, role);
        assert_eq!(login.password_hash, "hash-1");

        let until = Utc::now() + TimeDelta::minutes(15);
        for _ in 0..2 {
            store
                .record_failed_login(login.staff.id, 3, until)
                .await
                .unwrap();
        }
        assert!(
            store
                .staff_login("li.ming")
                .await
                .unwrap()
                .unwrap()
                .locked_until
                .is_none()
        );
        store
            .record_failed_login(login.staff.id, 3, until)
            .await
            .unwrap();
        let locked = store.staff_login("li.ming").await.unwrap().unwrap();
        assert_eq!(locked.failed_logins, 3);
        assert!(locked.locked_until.is_some());
        store.clear_failed_logins(login.staff.id).await.unwrap();
        assert_eq!(
            store
                .staff_login("li.ming")
                .await
                .unwrap()
                .unwrap()
                .failed_logins,
            0
        );

        let now = Utc::now();
        store
            .create_session(
                "token-hash",
                login.staff.id,
                "csrf",
                now + TimeDelta::hours(8),
            )
            .await
            .unwrap();
        let (staff, csrf) = store.session("token-hash", now).await.unwrap().unwrap();
        assert_eq!(
            (staff.username.as_str(), csrf.as_str()),
            ("li.ming", "csrf")
        );
        assert!(
            store
                .session("token-hash", now + TimeDelta::hours(9))
                .await
                .unwrap()
                .is_none(),
            "expired"
        );
        store
            .set_staff_password(login.staff.id, "hash-3")
            .await
            .unwrap();
        assert!(
            store.session("token-hash", now).await.unwrap().is_none(),
            "a new password ends sessions"
        );

        store
            .audit("li.ming", "report.view", Some(7), None)
            .await
            .unwrap();
        store
            .audit("li.ming", "report.accept", Some(7), Some("ok"))
            .await
            .unwrap();
        let log = store.audit_log(10, 0).await.unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[0].action, "report.accept");
        let pool_err = match (store.sqlite_pool(), store.postgres_pool()) {
            (Some(pool), _) => {
                sqlx::query("DELETE FROM audit_log")
                    .execute(pool)
                    .await
                    .is_err()
                    && sqlx::query("UPDATE audit_log SET action = 'x'")
                        .execute(pool)
                        .await
                        .is_err()
            }
            (_, Some(pool)) => {
                sqlx::query("DELETE FROM audit_log")
                    .execute(pool)
                    .await
                    .is_err()
                    && sqlx::query("UPDATE audit_log SET action = 'x'")
                        .execute(pool)
                        .await
                        .is_err()
            }
            _ => false,
        };
        assert!(pool_err, "the audit log refuses changes and deletions");
        assert_eq!(store.audit_log(10, 0).await.unwrap().len(), 2);
    }
);
