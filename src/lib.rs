//! # qingfeng
//!
//! The one binary: the command line and the wiring of bot, scheduler and dashboard in one
//! process. Domain logic lives in the workspace crates (see README.md, Architecture).
//! `startup` builds and runs the service; `sandbox` wraps it for `serve --sandbox`, with the
//! in-process fake Telegram (`telegram-sim`) in place of the real one.

mod campaign_cli;
pub mod cli;
mod quiz_cli;
mod report_cli;
pub mod sandbox;
mod staff_cli;
pub mod startup;
pub mod telemetry;
