//! The report flow's message ids, in `locales/*/reports.ftl`, checked against both locales.

use qingfeng_core::Language;
use qingfeng_core::domain::{EvidenceKind, PersonLevel, ReportStatus};
use qingfeng_core::i18n::{self, Args};

use super::draft::Field;
use crate::text::catalogue;

catalogue! {
/// A message id of the report flow.
R {
    Intro => "report-intro",
    AskSubcategory => "report-ask-subcategory",
    AskPersonName => "report-ask-person-name",
    AskPersonUnit => "report-ask-person-unit",
    AskPersonPosition => "report-ask-person-position",
    AskPersonLevel => "report-ask-person-level",
    AskCommissionStaff => "report-ask-commission-staff",
    AskTownship => "report-ask-township",
    AskDescription => "report-ask-description",
    AskWhenWhere => "report-ask-when-where",
    AskEvidence => "report-ask-evidence",
    EvidenceReceived => "report-evidence-received",
    EvidenceFull => "report-evidence-full",
    EvidenceTooLarge => "report-evidence-too-large",
    EvidenceUnsupported => "report-evidence-unsupported",
    EvidenceNotNow => "report-evidence-not-now",
    VoiceDescriptionKept => "report-voice-description-kept",
    Progress => "report-progress",
    AskIdentity => "report-ask-identity",
    AskReporterName => "report-ask-reporter-name",
    AskReporterMobile => "report-ask-reporter-mobile",
    AskNotify => "report-ask-notify",
    Review => "report-review",
    ReviewTruncated => "report-review-truncated",
    EditWhich => "report-edit-which",
    Submitted => "report-submitted",
    SubmittedNoNotice => "report-submitted-no-notice",
    SubmittedAcceptance => "report-submitted-acceptance",
    SubmittedUpward => "report-submitted-upward",
    SubmittedProvisional => "report-submitted-provisional",
    Cancelled => "report-cancelled",
    FollowUpCancelled => "report-follow-up-cancelled",
    Expired => "report-expired",
    QuotaReached => "report-quota-reached",
    DraftInProgress => "report-draft-in-progress",
    ReviewOutdated => "report-review-outdated",
    ConfirmCancel => "report-confirm-cancel",
    ButtonConfirmCancel => "report-button-confirm-cancel",
    ButtonKeepDraft => "report-button-keep-draft",
    Resumed => "report-resumed",
    TextEmpty => "report-text-empty",
    TextTooShort => "report-text-too-short",
    TextTooLong => "report-text-too-long",
    OneLine => "report-one-line",
    MobileInvalid => "report-mobile-invalid",
    UseButtons => "report-use-buttons",
    Deleted => "report-deleted",
    DeleteFailed => "report-delete-failed",
    Unavailable => "report-unavailable",
    Anonymous => "report-anonymous",
    AnonymousNotified => "report-anonymous-notified",
    RealNameLine => "report-real-name",
    NameUnknown => "report-name-unknown",
    NoPosition => "report-no-position",
    NoEvidence => "report-no-evidence",
    EvidenceCount => "report-evidence-count",
    CountyDepartments => "report-county-departments",
    TownshipFromProfile => "report-township-from-profile",
    ButtonUnknown => "report-button-unknown",
    ButtonSkipPosition => "report-button-skip-position",
    ButtonCountyDepartments => "report-button-county-departments",
    ButtonEvidenceDone => "report-button-evidence-done",
    ButtonNoEvidence => "report-button-no-evidence",
    ButtonRealName => "report-button-real-name",
    ButtonAnonymous => "report-button-anonymous",
    ButtonNotifyYes => "report-button-notify-yes",
    ButtonNotifyNo => "report-button-notify-no",
    ButtonSubmit => "report-button-submit",
    ButtonEdit => "report-button-edit",
    ButtonCancel => "report-button-cancel",
    ButtonBack => "report-button-back",
    ButtonDelete => "report-button-delete",
    ButtonSavableCode => "report-button-savable-code",
    SavableCode => "report-savable-code",
    ButtonReply => "report-button-reply",
    FieldCategory => "report-field-category",
    FieldPerson => "report-field-person",
    FieldTownship => "report-field-township",
    FieldDescription => "report-field-description",
    FieldWhenWhere => "report-field-when-where",
    FieldEvidence => "report-field-evidence",
    FieldIdentity => "report-field-identity",
    LevelCountyOrAbove => "report-level-county-or-above",
    LevelSection => "report-level-section",
    LevelStaff => "report-level-staff",
    LevelVillage => "report-level-village",
    LevelStateEnterprise => "report-level-state-enterprise",
    LevelOther => "report-level-other",
    LevelUnknown => "report-level-unknown",
    CommissionNo => "report-commission-no",
    CommissionLeader => "report-commission-leader",
    CommissionOther => "report-commission-other",
    EvidencePhoto => "report-evidence-photo",
    EvidenceDocument => "report-evidence-document",
    EvidenceVoice => "report-evidence-voice",
    StatusAskCode => "status-ask-code",
    StatusMalformed => "status-code-malformed",
    StatusWrongCode => "status-wrong-code",
    StatusThrottled => "status-throttled",
    StatusView => "status-view",
    StatusDeadlineAcceptance => "status-deadline-acceptance",
    StatusDeadlineResult => "status-deadline-result",
    StatusDeadlineUpward => "status-deadline-upward",
    StatusMessageStaff => "status-message-staff",
    StatusMessageYou => "status-message-you",
    StatusNoMessages => "status-no-messages",
    StatusOlderMessages => "status-older-messages",
    StatusReplyPrompt => "status-reply-prompt",
    StatusReplySent => "status-reply-sent",
    StatusReplyClosed => "status-reply-closed",
    StatusFinishDraft => "status-finish-draft",
    StateReceived => "report-status-received",
    StateAccepted => "report-status-accepted",
    StateNotAccepted => "report-status-not-accepted",
    StateInDisposal => "report-status-in-disposal",
    StateConcluded => "report-status-concluded",
    StateClosed => "report-status-closed",
    StateTransferred => "report-status-transferred",
}
}

