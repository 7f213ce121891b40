//! Integrity quizzes in chat: `/quiz`, answers with immediate feedback, results and `/rank`.
//!
//! Progress lives in the attempt row, not in the dialogue state: every answer is committed
//! (once, by its unique key) before the feedback is shown, so a restart resumes at the next
//! unanswered question and a second press never counts twice. Questions go out as inline
//! keyboards, or as Telegram quiz polls when configured; a poll answer carries no chat, so
//! polls are mapped back to their attempt in the store.

use chrono::{Duration, Utc};
use qingfeng_core::Language;
use qingfeng_core::config::RankingPeriod;
use qingfeng_core::crypto::shuffle;
use qingfeng_core::domain::{QuestionId, QuizQuestion, Subscriber};
use qingfeng_core::i18n::Args;
use qingfeng_core::store::{AnswerOutcome, Attempt};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, InputPollOption, PollType};

use crate::action::Action;
use crate::context::{BotError, Ctx};
use crate::text::Msg;

/// How quizzes are run (from the `[quiz]` configuration).
#[derive(Debug, Clone)]
pub struct QuizSettings {
    pub questions: usize,
    pub period: RankingPeriod,
    pub polls: bool,
    pub time_zone: chrono_tz::Tz,
}

impl QuizSettings {
    /// The `[quiz]` section, taken whole, in the service's time zone.
    pub fn new(section: &qingfeng_core::config::QuizSection, time_zone: chrono_tz::Tz) -> Self {
        QuizSettings {
            questions: section.questions,
            period: section.ranking_period,
            polls: section.polls,
            time_zone,
        }
    }
}

/// Questions answered within this many days are asked again only when the bank runs short.
const AVOID_REPEATS_DAYS: i64 = 30;

fn period(settings: &QuizSettings) -> String {
    settings
        .period
        .label(Utc::now().with_timezone(&settings.time_zone).date_naive())
}

/// The current period in the reader's words ("本周（12月1日—7日）").
fn period_in_words(ctx: &Ctx<'_>) -> String {
    let settings = &ctx.deps.quiz;
    let today = Utc::now().with_timezone(&settings.time_zone).date_naive();
    settings.period.describe(today, ctx.lang)
}

fn letter(index: usize) -> char {
    char::from(b'A' + index as u8)
}

/// `/quiz` (or the button under a quiz invitation): resume an open attempt or start one.
pub async fn start(ctx: &Ctx<'_>) -> Result<(), BotError> {
    let Some(subscriber) = ctx.store().subscriber_by_chat(ctx.chat_id.0).await? else {
        return ctx.say(ctx.t(Msg::QuizNotSubscribed)).await;
    };
    if let Some(attempt) = ctx.store().open_attempt(ctx.chat_id.0).await? {
        ctx.say(ctx.t(Msg::QuizResume)).await?;
        return ask(ctx, &attempt).await;
    }
    let chosen = choose_questions(ctx, &subscriber).await?;
    if chosen.is_empty() {
        return ctx.say(ctx.t(Msg::QuizEmptyBank)).await;
    }
    let settings = &ctx.deps.quiz;
    let attempt = ctx
        .store()
        .start_attempt(subscriber.id, ctx.chat_id.0, &period(settings), &chosen)
        .await?;
    tracing::info!(
        attempt = attempt.id,
        ranked = attempt.ranked,
        "quiz started"
    );
    ask(ctx, &attempt).await
}

/// Draws questions for the subscriber's audience, unseen ones first.
async fn choose_questions(
    ctx: &Ctx<'_>,
    subscriber: &Subscriber,
) -> Result<Vec<QuestionId>, BotError> {
    let bank = ctx
        .store()
        .questions_for(subscriber.profile.audience())
        .await?;
    let since = Utc::now() - Duration::days(AVOID_REPEATS_DAYS);
    let recent = ctx
        .store()
        .recent_question_ids(subscriber.id, since)
        .await?;
    let (mut seen, mut unseen): (Vec<QuestionId>, Vec<QuestionId>) = bank
        .into_iter()
        .map(|q| q.id)
        .partition(|id| recent.iter().any(|r| r == id.as_str()));
    shuffle(&mut unseen);
    shuffle(&mut seen);
    unseen.extend(seen);
    unseen.truncate(ctx.deps.quiz.questions);
    Ok(unseen)
}

async fn question_at(
    ctx: &Ctx<'_>,
    attempt: &Attempt,
    position: usize,
) -> Result<Option<QuizQuestion>, BotError> {
    match attempt.questions.get(position) {
        Some(id) => Ok(ctx.store().question(id).await?),
        None => Ok(None),
    }
}

/// "Question 2/5" and the question, in the chat's language.
fn heading(ctx: &Ctx<'_>, question: &QuizQuestion, number: usize, total: usize) -> String {
    ctx.t_args(
        Msg::QuizQuestion,
        Args::new()
            .with("number", number)
            .with("total", total)
            .text("question", question.question.get(ctx.lang)),
    )
}

