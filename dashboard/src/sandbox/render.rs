//! A bot message's formatting as Telegram shows it, rebuilt from its plain text and entities.
//! Only Telegram's own tags come out (b, i, u, s, code, pre, a, tg-spoiler, blockquote);
//! every character of the text is escaped, so nothing a message says can become markup.

use super::SandboxEntity;

/// The HTML tag for an entity type, or `None` for entities shown as plain text (mentions,
/// hashtags, commands, and links whose address is not a web or Telegram link).
fn tag(entity: &SandboxEntity) -> Option<(&'static str, String)> {
    let simple = |name: &'static str| Some((name, format!("<{name}>")));
    match entity.kind.as_str() {
        "bold" => simple("b"),
        "italic" => simple("i"),
        "underline" => simple("u"),
        "strikethrough" => simple("s"),
        "code" => simple("code"),
        "pre" => simple("pre"),
        "spoiler" => simple("tg-spoiler"),
        "blockquote" | "expandable_blockquote" => simple("blockquote"),
        "text_link" => {
            let url = entity.url.as_deref().filter(|u| safe_url(u))?;
            Some((
                "a",
                format!(
                    "<a href=\"{}\" rel=\"noopener noreferrer\" target=\"_blank\">",
                    escape(url)
                ),
            ))
        }
        _ => None,
    }
}

/// Links a person may follow from a chat: the web and Telegram's own; never `javascript:`.
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["https://", "http://", "tg://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c => out.push(c),
    }
}

struct Open {
    end: usize,
    name: &'static str,
    start_tag: String,
}

/// `text` with `entities` (UTF-16 offsets) as safe HTML. Overlapping entities are closed and
/// reopened around each other, so the output is always well nested.
pub fn telegram_html(text: &str, entities: &[SandboxEntity]) -> String {
    let mut sorted: Vec<&SandboxEntity> = entities.iter().filter(|e| e.length > 0).collect();
    sorted.sort_by_key(|e| (e.offset, std::cmp::Reverse(e.length)));
    let mut pending = sorted.into_iter().peekable();
    let mut stack: Vec<Open> = Vec::new();
    let mut out = String::with_capacity(text.len() + 16);
    let mut pos = 0usize;
    for c in text.chars() {
        close_ended(&mut out, &mut stack, pos);
        while let Some(entity) = pending.next_if(|e| e.offset <= pos) {
            if let Some((name, start_tag)) = tag(entity) {
                out.push_str(&start_tag);
                stack.push(Open {
                    end: entity.offset + entity.length,
                    name,
                    start_tag,
                });
            }
        }
        push_escaped(&mut out, c);
        pos += c.len_utf16();
    }
    for open in stack.iter().rev() {
        out.push_str(&format!("</{}>", open.name));
    }
    out
}

/// Closes every open tag whose entity ends at `pos`; tags opened inside it that go on are
/// closed with it and opened again.
fn close_ended(out: &mut String, stack: &mut Vec<Open>, pos: usize) {
    let Some(first) = stack.iter().position(|o| o.end <= pos) else {
        return;
    };
    let above: Vec<Open> = stack.drain(first..).collect();
    for open in above.iter().rev() {
        out.push_str(&format!("</{}>", open.name));
    }
    for open in above.into_iter().filter(|o| o.end > pos) {
        out.push_str(&open.start_tag);
        stack.push(open);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(kind: &str, offset: usize, length: usize, url: Option<&str>) -> SandboxEntity {
        SandboxEntity {
            kind: kind.into(),
            offset,
            length,
            url: url.map(str::to_owned),
        }
    }

    #[test]
    fn text_is_escaped_and_only_telegram_tags_come_out() {
        let text = "<script>alert(1)</script> & 'x'";
        assert_eq!(
            telegram_html(text, &[entity("bold", 0, 8, None)]),
            "<b>&lt;script&gt;</b>alert(1)&lt;/script&gt; &amp; &#39;x&#39;"
        );
    }

    #[test]
    fn offsets_count_utf16_and_entities_nest() {
        // "😀" is two UTF-16 units; the bold starts after it.
        let html = telegram_html(
            "😀举报 编号",
            &[entity("bold", 2, 5, None), entity("code", 5, 2, None)],
        );
        assert_eq!(html, "😀<b>举报 <code>编号</code></b>");
    }

    #[test]
    fn overlapping_entities_are_closed_and_reopened() {
        let html = telegram_html(
            "abcd",
            &[entity("bold", 0, 3, None), entity("italic", 1, 3, None)],
        );
        assert_eq!(html, "<b>a<i>bc</i></b><i>d</i>");
    }

    #[test]
    fn links_keep_only_web_addresses() {
        let good = telegram_html(
            "see",
            &[entity("text_link", 0, 3, Some("https://x.cn/?a=1&b=\""))],
        );
        assert_eq!(
            good,
            "<a href=\"https://x.cn/?a=1&amp;b=&quot;\" rel=\"noopener noreferrer\" target=\"_blank\">see</a>"
        );
        let bad = telegram_html(
            "see",
            &[entity("text_link", 0, 3, Some("javascript:alert(1)"))],
        );
        assert_eq!(bad, "see");
        let quote = telegram_html(
            "q",
            &[
                entity("blockquote", 0, 1, None),
                entity("spoiler", 0, 1, None),
            ],
        );
        assert_eq!(quote, "<blockquote><tg-spoiler>q</tg-spoiler></blockquote>");
    }
}
