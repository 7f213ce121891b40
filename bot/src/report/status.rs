//! `/status CODE`: the report's state, deadlines and public replies, and writing back to the
//! staff. Wrong codes are throttled in the core (per account and for everyone together).

use chrono::{DateTime, Utc};
use qingfeng_core::domain::{MessageText, TextError, TrackingCode};
use qingfeng_core::i18n::Args;
use qingfeng_core::reports::follow_up::{self, Lookup, ReporterView};
use teloxide::types::{CallbackQueryId, InlineKeyboardMarkup};

use super::action::ReportAction;
use super::text::{self, R, r, r_args};
use crate::action::Action;
use crate::context::{BotError, Ctx};
use crate::keyboards::button;
use crate::state::State;

/// Messages shown in `/status`, newest last; older ones are summarised.
const SHOWN_MESSAGES: usize = 5;
const MESSAGE_CHARS: usize = 500;

pub async fn status_command(
    ctx: &Ctx<'_>,
    state: &State,
    argument: Option<&str>,
) -> Result<(), BotError> {
    if matches!(state, State::Reporting { .. }) {
        return ctx.say(r(ctx.lang, R::StatusFinishDraft)).await;
    }
    match argument {
        Some(code) => look_up(ctx, code).await,
        None => {
            ctx.save(&State::AwaitingTrackingCode).await?;
            ctx.say(r(ctx.lang, R::StatusAskCode)).await
        }
    }
}

/// Text typed after `/status` asked for the code.
pub async fn on_code_text(ctx: &Ctx<'_>, text: &str) -> Result<(), BotError> {
    look_up(ctx, text).await
}

fn local_time(ctx: &Ctx<'_>, at: DateTime<Utc>, format: &str) -> String {
    at.with_timezone(&ctx.deps.reports.time_zone)
        .format(format)
        .to_string()
}

async fn look_up(ctx: &Ctx<'_>, text: &str) -> Result<(), BotError> {
    let Ok(code) = text.parse::<TrackingCode>() else {
        ctx.save(&State::AwaitingTrackingCode).await?;
        return ctx.say(r(ctx.lang, R::StatusMalformed)).await;
    };
    let deps = ctx.deps;
    let lookup = follow_up::lookup(
        ctx.store(),
        &deps.report_keys,
        &deps.reports,
        ctx.chat_id.0,
        ctx.lang,
        &code,
        Utc::now(),
    )
    .await?;
    match lookup {
        Lookup::Found(view) => {
            ctx.save(&State::Idle).await?;
            show_view(ctx, &view).await
        }
        Lookup::WrongCode { tries_left } => {
            ctx.save(&State::AwaitingTrackingCode).await?;
            let args = Args::new().with("tries", tries_left);
            ctx.say(r_args(ctx.lang, R::StatusWrongCode, args)).await
        }
        Lookup::Throttled { until } => {
            ctx.save(&State::Idle).await?;
            let args = Args::new().text("time", local_time(ctx, until, "%H:%M"));
            ctx.say(r_args(ctx.lang, R::StatusThrottled, args)).await
        }
    }
}

fn render(ctx: &Ctx<'_>, view: &ReporterView) -> String {
    let lang = ctx.lang;
    let record = &view.record;
    let deadline = match (record.status, record.result_due) {
        // A report for the higher commission: what is owed here is passing it up.
        (qingfeng_core::domain::ReportStatus::Received, _) if record.higher_body.is_some() => {
            r_args(
                lang,
                R::StatusDeadlineUpward,
                Args::new().text("due", record.forward_due.to_string()),
            )
        }
        (qingfeng_core::domain::ReportStatus::Received, _) => r_args(
            lang,
            R::StatusDeadlineAcceptance,
            Args::new().text("due", record.acceptance_due.to_string()),
        ),
        (qingfeng_core::domain::ReportStatus::Concluded, Some(due)) => r_args(
            lang,
            R::StatusDeadlineResult,
            Args::new().text("due", due.to_string()),
        ),
        _ => String::new(),
    };
    let skipped = view.messages.len().saturating_sub(SHOWN_MESSAGES);
    let mut lines: Vec<String> = Vec::new();
    if skipped > 0 {
        lines.push(r_args(
            lang,
            R::StatusOlderMessages,
            Args::new().with("count", skipped),
        ));
    }
    for (from_staff, text, at) in view.messages.iter().skip(skipped) {
        let mut text: String = text.chars().take(MESSAGE_CHARS).collect();
        if text.chars().count() == MESSAGE_CHARS {
            text.push('…');
        }
        let msg = if *from_staff {
            R::StatusMessageStaff
        } else {
            R::StatusMessageYou
        };
        let args = Args::new()
            .text("time", local_time(ctx, *at, "%Y-%m-%d %H:%M"))
            .text("text", text);
        lines.push(r_args(lang, msg, args));
    }
    if lines.is_empty() {
        lines.push(r(lang, R::StatusNoMessages));
    }
    let args = Args::new()
        .with("id", record.id)
        .text("status", r(lang, text::status(record.status)))
        .text("category", view.category.clone())
        .text("township", view.township.clone())
        .text("received", local_time(ctx, record.received_at, "%Y-%m-%d"))
        .text("deadline", deadline)
        .text("messages", lines.join("\n\n"));
    r_args(lang, R::StatusView, args)
}

