//! A crude check of Telegram's HTML parse mode: known tags only, properly nested.
//! Returns the plain text and the entities Telegram would compute (UTF-16 offsets).

use serde_json::{Value, json};

/// Text with markup removed plus its `MessageEntity` objects.
#[derive(Debug, PartialEq)]
pub struct Parsed {
    pub text: String,
    pub entities: Vec<Value>,
}

struct Open {
    name: String,
    offset: usize,
    url: Option<String>,
    language: Option<String>,
}

/// Parses `input` as Telegram HTML. The error is the part of the description
/// after "Bad Request: can't parse entities: ".
pub fn parse_html(input: &str) -> Result<Parsed, String> {
    let mut text = String::new();
    let mut utf16 = 0usize;
    let mut stack: Vec<Open> = Vec::new();
    let mut entities: Vec<Value> = Vec::new();
    let mut i = 0usize;
    while i < input.len() {
        let rest = &input[i..];
        if rest.starts_with('<') {
            let Some(end) = rest.find('>') else {
                return Err(format!("Unsupported start tag \"\" at byte offset {i}"));
            };
            let inner = &rest[1..end];
            if let Some(closing) = inner.strip_prefix('/') {
                close_tag(closing.trim(), i, utf16, &mut stack, &mut entities)?;
            } else {
                stack.push(open_tag(inner, i, utf16)?);
            }
            i += end + 1;
        } else if rest.starts_with('&') {
            let (decoded, used) = decode_entity(rest);
            utf16 += decoded.encode_utf16().count();
            text.push_str(&decoded);
            i += used;
        } else {
            let ch = rest.chars().next().unwrap_or_default();
            text.push(ch);
            utf16 += ch.len_utf16();
            i += ch.len_utf8();
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{}\"",
            open.name
        ));
    }
    entities.sort_by_key(|e| e["offset"].as_u64());
    Ok(Parsed { text, entities })
}

const TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
];

fn open_tag(inner: &str, at: usize, utf16: usize) -> Result<Open, String> {
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    if !TAGS.contains(&name.as_str()) {
        return Err(format!(
            "Unsupported start tag \"{name}\" at byte offset {at}"
        ));
    }
    let attrs = &inner[name_end..];
    if name == "span" && attribute(attrs, "class").as_deref() != Some("tg-spoiler") {
        return Err(format!(
            "Tag \"span\" must have class \"tg-spoiler\" at byte offset {at}"
        ));
    }
    let language = attribute(attrs, "class")
        .and_then(|c| c.strip_prefix("language-").map(str::to_owned))
        .filter(|_| name == "code");
    Ok(Open {
        url: attribute(attrs, "href"),
        name,
        offset: utf16,
        language,
    })
}

fn close_tag(
    name: &str,
    at: usize,
    utf16: usize,
    stack: &mut Vec<Open>,
    entities: &mut Vec<Value>,
) -> Result<(), String> {
    let name = name.to_ascii_lowercase();
    let Some(open) = stack.pop() else {
        return Err(format!("Unexpected end tag at byte offset {at}"));
    };
    if open.name != name {
        return Err(format!(
            "Unmatched end tag at byte offset {at}, expected \"</{}>\", found \"</{name}>\"",
            open.name
        ));
    }
    let length = utf16 - open.offset;
    if length == 0 {
        return Ok(());
    }
    let kind = match open.name.as_str() {
        "b" | "strong" => "bold",
        "i" | "em" => "italic",
        "u" | "ins" => "underline",
        "s" | "strike" | "del" => "strikethrough",
        "span" | "tg-spoiler" => "spoiler",
        "a" => "text_link",
        "pre" => "pre",
        "blockquote" => "blockquote",
        "code" if stack.last().is_some_and(|o| o.name == "pre") => {
            // `<pre><code class="language-x">`: the language belongs to the pre entity.
            if let Some(language) = open.language
                && let Some(pre) = stack.last_mut()
            {
                pre.language = Some(language);
            }
            return Ok(());
        }
        "code" => "code",
        _ => return Ok(()),
    };
    let mut entity = json!({ "type": kind, "offset": open.offset, "length": length });
    match (kind, open.url, open.language) {
        ("text_link", Some(url), _) => entity["url"] = json!(url),
        ("text_link", None, _) => return Ok(()),
        ("pre", _, Some(language)) => entity["language"] = json!(language),
        _ => {}
    }
    entities.push(entity);
    Ok(())
}

/// The value of `name="..."` (or single-quoted) inside a tag's attribute text.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let start = attrs.find(&format!("{name}="))? + name.len() + 1;
    let rest = &attrs[start..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        let body = &rest[1..];
        let end = body.find(quote)?;
        Some(decode_all(&body[..end]))
    } else {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        Some(decode_all(&rest[..end]))
    }
}

fn decode_all(s: &str) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with('&') {
            let (decoded, used) = decode_entity(rest);
            out.push_str(&decoded);
            i += used;
        } else {
            let ch = rest.chars().next().unwrap_or_default();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// Decodes the HTML entity at the start of `s`; unknown ones stay literal.
fn decode_entity(s: &str) -> (String, usize) {
    let literal = ("&".to_owned(), 1);
    let Some(end) = s[..s.len().min(12)].find(';') else {
        return literal;
    };
    let name = &s[1..end];
    let decoded = match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => name
            .strip_prefix("#x")
            .or_else(|| name.strip_prefix("#X"))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
            .and_then(char::from_u32),
    };
    match decoded {
        Some(ch) => (ch.to_string(), end + 1),
        None => literal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_computes_entities() {
        let parsed =
            parse_html("<b>欢迎</b> &lt;x&gt; <a href=\"https://e.x/?a=1&amp;b\">link</a>")
                .unwrap();
        assert_eq!(parsed.text, "欢迎 <x> link");
        assert_eq!(
            parsed.entities[0],
            json!({"type":"bold","offset":0,"length":2})
        );
        assert_eq!(parsed.entities[1]["url"], "https://e.x/?a=1&b");
        assert_eq!(parsed.entities[1]["offset"], 7);
    }

    #[test]
    fn rejects_bad_markup() {
        assert!(
            parse_html("<b>open")
                .unwrap_err()
                .starts_with("Can't find end tag")
        );
        assert_eq!(
            parse_html("<foo>x</foo>").unwrap_err(),
            "Unsupported start tag \"foo\" at byte offset 0"
        );
        assert_eq!(
            parse_html("a < b").unwrap_err(),
            "Unsupported start tag \"\" at byte offset 2"
        );
        assert!(
            parse_html("<b><i>x</b></i>")
                .unwrap_err()
                .starts_with("Unmatched end tag")
        );
    }

    #[test]
    fn pre_code_language() {
        let parsed = parse_html("<pre><code class=\"language-rust\">fn</code></pre>").unwrap();
        assert_eq!(
            parsed.entities,
            vec![json!({"type":"pre","offset":0,"length":2,"language":"rust"})]
        );
    }
}
