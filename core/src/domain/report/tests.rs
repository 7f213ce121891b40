use super::*;

#[test]
fn bounded_text_counts_characters_and_trims() {
    assert_eq!("  ".parse::<Description>(), Err(TextError::Empty));
    assert_eq!(
        "太短".parse::<Description>(),
        Err(TextError::TooShort { min: 20 })
    );
    let twenty = "某".repeat(20);
    assert_eq!(
        format!(" {twenty}\n")
            .parse::<Description>()
            .unwrap()
            .as_str(),
        twenty
    );
    assert_eq!(
        "字".repeat(3001).parse::<Description>(),
        Err(TextError::TooLong { max: 3000 })
    );
}

#[test]
fn mobile_numbers_are_normalised() {
    for ok in [
        "13800138000",
        "+86 138-0013-8000",
        "８６１３８００１３８０００",
        "0086 19912345678",
    ] {
        assert!(ok.parse::<MobileNumber>().is_ok(), "{ok}");
    }
    assert_eq!(
        "+86 138 0013 8000"
            .parse::<MobileNumber>()
            .unwrap()
            .as_str(),
        "13800138000"
    );
    for bad in [
        "",
        "12800138000",
        "1380013800",
        "138001380001",
        "0719-1234567",
        "abc",
    ] {
        assert!(bad.parse::<MobileNumber>().is_err(), "{bad}");
    }
}

#[test]
fn names_round_trip() {
    for level in PersonLevel::ALL {
        assert_eq!(level.as_str().parse::<PersonLevel>(), Ok(level));
    }
    for d in Disposal::ALL {
        assert_eq!(d.as_str().parse::<Disposal>(), Ok(d));
    }
    for s in ReportStatus::ALL {
        assert_eq!(s.as_str().parse::<ReportStatus>(), Ok(s));
    }
    assert!("closed ".parse::<ReportStatus>().is_err());
}

/// Report bodies are sealed as JSON: those sealed before the leader and 不清楚 answers existed
/// still open with their meaning, and every answer survives a round trip.
#[test]
fn a_person_reads_back_from_every_stored_shape() {
    use crate::domain::CommissionTie;
    let old = r#"{"name":null,"unit":"宝丰镇人民政府","position":null,"level":"staff","commission_staff":true}"#;
    let person: PersonReported = serde_json::from_str(old).unwrap();
    assert_eq!(person.commission, CommissionTie::OtherStaff);
    assert_eq!(person.unit.unwrap().as_str(), "宝丰镇人民政府");
    for tie in CommissionTie::ALL {
        let person = PersonReported {
            name: None,
            unit: None,
            position: None,
            level: PersonLevel::Unknown,
            commission: tie,
        };
        let json = serde_json::to_string(&person).unwrap();
        assert_eq!(
            serde_json::from_str::<PersonReported>(&json).unwrap(),
            person,
            "{json}"
        );
    }
}