fn reply_tag(ctx: &Ctx<'_>, report: i64) -> String {
    ctx.deps
        .report_keys
        .reporter_button_tag(ctx.chat_id.0, report)
}

fn tag_is_valid(ctx: &Ctx<'_>, report: i64, tag: &str) -> bool {
    ctx.deps
        .report_keys
        .reporter_button_tag_is_valid(ctx.chat_id.0, report, tag)
}

/// [查看进展] under a notice: the report's view, as `/status CODE` shows it, without the code.
pub async fn show_progress(
    ctx: &Ctx<'_>,
    report: i64,
    tag: &str,
    query_id: &CallbackQueryId,
) -> Result<bool, BotError> {
    if !tag_is_valid(ctx, report, tag) {
        return Ok(false);
    }
    ctx.answer_press(query_id, None, false).await?;
    let view =
        follow_up::reporter_view(ctx.store(), &ctx.deps.report_keys, report, ctx.lang).await?;
    let ctx = ctx.detached();
    show_view(&ctx, &view).await?;
    Ok(true)
}

async fn show_view(ctx: &Ctx<'_>, view: &ReporterView) -> Result<(), BotError> {
    let report = view.record.id;
    let keyboard = view.record.status.is_open().then(|| {
        let tag = reply_tag(ctx, report);
        InlineKeyboardMarkup::new([vec![button(
            r(ctx.lang, R::ButtonReply),
            Action::Report(ReportAction::Reply { report, tag }),
        )]])
    });
    ctx.send_protected(render(ctx, view), keyboard).await?;
    Ok(())
}

/// The reply button under a `/status` view: valid only in the chat it was issued to.
pub async fn start_reply(
    ctx: &Ctx<'_>,
    report: i64,
    tag: &str,
    query_id: &CallbackQueryId,
) -> Result<bool, BotError> {
    if !tag_is_valid(ctx, report, tag) {
        return Ok(false);
    }
    ctx.answer_press(query_id, None, false).await?;
    ctx.save(&State::WritingToStaff { report_id: report })
        .await?;
    ctx.detached()
        .say(r(ctx.lang, R::StatusReplyPrompt))
        .await?;
    Ok(true)
}

/// The reporter's message to the staff.
pub async fn on_reply_text(ctx: &Ctx<'_>, report_id: i64, text: &str) -> Result<(), BotError> {
    let lang = ctx.lang;
    let message: MessageText = match text.parse() {
        Ok(message) => message,
        Err(TextError::TooLong { max }) => {
            return ctx
                .say(r_args(lang, R::TextTooLong, Args::new().with("max", max)))
                .await;
        }
        Err(_) => return ctx.say(r(lang, R::TextEmpty)).await,
    };
    let record = ctx.store().report_record(report_id).await?;
    if !record.is_some_and(|r| r.status.is_open()) {
        ctx.save(&State::Idle).await?;
        return ctx.say(r(lang, R::StatusReplyClosed)).await;
    }
    let deps = ctx.deps;
    follow_up::reporter_message(
        ctx.store(),
        &deps.report_keys,
        &deps.reports,
        report_id,
        &message,
        Utc::now(),
    )
    .await?;
    ctx.end_report_conversation().await?;
    ctx.say(r(lang, R::StatusReplySent)).await
}
