//! Tweet text as Twitter counts and parses it.
//!
//! PLACEHOLDER until the conformance-driven implementation lands (issue 3):
//! the signatures below are the contract the server relies on.
//!
//! Indices are Unicode code point offsets `[start, end)` into the text.

use serde::Serialize;

/// Maximum weighted length of a tweet (configuration v3).
pub const MAX_WEIGHTED_LENGTH: usize = 280;

/// The result of measuring a text against Twitter's configuration v3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParsedText {
    pub weighted_length: usize,
    pub permillage: usize,
    pub is_valid: bool,
    /// Code point range of the whole text, inclusive end as twitter-text reports it.
    pub display_range: (usize, usize),
    /// Code point range of the part that fits within the limit, inclusive end.
    pub valid_range: (usize, usize),
}

/// Measure `text` with configuration v3.
pub fn parse_tweet(text: &str) -> ParsedText {
    let n = text.chars().count();
    let weighted_length = n;
    ParsedText {
        weighted_length,
        permillage: weighted_length * 1000 / MAX_WEIGHTED_LENGTH,
        is_valid: n > 0 && weighted_length <= MAX_WEIGHTED_LENGTH && !text.trim().is_empty(),
        display_range: (0, n.saturating_sub(1)),
        valid_range: (0, n.min(MAX_WEIGHTED_LENGTH).saturating_sub(1)),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hashtag {
    /// The tag without `#`, as written.
    pub tag: String,
    pub indices: [usize; 2],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// The username without `@`.
    pub username: String,
    pub indices: [usize; 2],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Url {
    /// The URL as written in the text.
    pub url: String,
    pub indices: [usize; 2],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cashtag {
    /// The symbol without `$`.
    pub cashtag: String,
    pub indices: [usize; 2],
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Entities {
    pub hashtags: Vec<Hashtag>,
    pub mentions: Vec<Mention>,
    pub urls: Vec<Url>,
    pub cashtags: Vec<Cashtag>,
}

/// Extract every entity of `text`, in order of appearance within each kind.
pub fn extract_entities(text: &str) -> Entities {
    let mut e = Entities::default();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c == '#' || c == '@') && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            let start = i;
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            if j > i + 1 {
                let word: String = chars[i + 1..j].iter().collect();
                if c == '#' {
                    e.hashtags.push(Hashtag { tag: word, indices: [start, j] });
                } else {
                    e.mentions.push(Mention { username: word, indices: [start, j] });
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    e
}
