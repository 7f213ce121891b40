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
    let township = |c: &str, zh: &str| Township {
        code: code(c),
        name_zh: zh.into(),
        name_en: format!("{c} Town"),
        kind: TownshipKind::Town,
    };
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
    for chat_id in 1..=enterprises {
        let profile = Profile::Enterprise {
            township: code("baofeng"),
            name: EnterpriseName::parse("某某公司").unwrap(),
            credit_code: None,
        };
        store
            .upsert_subscriber(&NewSubscriber {
                chat_id,
                language: Language::ZhCn,
                profile,
            })
            .await
            .unwrap();
    }
    for chat_id in 1001..1001 + households {
        let profile = Profile::Household {
            township: code("majiadu"),
            village: None,
        };
        store
            .upsert_subscriber(&NewSubscriber {
                chat_id,
                language: Language::En,
                profile,
            })
            .await
            .unwrap();
    }
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
