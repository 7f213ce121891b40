//! Every message and every variable must exist in both locales.

use super::*;
use crate::testing::locale_catalogue as catalogue;

#[test]
fn both_locales_have_the_same_messages_and_variables() {
    let zh = catalogue("zh-CN");
    let en = catalogue("en");
    assert!(!zh.is_empty(), "no .ftl files in locales/zh-CN");
    assert_eq!(
        zh.keys().collect::<Vec<_>>(),
        en.keys().collect::<Vec<_>>(),
        "locale files differ"
    );
    let mut problems = Vec::new();
    for (file, zh_messages) in &zh {
        let en_messages = &en[file];
        for (id, zh_vars) in zh_messages {
            match en_messages.get(id) {
                None => problems.push(format!("{file}: `{id}` is missing in en")),
                Some(en_vars) if en_vars != zh_vars => problems.push(format!(
                    "{file}: `{id}` uses {zh_vars:?} in zh-CN but {en_vars:?} in en"
                )),
                Some(_) => {}
            }
        }
        for id in en_messages
            .keys()
            .filter(|id| !zh_messages.contains_key(*id))
        {
            problems.push(format!("{file}: `{id}` is missing in zh-CN"));
        }
    }
    assert!(
        problems.is_empty(),
        "locale mismatch:\n{}",
        problems.join("\n")
    );
}

#[test]
fn lookups_use_the_language_and_have_no_isolation_marks() {
    let zh = text(Language::ZhCn, "language-name", None);
    let en = text(Language::En, "language-name", None);
    assert_ne!(zh, en);
    let args = Args::new().text("township", "宝丰镇");
    let greeting = text(Language::ZhCn, "onboarding-saved", Some(&args));
    assert!(greeting.contains("收到宝丰镇的"), "{greeting}");
    assert!(
        !greeting.contains('\u{2068}') && !greeting.contains('\u{2069}'),
        "{greeting:?}"
    );
    assert_eq!(
        text(Language::En, "no-such-message", None),
        "no-such-message"
    );
}
