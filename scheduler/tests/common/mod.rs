//! Shared fixtures: regions, subscribers and campaigns in a fresh store.

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use qingfeng_core::Store;
use qingfeng_core::domain::*;

pub fn code(s: &str) -> RegionCode {
    s.parse().unwrap()
}

pub fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// 宝丰镇 and 麻家渡镇; `enterprises` enterprise subscribers in 宝丰镇 (chat ids from 1) and
/// `households` household subscribers in 麻家渡镇 (chat ids from 1001).
pub async fn seed(store: &Store, enterprises: i64, households: i64) {
    use qingfeng_core::testing::{household, subscribe, township};
    store
        .import_regions(
            &[
                township("baofeng", "宝丰镇"),
                township("majiadu", "麻家渡镇"),
            ],
            &[],
        )
        .await
        .unwrap();
    let enterprise = Profile::Enterprise {
        township: code("baofeng"),
        name: EnterpriseName::parse("某某公司").unwrap(),
        credit_code: None,
    };
    subscribe(store, 1..=enterprises, Language::ZhCn, &enterprise).await;
    let households_range = 1001..1001 + households;
    subscribe(store, households_range, Language::En, &household("majiadu")).await;
}

pub fn campaign(id: &str, audience: Option<Audience>, schedule: Schedule) -> Campaign {
    let mut campaign = qingfeng_core::testing::campaign(
        id,
        "{township}的企业：第一条",
        "Businesses of {township}: first",
    );
    campaign.messages.push(LocalizedText {
        zh: "第二条".into(),
        en: "second".into(),
    });
    Campaign {
        audience,
        schedule,
        acknowledge: true,
        ..campaign
    }
}
