//! Inline keyboards. Long lists are paged so that a keyboard stays readable on a phone.

use qingfeng_core::Language;
use qingfeng_core::domain::{Audience, Profile, Township, Village};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup};

use crate::action::Action;
use crate::onboarding::Detail;
use crate::text::{Msg, t};

/// Buttons per page of a list; Zhushan's 17 townships fit on one page.
pub const PAGE_SIZE: usize = 20;
const COLUMNS: usize = 2;

pub(crate) fn button(label: impl Into<String>, action: Action) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(label, action.to_string())
}

fn cancel_row(lang: Language, back: bool) -> Vec<InlineKeyboardButton> {
    let mut row = Vec::new();
    if back {
        row.push(button(t(lang, Msg::ButtonBack), Action::Back));
    }
    row.push(button(t(lang, Msg::ButtonCancel), Action::Cancel));
    row
}

/// The page that exists nearest to `page` (a stale page number must not show an empty list).
pub fn clamp_page(page: usize, items: usize) -> usize {
    page.min(items.saturating_sub(1) / PAGE_SIZE)
}

pub(crate) fn paged(
    lang: Language,
    items: Vec<(String, Action)>,
    page: usize,
    to_page: fn(usize) -> Action,
) -> Vec<Vec<InlineKeyboardButton>> {
    let page = clamp_page(page, items.len());
    let last_page = items.len().saturating_sub(1) / PAGE_SIZE;
    let mut rows: Vec<Vec<InlineKeyboardButton>> = items
        .into_iter()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect::<Vec<_>>()
        .chunks(COLUMNS)
        .map(|chunk| {
            chunk
                .iter()
                .map(|(label, action)| button(label.clone(), action.clone()))
                .collect()
        })
        .collect();
    let mut nav = Vec::new();
    if page > 0 {
        nav.push(button(t(lang, Msg::ButtonPreviousPage), to_page(page - 1)));
    }
    if page < last_page {
        nav.push(button(t(lang, Msg::ButtonNextPage), to_page(page + 1)));
    }
    if !nav.is_empty() {
        rows.push(nav);
    }
    rows
}

pub fn audience(lang: Language) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![
            button(
                t(lang, Msg::ButtonEnterprise),
                Action::Audience(Audience::Enterprise),
            ),
            button(
                t(lang, Msg::ButtonHousehold),
                Action::Audience(Audience::Household),
            ),
        ],
        cancel_row(lang, false),
    ])
}

pub fn townships(lang: Language, townships: &[Township], page: usize) -> InlineKeyboardMarkup {
    let items = townships
        .iter()
        .map(|tw| (tw.name(lang).to_owned(), Action::Township(tw.code.clone())))
        .collect();
    let mut rows = paged(lang, items, page, Action::TownshipPage);
    rows.push(cancel_row(lang, true));
    InlineKeyboardMarkup::new(rows)
}

pub fn villages(lang: Language, villages: &[Village], page: usize) -> InlineKeyboardMarkup {
    let items = villages
        .iter()
        .map(|v| (v.name(lang).to_owned(), Action::Village(v.code.clone())))
        .collect();
    let mut rows = paged(lang, items, page, Action::VillagePage);
    rows.push(vec![button(
        t(lang, Msg::ButtonVillageNotListed),
        Action::VillageNotListed,
    )]);
    rows.push(cancel_row(lang, true));
    InlineKeyboardMarkup::new(rows)
}

pub fn back_and_cancel(lang: Language) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([cancel_row(lang, true)])
}

pub fn skip(lang: Language) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![button(t(lang, Msg::ButtonSkip), Action::Skip)],
        cancel_row(lang, true),
    ])
}

pub fn confirm(lang: Language) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![button(t(lang, Msg::ButtonConfirm), Action::Confirm)],
        vec![
            button(t(lang, Msg::ButtonRestart), Action::Restart),
            button(t(lang, Msg::ButtonCancel), Action::Cancel),
        ],
    ])
}

