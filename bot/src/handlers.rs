//! The dispatcher schema and its endpoints. Endpoints resolve the chat's language and state,
//! hand the update to the flow, and persist the resulting state. A failure is logged (never
//! with message content) and answered with an apology; the dispatcher keeps running.

use qingfeng_core::Language;
use qingfeng_core::i18n::Args;
use qingfeng_core::store::Acknowledged;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{ChatMemberUpdated, PollAnswer, User};

use crate::action::Action;
use crate::commands::{self, Command, Parsed};
use crate::context::{BotError, Ctx, Deps, SharedDeps, answer_press};
use crate::onboarding::{self, Outcome};
use crate::profile;
use crate::quiz;
use crate::report;
use crate::state::State;
use crate::text::{Msg, t};

pub fn schema() -> UpdateHandler<BotError> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_callback))
        .branch(Update::filter_my_chat_member().endpoint(on_my_chat_member))
        .branch(Update::filter_poll_answer().endpoint(on_poll_answer))
}

async fn language_of(deps: &Deps, chat_id: ChatId, user: Option<&User>) -> Language {
    let code = user.and_then(|u| u.language_code.as_deref());
    profile::language(deps, chat_id.0, code, deps.default_language)
        .await
        .unwrap_or_else(|_| Language::from_telegram(code, deps.default_language))
}

/// Logs a failed update and tells the user, so nobody is left waiting in silence.
async fn apologise_on_error(
    bot: &Bot,
    chat_id: ChatId,
    lang: Language,
    result: Result<(), BotError>,
) -> Result<(), BotError> {
    if let Err(error) = &result {
        tracing::error!(%error, "handling an update failed");
        let _ = bot.send_message(chat_id, t(lang, Msg::ErrorInternal)).await;
    }
    result
}

async fn on_message(bot: Bot, msg: Message, deps: SharedDeps) -> Result<(), BotError> {
    if !msg.chat.is_private() {
        // Groups and channels are not part of the service; stay quiet there.
        return Ok(());
    }
    let lang = language_of(&deps, msg.chat.id, msg.from.as_ref()).await;
    let ctx = Ctx {
        bot: &bot,
        deps: &deps,
        chat_id: msg.chat.id,
        lang,
        pressed: None,
    };
    let result = handle_message(&ctx, &msg).await;
    apologise_on_error(&bot, msg.chat.id, lang, result).await
}

/// The chat's state. A report draft already filed (stopped after the commit) shows its code
/// and ends; one left too long is discarded (and the user told).
async fn load_state(ctx: &Ctx<'_>) -> Result<State, BotError> {
    let state = ctx.deps.dialogues.load(ctx.chat_id.0).await?;
    let State::Reporting { draft } = &state else {
        return Ok(state);
    };
    if draft.step == report::Step::Review && report::finish_if_filed(ctx, draft).await? {
        return Ok(State::Idle);
    }
    if report::expired(ctx, draft) {
        ctx.end_report_conversation().await?;
        report::say_expired(ctx).await?;
        return Ok(State::Idle);
    }
    Ok(state)
}

async fn handle_message(ctx: &Ctx<'_>, msg: &Message) -> Result<(), BotError> {
    let state = load_state(ctx).await?;
    let Some(text) = msg.text() else {
        if let State::Reporting { draft } = &state {
            return report::on_media(ctx, draft, msg).await;
        }
        ctx.say(ctx.t(Msg::UnsupportedMessage)).await?;
        return onboarding::enter(ctx, &state, None).await;
    };
    // A press on the bottom menu arrives as its label. It is taken as the command, so during a
    // report draft it meets the same refusal as a typed command instead of becoming an answer
    // ("被反映人：举报").
    if let Some(command) = commands::from_menu_label(text) {
        return run_command(ctx, &state, command, msg.id.0).await;
    }
    match commands::parse(text, &ctx.deps.bot_username) {
        Parsed::NotForUs => Ok(()),
        Parsed::Unknown => ctx.say(ctx.t(Msg::UnknownCommand)).await,
        Parsed::Command(command) => run_command(ctx, &state, command, msg.id.0).await,
        Parsed::NotACommand => match &state {
            // A letter or an option typed at an open quiz question answers it.
            State::Idle if quiz::answer_typed(ctx, text).await? => Ok(()),
            State::Idle => help(ctx).await,
            State::Reporting { draft } => report::on_text(ctx, draft, text).await,
            State::AwaitingTrackingCode => report::on_code_text(ctx, text).await,
            State::WritingToStaff { report_id } => {
                report::on_reply_text(ctx, *report_id, text).await
            }
            _ => {
                let (next, note) = onboarding::on_text(ctx, &state, text);
                move_to(ctx, &state, next, note).await
            }
        },
    }
}

