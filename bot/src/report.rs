//! The report flow (`/report`) and the reporter's follow-up (`/status`). A draft is sealed in
//! the dialogue state after every answer, so it survives restarts; it expires after the
//! configured time (24 h by default) and `/cancel` discards it.

mod action;
mod draft;
mod evidence;
mod prompts;
mod status;
mod submit;
mod text;

pub use action::ReportAction;
pub use draft::{ReportDraft, Step};
pub use status::{on_code_text, on_reply_text, status_command};

use chrono::Utc;
use qingfeng_core::i18n::Args;
use qingfeng_core::reports::intake;
use teloxide::types::{CallbackQueryId, Message};

use crate::context::{BotError, Ctx};
use crate::state::State;
use crate::text::Msg;
use draft::{Answer, IdentityChoice, Refusal};
use evidence::Incoming;
use qingfeng_core::domain::{Evidence, RegionCode, Reporter, TextError};
use text::{R, r, r_args};

/// Whether a draft has been left alone longer than the configured time.
pub fn expired(ctx: &Ctx<'_>, draft: &ReportDraft) -> bool {
    let ttl = chrono::Duration::from_std(ctx.deps.reports.draft_ttl).unwrap_or_default();
    draft.last_activity + ttl < Utc::now()
}

pub use submit::finish_if_filed;

/// Tells the user their draft expired (the caller has reset the state).
pub async fn say_expired(ctx: &Ctx<'_>) -> Result<(), BotError> {
    ctx.say(r(ctx.lang, R::Expired)).await
}

async fn save_and_show(
    ctx: &Ctx<'_>,
    mut draft: ReportDraft,
    note: Option<String>,
) -> Result<(), BotError> {
    draft.last_activity = Utc::now();
    ctx.save(&State::Reporting {
        draft: Box::new(draft.clone()),
    })
    .await?;
    prompts::show(ctx, &draft, note).await
}

/// `/report`, or the report button: starts a draft, or resumes the one in progress.
pub async fn start(ctx: &Ctx<'_>, state: &State, first_message_id: i32) -> Result<(), BotError> {
    if let State::Reporting { draft } = state {
        let note = r(ctx.lang, R::Resumed);
        return prompts::show(&ctx.detached(), draft, Some(note)).await;
    }
    let deps = ctx.deps;
    let open = !ctx.store().report_categories().await?.is_empty()
        && !ctx.store().desks().await?.is_empty();
    if !open {
        tracing::error!(
            "reports are not available: import content/categories.toml and routing.toml"
        );
        return ctx.say(r(ctx.lang, R::Unavailable)).await;
    }
    let now = Utc::now();
    if !intake::quota_left(
        ctx.store(),
        &deps.report_keys,
        &deps.reports,
        ctx.chat_id.0,
        now,
    )
    .await?
    {
        return ctx.say(quota_reached(ctx)).await;
    }
    let mut draft = ReportDraft::new(first_message_id, now);
    if let Some(township) = signed_up_township(ctx).await? {
        draft.prefill_township(township);
    }
    save_and_show(ctx, draft, None).await
}

/// The township an active subscriber signed up in, while it is still offered.
async fn signed_up_township(ctx: &Ctx<'_>) -> Result<Option<RegionCode>, BotError> {
    let Some(subscriber) = ctx.store().subscriber_by_chat(ctx.chat_id.0).await? else {
        return Ok(None);
    };
    let township = subscriber.profile.township().clone();
    let offered = matches!(ctx.store().township(&township).await?, Some((_, true)));
    Ok((subscriber.active && offered).then_some(township))
}

fn quota_reached(ctx: &Ctx<'_>) -> String {
    let args = Args::new().with("limit", ctx.deps.reports.daily_limit);
    r_args(ctx.lang, R::QuotaReached, args)
}

/// `/cancel` while `/status` waits for a code or a message to the staff is being written.
pub async fn cancel_follow_up(ctx: &Ctx<'_>) -> Result<(), BotError> {
    ctx.end_report_conversation().await?;
    ctx.say(r(ctx.lang, R::FollowUpCancelled)).await
}

/// `/cancel` during a report.
pub async fn cancel(ctx: &Ctx<'_>) -> Result<(), BotError> {
    ctx.end_report_conversation().await?;
    ctx.show(r(ctx.lang, R::Cancelled), None).await
}

