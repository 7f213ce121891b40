//! # qingfeng
//!
//! The one binary: the command line and the wiring of bot, scheduler and dashboard in one
//! process. Domain logic lives in the workspace crates (see README.md, Architecture).

mod campaign_cli;
pub mod cli;
mod quiz_cli;
mod report_cli;
pub mod sandbox;
mod staff_cli;
pub mod startup;
pub mod telemetry;