async fn help(ctx: &Ctx<'_>) -> Result<(), BotError> {
    ctx.show(ctx.t(Msg::Help), Some(report::help_keyboard(ctx)))
        .await
}

/// Saves the new state, then shows its prompt: a crash in between leaves the store ahead of
/// the chat, and the user's next input is answered for the step the store knows.
async fn move_to(
    ctx: &Ctx<'_>,
    current: &State,
    next: State,
    note: Option<String>,
) -> Result<(), BotError> {
    if next != *current {
        ctx.save(&next).await?;
    }
    onboarding::enter(ctx, &next, note).await
}

async fn finish(ctx: &Ctx<'_>, current: &State, text: String) -> Result<(), BotError> {
    if *current != State::Idle {
        ctx.save(&State::Idle).await?;
    }
    ctx.show(text, None).await
}

async fn run_command(
    ctx: &Ctx<'_>,
    state: &State,
    command: Command,
    message_id: i32,
) -> Result<(), BotError> {
    // During a report draft, any other command would start another conversation (a quiz, a
    // profile edit) while the draft still waits for its answer, and the next words typed would
    // land in the draft ("被反映人：好的"). So the draft is shown again instead; /report resumes
    // it and /cancel abandons it.
    if let State::Reporting { draft } = state
        && !matches!(command, Command::Report | Command::Cancel)
    {
        return report::draft_in_progress(ctx, draft).await;
    }
    match command {
        Command::Start(payload) => {
            let next = onboarding::start(ctx, payload.as_deref()).await?;
            move_to(ctx, state, next, None).await
        }
        Command::Help => help(ctx).await,
        Command::Report => report::start(ctx, state, message_id).await,
        Command::Status(code) => report::status_command(ctx, state, code.as_deref()).await,
        Command::Id => {
            let args = Args::new().text("id", ctx.chat_id.0.to_string());
            ctx.say(ctx.t_args(Msg::YourChatId, args)).await
        }
        Command::Me => profile::show_me(ctx).await,
        Command::Stop => {
            let text = profile::unsubscribe(ctx).await?;
            finish(ctx, state, text).await
        }
        Command::Lang(None) => profile::choose_language(ctx, None).await,
        Command::Lang(Some(Ok(lang))) => profile::set_language(ctx, state, lang).await,
        Command::Lang(Some(Err(unknown))) => profile::choose_language(ctx, Some(&unknown)).await,
        Command::Quiz => quiz::start(ctx).await,
        Command::Rank => quiz::rank(ctx).await,
        Command::Cancel if *state == State::Idle => ctx.say(ctx.t(Msg::NothingToCancel)).await,
        Command::Cancel if matches!(state, State::Reporting { .. }) => report::cancel(ctx).await,
        Command::Cancel
            if matches!(
                state,
                State::AwaitingTrackingCode | State::WritingToStaff { .. }
            ) =>
        {
            report::cancel_follow_up(ctx).await
        }
        Command::Cancel => finish(ctx, state, ctx.t(Msg::OnboardingCancelled)).await,
    }
}

async fn on_callback(bot: Bot, query: CallbackQuery, deps: SharedDeps) -> Result<(), BotError> {
    // A callback from an inaccessible or inline message has no chat to answer in.
    let Some(chat_id) = query.message.as_ref().map(|m| m.chat().id) else {
        return answer_press(&bot, &query.id, None, false).await;
    };
    if !query
        .message
        .as_ref()
        .is_some_and(|m| m.chat().is_private())
    {
        return answer_press(&bot, &query.id, None, false).await;
    }
    let lang = language_of(&deps, chat_id, Some(&query.from)).await;
    let pressed = query
        .message
        .as_ref()
        .and_then(|m| m.regular_message())
        .map(|m| m.id);
    let ctx = Ctx {
        bot: &bot,
        deps: &deps,
        chat_id,
        lang,
        pressed,
    };
    let result = handle_callback(&ctx, &query).await;
    apologise_on_error(&bot, chat_id, lang, result).await
}

