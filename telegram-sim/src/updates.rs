//! The update queue and `getUpdates` (offsets, `allowed_updates`, long polling).

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::{Value, json};

use crate::params::Params;
use crate::state::Inner;

/// The longest long poll the simulator honours, in seconds.
const MAX_TIMEOUT_SECS: u64 = 50;

/// One update not yet confirmed by an offset.
struct Pending {
    id: i64,
    kind: &'static str,
    payload: Value,
}

/// Updates waiting for the bot. Ids start at 1 and only grow; an update with
/// id < a received `offset` is confirmed and gone for good.
#[derive(Default)]
pub struct UpdateQueue {
    pending: VecDeque<Pending>,
    last_id: i64,
    /// From the getUpdates call that carried `allowed_updates`; `None` = all kinds.
    allowed: Option<Vec<String>>,
}

impl UpdateQueue {
    /// Queues an update of `kind` (`"message"`, `"callback_query"`, ...); returns its id.
    pub fn push(&mut self, kind: &'static str, payload: Value) -> i64 {
        self.last_id += 1;
        self.pending.push_back(Pending {
            id: self.last_id,
            kind,
            payload,
        });
        self.last_id
    }

    /// Drops every update with id < `offset`.
    pub fn confirm(&mut self, offset: i64) {
        self.pending.retain(|u| u.id >= offset);
    }

    pub fn set_allowed(&mut self, kinds: &[Value]) {
        let kinds: Vec<String> = kinds
            .iter()
            .filter_map(|k| k.as_str().map(str::to_owned))
            .collect();
        self.allowed = (!kinds.is_empty()).then_some(kinds);
    }

    /// Drops the kinds the bot did not ask for (Telegram never stores them), then
    /// returns up to `limit` updates as JSON, leaving them pending.
    pub fn deliverable(&mut self, limit: usize) -> Vec<Value> {
        if let Some(allowed) = &self.allowed {
            self.pending
                .retain(|u| allowed.iter().any(|kind| kind == u.kind));
        }
        self.pending
            .iter()
            .take(limit)
            .map(|u| {
                let mut update = json!({ "update_id": u.id });
                update[u.kind] = u.payload.clone();
                update
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn clear(&mut self) {
        self.pending.clear();
    }
}

/// `getUpdates`: confirm by offset, then answer at once or long-poll until an
/// update arrives or `timeout` seconds pass.
pub async fn get_updates(inner: &Inner, params: &Params) -> Value {
    inner.update(|state| {
        if let Some(offset) = params.i64("offset").filter(|o| *o > 0) {
            state.updates.confirm(offset);
        }
        if let Some(kinds) = params.get("allowed_updates").and_then(Value::as_array) {
            state.updates.set_allowed(kinds);
        }
    });
    let limit = params
        .i64("limit")
        .map_or(100, |l| l.clamp(1, 100) as usize);
    let timeout = params
        .i64("timeout")
        .map_or(0, |t| t.clamp(0, MAX_TIMEOUT_SECS as i64) as u64);
    let found = inner
        .wait_for(Duration::from_secs(timeout), |state| {
            let updates = state.updates.deliverable(limit);
            (!updates.is_empty()).then_some(updates)
        })
        .await;
    Value::Array(found.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_confirm_and_filter() {
        let mut q = UpdateQueue::default();
        assert_eq!(q.push("message", json!({"a": 1})), 1);
        q.push("poll", json!({}));
        q.push("callback_query", json!({}));
        q.set_allowed(&[json!("message"), json!("callback_query")]);
        let got = q.deliverable(100);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0]["message"]["a"], 1);
        q.confirm(2);
        assert_eq!(q.deliverable(100)[0]["update_id"], 3);
        q.confirm(4);
        assert_eq!(q.len(), 0);
        assert_eq!(q.push("message", json!({})), 4);
    }
}
