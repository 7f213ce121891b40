//! `qingfeng campaign list` and `qingfeng campaign run ID`.

use std::process::ExitCode;

use chrono::{DateTime, Datelike, Utc};
use qingfeng_core::config::Config;
use qingfeng_core::domain::{Audience, CampaignId};
use qingfeng_core::store::{ManualRun, ManualRunGuard, RunFigures, StoredCampaign};
use qingfeng_core::{Store, StoreError};
use qingfeng_scheduler::{planner, timing};

use crate::startup::scheduler_settings;

fn local(config: &Config, at: DateTime<Utc>) -> String {
    at.with_timezone(&config.time_zone())
        .format("%Y-%m-%d %H:%M %a")
        .to_string()
}

fn local_seconds(config: &Config, at: DateTime<Utc>) -> String {
    at.with_timezone(&config.time_zone())
        .format("%H:%M:%S")
        .to_string()
}

fn figures(run: &RunFigures) -> String {
    match run.status.as_str() {
        "sent" => format!(
            "targeted {}, sent {}, pending {}, failed {}, blocked {}, cancelled {}, acknowledged {}",
            run.targeted,
            run.sent,
            run.pending,
            run.failed,
            run.blocked,
            run.cancelled,
            run.acknowledged
        ),
        other => other.to_owned(),
    }
}

/// The next firing that will actually send (working-days-only campaigns skip holidays).
async fn next_sending(
    store: &Store,
    config: &Config,
    stored: &StoredCampaign,
) -> Result<String, StoreError> {
    let campaign = &stored.campaign;
    if !stored.active {
        return Ok("retired".into());
    }
    if stored.paused {
        return Ok("paused".into());
    }
    let calendar = store.working_calendar().await?;
    let mut after = Utc::now();
    for _ in 0..30 {
        let Some(next) = timing::next_firing(campaign, config.time_zone(), after) else {
            return Ok("none scheduled".into());
        };
        let date = next.with_timezone(&config.time_zone()).date_naive();
        if !campaign.working_days_only || calendar.is_working_day(date) {
            let note = match calendar.certainty(date.year()) {
                qingfeng_core::calendar::Certainty::Official => "",
                qingfeng_core::calendar::Certainty::Provisional => " (provisional calendar)",
            };
            return Ok(format!("{}{note}", local(config, next)));
        }
        after = next;
    }
    Ok("none in the next 30 firings".into())
}

pub async fn list(store: &Store, config: &Config) -> Result<ExitCode, StoreError> {
    let campaigns = store.campaigns().await?;
    if campaigns.is_empty() {
        println!("no campaigns; import some with `qingfeng content import content`");
        return Ok(ExitCode::SUCCESS);
    }
    println!("times are in {}", config.time_zone().name());
    for stored in &campaigns {
        let c = &stored.campaign;
        let audience = c.audience.map_or("all", Audience::as_str);
        let next = next_sending(store, config, stored).await?;
        let last = store.recent_runs(&c.id, 1).await?;
        let last = last.first().map_or_else(
            || "never".to_owned(),
            |run| {
                format!(
                    "{} ({}): {}",
                    local(config, run.scheduled_for),
                    run.trigger_kind,
                    figures(run)
                )
            },
        );
        println!(
            "{}  {}  [{audience}]\n    next run: {next}\n    last run: {last}",
            c.id, c.title.zh
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run(
    store: &Store,
    config: &Config,
    id: &str,
    again: bool,
) -> Result<ExitCode, StoreError> {
    let known = || async {
        let ids: Vec<String> = store
            .campaigns()
            .await?
            .into_iter()
            .filter(|c| c.active)
            .map(|c| c.campaign.id.to_string())
            .collect();
        Ok::<_, StoreError>(ids.join(", "))
    };
    let stored = match id.parse::<CampaignId>() {
        Ok(id) => store.campaign(&id).await?,
        Err(_) => None,
    };
    let Some(stored) = stored.filter(|s| s.active) else {
        eprintln!(
            "error: no active campaign `{id}`; the campaigns are: {}",
            known().await?
        );
        return Ok(ExitCode::from(1));
    };
    let settings = scheduler_settings(config);
    let now = Utc::now();
    let guard = if again {
        ManualRunGuard::Repeating(store.latest_manual_run(&stored.campaign.id).await?)
    } else {
        ManualRunGuard::ONCE
    };
    let outcome = planner::run_now(
        store,
        &stored.campaign,
        &settings.quiet_hours,
        settings.time_zone,
        now,
        guard,
    )
    .await?;
    match outcome {
        ManualRun::Started(run) => {
            let starts = timing::send_after(
                &stored.campaign,
                now,
                &settings.quiet_hours,
                settings.time_zone,
            );
            let when = if starts > now {
                format!("from {} (after quiet hours)", local(config, starts))
            } else {
                "now".to_owned()
            };
            println!(
                "run {} of {}: {} recipient(s), sending {when}; a running `qingfeng serve` delivers it",
                run.run_id, stored.campaign.id, run.targeted
            );
            Ok(ExitCode::SUCCESS)
        }
        ManualRun::AlreadyStarted(run) => {
            eprintln!(
                "error: run {} of {} was started at {} and is the one going out ({}); \
                 nothing more was sent. To send it again on purpose: qingfeng campaign run {} --again",
                run.run_id,
                stored.campaign.id,
                local_seconds(config, run.scheduled_for),
                figures(&run),
                stored.campaign.id
            );
            Ok(ExitCode::from(1))
        }
    }
}