fn refusal_note(ctx: &Ctx<'_>, refusal: Refusal) -> String {
    let lang = ctx.lang;
    match refusal {
        Refusal::Text(TextError::Empty) => r(lang, R::TextEmpty),
        Refusal::Text(TextError::TooShort { min }) => {
            r_args(lang, R::TextTooShort, Args::new().with("min", min))
        }
        Refusal::Text(TextError::TooLong { max }) => {
            r_args(lang, R::TextTooLong, Args::new().with("max", max))
        }
        Refusal::OneLine => r(lang, R::OneLine),
        Refusal::Mobile => r(lang, R::MobileInvalid),
        Refusal::UseButtons => r(lang, R::UseButtons),
    }
}

/// Typed text while a draft is open.
pub async fn on_text(ctx: &Ctx<'_>, draft: &ReportDraft, text: &str) -> Result<(), BotError> {
    let mut next = draft.clone();
    // Typing a township's name works like pressing its button.
    if draft.step == Step::Township
        && let Some(answer) = typed_township(ctx, text).await?
    {
        next.township = Some(answer);
        next.advance();
        return save_and_show(ctx, next, None).await;
    }
    match next.answer_text(text) {
        Ok(()) => save_and_show(ctx, next, None).await,
        Err(refusal) => prompts::show(ctx, draft, Some(refusal_note(ctx, refusal))).await,
    }
}

/// The township a typed answer names: its Chinese or English name, with or without 镇/乡 or
/// "Town", or the county-departments button's label.
async fn typed_township(
    ctx: &Ctx<'_>,
    text: &str,
) -> Result<Option<Answer<qingfeng_core::domain::RegionCode>>, BotError> {
    let typed = text.trim().to_lowercase();
    if typed.is_empty() {
        return Ok(None);
    }
    if typed
        == r(ctx.lang, R::ButtonCountyDepartments)
            .trim()
            .to_lowercase()
    {
        return Ok(Some(Answer::NotGiven));
    }
    let bare = |name: &str| {
        let name = name.trim().to_lowercase();
        let short = name
            .trim_end_matches(['镇', '乡'])
            .trim_end_matches(" town")
            .trim_end_matches(" township")
            .to_owned();
        [name, short]
    };
    let found = ctx.store().townships().await?.into_iter().find(|t| {
        bare(&t.name.zh)
            .iter()
            .chain(bare(&t.name.en).iter())
            .any(|n| !n.is_empty() && *n == typed)
    });
    Ok(found.map(|t| Answer::Given(t.code)))
}

/// A photo, file, voice note or anything else that is not text, while a draft is open.
pub async fn on_media(ctx: &Ctx<'_>, draft: &ReportDraft, msg: &Message) -> Result<(), BotError> {
    let lang = ctx.lang;
    if draft.step == Step::Description && msg.voice().is_some() {
        return voice_description(ctx, draft, msg).await;
    }
    if draft.step != Step::Evidence {
        return prompts::show(ctx, draft, Some(r(lang, R::EvidenceNotNow))).await;
    }
    match evidence::from_message(msg) {
        // Possible when the evidence step is edited with the list already full.
        Incoming::Evidence(_) if draft.evidence.len() >= Evidence::MAX_COUNT => {
            let (text, keyboard) = prompts::evidence_received(lang, &draft.evidence);
            let note = r_args(
                lang,
                R::EvidenceFull,
                Args::new().with("max", Evidence::MAX_COUNT),
            );
            ctx.detached()
                .show(format!("{note}\n\n{text}"), Some(keyboard))
                .await
        }
        Incoming::Evidence(evidence) => {
            let mut next = draft.clone();
            next.evidence.push(evidence);
            if next.evidence.len() >= Evidence::MAX_COUNT {
                next.evidence_done = true;
                next.advance();
                let note = r_args(
                    lang,
                    R::EvidenceFull,
                    Args::new().with("max", Evidence::MAX_COUNT),
                );
                return save_and_show(ctx, next, Some(note)).await;
            }
            next.last_activity = Utc::now();
            ctx.save(&State::Reporting {
                draft: Box::new(next.clone()),
            })
            .await?;
            let (text, keyboard) = prompts::evidence_received(lang, &next.evidence);
            ctx.detached().show(text, Some(keyboard)).await
        }
        Incoming::TooLarge { megabytes } => {
            let args = Args::new().with("size", megabytes);
            let note = r_args(lang, R::EvidenceTooLarge, args);
            prompts::show(ctx, draft, Some(note)).await
        }
        Incoming::Unsupported => {
            prompts::show(ctx, draft, Some(r(lang, R::EvidenceUnsupported))).await
        }
    }
}