/// Sends the attempt's current question.
async fn ask(ctx: &Ctx<'_>, attempt: &Attempt) -> Result<(), BotError> {
    let Some(question) = question_at(ctx, attempt, attempt.position).await? else {
        return Ok(());
    };
    let lang = ctx.lang;
    let text = heading(
        ctx,
        &question,
        attempt.position + 1,
        attempt.questions.len(),
    );
    if ctx.deps.quiz.polls {
        let options = question
            .options
            .iter()
            .map(|o| InputPollOption::new(o.get(lang)));
        let poll = ctx
            .bot
            .send_poll(ctx.chat_id, text, options)
            .type_(PollType::Quiz)
            .is_anonymous(false)
            .correct_option_id(question.answer as u8)
            .explanation(question.explanation.get(lang))
            .await?;
        if let Some(p) = poll.poll() {
            ctx.store()
                .save_poll(&p.id.0, attempt.id, attempt.position)
                .await?;
        }
        return Ok(());
    }
    let rows = question.options.iter().enumerate().map(|(i, option)| {
        let action = Action::QuizAnswer {
            attempt: attempt.id,
            position: attempt.position,
            option: i,
        };
        [InlineKeyboardButton::callback(
            format!("{}. {}", letter(i), option.get(lang)),
            action.to_string(),
        )]
    });
    ctx.bot
        .send_message(ctx.chat_id, text)
        .reply_markup(InlineKeyboardMarkup::new(rows))
        .await?;
    Ok(())
}

/// The feedback shown in place of an answered question.
fn feedback(
    ctx: &Ctx<'_>,
    question: &QuizQuestion,
    number: usize,
    total: usize,
    correct: bool,
) -> String {
    let lang = ctx.lang;
    let heading = heading(ctx, question, number, total);
    let verdict = if correct {
        ctx.t(Msg::QuizCorrect)
    } else {
        let answer = format!(
            "{}. {}",
            letter(question.answer),
            question.options[question.answer].get(lang)
        );
        ctx.t_args(Msg::QuizWrong, Args::new().text("answer", answer))
    };
    let why = ctx.t_args(
        Msg::QuizExplanation,
        Args::new()
            .text("explanation", question.explanation.get(lang))
            .text("source", question.source.get(lang)),
    );
    format!("{heading}\n\n{verdict}\n{why}")
}

/// Records an answer once, then shows feedback and the next question (or the result).
/// Returns the toast for the button press.
pub async fn answer(
    ctx: &Ctx<'_>,
    attempt_id: i64,
    position: usize,
    option: usize,
) -> Result<String, BotError> {
    let Some(attempt) = ctx.store().attempt(attempt_id).await? else {
        return Ok(ctx.t(Msg::ButtonUnknown));
    };
    if attempt.chat_id != ctx.chat_id.0 {
        return Ok(ctx.t(Msg::ButtonUnknown));
    }
    let Some(question) = question_at(ctx, &attempt, position).await? else {
        return Ok(ctx.t(Msg::ButtonUnknown));
    };
    if option >= question.options.len() {
        return Ok(ctx.t(Msg::ButtonUnknown));
    }
    let correct = option == question.answer;
    match ctx
        .store()
        .record_answer(attempt_id, position, option, correct)
        .await?
    {
        AnswerOutcome::Recorded { attempt, correct } => {
            let text = feedback(
                ctx,
                &question,
                position + 1,
                attempt.questions.len(),
                correct,
            );
            ctx.show(text, None).await?;
            advance(&ctx.detached(), &attempt).await?;
            Ok(ctx.t(if correct {
                Msg::QuizToastCorrect
            } else {
                Msg::QuizToastWrong
            }))
        }
        AnswerOutcome::AlreadyAnswered => Ok(ctx.t(Msg::QuizAlreadyAnswered)),
        AnswerOutcome::NotCurrent => {
            if !attempt.finished {
                ask(&ctx.detached(), &attempt).await?;
            }
            Ok(ctx.t(Msg::QuizExpired))
        }
    }
}

/// Text typed while a quiz question waits: "B", "b", "Ｂ", "B." or the option's own text
/// answers it like its button. Returns false (nothing done) for anything else.
pub async fn answer_typed(ctx: &Ctx<'_>, text: &str) -> Result<bool, BotError> {
    if ctx.deps.quiz.polls {
        return Ok(false);
    }
    let Some(attempt) = ctx.store().open_attempt(ctx.chat_id.0).await? else {
        return Ok(false);
    };
    let Some(question) = question_at(ctx, &attempt, attempt.position).await? else {
        return Ok(false);
    };
    let Some(option) = typed_option(text, &question, ctx.lang) else {
        return Ok(false);
    };
    answer(ctx, attempt.id, attempt.position, option).await?;
    Ok(true)
}

