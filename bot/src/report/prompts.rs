//! What each step of the report flow shows: its question and its buttons.

use qingfeng_core::Language;
use qingfeng_core::domain::ReportCategory;
use qingfeng_core::domain::{CommissionTie, Evidence, PersonLevel, Reporter};
use qingfeng_core::i18n::Args;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::action::ReportAction;
use super::draft::{Answer, Field, ReportDraft, Step};
use super::text::{self, R, r, r_args};
use crate::action::Action;
use crate::context::{BotError, Ctx};
use crate::keyboards::{button, paged};

fn rb(label: String, action: ReportAction) -> InlineKeyboardButton {
    button(label, Action::Report(action))
}

fn cancel_row(lang: Language) -> Vec<InlineKeyboardButton> {
    vec![rb(r(lang, R::ButtonCancel), ReportAction::Cancel)]
}

/// The review screen shows at most this much of the description (Telegram's limit is 4096).
const REVIEW_DESCRIPTION_CHARS: usize = 1500;

/// Shows the current step of `draft`, with an optional note above it (e.g. why an answer was
/// refused). The review screen is always a new, protected message.
pub async fn show(
    ctx: &Ctx<'_>,
    draft: &ReportDraft,
    note: Option<String>,
) -> Result<(), BotError> {
    let lang = ctx.lang;
    if draft.step == Step::Review {
        return show_review(ctx, draft, note).await;
    }
    let (question, keyboard) = question(ctx, draft).await?;
    // People on a phone want to know how much is left ("第 3 步，共 12 步").
    let question = match draft.progress() {
        Some((step, total)) => {
            let args = Args::new().with("step", step).with("total", total);
            format!("{}\n{question}", r_args(lang, R::Progress, args))
        }
        None => question,
    };
    let text = match note {
        Some(note) => format!("{note}\n\n{question}"),
        None => question,
    };
    ctx.show(text, Some(keyboard)).await
}

/// The review: a new protected message (it holds the whole report), with the submit button
/// of this revision.
async fn show_review(
    ctx: &Ctx<'_>,
    draft: &ReportDraft,
    note: Option<String>,
) -> Result<(), BotError> {
    // The pressed question keeps its text but loses its (now stale) buttons.
    if let Some(pressed) = ctx.pressed {
        let _ = ctx
            .bot
            .edit_message_reply_markup(ctx.chat_id, pressed)
            .await;
    }
    let text = review(ctx, draft).await?;
    let text = match note {
        Some(note) => format!("{note}\n\n{text}"),
        None => text,
    };
    ctx.send_protected(text, Some(review_keyboard(ctx.lang, draft.revision)))
        .await?;
    Ok(())
}

/// The question of every step but the review, and its buttons.
async fn question(
    ctx: &Ctx<'_>,
    draft: &ReportDraft,
) -> Result<(String, InlineKeyboardMarkup), BotError> {
    let lang = ctx.lang;
    Ok(match draft.step {
        Step::Category => categories(ctx, draft).await?,
        Step::PersonName => (
            r(lang, R::AskPersonName),
            keyboard(
                [vec![rb(r(lang, R::ButtonUnknown), ReportAction::Skip)]],
                lang,
            ),
        ),
        Step::PersonUnit => (
            r(lang, R::AskPersonUnit),
            keyboard(
                [vec![rb(r(lang, R::ButtonUnknown), ReportAction::Skip)]],
                lang,
            ),
        ),
        Step::PersonPosition => (
            r(lang, R::AskPersonPosition),
            keyboard(
                [vec![rb(r(lang, R::ButtonSkipPosition), ReportAction::Skip)]],
                lang,
            ),
        ),
        Step::PersonLevel => level_question(lang),
        Step::CommissionStaff => commission_question(lang),
        Step::Township => township_question(ctx, draft).await?,
        Step::Description => (r(lang, R::AskDescription), keyboard([], lang)),
        Step::WhenWhere => (r(lang, R::AskWhenWhere), keyboard([], lang)),
        Step::Evidence => evidence_prompt(lang, &draft.evidence),
        Step::Identity => (
            r(lang, R::AskIdentity),
            keyboard(
                [vec![
                    rb(r(lang, R::ButtonRealName), ReportAction::RealName),
                    rb(r(lang, R::ButtonAnonymous), ReportAction::Anonymous),
                ]],
                lang,
            ),
        ),
        Step::ReporterName => (r(lang, R::AskReporterName), keyboard([], lang)),
        Step::ReporterMobile => (r(lang, R::AskReporterMobile), keyboard([], lang)),
        Step::Notify => (
            r(lang, R::AskNotify),
            keyboard(
                [
                    vec![rb(r(lang, R::ButtonNotifyYes), ReportAction::Notify(true))],
                    vec![rb(r(lang, R::ButtonNotifyNo), ReportAction::Notify(false))],
                ],
                lang,
            ),
        ),
        // Shown by `show_review`; never asked as a question.
        Step::Review => (
            review(ctx, draft).await?,
            review_keyboard(lang, draft.revision),
        ),
        Step::EditMenu => edit_menu(lang),
    })
}

