//! A report being written: the answers so far and the step being asked. The order of the
//! questions lives in one place, [`ReportDraft::first_missing`]: after every answer the draft
//! asks for the first thing still missing. An edit clears a field, so the same rule asks for it
//! again and then returns to the review screen.

use chrono::{DateTime, Utc};
use qingfeng_core::domain::{
    CategoryCode, CommissionTie, Description, Evidence, NewReport, PersonLevel, PersonName,
    PersonReported, RealName, RegionCode, ReportBody, Reporter, TextError, TrackingCode,
    UnitOrPosition, WhenWhere,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Category,
    PersonName,
    PersonUnit,
    PersonPosition,
    PersonLevel,
    CommissionStaff,
    Township,
    Description,
    WhenWhere,
    Evidence,
    Identity,
    ReporterName,
    ReporterMobile,
    Notify,
    Review,
    EditMenu,
}

impl Step {
    /// Steps answered by typing (the rest by buttons, or files for evidence).
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Step::PersonName
                | Step::PersonUnit
                | Step::PersonPosition
                | Step::Description
                | Step::WhenWhere
                | Step::ReporterName
                | Step::ReporterMobile
        )
    }
}

/// What the reporter can choose to change on the review screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Category,
    Person,
    Township,
    Description,
    WhenWhere,
    Evidence,
    Identity,
}

impl Field {
    pub const ALL: [Field; 7] = [
        Field::Category,
        Field::Person,
        Field::Township,
        Field::Description,
        Field::WhenWhere,
        Field::Evidence,
        Field::Identity,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Field::Category => "cat",
            Field::Person => "person",
            Field::Township => "town",
            Field::Description => "desc",
            Field::WhenWhere => "when",
            Field::Evidence => "files",
            Field::Identity => "id",
        }
    }

    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// An answer that may be "unknown" (or "none of these"). Not `Option<Option<T>>`: serde would
/// store `Some(None)` as `null` and read it back as "not asked yet".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer<T> {
    Given(T),
    NotGiven,
}

