//! Quiz questions: the bank lives in `content/quiz/*.toml`.

use serde::{Deserialize, Serialize};

use super::{Audience, LocalizedText};

crate::slug_type!(
    /// A question's stable id, unique across the bank.
    QuestionId,
    "question id"
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizQuestion {
    pub id: QuestionId,
    pub topics: Vec<String>,
    /// `None`: for everyone.
    pub audience: Option<Audience>,
    pub question: LocalizedText,
    /// 2 to 6 options, in display order.
    pub options: Vec<LocalizedText>,
    /// Index of the correct option in `options`.
    pub answer: usize,
    pub explanation: LocalizedText,
    /// The law or rule the answer rests on, by name.
    pub source: LocalizedText,
}
