//! `quiz/*.toml`: the question bank. Limits follow Telegram's quiz polls, so every question can
//! also be sent as a poll.

use serde::Deserialize;
use toml::Spanned;

use super::{ContentError, Source};
use crate::domain::{LocalizedText, QuestionId, QuizQuestion};

const MAX_QUESTION: usize = 255;
const MAX_OPTION: usize = 100;
const MAX_EXPLANATION: usize = 200;
// Full document titles, sometimes two: the English names are long. The feedback message has
// room (Telegram allows 4096 characters).
const MAX_SOURCE: usize = 250;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    questions: Vec<Spanned<RawQuestion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<QuestionId>,
    topics: Vec<String>,
    audience: String,
    question_zh: String,
    question_en: String,
    options_zh: Vec<String>,
    options_en: Vec<String>,
    answer: usize,
    explanation_zh: String,
    explanation_en: String,
    source_zh: String,
    source_en: String,
}

/// A parsed question and where it was written.
#[derive(Debug)]
pub struct ParsedQuestion {
    pub question: QuizQuestion,
    pub line: usize,
}

fn check_len(errors: &mut Vec<String>, what: &str, text: &str, max: usize) {
    let chars = text.trim().chars().count();
    if chars == 0 {
        errors.push(format!("{what} is empty"));
    } else if chars > max {
        errors.push(format!(
            "{what} has {chars} characters; at most {max} fit a Telegram quiz poll"
        ));
    }
}

