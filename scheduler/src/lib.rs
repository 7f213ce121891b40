//! # qingfeng-scheduler
//!
//! Will own schedules (cron and explicit dates in Asia/Shanghai), the working-day calendar,
//! campaign runs that fan out into the outbox, and the rate-limited delivery worker
//! (see the scheduled-reminders issue). The bot never calls this crate: both meet in the store.
//!
//! Nothing is scheduled yet, so `serve` does not start anything from here.