fn typed_option(text: &str, question: &QuizQuestion, lang: Language) -> Option<usize> {
    // Full-width letters (Ａ-Ｚ) as Chinese keyboards type them.
    let typed: String = text
        .trim()
        .trim_end_matches(['.', '。', '、'])
        .chars()
        .map(|c| match c {
            'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .collect();
    let count = question.options.len();
    if let [only] = typed.to_ascii_uppercase().as_bytes()
        && only.is_ascii_uppercase()
    {
        let index = usize::from(only - b'A');
        return (index < count).then_some(index);
    }
    question
        .options
        .iter()
        .position(|o| o.get(lang).trim() == typed)
}

/// A quiz poll was answered: the poll shows its own feedback; record it and move on.
pub async fn poll_answered(
    ctx: &Ctx<'_>,
    attempt: &Attempt,
    position: usize,
    option: usize,
) -> Result<(), BotError> {
    let Some(question) = question_at(ctx, attempt, position).await? else {
        return Ok(());
    };
    let correct = option == question.answer;
    if let AnswerOutcome::Recorded { attempt, .. } = ctx
        .store()
        .record_answer(attempt.id, position, option, correct)
        .await?
    {
        advance(ctx, &attempt).await?;
    }
    Ok(())
}

/// After an answer: the next question, or the score and standing.
async fn advance(ctx: &Ctx<'_>, attempt: &Attempt) -> Result<(), BotError> {
    if !attempt.finished {
        return ask(ctx, attempt).await;
    }
    tracing::info!(attempt = attempt.id, score = attempt.score, "quiz finished");
    let mut text = ctx.t_args(
        Msg::QuizFinished,
        Args::new()
            .with("score", attempt.score)
            .with("total", attempt.questions.len()),
    );
    text.push('\n');
    if attempt.ranked {
        if let Some(standing) = ctx
            .store()
            .standing(attempt.subscriber_id, &attempt.period)
            .await?
        {
            let township = township_name(ctx, &standing.township_code).await?;
            text.push_str(
                &ctx.t_args(
                    Msg::QuizStanding,
                    Args::new()
                        .text("period", period_in_words(ctx))
                        .text("township", township)
                        .with("rank", standing.rank)
                        .with("participants", standing.participants),
                ),
            );
        }
    } else {
        text.push_str(&ctx.t(Msg::QuizUnranked));
    }
    ctx.say(text).await
}

async fn township_name(ctx: &Ctx<'_>, code: &str) -> Result<String, BotError> {
    Ok(match code.parse() {
        Ok(code) => match ctx.store().township(&code).await? {
            Some((t, _)) => t.name(ctx.lang).to_owned(),
            None => code.to_string(),
        },
        Err(_) => code.to_owned(),
    })
}

/// `/rank`: the user's standing, the township ranking and, for enterprises, the enterprise one.
pub async fn rank(ctx: &Ctx<'_>) -> Result<(), BotError> {
    let Some(subscriber) = ctx.store().subscriber_by_chat(ctx.chat_id.0).await? else {
        return ctx.say(ctx.t(Msg::QuizNotSubscribed)).await;
    };
    let period = period(&ctx.deps.quiz);
    let mut lines = Vec::new();
    match ctx.store().standing(subscriber.id, &period).await? {
        Some(s) => lines.push(
            ctx.t_args(
                Msg::RankMine,
                Args::new()
                    .text("period", period_in_words(ctx))
                    .with("score", s.score)
                    .with("total", s.total)
                    .text("township", township_name(ctx, &s.township_code).await?)
                    .with("rank", s.rank)
                    .with("participants", s.participants),
            ),
        ),
        None => lines.push(ctx.t_args(
            Msg::RankNone,
            Args::new().text("period", period_in_words(ctx)),
        )),
    }
    let townships = ctx.store().township_leaderboard(&period).await?;
    if townships.is_empty() {
        lines.push(ctx.t(Msg::RankEmpty));
    } else {
        lines.push(String::new());
        lines.push(ctx.t(Msg::RankTownships));
        for (i, t) in townships.iter().take(10).enumerate() {
            lines.push(
                ctx.t_args(
                    Msg::RankTownshipLine,
                    Args::new()
                        .with("rank", i + 1)
                        .text("township", township_name(ctx, &t.township_code).await?)
                        .with("percent", (t.average * 100.0).round() as i64)
                        .with("participants", t.participants),
                ),
            );
        }
    }
    if subscriber.profile.audience() == qingfeng_core::domain::Audience::Enterprise {
        let enterprises = ctx.store().enterprise_leaderboard(&period, 10).await?;
        if !enterprises.is_empty() {
            lines.push(String::new());
            lines.push(ctx.t(Msg::RankEnterprises));
            for (i, e) in enterprises.iter().enumerate() {
                lines.push(
                    ctx.t_args(
                        Msg::RankEnterpriseLine,
                        Args::new()
                            .with("rank", i + 1)
                            .text("name", e.enterprise_name.clone())
                            .with("score", e.score)
                            .with("total", e.total),
                    ),
                );
            }
        }
    }
    ctx.say(lines.join("\n")).await
}
