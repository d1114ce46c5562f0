//! A tweet body: NFC-normalized text that passes Twitter's weighted-length rule,
//! with its entities extracted and its SHA-256 computed once, before any storage sees it.

use crate::ValidationError;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// SHA-256 of a normalized body: the body's address in storage.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentHash(pub [u8; 32]);

impl ContentHash {
    pub fn of(text: &str) -> Self {
        Self(Sha256::digest(text.as_bytes()).into())
    }
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
    pub fn from_slice(b: &[u8]) -> Option<Self> {
        b.try_into().ok().map(Self)
    }
}

impl fmt::Debug for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentHash({})", self.to_hex())
    }
}

impl Serialize for ContentHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for ContentHash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        hex::decode(text.as_bytes())
            .ok()
            .and_then(|bytes| Self::from_slice(&bytes))
            .ok_or_else(|| serde::de::Error::custom("a SHA-256 as 64 hex digits"))
    }
}

/// A validated tweet body. Only [`Content::parse`] builds one.
#[derive(Debug, Clone)]
pub struct Content {
    text: String,
    hash: ContentHash,
    /// The extracted entities as JSON, stored beside the body: bodies are
    /// content-addressed, so the same text always has the same entities.
    entities_json: String,
    /// Lower-cased, de-duplicated hashtags, for the hashtag index.
    hashtags: Vec<String>,
    /// Lower-cased, de-duplicated usernames the text mentions, to resolve to accounts.
    mentions: Vec<String>,
}

impl Content {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::parse_with(raw, false)
    }

    /// As [`Content::parse`], but text may be empty (or only spaces, which then count as
    /// empty): a tweet that carries media needs no words.
    pub fn parse_with(raw: &str, may_be_empty: bool) -> Result<Self, ValidationError> {
        let mut text: String = raw.nfc().collect();
        if text.trim().is_empty() {
            if !may_be_empty {
                return Err(ValidationError::new("content", "content must not be empty"));
            }
            text.clear();
        }
        if !text.is_empty() {
            crate::text_rules::check(&text, true)
                .map_err(|why| ValidationError::new("content", format!("content {why}")))?;
        }
        let parsed = starling_text::parse_tweet(&text);
        // Twitter's rules call empty text invalid; here it was allowed above.
        if !parsed.is_valid && !text.is_empty() {
            let message = if parsed.weighted_length > starling_text::MAX_WEIGHTED_LENGTH {
                format!(
                    "content is too long: weighted length {} exceeds {}",
                    parsed.weighted_length,
                    starling_text::MAX_WEIGHTED_LENGTH
                )
            } else {
                "content contains characters that are not allowed".to_string()
            };
            return Err(ValidationError::new("content", message));
        }
        let entities = starling_text::extract_entities(&text);
        let mut hashtags: Vec<String> = entities
            .hashtags
            .iter()
            .map(|h| h.tag.to_lowercase())
            .collect();
        hashtags.sort();
        hashtags.dedup();
        let mut mentions: Vec<String> = entities
            .mentions
            .iter()
            .map(|m| m.username.to_lowercase())
            .collect();
        mentions.sort();
        mentions.dedup();
        let entities_json = serde_json::to_string(&entities).expect("entities serialize");
        Ok(Self {
            hash: ContentHash::of(&text),
            text,
            entities_json,
            hashtags,
            mentions,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }
    pub fn hash(&self) -> ContentHash {
        self.hash
    }
    pub fn entities_json(&self) -> &str {
        &self.entities_json
    }
    pub fn hashtags(&self) -> &[String] {
        &self.hashtags
    }
    pub fn mentions(&self) -> &[String] {
        &self.mentions
    }
}

/// Normalize a hashtag filter the way stored hashtags are normalized.
pub fn normalize_hashtag(tag: &str) -> String {
    tag.trim()
        .trim_start_matches(['#', '＃'])
        .nfc()
        .collect::<String>()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_to_nfc_before_hashing() {
        let composed = Content::parse("caf\u{e9}").unwrap();
        let decomposed = Content::parse("cafe\u{301}").unwrap();
        assert_eq!(composed.hash(), decomposed.hash());
        assert_eq!(decomposed.text(), "caf\u{e9}");
    }

    #[test]
    fn rejects_empty_and_whitespace() {
        for raw in ["", "   ", "\n\t "] {
            assert_eq!(Content::parse(raw).unwrap_err().field, "content");
        }
    }

    #[test]
    fn rejects_nul_bidi_overrides_and_invisible_only_text() {
        for raw in ["a\0b", "abc\u{202E}def", "\u{200B}\u{200B}"] {
            assert_eq!(Content::parse(raw).unwrap_err().field, "content", "{raw:?}");
        }
    }

    #[test]
    fn rejects_over_long() {
        assert!(Content::parse(&"a".repeat(280)).is_ok());
        assert!(Content::parse(&"a".repeat(281)).is_err());
    }

    #[test]
    fn hashtags_are_lowercased_and_unique() {
        let c = Content::parse("#Rust and #rust and #Tokio").unwrap();
        assert_eq!(c.hashtags(), ["rust", "tokio"]);
        assert_eq!(normalize_hashtag("#RUST"), "rust");
    }
}
