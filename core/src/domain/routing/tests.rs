//! Every level × township × commission tie, against a table written from the rules
//! (《纪检监察机关处理检举控告工作规则》 and 干部管理权限), not from the code.

use super::*;

fn desk(code: &str, county: bool, townships: &[&str]) -> Desk {
    Desk {
        code: code.parse().unwrap(),
        name: LocalizedText::new(code.to_owned(), code.to_owned()),
        alert_chat_ids: Vec::new(),
        county,
        townships: townships.iter().map(|t| t.parse().unwrap()).collect(),
    }
}

fn routing() -> Routing {
    Routing::new(
        vec![
            desk("county", true, &[]),
            desk("baofeng", false, &["baofeng"]),
        ],
        RoutingPolicy {
            higher: HigherBody {
                code: "shiyan".parse().unwrap(),
                name: LocalizedText::new("十堰市纪委监委", "Shiyan Municipal Commission"),
            },
            higher_levels: vec![PersonLevel::CountyOrAbove],
            county_levels: vec![PersonLevel::Section, PersonLevel::Unknown],
            enterprises: vec![
                (EnterpriseLevel::Municipal, Handler::Higher),
                (EnterpriseLevel::Township, Handler::Township),
            ],
        },
    )
    .unwrap()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Higher,
    County,
    Baofeng,
}

/// Townships: one with its own desk, one without (`pankou`), and a county department.
const PLACES: [Option<&str>; 3] = [Some("baofeng"), Some("pankou"), None];

/// For people not on the commission's staff: where each level goes from each place.
const TABLE: [(PersonLevel, [Want; 3]); 7] = {
    use PersonLevel::*;
    use Want::*;
    [
        (CountyOrAbove, [Higher, Higher, Higher]),
        (Section, [County, County, County]),
        (Staff, [Baofeng, County, County]),
        (Village, [Baofeng, County, County]),
        (StateEnterprise, [County, County, County]),
        (Other, [Baofeng, County, County]),
        (Unknown, [County, County, County]),
    ]
};

fn got(r: &Routing, township: Option<&str>, level: PersonLevel, tie: CommissionTie) -> Want {
    let township: Option<RegionCode> = township.map(|t| t.parse().unwrap());
    let subject = Subject {
        township: township.as_ref(),
        level,
        commission: tie,
        enterprise: None,
    };
    match r.desk_for(&subject) {
        Destination::Higher { via, body } => {
            assert_eq!((via.as_str(), body.as_str()), ("county", "shiyan"));
            Want::Higher
        }
        Destination::Desk(d) if d.as_str() == "county" => Want::County,
        Destination::Desk(d) => {
            assert_eq!(d.as_str(), "baofeng");
            Want::Baofeng
        }
    }
}

#[test]
fn every_level_place_and_commission_tie_goes_to_the_managing_body() {
    let r = routing();
    let mut checked = 0;
    assert_eq!(
        TABLE.len(),
        PersonLevel::ALL.len(),
        "every level is in the table"
    );
    for (level, wants) in TABLE {
        for (place, want) in PLACES.iter().zip(wants) {
            for tie in CommissionTie::ALL {
                let want = match tie {
                    CommissionTie::None => want,
                    // A commission's own leaders: the commission above it.
                    CommissionTie::Leader => Want::Higher,
                    // Its other staff: the county office, never a township desk.
                    CommissionTie::OtherStaff => Want::County,
                    // Not known: the commission above where the level says so, otherwise the
                    // county office — a township desk must not judge possible commission staff.
                    CommissionTie::Unknown if want == Want::Higher => Want::Higher,
                    CommissionTie::Unknown => Want::County,
                };
                assert_eq!(
                    got(&r, *place, level, tie),
                    want,
                    "{level} at {place:?}, {tie:?}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(
        checked,
        PersonLevel::ALL.len() * PLACES.len() * CommissionTie::ALL.len()
    );
}

#[test]
fn state_enterprise_staff_follow_whoever_manages_the_enterprise() {
    let r = routing();
    let baofeng: RegionCode = "baofeng".parse().unwrap();
    let to = |enterprise| {
        r.desk_for(&Subject {
            township: Some(&baofeng),
            level: PersonLevel::StateEnterprise,
            commission: CommissionTie::None,
            enterprise,
        })
    };
    assert!(matches!(
        to(Some(EnterpriseLevel::Municipal)),
        Destination::Higher { .. }
    ));
    assert_eq!(
        to(Some(EnterpriseLevel::Township)).desk().as_str(),
        "baofeng"
    );
    // Not listed, or not known: the county.
    assert_eq!(to(Some(EnterpriseLevel::County)).desk().as_str(), "county");
    assert_eq!(to(None).desk().as_str(), "county");
}

#[test]
fn a_county_senior_goes_up_even_when_the_file_forgets_to_say_so() {
    let mut policy = routing().policy().clone();
    policy.higher_levels.clear();
    policy.county_levels.clear();
    let r = Routing::new(routing().desks().to_vec(), policy).unwrap();
    assert_eq!(
        got(
            &r,
            Some("baofeng"),
            PersonLevel::CountyOrAbove,
            CommissionTie::None
        ),
        Want::Higher
    );
    assert_eq!(
        got(
            &r,
            Some("baofeng"),
            PersonLevel::Section,
            CommissionTie::None
        ),
        Want::County
    );
}

#[test]
fn malformed_routing_is_refused() {
    let policy = routing().policy().clone();
    assert!(Routing::new(vec![desk("a", false, &[])], policy.clone()).is_err());
    assert!(
        Routing::new(
            vec![desk("c", true, &["x"]), desk("b", false, &["x"])],
            policy.clone()
        )
        .is_err()
    );
    let mut both = policy;
    both.county_levels.push(PersonLevel::CountyOrAbove);
    assert!(Routing::new(vec![desk("c", true, &[])], both).is_err());
}

/// The routing policy is stored as JSON; policies saved before names became one type must
/// still load, and new ones must keep the same keys.
#[test]
fn the_higher_body_keeps_its_stored_json_shape() {
    let stored = r#"{"code":"shiyan","name_zh":"十堰市纪委监委","name_en":"Shiyan Commission"}"#;
    let body: HigherBody = serde_json::from_str(stored).unwrap();
    assert_eq!(body.name(crate::Language::ZhCn), "十堰市纪委监委");
    assert_eq!(body.name(crate::Language::En), "Shiyan Commission");
    assert_eq!(serde_json::to_string(&body).unwrap(), stored);
}