fn level_question(lang: Language) -> (String, InlineKeyboardMarkup) {
    // One per row: the reworded levels are too long to pair on a phone.
    let rows = PersonLevel::ALL
        .chunks(1)
        .map(|pair| {
            pair.iter()
                .map(|l| rb(r(lang, text::level(*l)), ReportAction::Level(*l)))
                .collect()
        })
        .collect::<Vec<_>>();
    (r(lang, R::AskPersonLevel), keyboard(rows, lang))
}

fn commission_question(lang: Language) -> (String, InlineKeyboardMarkup) {
    (
        r(lang, R::AskCommissionStaff),
        keyboard(
            [
                vec![rb(
                    r(lang, R::CommissionNo),
                    ReportAction::Commission(CommissionTie::None),
                )],
                vec![rb(
                    r(lang, R::CommissionLeader),
                    ReportAction::Commission(CommissionTie::Leader),
                )],
                vec![rb(
                    r(lang, R::CommissionOther),
                    ReportAction::Commission(CommissionTie::OtherStaff),
                )],
                vec![rb(
                    r(lang, R::ButtonUnknown),
                    ReportAction::Commission(CommissionTie::Unknown),
                )],
            ],
            lang,
        ),
    )
}

/// "· 违反群众纪律：优亲厚友、吃拿卡要…" for each category that has examples, so a reporter can
/// tell them apart before pressing one.
fn example_lines(lang: Language, categories: &[&ReportCategory]) -> String {
    let lines: Vec<String> = categories
        .iter()
        .filter_map(|c| {
            let examples = c.examples.as_ref()?;
            Some(match lang {
                Language::ZhCn => format!("· {}：{}", c.name(lang), examples.get(lang)),
                Language::En => format!("· {}: {}", c.name(lang), examples.get(lang)),
            })
        })
        .collect();
    if lines.is_empty() {
        String::new()
    } else {
        format!("\n\n{}", lines.join("\n"))
    }
}

async fn township_question(
    ctx: &Ctx<'_>,
    draft: &ReportDraft,
) -> Result<(String, InlineKeyboardMarkup), BotError> {
    let lang = ctx.lang;
    let townships = ctx.store().townships().await?;
    let items = townships
        .iter()
        .map(|t| {
            let label = t.name(lang).to_owned();
            (
                label,
                Action::Report(ReportAction::Township(Some(t.code.clone()))),
            )
        })
        .collect();
    let mut rows = paged(lang, items, draft.township_page, |p| {
        Action::Report(ReportAction::TownshipPage(p))
    });
    rows.push(vec![rb(
        r(lang, R::ButtonCountyDepartments),
        ReportAction::Township(None),
    )]);
    Ok((r(lang, R::AskTownship), keyboard(rows, lang)))
}

