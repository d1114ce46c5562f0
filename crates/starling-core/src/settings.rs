//! The values configuration is made of, shared by every crate's config struct: a
//! [`Secret`] that never shows itself, and how a duration is written in a config file or
//! an environment variable ([`duration`]).

use serde::{Deserialize, Deserializer};
use std::time::Duration;

/// A secret (a token, a password in a database URL) that never shows in logs, errors or
/// `Debug` output; only [`Secret::expose`] reveals it, at the one place that needs it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// A duration in configuration: a whole number of seconds (`30`) or a human-readable
/// span (`"15s"`, `"30m"`, `"30days"`, `"250ms"`). Use with
/// `#[serde(deserialize_with = "duration")]`.
pub fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Seconds(u64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Seconds(s) => Ok(Duration::from_secs(s)),
        Raw::Text(t) => match t.trim().parse::<u64>() {
            Ok(s) => Ok(Duration::from_secs(s)),
            Err(_) => humantime::parse_duration(t.trim()).map_err(|e| {
                serde::de::Error::custom(format!(
                    "{t:?} is not a duration ({e}); write seconds or e.g. \"15s\", \"30m\", \"30days\""
                ))
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct D {
        #[serde(deserialize_with = "duration")]
        d: Duration,
    }

    #[test]
    fn durations_in_seconds_or_words() {
        let parse = |v: serde_json::Value| {
            serde_json::from_value::<D>(serde_json::json!({ "d": v })).map(|d| d.d)
        };
        assert_eq!(parse(30.into()).unwrap(), Duration::from_secs(30));
        assert_eq!(parse("45".into()).unwrap(), Duration::from_secs(45));
        assert_eq!(parse("250ms".into()).unwrap(), Duration::from_millis(250));
        assert_eq!(
            parse("30days".into()).unwrap(),
            Duration::from_secs(30 * 86_400)
        );
        let err = parse("soon".into()).unwrap_err().to_string();
        assert!(err.contains("not a duration"), "{err}");
    }

    #[test]
    fn a_secret_never_shows_itself() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(s.expose(), "hunter2");
    }
}
