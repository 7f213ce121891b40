//! [`Simulator`]: starts the fake server and exposes what tests inspect and control.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::errors::{InjectedError, Injection};
use crate::server;
use crate::shapes::Profile;
use crate::state::{Inner, UserState};
use crate::types::RecordedRequest;
use crate::user::SimUser;

/// A running fake Telegram Bot API server. Cheap to clone; the server stops when
/// the last clone (including those held by [`SimUser`]s) is dropped.
#[derive(Clone)]
pub struct Simulator {
    pub(crate) inner: Arc<Inner>,
    server: Arc<ServerTask>,
}

struct ServerTask {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for ServerTask {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Simulator {
    /// Binds `127.0.0.1:0` and serves the Bot API for `token` on a spawned task.
    ///
    /// # Panics
    /// If no local port can be bound.
    pub async fn start(token: &str) -> Simulator {
        let addr = SocketAddr::from(([127, 0, 0, 1], 0));
        Self::start_on(token, addr)
            .await
            .expect("telegram-sim: cannot bind 127.0.0.1:0")
    }

    /// Like [`Simulator::start`] on a chosen address (for a sandbox mode).
    pub async fn start_on(token: &str, addr: SocketAddr) -> std::io::Result<Simulator> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let inner = Arc::new(Inner::new(token));
        let app = server::router(inner.clone());
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!("telegram-sim server stopped: {e}");
            }
        });
        tracing::debug!(%addr, "telegram-sim listening");
        Ok(Simulator {
            inner,
            server: Arc::new(ServerTask { addr, task }),
        })
    }

    /// The base URL to hand to teloxide's `Bot::set_api_url`, e.g. `http://127.0.0.1:PORT/`.
    pub fn api_url(&self) -> String {
        format!("http://{}/", self.server.addr)
    }

    /// The bot token the server accepts.
    pub fn token(&self) -> String {
        self.inner.token.clone()
    }

    /// The bot's own user id (7000000001).
    pub fn bot_id(&self) -> i64 {
        crate::shapes::BOT_ID
    }

    /// Registers (or updates the profile of) a user with a private chat with the bot.
    pub fn user(&self, id: i64, first_name: &str, language_code: Option<&str>) -> SimUser {
        let profile = Profile {
            id,
            first_name: first_name.to_owned(),
            language_code: language_code.map(str::to_owned),
        };
        self.inner.update(|state| {
            state
                .users
                .entry(id)
                .and_modify(|u| u.profile = profile.clone())
                .or_insert_with(|| UserState::new(profile));
        });
        SimUser::new(self.clone(), id)
    }

    /// Every request the bot made, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.lock().requests.clone()
    }

    /// How many requests of `method` (any case, e.g. "sendMessage") arrived.
    pub fn count_requests(&self, method: &str) -> usize {
        let state = self.inner.lock();
        state
            .requests
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method))
            .count()
    }

    /// Waits for the next `method` request arriving after this call.
    ///
    /// # Panics
    /// On timeout, listing the recent methods.
    pub async fn wait_for_request(&self, method: &str, timeout: Duration) -> RecordedRequest {
        let start = self.inner.lock().requests.len();
        let found = self
            .inner
            .wait_for(timeout, |state| {
                state.requests[start..]
                    .iter()
                    .find(|r| r.method.eq_ignore_ascii_case(method))
                    .cloned()
            })
            .await;
        found.unwrap_or_else(|| {
            let recent = self.inner.lock().recent_methods(20);
            panic!(
                "telegram-sim: no `{method}` request within {timeout:?}; recent requests: {recent}"
            )
        })
    }

    /// Queues a one-shot error for the next `method` request (optionally only for
    /// `chat_id`). Errors are consumed in the order they were injected.
    /// Enforces Telegram's flood limits from now on: at most `per_second` sends overall (bursts
    /// up to a second's worth) and one per `per_chat` to any chat; excess sends get a 429.
    pub fn enforce_limits(&self, per_second: u32, per_chat: Duration) {
        self.inner
            .update(|state| state.limits = Some(crate::limits::Limits::new(per_second, per_chat)));
    }

    /// How many sends the flood limits refused.
    pub fn rate_limited_count(&self) -> u64 {
        self.inner
            .update(|state| state.limits.as_ref().map_or(0, |l| l.rejected))
    }

    /// Queues an update of `kind` with any payload, well-formed or not (tests of updates the
    /// bot cannot read). Returns its `update_id`.
    pub fn push_raw_update(&self, kind: &'static str, payload: serde_json::Value) -> i64 {
        self.inner.update(|state| state.updates.push(kind, payload))
    }

    pub fn inject_error(&self, method: &str, chat_id: Option<i64>, error: InjectedError) {
        self.inner.update(|state| {
            state.injected.push(Injection {
                method: method.to_ascii_lowercase(),
                chat_id,
                error,
            });
        });
    }

    /// Commands from the last setMyCommands in the default scope for `language_code`
    /// (`None` = every language).
    pub fn my_commands(&self, language_code: Option<&str>) -> Option<Vec<(String, String)>> {
        self.commands_in("", language_code)
    }

    /// Commands from the last setMyCommands with `BotCommandScopeChat` for `chat_id` and
    /// `language_code` (`None` = every language).
    pub fn chat_commands(
        &self,
        chat_id: i64,
        language_code: Option<&str>,
    ) -> Option<Vec<(String, String)>> {
        self.commands_in(&format!("chat:{chat_id}"), language_code)
    }

    fn commands_in(
        &self,
        scope: &str,
        language_code: Option<&str>,
    ) -> Option<Vec<(String, String)>> {
        let key = (
            scope.to_owned(),
            language_code.unwrap_or_default().to_owned(),
        );
        self.inner.lock().commands.get(&key).cloned()
    }

    /// Updates not yet confirmed by a getUpdates offset.
    pub fn pending_updates(&self) -> usize {
        self.inner.lock().updates.len()
    }

    /// Waits until the bot has confirmed every queued update; `false` on timeout.
    pub async fn wait_updates_confirmed(&self, timeout: Duration) -> bool {
        self.inner
            .wait_for(timeout, |state| (state.updates.len() == 0).then_some(()))
            .await
            .is_some()
    }

    /// Stores a file reachable by getFile and `GET /file/bot<token>/<file_path>`;
    /// returns its file_id.
    pub fn add_file(&self, bytes: Vec<u8>, file_path: &str) -> String {
        self.inner
            .update(|state| state.files.add("FIL", bytes, file_path).file_id)
    }

    /// The bytes of a stored file (uploaded by the bot or a user), by file_id.
    pub fn file_bytes(&self, file_id: &str) -> Option<Vec<u8>> {
        self.inner
            .lock()
            .files
            .get(file_id)
            .map(|f| f.bytes.clone())
    }
}