/// What to change at the review, and 返回 to the review unchanged.
fn edit_menu(lang: Language) -> (String, InlineKeyboardMarkup) {
    let rows = Field::ALL
        .chunks(2)
        .map(|pair| {
            pair.iter()
                .map(|f| rb(r(lang, text::field(*f)), ReportAction::EditField(*f)))
                .collect()
        })
        .chain([vec![rb(r(lang, R::ButtonBack), ReportAction::BackToReview)]])
        .collect::<Vec<Vec<_>>>();
    (r(lang, R::EditWhich), keyboard(rows, lang))
}

fn keyboard(
    rows: impl IntoIterator<Item = Vec<InlineKeyboardButton>>,
    lang: Language,
) -> InlineKeyboardMarkup {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = rows.into_iter().collect();
    rows.push(cancel_row(lang));
    InlineKeyboardMarkup::new(rows)
}

fn review_keyboard(lang: Language, revision: u32) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![rb(r(lang, R::ButtonSubmit), ReportAction::Submit(revision))],
        vec![
            rb(r(lang, R::ButtonEdit), ReportAction::Edit),
            rb(r(lang, R::ButtonCancel), ReportAction::Cancel),
        ],
    ])
}

async fn categories(
    ctx: &Ctx<'_>,
    draft: &ReportDraft,
) -> Result<(String, InlineKeyboardMarkup), BotError> {
    let lang = ctx.lang;
    let all = ctx.store().report_categories().await?;
    let (shown, question): (Vec<&ReportCategory>, String) = match &draft.category_heading {
        Some(heading) => {
            let title = all
                .iter()
                .find(|c| &c.code == heading)
                .map(|c| c.name(lang).to_owned())
                .unwrap_or_default();
            (
                all.iter()
                    .filter(|c| c.parent.as_ref() == Some(heading))
                    .collect(),
                r_args(lang, R::AskSubcategory, Args::new().text("heading", title)),
            )
        }
        None => {
            let top: Vec<&ReportCategory> = all.iter().filter(|c| c.parent.is_none()).collect();
            let question = format!("{}{}", r(lang, R::Intro), example_lines(lang, &top));
            (top, question)
        }
    };
    let mut rows: Vec<Vec<InlineKeyboardButton>> = shown
        .iter()
        .map(|c| {
            vec![rb(
                c.name(lang).to_owned(),
                ReportAction::Category(c.code.clone()),
            )]
        })
        .collect();
    if draft.category_heading.is_some() {
        rows.push(vec![rb(
            r(lang, R::ButtonBack),
            ReportAction::CategoryHeadings,
        )]);
    }
    Ok((question, keyboard(rows, lang)))
}

fn evidence_prompt(lang: Language, evidence: &[Evidence]) -> (String, InlineKeyboardMarkup) {
    let done = if evidence.is_empty() {
        rb(r(lang, R::ButtonNoEvidence), ReportAction::EvidenceDone)
    } else {
        rb(r(lang, R::ButtonEvidenceDone), ReportAction::EvidenceDone)
    };
    let args = Args::new()
        .with("count", evidence.len())
        .with("max", Evidence::MAX_COUNT);
    (
        r_args(lang, R::AskEvidence, args),
        keyboard([vec![done]], lang),
    )
}

/// The reply to a file sent at the evidence step: how many so far, and the done button.
pub fn evidence_received(lang: Language, evidence: &[Evidence]) -> (String, InlineKeyboardMarkup) {
    let args = Args::new()
        .with("count", evidence.len())
        .with("max", Evidence::MAX_COUNT);
    (
        r_args(lang, R::EvidenceReceived, args),
        keyboard(
            [vec![rb(
                r(lang, R::ButtonEvidenceDone),
                ReportAction::EvidenceDone,
            )]],
            lang,
        ),
    )
}