/// Under `/me`: change one detail, sign up afresh, and stop or resume the reminders.
pub fn profile(lang: Language, profile: &Profile, active: bool) -> InlineKeyboardMarkup {
    let toggle = if active {
        button(t(lang, Msg::ButtonUnsubscribe), Action::Unsubscribe)
    } else {
        button(t(lang, Msg::ButtonResubscribe), Action::Resubscribe)
    };
    let changes = Detail::of(profile).iter().map(|detail| {
        let label = match detail {
            Detail::Township => Msg::ButtonChangeTownship,
            Detail::Village => Msg::ButtonChangeVillage,
            Detail::EnterpriseName => Msg::ButtonChangeEnterpriseName,
            Detail::CreditCode => Msg::ButtonChangeCreditCode,
        };
        button(t(lang, label), Action::EditDetail(*detail))
    });
    let mut rows: Vec<Vec<InlineKeyboardButton>> = changes
        .collect::<Vec<_>>()
        .chunks(2)
        .map(<[_]>::to_vec)
        .collect();
    rows.push(vec![button(
        t(lang, Msg::ButtonEditProfile),
        Action::EditProfile,
    )]);
    rows.push(vec![toggle]);
    InlineKeyboardMarkup::new(rows)
}

pub fn welcome_back(lang: Language) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![button(t(lang, Msg::ButtonResubscribe), Action::Resubscribe)],
        vec![button(t(lang, Msg::ButtonRestart), Action::EditProfile)],
    ])
}

/// The bottom menu, like a WeChat service account's: it stays under the input field
/// (`is_persistent`) and is sized to its two rows (`resize_keyboard`) rather than half the
/// screen. A press sends the label as text; `commands::from_menu_label` reads it back.
pub fn bottom_menu(lang: Language) -> KeyboardMarkup {
    let rows = crate::commands::BOTTOM_MENU.iter().map(|row| {
        row.iter()
            .map(|(label, _)| KeyboardButton::new(t(lang, *label)))
    });
    KeyboardMarkup::new(rows).persistent().resize_keyboard()
}

pub fn languages() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([Language::ALL
        .iter()
        .map(|&lang| button(t(lang, Msg::LanguageName), Action::SetLanguage(lang)))
        .collect::<Vec<_>>()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use qingfeng_core::domain::LocalizedText;

    fn villages_of(count: usize) -> Vec<Village> {
        (0..count)
            .map(|i| Village {
                township: "baofeng".parse().unwrap(),
                code: format!("v{i}").parse().unwrap(),
                name: LocalizedText::new(format!("第{i}村"), format!("Village {i}")),
            })
            .collect()
    }

    fn data(markup: &InlineKeyboardMarkup) -> Vec<String> {
        use teloxide::types::InlineKeyboardButtonKind::CallbackData;
        markup
            .inline_keyboard
            .iter()
            .flatten()
            .filter_map(|b| match &b.kind {
                CallbackData(data) => Some(data.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn long_lists_are_paged_with_navigation() {
        let list = villages_of(45);
        let first = data(&villages(Language::ZhCn, &list, 0));
        assert_eq!(
            first.iter().filter(|d| d.starts_with("vil:v")).count(),
            PAGE_SIZE
        );
        assert!(first.contains(&"vpage:1".to_owned()) && !first.iter().any(|d| d == "vpage:0"));
        let last = data(&villages(Language::ZhCn, &list, 2));
        assert_eq!(last.iter().filter(|d| d.starts_with("vil:v")).count(), 5);
        assert!(last.contains(&"vpage:1".to_owned()) && !last.iter().any(|d| d == "vpage:3"));
        assert!(last.contains(&"vil:-".to_owned()) && last.contains(&"back".to_owned()));
        // A stale page number shows the last page rather than an empty list.
        assert_eq!(data(&villages(Language::ZhCn, &list, 9)), last);
        let short = data(&villages(Language::ZhCn, &villages_of(3), 0));
        assert!(!short.iter().any(|d| d.starts_with("vpage")));
    }

    #[test]
    fn pages_are_clamped() {
        assert_eq!(clamp_page(0, 0), 0);
        assert_eq!(clamp_page(5, 17), 0);
        assert_eq!(clamp_page(1, 21), 1);
        assert_eq!(clamp_page(9, 41), 2);
    }
}
