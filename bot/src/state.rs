//! The conversation state of one chat, persisted (sealed with the data key) after every step,
//! so a restart resumes where the user was.

use qingfeng_core::crypto::DataKey;
use qingfeng_core::domain::{Audience, EnterpriseName, Profile, RegionCode};
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
    EnteringEnterpriseName {
        township: RegionCode,
    },
    EnteringCreditCode {
        township: RegionCode,
        name: EnterpriseName,
    },
    Confirming {
        profile: Profile,
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

/// Loads and saves [`State`] through the store, sealed so no plaintext reaches the database.
#[derive(Clone)]
pub struct Dialogues {
    store: Store,
    key: DataKey,
}

fn context(chat_id: i64) -> String {
    format!("dialogue:{chat_id}")
}

impl Dialogues {
    pub fn new(store: Store, key: DataKey) -> Self {
        Dialogues { store, key }
    }

    /// A state that cannot be opened (the data key changed) or parsed (an older version)
    /// starts the conversation afresh rather than failing every message.
    pub async fn load(&self, chat_id: i64) -> Result<State, StoreError> {
        let Some(sealed) = self.store.load_dialogue(chat_id).await? else {
            return Ok(State::Idle);
        };
        let state = self
            .key
            .open(&context(chat_id), &sealed)
            .map_err(|e| e.to_string())
            .and_then(|plain| serde_json::from_slice(&plain).map_err(|e| e.to_string()));
        Ok(state.unwrap_or_else(|reason| {
            tracing::warn!(%reason, "discarding unreadable dialogue state");
            State::Idle
        }))
    }

    pub async fn save(&self, chat_id: i64, state: &State) -> Result<(), StoreError> {
        if *state == State::Idle {
            return self.store.delete_dialogue(chat_id).await;
        }
        let plain = serde_json::to_vec(state).expect("State always serialises");
        self.store
            .save_dialogue(chat_id, &self.key.seal(&context(chat_id), &plain))
            .await
    }
}
