use std::fmt;
use std::str::FromStr;

/// Who a subscriber is: the two outreach programmes address them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// 清风入企: a business owner or manager.
    Enterprise,
    /// 清廉家风: a household, usually in a village.
    Household,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Audience::Enterprise, Audience::Household];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Enterprise => "enterprise",
            Audience::Household => "household",
        }
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Audience {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "enterprise" => Ok(Audience::Enterprise),
            "household" => Ok(Audience::Household),
            other => Err(format!(
                "unknown audience `{other}`, expected `enterprise` or `household`"
            )),
        }
    }
}