/// A voice message at the description step: many people would rather say it than type it.
/// The recording is kept as evidence, and a short written summary is still asked for, because
/// staff triage, route and search reports by their text.
async fn voice_description(
    ctx: &Ctx<'_>,
    draft: &ReportDraft,
    msg: &Message,
) -> Result<(), BotError> {
    let lang = ctx.lang;
    let evidence = match evidence::from_message(msg) {
        Incoming::Evidence(evidence) if draft.evidence.len() < Evidence::MAX_COUNT => evidence,
        Incoming::TooLarge { megabytes } => {
            let note = r_args(
                lang,
                R::EvidenceTooLarge,
                Args::new().with("size", megabytes),
            );
            return prompts::show(ctx, draft, Some(note)).await;
        }
        _ => return prompts::show(ctx, draft, Some(r(lang, R::EvidenceNotNow))).await,
    };
    let mut next = draft.clone();
    next.evidence.push(evidence);
    save_and_show(
        &ctx.detached(),
        next,
        Some(r(lang, R::VoiceDescriptionKept)),
    )
    .await
}

/// Whether a button belongs to the step on screen (an older button is refused).
fn fits(step: Step, action: &ReportAction) -> bool {
    use ReportAction as A;
    matches!(
        (step, action),
        (Step::Category, A::Category(_) | A::CategoryHeadings)
            | (
                Step::PersonName | Step::PersonUnit | Step::PersonPosition,
                A::Skip
            )
            | (Step::PersonLevel, A::Level(_))
            | (Step::CommissionStaff, A::Commission(_))
            | (Step::Township, A::Township(_) | A::TownshipPage(_))
            | (Step::Evidence, A::EvidenceDone)
            | (Step::Identity, A::RealName | A::Anonymous)
            | (Step::Notify, A::Notify(_))
            | (Step::Review, A::Submit(_) | A::Edit)
            | (Step::EditMenu, A::EditField(_) | A::BackToReview)
            | (_, A::Cancel | A::ConfirmCancel | A::KeepDraft)
    )
}

/// The report buttons that do not belong to a draft: starting one, and following up a report
/// already filed. `None` for the draft's own buttons.
async fn on_follow_up_action(
    ctx: &Ctx<'_>,
    state: &State,
    action: &ReportAction,
    query_id: &CallbackQueryId,
) -> Result<Option<bool>, BotError> {
    match action {
        ReportAction::Start => {
            ctx.answer_press(query_id, None, false).await?;
            let first = ctx.pressed.map_or(0, |m| m.0);
            start(ctx, state, first).await?;
            Ok(Some(true))
        }
        ReportAction::Delete { from, to } => {
            submit::delete_conversation(ctx, query_id, *from, *to).await?;
            Ok(Some(true))
        }
        ReportAction::Reply { report, tag } => status::start_reply(ctx, *report, tag, query_id)
            .await
            .map(Some),
        ReportAction::Progress { report, tag } => {
            status::show_progress(ctx, *report, tag, query_id)
                .await
                .map(Some)
        }
        ReportAction::SendCode(code) => {
            ctx.answer_press(query_id, None, false).await?;
            let args = Args::new().text("code", code.to_string());
            ctx.detached()
                .say(r_args(ctx.lang, R::SavableCode, args))
                .await?;
            Ok(Some(true))
        }
        ReportAction::Status => {
            ctx.answer_press(query_id, None, false).await?;
            status_command(&ctx.detached(), state, None).await?;
            Ok(Some(true))
        }
        _ => Ok(None),
    }
}

/// A category button: a heading opens its sub-categories, a leaf is the answer. `false` for a
/// category no longer in the content.
async fn choose_category(
    ctx: &Ctx<'_>,
    next: &mut ReportDraft,
    code: &qingfeng_core::domain::CategoryCode,
) -> Result<bool, BotError> {
    let categories = ctx.store().report_categories().await?;
    let Some(chosen) = categories.iter().find(|c| &c.code == code) else {
        return Ok(false);
    };
    if categories.iter().any(|c| c.parent.as_ref() == Some(code)) {
        next.category_heading = Some(chosen.code.clone());
    } else {
        next.category = Some(chosen.code.clone());
    }
    Ok(true)
}