pub(crate) fn parse(source: &Source) -> Result<Vec<ParsedQuestion>, Vec<ContentError>> {
    let raw: RawFile = source.parse().map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for spanned in raw.questions {
        let span = spanned.span();
        let q = spanned.into_inner();
        let line = source.line_of(q.id.span().start);
        let mut problems = Vec::new();
        let audience = super::audience_filter(&q.audience).unwrap_or_else(|e| {
            problems.push(e);
            None
        });
        if q.topics.is_empty() {
            problems.push("`topics` is empty".into());
        }
        if !(2..=6).contains(&q.options_zh.len()) {
            problems.push(format!(
                "a question has 2 to 6 options, this one has {}",
                q.options_zh.len()
            ));
        }
        if q.options_zh.len() != q.options_en.len() {
            problems.push(format!(
                "{} options in zh-CN but {} in en",
                q.options_zh.len(),
                q.options_en.len()
            ));
        }
        if q.answer == 0 || q.answer > q.options_zh.len() {
            problems.push(format!(
                "`answer` is {} but must be an option number from 1 to {}",
                q.answer,
                q.options_zh.len()
            ));
        }
        for (lang, options) in [("zh-CN", &q.options_zh), ("en", &q.options_en)] {
            for (i, option) in options.iter().enumerate() {
                check_len(
                    &mut problems,
                    &format!("option {} ({lang})", i + 1),
                    option,
                    MAX_OPTION,
                );
                if options[..i].iter().any(|o| o.trim() == option.trim()) {
                    problems.push(format!(
                        "option {} ({lang}) repeats an earlier option",
                        i + 1
                    ));
                }
            }
        }
        for (what, text, max) in [
            ("the zh-CN question", &q.question_zh, MAX_QUESTION),
            ("the en question", &q.question_en, MAX_QUESTION),
            ("the zh-CN explanation", &q.explanation_zh, MAX_EXPLANATION),
            ("the en explanation", &q.explanation_en, MAX_EXPLANATION),
            ("the zh-CN source", &q.source_zh, MAX_SOURCE),
            ("the en source", &q.source_en, MAX_SOURCE),
        ] {
            check_len(&mut problems, what, text, max);
        }
        if !problems.is_empty() {
            for problem in problems {
                errors.push(source.error(
                    Some(span.clone()),
                    format!("question `{}`: {problem}", q.id.get_ref()),
                ));
            }
            continue;
        }
        let text = |zh: &str, en: &str| LocalizedText {
            zh: zh.trim().to_owned(),
            en: en.trim().to_owned(),
        };
        parsed.push(ParsedQuestion {
            line,
            question: QuizQuestion {
                id: q.id.into_inner(),
                topics: q.topics,
                audience,
                question: text(&q.question_zh, &q.question_en),
                options: q
                    .options_zh
                    .iter()
                    .zip(&q.options_en)
                    .map(|(zh, en)| text(zh, en))
                    .collect(),
                answer: q.answer - 1,
                explanation: text(&q.explanation_zh, &q.explanation_en),
                source: text(&q.source_zh, &q.source_en),
            },
        });
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn parse_text(text: &str) -> Result<Vec<ParsedQuestion>, Vec<String>> {
        parse(&Source {
            path: Path::new("quiz/eight.toml"),
            text,
        })
        .map_err(|e| e.iter().map(ToString::to_string).collect())
    }

    const GOOD: &str = r#"
[[questions]]
id = "adopted"
topics = ["eight-point-rules"]
audience = "all"
question_zh = "中央八项规定是哪一年通过的？"
question_en = "In which year were the central eight-point rules adopted?"
options_zh = ["2008年", "2012年"]
options_en = ["2008", "2012"]
answer = 2
explanation_zh = "2012年12月4日通过。"
explanation_en = "Adopted on 4 December 2012."
source_zh = "中央八项规定"
source_en = "The central eight-point rules"
"#;

    #[test]
    fn a_valid_question_parses_with_a_zero_based_answer() {
        let parsed = parse_text(GOOD).unwrap();
        assert_eq!(parsed[0].line, 3);
        assert_eq!(parsed[0].question.answer, 1);
        assert_eq!(parsed[0].question.options[1].en, "2012");
        assert_eq!(parsed[0].question.audience, None);
    }

    #[test]
    fn malformed_questions_are_refused_with_line_and_reason() {
        let cases = [
            (
                GOOD.replace("answer = 2", "answer = 3"),
                "`answer` is 3 but must be an option number from 1 to 2",
            ),
            (GOOD.replace("answer = 2", "answer = 0"), "`answer` is 0"),
            (
                GOOD.replace(
                    r#"options_en = ["2008", "2012"]"#,
                    r#"options_en = ["2008"]"#,
                ),
                "2 options in zh-CN but 1 in en",
            ),
            (
                GOOD.replace(
                    r#"options_zh = ["2008年", "2012年"]"#,
                    r#"options_zh = ["2008年"]"#,
                ),
                "2 to 6 options",
            ),
            (
                GOOD.replace(r#"["2008年", "2012年"]"#, r#"["2012年", "2012年"]"#),
                "repeats an earlier option",
            ),
            (
                GOOD.replace(
                    r#"source_en = "The central eight-point rules""#,
                    r#"source_en = """#,
                ),
                "the en source is empty",
            ),
            (
                GOOD.replace("Adopted on 4 December 2012.", &"x".repeat(201)),
                "at most 200 fit",
            ),
            (
                GOOD.replace(r#"audience = "all""#, r#"audience = "officials""#),
                "or `all`",
            ),
        ];
        for (text, expected) in cases {
            let errors = parse_text(&text).unwrap_err();
            assert!(
                errors
                    .iter()
                    .any(|e| e.contains(expected) && e.starts_with("quiz/eight.toml:2:")),
                "{expected}: {errors:?}"
            );
        }
        let typo = GOOD.replace("explanation_zh", "explanaton_zh");
        assert!(parse_text(&typo).unwrap_err()[0].contains("unknown field `explanaton_zh`"));
        let bad_id = GOOD.replace(r#"id = "adopted""#, r#"id = "Adopted Q""#);
        assert!(parse_text(&bad_id).unwrap_err()[0].contains("not a question id"));
    }

    #[test]
    fn the_shipped_bank_parses_with_both_languages() {
        let dir = crate::testing::shipped_content("quiz");
        let mut total = 0;
        let mut ids = std::collections::HashSet::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let parsed = parse(&Source {
                path: &path,
                text: &text,
            })
            .unwrap_or_else(|e| panic!("{e:?}"));
            for p in parsed {
                assert!(ids.insert(p.question.id.clone()), "{} twice", p.question.id);
                assert!(!p.question.question.zh.is_empty() && !p.question.question.en.is_empty());
                total += 1;
            }
        }
        assert!(total >= 40, "the default bank has {total} questions");
    }
}