async fn handle_callback(ctx: &Ctx<'_>, query: &CallbackQuery) -> Result<(), BotError> {
    let action = query.data.as_deref().and_then(|d| d.parse::<Action>().ok());
    match action {
        Some(Action::Acknowledge(delivery_id)) => {
            return acknowledge(ctx, query, delivery_id).await;
        }
        Some(Action::StartQuiz) => {
            ctx.answer_press(&query.id, None, false).await?;
            return quiz::start(&ctx.detached()).await;
        }
        Some(Action::QuizAnswer {
            attempt,
            position,
            option,
        }) => {
            let toast = quiz::answer(ctx, attempt, position, option).await?;
            return ctx.answer_press(&query.id, Some(toast), false).await;
        }
        _ => {}
    }
    let state = load_state(ctx).await?;
    if let Some(Action::Report(report_action)) = &action {
        if report::on_action(ctx, &state, report_action, &query.id).await? {
            return Ok(());
        }
        return refuse_press(ctx, query, &state, Msg::ButtonExpired).await;
    }
    let outcome = match &action {
        Some(action) => match profile::on_action(ctx, &state, action).await? {
            Some(outcome) => outcome,
            None => onboarding::on_action(ctx, &state, action).await?,
        },
        None => Outcome::Invalid,
    };
    match outcome {
        Outcome::Moved(next) => {
            move_to(ctx, &state, next, None).await?;
            ctx.answer_press(&query.id, None, false).await?;
        }
        Outcome::Finished(text) => {
            finish(ctx, &state, text).await?;
            ctx.answer_press(&query.id, None, false).await?;
        }
        Outcome::Subscribed(text) => {
            if state != State::Idle {
                ctx.save(&State::Idle).await?;
            }
            // A new message, not an edit of the pressed one: only a new message can put the
            // bottom menu under the input field.
            ctx.say_with_menu(text).await?;
            ctx.answer_press(&query.id, None, false).await?;
        }
        Outcome::Done => {
            ctx.answer_press(&query.id, None, false).await?;
        }
        Outcome::Invalid => {
            let note = if action.is_some() {
                Msg::ButtonExpired
            } else {
                Msg::ButtonUnknown
            };
            refuse_press(ctx, query, &state, note).await?;
        }
    }
    Ok(())
}

/// An old or forged button: say so, and show where the user really is.
async fn refuse_press(
    ctx: &Ctx<'_>,
    query: &CallbackQuery,
    state: &State,
    note: Msg,
) -> Result<(), BotError> {
    ctx.answer_press(&query.id, Some(ctx.t(note)), true).await?;
    match state {
        State::Reporting { draft } => report::draft_in_progress(ctx, draft).await,
        State::Idle | State::AwaitingTrackingCode | State::WritingToStaff { .. } => {
            ctx.detached().say(ctx.t(note)).await
        }
        _ => onboarding::enter(&ctx.detached(), state, Some(ctx.t(note))).await,
    }
}

/// "Got it" under a reminder: recorded once, answered with a short toast, button removed.
async fn acknowledge(
    ctx: &Ctx<'_>,
    query: &CallbackQuery,
    delivery_id: i64,
) -> Result<(), BotError> {
    let answer = match ctx.store().acknowledge(delivery_id, ctx.chat_id.0).await? {
        Acknowledged::Recorded => Msg::AcknowledgeThanks,
        Acknowledged::Already => Msg::AcknowledgeAlready,
        Acknowledged::NotFound => Msg::AcknowledgeUnknown,
    };
    ctx.answer_press(&query.id, Some(ctx.t(answer)), false)
        .await?;
    if answer == Msg::AcknowledgeThanks
        && let Some(message_id) = ctx.pressed
    {
        // The reminder stays; only the button goes. Failing to edit is harmless.
        let _ = ctx
            .bot
            .edit_message_reply_markup(ctx.chat_id, message_id)
            .await;
    }
    Ok(())
}

/// A quiz poll was answered. The update carries no chat: the poll id leads to the attempt.
async fn on_poll_answer(bot: Bot, answer: PollAnswer, deps: SharedDeps) -> Result<(), BotError> {
    let Some((attempt_id, position)) = deps.store.poll(&answer.poll_id.0).await? else {
        return Ok(());
    };
    let Some(attempt) = deps.store.attempt(attempt_id).await? else {
        return Ok(());
    };
    // The voter must be the quiz taker (polls in private chats can only be answered there).
    if answer
        .voter
        .user()
        .is_some_and(|u| u.id.0 as i64 != attempt.chat_id)
    {
        return Ok(());
    }
    let Some(&option) = answer.option_ids.first() else {
        return Ok(());
    };
    let chat_id = ChatId(attempt.chat_id);
    let lang = language_of(&deps, chat_id, answer.voter.user()).await;
    let ctx = Ctx {
        bot: &bot,
        deps: &deps,
        chat_id,
        lang,
        pressed: None,
    };
    let result = quiz::poll_answered(&ctx, &attempt, position, usize::from(option)).await;
    apologise_on_error(&bot, chat_id, lang, result).await
}

/// The user blocked the bot (or unblocked it): keep the subscription's `active` flag true to it.
async fn on_my_chat_member(update: ChatMemberUpdated, deps: SharedDeps) -> Result<(), BotError> {
    if !update.chat.is_private() {
        return Ok(());
    }
    let member = &update.new_chat_member;
    let gone = member.is_banned() || member.is_left();
    if gone
        && deps
            .store
            .set_subscriber_active(update.chat.id.0, false)
            .await?
    {
        tracing::info!("a subscriber blocked the bot; marked inactive");
    }
    Ok(())
}
