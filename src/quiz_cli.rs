//! `qingfeng quiz stats`: how each question is answered, and this period's rankings.

use std::process::ExitCode;

use chrono::Utc;
use qingfeng_core::config::Config;
use qingfeng_core::domain::Audience;
use qingfeng_core::{Store, StoreError};

pub async fn stats(store: &Store, config: &Config) -> Result<ExitCode, StoreError> {
    let mut bank = store.questions_for(Audience::Enterprise).await?;
    for q in store.questions_for(Audience::Household).await? {
        if !bank.iter().any(|b| b.id == q.id) {
            bank.push(q);
        }
    }
    println!("{} active questions", bank.len());
    println!("correct rate by question (answers given):");
    let mut rates = store.question_rates().await?;
    rates.sort_by(|a, b| {
        let share =
            |r: &qingfeng_core::store::QuestionRate| r.correct as f64 / r.answers.max(1) as f64;
        share(a).total_cmp(&share(b))
    });
    for rate in &rates {
        let text = bank
            .iter()
            .find(|q| q.id.as_str() == rate.question_id)
            .map_or("(retired)", |q| q.question.zh.as_str());
        let percent = 100.0 * rate.correct as f64 / rate.answers.max(1) as f64;
        println!(
            "  {percent:5.1}%  ({:>5})  {}  {text}",
            rate.answers, rate.question_id
        );
    }
    if rates.is_empty() {
        println!("  no answers yet");
    }
    let period = config
        .quiz
        .ranking_period
        .label(Utc::now().with_timezone(&config.time_zone()).date_naive());
    println!("townships this period ({period}), by average share correct:");
    let board = store.township_leaderboard(&period).await?;
    for (i, t) in board.iter().enumerate() {
        println!(
            "  {}. {}  {:.0}%  {} participant(s)",
            i + 1,
            t.township_code,
            t.average * 100.0,
            t.participants
        );
    }
    if board.is_empty() {
        println!("  nobody has finished a quiz this period");
    }
    Ok(ExitCode::SUCCESS)
}
