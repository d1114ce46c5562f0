//! Account input rules: usernames, passwords and display names, each a newtype built
//! only through `parse`.

use crate::ValidationError;

/// 1–15 of `[A-Za-z0-9_]`, unique case-insensitively (compare [`Username::key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let ok = (1..=15).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if ok {
            Ok(Self(raw.to_string()))
        } else {
            Err(ValidationError::new(
                "username",
                "username must be 1-15 letters, digits or underscores",
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The uniqueness key: usernames are unique case-insensitively.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// A password as typed. `Debug` never prints it.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl Password {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let n = raw.chars().count();
        if (8..=128).contains(&n) {
            Ok(Self(raw.to_string()))
        } else {
            Err(ValidationError::new(
                "password",
                "password must be 8-128 characters",
            ))
        }
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let trimmed = raw.trim();
        let n = trimmed.chars().count();
        if (1..=50).contains(&n) && !trimmed.chars().any(char::is_control) {
            Ok(Self(trimmed.to_string()))
        } else {
            Err(ValidationError::new(
                "displayName",
                "display name must be 1-50 characters without control characters",
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(Username::parse("Ada_99").unwrap().key(), "ada_99");
        for bad in ["", "sixteen_chars_xx", "ada!", "ädä", "a b"] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_and_names() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("long enough").is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("secret-secret").unwrap()),
            "Password(<redacted>)"
        );
        assert!(DisplayName::parse("  ").is_err());
        assert_eq!(DisplayName::parse(" Ada ").unwrap().as_str(), "Ada");
    }
}