async fn review(ctx: &Ctx<'_>, draft: &ReportDraft) -> Result<String, BotError> {
    let lang = ctx.lang;
    let store = ctx.store();
    let category = match &draft.category {
        Some(code) => match store.report_category(code).await? {
            Some((c, _)) => c.name(lang).to_owned(),
            None => code.to_string(),
        },
        None => String::new(),
    };
    let township = match draft.township.as_ref() {
        Some(Answer::Given(code)) => match store.township(code).await? {
            Some((t, _)) => t.name(lang).to_owned(),
            None => code.to_string(),
        },
        _ => r(lang, R::CountyDepartments),
    };
    let township = if draft.township_from_profile {
        r_args(
            lang,
            R::TownshipFromProfile,
            Args::new().text("township", township),
        )
    } else {
        township
    };
    let person_name = match draft.person_name.as_ref() {
        Some(Answer::Given(name)) => name.to_string(),
        _ => r(lang, R::NameUnknown),
    };
    let position = match draft.position.as_ref() {
        Some(Answer::Given(position)) => position.to_string(),
        _ => r(lang, R::NoPosition),
    };
    let level = draft
        .level
        .map(|l| r(lang, text::level(l)))
        .unwrap_or_default();
    let staff = match draft.commission {
        Some(CommissionTie::Leader) => r(lang, R::CommissionLeader),
        Some(CommissionTie::OtherStaff) => r(lang, R::CommissionOther),
        Some(CommissionTie::Unknown) => r(lang, R::ButtonUnknown),
        _ => r(lang, R::CommissionNo),
    };
    let description = review_description(lang, draft);
    let evidence = review_evidence(lang, draft);
    let identity = review_identity(lang, draft);
    let args = Args::new()
        .text("category", category)
        .text("name", person_name)
        .text(
            "unit",
            match draft.unit.as_ref() {
                Some(Answer::Given(unit)) => unit.to_string(),
                _ => r(lang, R::ButtonUnknown),
            },
        )
        .text("position", position)
        .text("level", level)
        .text("staff", staff)
        .text("township", township)
        .text("description", description)
        .text(
            "when",
            draft
                .when_where
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        )
        .text("evidence", evidence)
        .text("identity", identity);
    Ok(r_args(lang, R::Review, args))
}

/// The description as the review shows it: cut at `REVIEW_DESCRIPTION_CHARS` characters, saying so.
fn review_description(lang: Language, draft: &ReportDraft) -> String {
    draft
        .description
        .as_ref()
        .map(|d| {
            let total = d.as_str().chars().count();
            if total > REVIEW_DESCRIPTION_CHARS {
                let head: String = d.as_str().chars().take(REVIEW_DESCRIPTION_CHARS).collect();
                let note = r_args(lang, R::ReviewTruncated, Args::new().with("count", total));
                format!("{head}…\n{note}")
            } else {
                d.to_string()
            }
        })
        .unwrap_or_default()
}

/// "3 个（照片、语音、文件）", or 无.
fn review_evidence(lang: Language, draft: &ReportDraft) -> String {
    if draft.evidence.is_empty() {
        r(lang, R::NoEvidence)
    } else {
        let kinds: Vec<String> = draft
            .evidence
            .iter()
            .map(|e| r(lang, text::evidence(e.kind)))
            .collect();
        r_args(
            lang,
            R::EvidenceCount,
            Args::new()
                .with("count", draft.evidence.len())
                .text("kinds", kinds.join("、")),
        )
    }
}

/// Who is reporting: the real name and mobile, or anonymous (with or without replies here).
fn review_identity(lang: Language, draft: &ReportDraft) -> String {
    match &draft.reporter {
        Some(Reporter::RealName(real)) => r_args(
            lang,
            R::RealNameLine,
            Args::new()
                .text("name", real.name.to_string())
                .text("mobile", real.mobile.as_str()),
        ),
        Some(Reporter::Anonymous { notify: true }) => r(lang, R::AnonymousNotified),
        _ => r(lang, R::Anonymous),
    }
}

/// "Abandon this report?" with the two answers; the draft is kept until the first is pressed.
pub async fn confirm_cancel(ctx: &Ctx<'_>) -> Result<(), BotError> {
    let lang = ctx.lang;
    let keyboard = InlineKeyboardMarkup::new([vec![
        rb(r(lang, R::ButtonConfirmCancel), ReportAction::ConfirmCancel),
        rb(r(lang, R::ButtonKeepDraft), ReportAction::KeepDraft),
    ]]);
    ctx.show(r(lang, R::ConfirmCancel), Some(keyboard)).await
}
