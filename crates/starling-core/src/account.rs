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

/// The most common passwords (`data/common-passwords.txt`, its source in the README
/// beside it), lower-cased: refused for new passwords, whatever their case.
static COMMON: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        include_str!("../data/common-passwords.txt")
            .lines()
            .filter(|l| !l.starts_with("# ") && l.chars().count() >= 8)
            .collect()
    });

impl Password {
    /// A new password for `username`: the length rule, not one of the most common
    /// passwords, and not the username itself.
    pub fn parse_new(raw: &str, username: &Username) -> Result<Self, ValidationError> {
        let password = Self::parse(raw)?;
        let lower = raw.to_lowercase();
        if lower == username.key() {
            return Err(ValidationError::new(
                "password",
                "password must not be the username",
            ));
        }
        if COMMON.contains(lower.as_str()) {
            return Err(ValidationError::new(
                "password",
                "password is one of the most common passwords; choose another",
            ));
        }
        Ok(password)
    }

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

/// A client's `Idempotency-Key`: 1–128 printable ASCII characters. Retrying a create
/// with the same key (and the same request) creates nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        if (1..=128).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(Self(raw.to_string()))
        } else {
            Err(ValidationError::new(
                "Idempotency-Key",
                "must be 1-128 printable ASCII characters",
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let trimmed = raw.trim();
        let n = trimmed.chars().count();
        if !(1..=50).contains(&n) {
            return Err(ValidationError::new(
                "displayName",
                "display name must be 1-50 characters",
            ));
        }
        crate::text_rules::check(trimmed, false)
            .map_err(|why| ValidationError::new("displayName", format!("display name {why}")))?;
        Ok(Self(trimmed.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a user says about themselves on their profile: NFC-normalized, trimmed, at most
/// 160 characters counted as tweets are (Twitter's weighted length), possibly empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bio(String);

/// The longest bio, in weighted characters.
pub const BIO_MAX: usize = 160;

impl Bio {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        use unicode_normalization::UnicodeNormalization;
        let text: String = raw.trim().nfc().collect();
        if text.is_empty() {
            return Ok(Self(text));
        }
        crate::text_rules::check(&text, true)
            .map_err(|why| ValidationError::new("bio", format!("bio {why}")))?;
        let length = starling_text::parse_tweet(&text).weighted_length;
        if length > BIO_MAX {
            return Err(ValidationError::new(
                "bio",
                format!("bio is {length} characters counted as tweets are; at most {BIO_MAX}"),
            ));
        }
        Ok(Self(text))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bios_are_counted_as_tweets_are() {
        assert_eq!(Bio::parse("  ").unwrap().as_str(), "");
        assert!(Bio::parse(&"a".repeat(160)).is_ok());
        assert!(Bio::parse(&"a".repeat(161)).is_err());
        // CJK weighs two: 80 fit, 81 do not.
        assert!(Bio::parse(&"中".repeat(80)).is_ok());
        assert!(Bio::parse(&"中".repeat(81)).is_err());
        assert!(Bio::parse("bad \u{202e} override").is_err());
    }

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
        assert!(IdempotencyKey::parse("k-1").is_ok());
        for bad in ["", "has space", "ünï", &"k".repeat(129)] {
            assert!(IdempotencyKey::parse(bad).is_err(), "{bad}");
        }
        assert!(DisplayName::parse("Ada\u{202E}").is_err());
        assert!(DisplayName::parse("\u{3164}\u{3164}").is_err());
        assert!(DisplayName::parse("a\nb").is_err());
        let ada = Username::parse("Ada_Lovelace").unwrap();
        assert!(
            Password::parse_new("PassWord1", &ada).is_err(),
            "common, any case"
        );
        assert!(Password::parse_new("qwertyuiop", &ada).is_err());
        assert!(
            Password::parse_new("ada_lovelace", &ada).is_err(),
            "the username"
        );
        assert!(Password::parse_new("correct horse battery", &ada).is_ok());
        assert_eq!(DisplayName::parse(" Ada ").unwrap().as_str(), "Ada");
    }
}
