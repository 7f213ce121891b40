//! Store tests for staff accounts, sessions and the audit log, on both backends.

use chrono::{DurationRound, TimeDelta, Utc};

use crate::domain::*;
use crate::store::*;
use crate::store_test;

async fn seed(store: &Store) {
    let baofeng = Township {
        code: "baofeng".parse().unwrap(),
        name: LocalizedText::new("宝丰镇", "Baofeng"),
        kind: TownshipKind::Town,
    };
    store.import_regions(&[baofeng], &[]).await.unwrap();
}

store_test!(
    accounts_sessions_expire_and_the_audit_log_is_append_only,
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

const POLICY: SignInPolicy = SignInPolicy {
    failures: 3,
    lock_for: TimeDelta::minutes(15),
    forget_after: TimeDelta::hours(1),
};

store_test!(
    sign_in_attempts_are_reserved_lock_after_the_limit_and_start_afresh,
    |store| {
        // Whole seconds: PostgreSQL keeps microseconds, so the lock's end reads back exactly.
        let t0 = Utc::now().duration_trunc(TimeDelta::seconds(1)).unwrap();
        for _ in 0..3 {
            assert_eq!(
                store.reserve_sign_in("name-a", POLICY, t0).await.unwrap(),
                SignInSlot::Granted
            );
        }
        // The fourth attempt is refused unchecked and locks the name.
        let locked = store.reserve_sign_in("name-a", POLICY, t0).await.unwrap();
        assert_eq!(
            locked,
            SignInSlot::Locked {
                until: t0 + POLICY.lock_for
            }
        );
        let during = t0 + TimeDelta::minutes(14);
        assert_eq!(
            store
                .reserve_sign_in("name-a", POLICY, during)
                .await
                .unwrap(),
            locked,
            "the lock does not move while it lasts"
        );
        // Once the lock has run out, one wrong password does not lock again (the count
        // starts afresh): three more attempts are granted.
        let after = t0 + TimeDelta::minutes(16);
        for _ in 0..3 {
            assert_eq!(
                store
                    .reserve_sign_in("name-a", POLICY, after)
                    .await
                    .unwrap(),
                SignInSlot::Granted
            );
        }
        // Other names are not affected; success clears; old failures are forgotten.
        assert_eq!(
            store
                .reserve_sign_in("name-b", POLICY, after)
                .await
                .unwrap(),
            SignInSlot::Granted
        );
        store.clear_sign_in_failures("name-a").await.unwrap();
        for _ in 0..3 {
            assert_eq!(
                store
                    .reserve_sign_in("name-a", POLICY, after)
                    .await
                    .unwrap(),
                SignInSlot::Granted
            );
        }
        let much_later = after + TimeDelta::hours(2);
        assert_eq!(
            store
                .reserve_sign_in("name-a", POLICY, much_later)
                .await
                .unwrap(),
            SignInSlot::Granted,
            "failures older than an hour are forgotten"
        );
    }
);

store_test!(concurrent_guesses_never_get_more_than_the_limit, |store| {
    let now = Utc::now();
    // Collected, so all 40 are spawned before any is awaited.
    let attempts: Vec<_> = (0..40)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.reserve_sign_in("target", POLICY, now).await })
        })
        .collect();
    let mut granted = 0;
    for attempt in attempts {
        if attempt.await.unwrap().unwrap() == SignInSlot::Granted {
            granted += 1;
        }
    }
    assert_eq!(granted, POLICY.failures);
});

store_test!(a_totp_step_is_accepted_once, |store| {
    seed(&store).await;
    let name: Username = "wang.fang".parse().unwrap();
    store
        .create_staff(&name, "hash", &StaffRole::Admin)
        .await
        .unwrap();
    let id = store
        .staff_login("wang.fang")
        .await
        .unwrap()
        .unwrap()
        .staff
        .id;
    assert!(store.accept_totp_step(id, 100).await.unwrap());
    assert!(!store.accept_totp_step(id, 100).await.unwrap(), "replayed");
    assert!(!store.accept_totp_step(id, 99).await.unwrap(), "older");
    assert!(store.accept_totp_step(id, 101).await.unwrap());
    store.set_staff_totp(id, Some("new-secret")).await.unwrap();
    assert!(
        store.accept_totp_step(id, 101).await.unwrap(),
        "a new secret starts afresh"
    );
});
