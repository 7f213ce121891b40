//! Commission staff who use the dashboard: who they are and what they may see.

use std::fmt;
use std::str::FromStr;

use super::RegionCode;

/// A staff login name: 3 to 32 lower-case letters, digits, `.`, `_` or `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Username {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let ok = (3..=32).contains(&s.len())
            && s.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            });
        if ok {
            Ok(Username(s.to_owned()))
        } else {
            Err(format!(
                "`{s}` is not a username: use 3 to 32 lower-case letters, digits, `.`, `_` or `-`"
            ))
        }
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a staff member may see and do. Checked where reports are read, not only in pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffRole {
    /// Everything, including accounts and the audit log.
    Admin,
    /// Every report.
    County,
    /// Reports at the desk that serves this township.
    Township(RegionCode),
}

impl StaffRole {
    pub fn name(&self) -> &'static str {
        match self {
            StaffRole::Admin => "admin",
            StaffRole::County => "county",
            StaffRole::Township(_) => "township",
        }
    }

    /// Parses the stored pair (role, township).
    pub fn from_parts(role: &str, township: Option<&str>) -> Result<StaffRole, String> {
        match (role, township) {
            ("admin", None) => Ok(StaffRole::Admin),
            ("county", None) => Ok(StaffRole::County),
            ("township", Some(code)) => Ok(StaffRole::Township(
                code.parse().map_err(|e| format!("{e}"))?,
            )),
            ("township", None) => Err("a township account needs its township".into()),
            (other, _) => Err(format!(
                "`{other}` is not a role; expected admin, county or township"
            )),
        }
    }

    pub fn township(&self) -> Option<&RegionCode> {
        match self {
            StaffRole::Township(code) => Some(code),
            _ => None,
        }
    }
}

/// A signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: i64,
    pub username: Username,
    pub role: StaffRole,
    /// Signs in with a TOTP code as well as the password.
    pub totp: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_and_roles_parse_strictly() {
        assert!("wang.li".parse::<Username>().is_ok());
        for bad in ["ab", "Wang", "wang li", "王力", &"a".repeat(33)] {
            assert!(bad.parse::<Username>().is_err(), "{bad}");
        }
        assert_eq!(StaffRole::from_parts("admin", None), Ok(StaffRole::Admin));
        assert!(StaffRole::from_parts("township", None).is_err());
        assert!(StaffRole::from_parts("root", None).is_err());
        let t = StaffRole::from_parts("township", Some("baofeng")).unwrap();
        assert_eq!(t.township().unwrap().as_str(), "baofeng");
    }
}