impl<T: Clone> Answer<T> {
    pub fn given(&self) -> Option<T> {
        match self {
            Answer::Given(value) => Some(value.clone()),
            Answer::NotGiven => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDraft {
    pub step: Step,
    /// Chosen when the draft starts, so a submit pressed twice files one report.
    pub code: TrackingCode,
    /// The heading whose sub-categories are on screen.
    pub category_heading: Option<CategoryCode>,
    pub category: Option<CategoryCode>,
    pub person_name: Option<Answer<PersonName>>,
    /// Stored as a bare unit by drafts from before 不清楚 was offered.
    #[serde(default, deserialize_with = "answer_or_bare")]
    pub unit: Option<Answer<UnitOrPosition>>,
    pub position: Option<Answer<UnitOrPosition>>,
    pub level: Option<PersonLevel>,
    /// Answered by the reporter, or `None` (not commission staff) without asking where the
    /// question cannot apply to the level. A draft stored before this field asks it again.
    #[serde(default)]
    pub commission: Option<CommissionTie>,
    /// `NotGiven`: a county department, not a township.
    pub township: Option<Answer<RegionCode>>,
    /// The township was filled in from the reporter's sign-up, not asked; the review shows it
    /// with 修改 like every answer.
    #[serde(default)]
    pub township_from_profile: bool,
    pub township_page: usize,
    pub description: Option<Description>,
    pub when_where: Option<WhenWhere>,
    pub evidence: Vec<Evidence>,
    pub evidence_done: bool,
    pub identity_chosen: Option<IdentityChoice>,
    pub reporter_name: Option<PersonName>,
    pub reporter: Option<Reporter>,
    /// The first message of the conversation, for deleting it afterwards.
    pub first_message_id: i32,
    pub last_activity: DateTime<Utc>,
    /// Raised by every edit, and carried by the review's submit button: a review shown before
    /// an edit cannot file what it no longer shows.
    #[serde(default)]
    pub revision: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityChoice {
    RealName,
    Anonymous,
}

/// Why a typed answer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Text(TextError),
    OneLine,
    Mobile,
    /// The step wants a button, not text.
    UseButtons,
}

impl ReportDraft {
    pub fn new(first_message_id: i32, now: DateTime<Utc>) -> ReportDraft {
        ReportDraft {
            step: Step::Category,
            code: TrackingCode::generate(),
            category_heading: None,
            category: None,
            person_name: None,
            unit: None,
            position: None,
            level: None,
            commission: None,
            township: None,
            township_from_profile: false,
            township_page: 0,
            description: None,
            when_where: None,
            evidence: Vec::new(),
            evidence_done: false,
            identity_chosen: None,
            reporter_name: None,
            reporter: None,
            first_message_id,
            last_activity: now,
            revision: 0,
        }
    }

    /// The first unanswered question, in the order the reporter is asked.
    pub fn first_missing(&self) -> Step {
        if self.category.is_none() {
            Step::Category
        } else if self.person_name.is_none() {
            Step::PersonName
        } else if self.unit.is_none() {
            Step::PersonUnit
        } else if self.position.is_none() {
            Step::PersonPosition
        } else if self.level.is_none() {
            Step::PersonLevel
        } else if self.commission.is_none() {
            Step::CommissionStaff
        } else if self.township.is_none() {
            Step::Township
        } else if self.description.is_none() {
            Step::Description
        } else if self.when_where.is_none() {
            Step::WhenWhere
        } else if !self.evidence_done {
            Step::Evidence
        } else if self.reporter.is_some() {
            Step::Review
        } else {
            match (self.identity_chosen, &self.reporter_name) {
                (None, _) => Step::Identity,
                (Some(IdentityChoice::RealName), None) => Step::ReporterName,
                (Some(IdentityChoice::RealName), Some(_)) => Step::ReporterMobile,
                (Some(IdentityChoice::Anonymous), _) => Step::Notify,
            }
        }
    }

    /// After an answer: the next question (the review screen once nothing is missing).
    /// Where the draft is on its first pass through the questions: (this step, all steps),
    /// counted from 1; the sub-category is part of the category step and the commission
    /// question part of the level step. `None` at the review
    /// and while changing an answer from it, where a count would mislead.
    pub fn progress(&self) -> Option<(usize, usize)> {
        if self.revision > 0 {
            return None;
        }
        let mut steps = vec![
            Step::Category,
            Step::PersonName,
            Step::PersonUnit,
            Step::PersonPosition,
            Step::PersonLevel,
        ];
        if !self.township_from_profile {
            steps.push(Step::Township);
        }
        steps.extend([
            Step::Description,
            Step::WhenWhere,
            Step::Evidence,
            Step::Identity,
        ]);
        // Until the reporter chooses, the count is the anonymous one (one question fewer).
        match self.identity_chosen {
            Some(IdentityChoice::RealName) => {
                steps.extend([Step::ReporterName, Step::ReporterMobile]);
            }
            _ => steps.push(Step::Notify),
        }
        // The commission question, asked only for some levels, is part of the level step.
        let step = match self.step {
            Step::CommissionStaff => Step::PersonLevel,
            step => step,
        };
        let at = steps.iter().position(|s| *s == step)?;
        Some((at + 1, steps.len()))
    }

    pub fn advance(&mut self) {
        self.step = self.first_missing();
    }

    /// Starts with the township the reporter signed up in (most reports are about their own
    /// township); they can change it on the review screen.
    pub fn prefill_township(&mut self, township: RegionCode) {
        self.township = Some(Answer::Given(township));
        self.township_from_profile = true;
    }

    /// The level; the commission question is then skipped where it cannot apply.
    pub fn answer_level(&mut self, level: PersonLevel) {
        self.level = Some(level);
        self.commission = if CommissionTie::can_apply(level) {
            None
        } else {
            Some(CommissionTie::None)
        };
    }

    /// Starts changing `field`: its answers are cleared and asked again. Changing the person
    /// asks all five person questions.
    pub fn edit(&mut self, field: Field) {
        match field {
            Field::Category => {
                self.category = None;
                self.category_heading = None;
            }
            Field::Person => {
                self.person_name = None;
                self.unit = None;
                self.position = None;
                self.level = None;
                self.commission = None;
            }
            Field::Township => {
                self.township = None;
                self.township_from_profile = false;
                self.township_page = 0;
            }
            Field::Description => self.description = None,
            Field::WhenWhere => self.when_where = None,
            Field::Evidence => self.evidence_done = false,
            Field::Identity => {
                self.identity_chosen = None;
                self.reporter_name = None;
                self.reporter = None;
            }
        }
        self.revision += 1;
        self.advance();
    }

    /// A typed answer for the current step.
    pub fn answer_text(&mut self, text: &str) -> Result<(), Refusal> {
        let one_line = |text: &str| {
            if text.trim().contains('\n') {
                Err(Refusal::OneLine)
            } else {
                Ok(())
            }
        };
        match self.step {
            Step::PersonName => {
                one_line(text)?;
                self.person_name = Some(Answer::Given(text.parse().map_err(Refusal::Text)?));
            }
            Step::PersonUnit => {
                one_line(text)?;
                self.unit = Some(Answer::Given(text.parse().map_err(Refusal::Text)?));
            }
            Step::PersonPosition => {
                one_line(text)?;
                self.position = Some(Answer::Given(text.parse().map_err(Refusal::Text)?));
            }
            Step::Description => self.description = Some(text.parse().map_err(Refusal::Text)?),
            Step::WhenWhere => self.when_where = Some(text.parse().map_err(Refusal::Text)?),
            Step::ReporterName => {
                one_line(text)?;
                self.reporter_name = Some(text.parse().map_err(Refusal::Text)?);
            }
            Step::ReporterMobile => {
                let mobile = text.parse().map_err(|()| Refusal::Mobile)?;
                let name = self.reporter_name.clone().ok_or(Refusal::UseButtons)?;
                self.reporter = Some(Reporter::RealName(RealName { name, mobile }));
            }
            _ => return Err(Refusal::UseButtons),
        }
        self.advance();
        Ok(())
    }

    /// The complete report, once every question is answered.
    pub fn to_report(&self) -> Option<NewReport> {
        Some(NewReport {
            category: self.category.clone()?,
            township: self.township.as_ref()?.given(),
            body: ReportBody {
                person: PersonReported {
                    name: self.person_name.as_ref()?.given(),
                    unit: self.unit.as_ref()?.given(),
                    position: self.position.as_ref()?.given(),
                    level: self.level?,
                    commission: self.commission?,
                },
                description: self.description.clone()?,
                when_where: self.when_where.clone()?,
            },
            evidence: self.evidence.clone(),
            reporter: self.reporter.clone()?,
        })
    }
}

/// Reads an answer stored either as an [`Answer`] or, by drafts from before "unknown" was
/// offered for it, as the bare value.
fn answer_or_bare<'de, D, T>(deserializer: D) -> Result<Option<Answer<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored<T> {
        Answer(Answer<T>),
        Bare(T),
    }
    Ok(
        Option::<Stored<T>>::deserialize(deserializer)?.map(|stored| match stored {
            Stored::Answer(answer) => answer,
            Stored::Bare(value) => Answer::Given(value),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered() -> ReportDraft {
        let mut d = ReportDraft::new(1, Utc::now());
        d.category = Some("gifts".parse().unwrap());
        d.advance();
        assert_eq!(d.step, Step::PersonName);
        d.answer_text("张某").unwrap();
        d.answer_text("某镇政府").unwrap();
        assert_eq!(d.step, Step::PersonPosition);
        d.position = Some(Answer::NotGiven);
        d.advance();
        d.level = Some(PersonLevel::Staff);
        d.advance();
        d.commission = Some(CommissionTie::None);
        d.advance();
        assert_eq!(d.step, Step::Township);
        d.township = Some(Answer::Given("baofeng".parse().unwrap()));
        d.advance();
        assert_eq!(
            d.answer_text("太短"),
            Err(Refusal::Text(TextError::TooShort { min: 20 }))
        );
        d.answer_text(&"事".repeat(30)).unwrap();
        d.answer_text("2026年11月，镇政府办公室").unwrap();
        assert_eq!(d.step, Step::Evidence);
        d.evidence_done = true;
        d.advance();
        assert_eq!(d.step, Step::Identity);
        d
    }

    #[test]
    fn questions_come_in_order_and_a_real_name_needs_a_valid_mobile() {
        let mut d = answered();
        d.identity_chosen = Some(IdentityChoice::RealName);
        d.advance();
        d.answer_text("李四").unwrap();
        assert_eq!(d.answer_text("12345"), Err(Refusal::Mobile));
        assert_eq!(d.step, Step::ReporterMobile);
        d.answer_text("138 0013 8000").unwrap();
        assert_eq!(d.step, Step::Review);
        let report = d.to_report().unwrap();
        assert!(matches!(report.reporter, Reporter::RealName(_)));
    }

    #[test]
    fn progress_counts_the_steps_of_the_first_pass() {
        let mut d = answered();
        assert_eq!(d.progress(), Some((10, 11)), "anonymous until chosen");
        d.identity_chosen = Some(IdentityChoice::RealName);
        d.advance();
        assert_eq!(d.progress(), Some((11, 12)), "a real name asks two more");
        d.answer_text("李四").unwrap();
        d.answer_text("138 0013 8000").unwrap();
        assert_eq!(d.progress(), None, "the review is not a step");
        d.edit(Field::Description);
        d.advance();
        assert_eq!(d.progress(), None, "no count while changing an answer");
    }

    #[test]
    fn a_township_from_the_sign_up_and_a_level_outside_the_commission_are_not_asked() {
        let mut d = ReportDraft::new(1, Utc::now());
        d.prefill_township("baofeng".parse().unwrap());
        d.category = Some("formalism".parse().unwrap());
        d.person_name = Some(Answer::NotGiven);
        d.unit = Some(Answer::NotGiven);
        d.position = Some(Answer::NotGiven);
        d.advance();
        assert_eq!(d.progress(), Some((5, 10)));
        d.answer_level(PersonLevel::Staff);
        d.advance();
        assert_eq!(
            d.step,
            Step::CommissionStaff,
            "a cadre may work for the commission"
        );
        assert_eq!(d.progress(), Some((5, 10)), "part of the level step");
        d.answer_level(PersonLevel::Village);
        d.advance();
        assert_eq!(d.step, Step::Description);
        assert_eq!(d.progress(), Some((6, 10)));
        assert_eq!(d.commission, Some(CommissionTie::None));
        d.edit(Field::Township);
        assert_eq!(d.step, Step::Township, "the township can still be changed");
    }

    #[test]
    fn a_draft_stored_before_unknown_units_still_loads() {
        let mut d = answered();
        d.unit = Some(Answer::Given("宝丰镇人民政府".parse().unwrap()));
        let mut stored: serde_json::Value = serde_json::to_value(&d).unwrap();
        stored["unit"] = serde_json::json!("宝丰镇人民政府");
        let back: ReportDraft = serde_json::from_value(stored).unwrap();
        assert_eq!(back.unit, d.unit);
    }

    #[test]
    fn unknown_answers_survive_being_stored() {
        let mut d = answered();
        d.person_name = Some(Answer::NotGiven);
        d.township = Some(Answer::NotGiven);
        let stored = serde_json::to_string(&d).unwrap();
        let back: ReportDraft = serde_json::from_str(&stored).unwrap();
        assert_eq!(back, d);
        assert_eq!(back.first_missing(), Step::Identity);
    }

    #[test]
    fn an_edit_returns_to_the_review() {
        let mut d = answered();
        d.reporter = Some(Reporter::Anonymous { notify: false });
        d.advance();
        assert_eq!(d.step, Step::Review);
        d.edit(Field::Description);
        assert_eq!(d.step, Step::Description);
        assert!(d.to_report().is_none());
        d.answer_text(&"新".repeat(25)).unwrap();
        assert_eq!(d.step, Step::Review);
        d.edit(Field::Person);
        assert_eq!(d.step, Step::PersonName);
        d.answer_text("王五").unwrap();
        assert_eq!(d.step, Step::PersonUnit, "the whole person is asked again");
    }

    #[test]
    fn buttons_steps_refuse_text_and_names_are_one_line() {
        let mut d = ReportDraft::new(1, Utc::now());
        assert_eq!(d.answer_text("gifts"), Err(Refusal::UseButtons));
        d.category = Some("gifts".parse().unwrap());
        d.advance();
        assert_eq!(d.answer_text("张\n三"), Err(Refusal::OneLine));
        assert_eq!(d.answer_text(" "), Err(Refusal::Text(TextError::Empty)));
    }
}
