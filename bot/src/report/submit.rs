//! Submitting: the report is committed first, and only then is its tracking code shown. The
//! draft (holding the code) is kept until the code has been sent, so a submit pressed again
//! after a crash finds the filed report and shows the same code; it never files a second one.

use chrono::Utc;
use qingfeng_core::calendar::Certainty;
use qingfeng_core::i18n::Args;
use qingfeng_core::reports::intake;
use teloxide::prelude::*;
use teloxide::types::{CallbackQueryId, InlineKeyboardMarkup, MessageId};

use super::action::ReportAction;
use super::draft::ReportDraft;
use super::text::{R, r, r_args};
use super::{prompts, quota_reached};
use crate::action::Action;
use crate::context::{BotError, Ctx};
use crate::keyboards::button;

pub async fn submit(ctx: &Ctx<'_>, draft: &ReportDraft) -> Result<(), BotError> {
    let Some(report) = draft.to_report() else {
        // Cannot happen through the buttons; ask for whatever is missing.
        let mut draft = draft.clone();
        draft.advance();
        return prompts::show(ctx, &draft, None).await;
    };
    let (store, deps) = (ctx.store(), ctx.deps);
    let keys = &deps.report_keys;
    let now = Utc::now();
    // A draft whose report was already filed never gets here: `load_state` shows its code and
    // ends it first. So this is a new report and counts against the daily quota.
    if !intake::quota_left(store, keys, &deps.reports, ctx.chat_id.0, now).await? {
        return ctx.detached().say(quota_reached(ctx)).await;
    }
    let filing = intake::Filing {
        chat_id: ctx.chat_id.0,
        language: ctx.lang,
        report: &report,
        code: &draft.code,
    };
    let submitted = intake::submit(store, keys, &deps.reports, filing, now).await?;
    // Committed. The review keeps its text but loses its buttons.
    if let Some(review) = ctx.pressed {
        let _ = ctx.bot.edit_message_reply_markup(ctx.chat_id, review).await;
    }
    show_code(ctx, draft, &submitted).await
}

/// A draft left at the review screen whose report was filed (the process stopped after the
/// commit, before the draft was cleared): shows its code (again) and clears the draft.
/// Returns false, changing nothing, when the report was not filed.
pub async fn finish_if_filed(ctx: &Ctx<'_>, draft: &ReportDraft) -> Result<bool, BotError> {
    let keys = &ctx.deps.report_keys;
    let Some(submitted) = intake::filed_before(ctx.store(), keys, &draft.code).await? else {
        return Ok(false);
    };
    show_code(&ctx.detached(), draft, &submitted).await?;
    Ok(true)
}

/// The code, shown only after the report is committed; then the draft is cleared.
async fn show_code(
    ctx: &Ctx<'_>,
    draft: &ReportDraft,
    submitted: &intake::Submitted,
) -> Result<(), BotError> {
    let mut text = r_args(
        ctx.lang,
        R::Submitted,
        Args::new()
            .text("code", draft.code.to_string())
            .with("id", submitted.id),
    );
    // What is owed next: passing it up, or the acceptance notice — which can reach only a
    // reporter the bot may write to (real name, or anonymous with replies).
    let unreachable = matches!(
        draft.reporter,
        Some(qingfeng_core::domain::Reporter::Anonymous { notify: false })
    );
    let (next, due) = match submitted.upward_due {
        Some(due) => (R::SubmittedUpward, due),
        None if unreachable => (R::SubmittedNoNotice, submitted.acceptance_due),
        None => (R::SubmittedAcceptance, submitted.acceptance_due),
    };
    text.push('\n');
    text.push_str(&r_args(
        ctx.lang,
        next,
        Args::new().text("due", due.to_string()),
    ));
    if submitted.certainty == Certainty::Provisional {
        text.push_str("\n\n");
        text.push_str(&r(ctx.lang, R::SubmittedProvisional));
    }
    // The message is protected (no forwarding or saving): a button sends the code alone,
    // unprotected, for the reporter to keep.
    let savable = vec![button(
        r(ctx.lang, R::ButtonSavableCode),
        Action::Report(ReportAction::SendCode(draft.code.clone())),
    )];
    let shown = ctx
        .send_protected(text, Some(InlineKeyboardMarkup::new([savable.clone()])))
        .await?;
    ctx.end_report_conversation().await?;
    // Offer to delete the conversation, up to (not including) the code message.
    let last = shown.id.0 - 1;
    if draft.first_message_id > 0 && last >= draft.first_message_id {
        let delete = ReportAction::Delete {
            from: draft.first_message_id,
            to: last,
        };
        let keyboard = InlineKeyboardMarkup::new([
            savable,
            vec![button(r(ctx.lang, R::ButtonDelete), Action::Report(delete))],
        ]);
        let _ = ctx
            .bot
            .edit_message_reply_markup(ctx.chat_id, shown.id)
            .reply_markup(keyboard)
            .await;
    }
    Ok(())
}

/// Deletes messages `from..=to` in this chat (Telegram allows it for 48 hours), then removes
/// the button. Messages already gone are skipped.
pub async fn delete_conversation(
    ctx: &Ctx<'_>,
    query_id: &CallbackQueryId,
    from: i32,
    to: i32,
) -> Result<(), BotError> {
    // A forged range could only touch this user's own chat; still, keep it bounded.
    let from = from.max(to.saturating_sub(999));
    let ids: Vec<MessageId> = (from..=to).map(MessageId).collect();
    let mut failed = false;
    for chunk in ids.chunks(100) {
        if let Err(error) = ctx
            .bot
            .delete_messages(ctx.chat_id, chunk.iter().copied())
            .await
        {
            tracing::info!(%error, "could not delete a report conversation");
            failed = true;
        }
    }
    let answer = if failed { R::DeleteFailed } else { R::Deleted };
    ctx.answer_press(query_id, Some(r(ctx.lang, answer)), failed)
        .await?;
    if let Some(code_message) = ctx.pressed {
        let _ = ctx
            .bot
            .edit_message_reply_markup(ctx.chat_id, code_message)
            .await;
    }
    Ok(())
}