/// A press of a report button. Returns false when the button is stale or forged (the caller
/// answers with an alert and shows where the user really is).
pub async fn on_action(
    ctx: &Ctx<'_>,
    state: &State,
    action: &ReportAction,
    query_id: &CallbackQueryId,
) -> Result<bool, BotError> {
    if let Some(handled) = on_follow_up_action(ctx, state, action, query_id).await? {
        return Ok(handled);
    }
    let State::Reporting { draft } = state else {
        return Ok(false);
    };
    if !fits(draft.step, action) {
        return Ok(false);
    }
    let mut next = (**draft).clone();
    match action {
        ReportAction::Category(code) => {
            if !choose_category(ctx, &mut next, code).await? {
                return Ok(false);
            }
        }
        ReportAction::CategoryHeadings => next.category_heading = None,
        ReportAction::Skip if next.step == Step::PersonName => {
            next.person_name = Some(Answer::NotGiven);
        }
        ReportAction::Skip if next.step == Step::PersonUnit => {
            next.unit = Some(Answer::NotGiven);
        }
        ReportAction::Skip => next.position = Some(Answer::NotGiven),
        ReportAction::Level(level) => next.answer_level(*level),
        ReportAction::Commission(tie) => next.commission = Some(*tie),
        ReportAction::Township(Some(code)) => {
            if !matches!(ctx.store().township(code).await?, Some((_, true))) {
                return Ok(false);
            }
            next.township = Some(Answer::Given(code.clone()));
        }
        ReportAction::Township(None) => next.township = Some(Answer::NotGiven),
        ReportAction::TownshipPage(page) => next.township_page = *page,
        ReportAction::EvidenceDone => next.evidence_done = true,
        ReportAction::RealName => next.identity_chosen = Some(IdentityChoice::RealName),
        ReportAction::Anonymous => next.identity_chosen = Some(IdentityChoice::Anonymous),
        ReportAction::Notify(notify) => {
            next.reporter = Some(Reporter::Anonymous { notify: *notify });
        }
        ReportAction::Edit => {
            ctx.answer_press(query_id, None, false).await?;
            next.step = Step::EditMenu;
            save_and_show(&ctx.detached(), next, None).await?;
            return Ok(true);
        }
        ReportAction::EditField(field) => next.edit(*field),
        // Nothing was cleared, so the next question is the review itself.
        ReportAction::BackToReview => {}
        ReportAction::Submit(revision) if *revision != draft.revision => {
            // An older review: it no longer shows what would be filed.
            let outdated = r(ctx.lang, R::ReviewOutdated);
            ctx.answer_press(query_id, Some(outdated), true).await?;
            prompts::show(&ctx.detached(), draft, None).await?;
            return Ok(true);
        }
        ReportAction::Submit(_) => {
            ctx.answer_press(query_id, None, false).await?;
            submit::submit(ctx, draft).await?;
            return Ok(true);
        }
        // At the review everything is written: one tap beside 修改 must not throw it away.
        ReportAction::Cancel if matches!(draft.step, Step::Review | Step::EditMenu) => {
            ctx.answer_press(query_id, None, false).await?;
            prompts::confirm_cancel(ctx).await?;
            return Ok(true);
        }
        ReportAction::Cancel | ReportAction::ConfirmCancel => {
            ctx.answer_press(query_id, None, false).await?;
            cancel(ctx).await?;
            return Ok(true);
        }
        ReportAction::KeepDraft => {
            ctx.answer_press(query_id, None, false).await?;
            prompts::show(ctx, draft, None).await?;
            return Ok(true);
        }
        ReportAction::Start
        | ReportAction::Delete { .. }
        | ReportAction::Reply { .. }
        | ReportAction::Progress { .. }
        | ReportAction::SendCode(_)
        | ReportAction::Status => {
            return Ok(false);
        }
    }
    if !matches!(action, ReportAction::EditField(_)) {
        next.advance();
    }
    ctx.answer_press(query_id, None, false).await?;
    save_and_show(ctx, next, None).await?;
    Ok(true)
}

/// A command that would replace the dialogue state while a report draft is open.
pub async fn draft_in_progress(ctx: &Ctx<'_>, draft: &ReportDraft) -> Result<(), BotError> {
    let note = r(ctx.lang, R::DraftInProgress);
    prompts::show(&ctx.detached(), draft, Some(note)).await
}

/// Used by `/help`: the report and status buttons.
pub fn help_keyboard(ctx: &Ctx<'_>) -> teloxide::types::InlineKeyboardMarkup {
    use crate::action::Action;
    use crate::keyboards::button;
    teloxide::types::InlineKeyboardMarkup::new([vec![
        button(
            ctx.t(Msg::ButtonReport),
            Action::Report(ReportAction::Start),
        ),
        button(
            ctx.t(Msg::ButtonStatus),
            Action::Report(ReportAction::Status),
        ),
    ]])
}
