//! The conversation state of one chat, persisted (sealed, under a keyed hash of the chat id)
//! after every step, so a restart resumes where the user was.

use qingfeng_core::domain::{Audience, EnterpriseName, Profile, RegionCode, VillageName};
use qingfeng_core::reports::ReportKeys;
use qingfeng_core::{Store, StoreError};
use serde::{Deserialize, Serialize};

use crate::report::ReportDraft;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum State {
    #[default]
    Idle,
    ChoosingAudience,
    ChoosingTownship {
        audience: Audience,
        page: usize,
    },
    ChoosingVillage {
        township: RegionCode,
        page: usize,
    },
    /// "My village is not listed": typing its name, for staff to add it to the list.
    EnteringVillageName {
        township: RegionCode,
    },
    EnteringEnterpriseName {
        township: RegionCode,
    },
    EnteringCreditCode {
        township: RegionCode,
        name: EnterpriseName,
    },
    Confirming {
        profile: Profile,
        /// The village a household typed because the list lacked it.
        #[serde(default)]
        unlisted_village: Option<VillageName>,
    },
    /// Changing one detail of a sign-up from `/me` (the village is changed by choosing it).
    ChangingDetail {
        profile: Profile,
        detail: crate::onboarding::Detail,
        /// The page of the township list.
        page: usize,
    },
    /// Writing a report.
    Reporting {
        draft: Box<ReportDraft>,
    },
    /// `/status` asked for a tracking code.
    AwaitingTrackingCode,
    /// Writing a message to the staff about a report.
    WritingToStaff {
        report_id: i64,
    },
}

impl State {
    /// Confirming a profile chosen from the lists.
    pub fn confirming(profile: Profile) -> State {
        State::Confirming {
            profile,
            unlisted_village: None,
        }
    }
}

/// Loads and saves [`State`] through the store, sealed so no plaintext reaches the database,
/// under the chat's keyed hash rather than its id.
#[derive(Clone)]
pub struct Dialogues {
    store: Store,
    keys: ReportKeys,
    /// A conversation untouched this long may be discarded.
    ttl: chrono::TimeDelta,
}

impl Dialogues {
    pub fn new(store: Store, keys: ReportKeys, ttl: std::time::Duration) -> Self {
        let ttl = chrono::TimeDelta::from_std(ttl).unwrap_or(chrono::TimeDelta::hours(24));
        Dialogues { store, keys, ttl }
    }

    /// A state that cannot be opened (the content key changed) or parsed (an older version)
    /// starts the conversation afresh rather than failing every message.
    pub async fn load(&self, chat_id: i64) -> Result<State, StoreError> {
        let chat = self.keys.chat_key(chat_id);
        let Some(sealed) = self.store.load_dialogue(&chat).await? else {
            return Ok(State::Idle);
        };
        let state = self
            .keys
            .open_dialogue(&chat, &sealed)
            .map_err(|e| e.to_string())
            .and_then(|plain| serde_json::from_slice(&plain).map_err(|e| e.to_string()));
        Ok(state.unwrap_or_else(|reason| {
            tracing::warn!(%reason, "discarding unreadable dialogue state");
            State::Idle
        }))
    }

    pub async fn save(&self, chat_id: i64, state: &State) -> Result<(), StoreError> {
        let chat = self.keys.chat_key(chat_id);
        if *state == State::Idle {
            return self.store.delete_dialogue(&chat).await;
        }
        let plain = serde_json::to_vec(state).expect("State always serialises");
        let expires_at = chrono::Utc::now() + self.ttl;
        self.store
            .save_dialogue(&chat, &self.keys.seal_dialogue(&chat, &plain), expires_at)
            .await
    }

    /// Ends a conversation about a report (filed, abandoned, a message sent to the staff) and
    /// trims SQLite's write-ahead log, so the old versions of its steps leave the disk.
    pub async fn end_report_conversation(&self, chat_id: i64) -> Result<(), StoreError> {
        self.save(chat_id, &State::Idle).await?;
        if !self.store.trim_wal().await? {
            tracing::debug!("the write-ahead log was busy; it is trimmed on a later pass");
        }
        Ok(())
    }
}