pub fn r(lang: Language, msg: R) -> String {
    i18n::text(lang, msg.id(), None)
}

pub fn r_args(lang: Language, msg: R, args: Args) -> String {
    i18n::text(lang, msg.id(), Some(&args))
}

pub fn level(level: PersonLevel) -> R {
    match level {
        PersonLevel::CountyOrAbove => R::LevelCountyOrAbove,
        PersonLevel::Section => R::LevelSection,
        PersonLevel::Staff => R::LevelStaff,
        PersonLevel::Village => R::LevelVillage,
        PersonLevel::StateEnterprise => R::LevelStateEnterprise,
        PersonLevel::Other => R::LevelOther,
        PersonLevel::Unknown => R::LevelUnknown,
    }
}

pub fn field(field: Field) -> R {
    match field {
        Field::Category => R::FieldCategory,
        Field::Person => R::FieldPerson,
        Field::Township => R::FieldTownship,
        Field::Description => R::FieldDescription,
        Field::WhenWhere => R::FieldWhenWhere,
        Field::Evidence => R::FieldEvidence,
        Field::Identity => R::FieldIdentity,
    }
}

pub fn evidence(kind: EvidenceKind) -> R {
    match kind {
        EvidenceKind::Photo => R::EvidencePhoto,
        EvidenceKind::Document => R::EvidenceDocument,
        EvidenceKind::Voice => R::EvidenceVoice,
    }
}

pub fn status(status: ReportStatus) -> R {
    match status {
        ReportStatus::Received => R::StateReceived,
        ReportStatus::Accepted => R::StateAccepted,
        ReportStatus::NotAccepted => R::StateNotAccepted,
        ReportStatus::InDisposal => R::StateInDisposal,
        ReportStatus::Concluded => R::StateConcluded,
        ReportStatus::Closed => R::StateClosed,
        ReportStatus::Transferred => R::StateTransferred,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_report_message_exists_in_every_language() {
        let missing = crate::text::missing_messages(R::ALL.iter().map(|m| m.id()));
        assert!(missing.is_empty(), "missing messages: {missing:?}");
    }
}
