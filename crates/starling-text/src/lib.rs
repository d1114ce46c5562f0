//! Tweet text as Twitter counts and parses it.
//!
//! Two jobs, both pure functions with no I/O:
//! - [`parse_tweet`]: the weighted length of a text per twitter-text
//!   configuration v3 (a URL weighs 23, an emoji sequence or a CJK character
//!   2, most other characters 1; limit 280) and whether it can be posted.
//! - [`extract_entities`] and the `extract_*` functions: mentions, hashtags,
//!   URLs (with or without protocol, using the TLD list) and cashtags.
//!
//! Key decision: twitter-text's behaviour is defined by its regular
//! expressions and proven by its conformance suite (`tests/conformance.rs`
//! runs it as is). Rather than port the regexes (lookarounds, backtracking
//! over a 1,500-alternative TLD list), each entity has a hand-written scanner
//! that makes the same choices as the regex engine, in linear time.
//!
//! Layout: `weight` (length), `emoji` (UTS #51 sequences), `urls`, `tld`
//! (embedded twitter-text TLD list), `punycode` (host label lengths),
//! `mentions`, `hashtags`, `cashtags`, `validate` (single-entity checks),
//! `chars` (character classes shared by the scanners).
//!
//! Units: entity indices are Unicode code point offsets `[start, end)`.
//! twitter-text's JavaScript and Java versions report UTF-16 offsets instead;
//! [`Entities::to_utf16`] converts. The ranges of [`ParsedText`] are UTF-16,
//! as the suite states them, so a browser counter can use them directly.

mod cashtags;
mod chars;
mod emoji;
mod hashtags;
mod mentions;
mod punycode;
mod tld;
mod urls;
mod validate;
mod weight;

use serde::Serialize;

pub use validate::{is_valid_hashtag, is_valid_url, is_valid_username};

/// Maximum weighted length of a tweet (configuration v3).
pub const MAX_WEIGHTED_LENGTH: usize = 280;

/// The result of measuring a text against Twitter's configuration v3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParsedText {
    pub weighted_length: usize,
    /// `weighted_length` per thousand of the limit, rounded down.
    pub permillage: usize,
    /// Whether the text can be posted: not empty nor only spaces, no invalid
    /// character (U+FFFE, U+FEFF, U+FFFF), within the limit.
    pub is_valid: bool,
    /// UTF-16 range of the whole text, inclusive end as twitter-text reports
    /// it (`(0, 0)` for an empty text).
    pub display_range: (usize, usize),
    /// UTF-16 range of the part that fits within the limit, inclusive end.
    pub valid_range: (usize, usize),
}

/// Measure `text` with configuration v3 (after NFC normalization, as
/// twitter-text does).
pub fn parse_tweet(text: &str) -> ParsedText {
    weight::parse(text)
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

/// A mention that may name a list (`@user/list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MentionOrList {
    /// The username without `@`.
    pub username: String,
    /// `/slug` for a list, empty for a plain mention.
    pub list_slug: String,
    pub indices: [usize; 2],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Url {
    /// The URL as written in the text (for a t.co link, without what follows
    /// its slug).
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

impl Entities {
    /// The same entities with indices in UTF-16 code units of `text` (the
    /// text they were extracted from), as JavaScript string offsets.
    pub fn to_utf16(&self, text: &str) -> Entities {
        // offsets[i] = UTF-16 offset of code point i.
        let mut offsets = Vec::with_capacity(text.len() + 1);
        let mut pos = 0;
        offsets.push(0);
        for c in text.chars() {
            pos += chars::utf16_len(c);
            offsets.push(pos);
        }
        let map = |[start, end]: [usize; 2]| {
            let at = |i: usize| offsets.get(i).copied().unwrap_or(pos);
            [at(start), at(end)]
        };
        Entities {
            hashtags: self
                .hashtags
                .iter()
                .map(|h| Hashtag {
                    indices: map(h.indices),
                    ..h.clone()
                })
                .collect(),
            mentions: self
                .mentions
                .iter()
                .map(|m| Mention {
                    indices: map(m.indices),
                    ..m.clone()
                })
                .collect(),
            urls: self
                .urls
                .iter()
                .map(|u| Url {
                    indices: map(u.indices),
                    ..u.clone()
                })
                .collect(),
            cashtags: self
                .cashtags
                .iter()
                .map(|c| Cashtag {
                    indices: map(c.indices),
                    ..c.clone()
                })
                .collect(),
        }
    }
}

fn code_points(text: &str) -> Vec<char> {
    text.chars().collect()
}

fn slice(chars: &[char], start: usize, end: usize) -> String {
    chars[start..end].iter().collect()
}

/// URLs with and without protocol, in order of appearance.
pub fn extract_urls_with_indices(text: &str) -> Vec<Url> {
    urls::extract(&code_points(text))
        .into_iter()
        .map(|u| Url {
            url: u.url,
            indices: [u.start, u.end],
        })
        .collect()
}

/// Mentions of users and of lists, in order of appearance.
pub fn extract_mentions_or_lists_with_indices(text: &str) -> Vec<MentionOrList> {
    mentions::extract(&code_points(text))
        .into_iter()
        .map(|m| MentionOrList {
            username: m.username,
            list_slug: m.list_slug,
            indices: [m.start, m.end],
        })
        .collect()
}

/// Mentions of users (list mentions left out, as twitter-text does).
pub fn extract_mentions_with_indices(text: &str) -> Vec<Mention> {
    mentions::extract(&code_points(text))
        .into_iter()
        .filter(|m| m.list_slug.is_empty())
        .map(|m| Mention {
            username: m.username,
            indices: [m.start, m.end],
        })
        .collect()
}

/// The username a text replies to: a mention that opens the text.
pub fn extract_reply_username(text: &str) -> Option<String> {
    mentions::reply(&code_points(text))
}

/// Hashtags, minus those a URL overlaps: sorted together by start, an entity
/// is dropped when it starts inside the last one kept (as twitter-text does).
fn hashtags_outside(chars: &[char], urls: &[urls::UrlMatch]) -> Vec<Hashtag> {
    let mut urls = urls.iter().peekable();
    let mut last_end = 0;
    let mut kept = Vec::new();
    for (start, end) in hashtags::extract(chars) {
        while let Some(url) = urls.next_if(|u| u.start < start) {
            if url.start >= last_end {
                last_end = url.end;
            }
        }
        if start < last_end {
            continue;
        }
        last_end = end;
        kept.push(Hashtag {
            tag: slice(chars, start + 1, end),
            indices: [start, end],
        });
    }
    kept
}

/// Hashtags, except those that are part of a URL.
pub fn extract_hashtags_with_indices(text: &str) -> Vec<Hashtag> {
    let chars = code_points(text);
    let urls = urls::extract(&chars);
    hashtags_outside(&chars, &urls)
}

/// Cashtags (`$TWTR`), in order of appearance.
pub fn extract_cashtags_with_indices(text: &str) -> Vec<Cashtag> {
    let chars = code_points(text);
    cashtags::extract(&chars)
        .into_iter()
        .map(|(start, end)| Cashtag {
            cashtag: slice(&chars, start + 1, end),
            indices: [start, end],
        })
        .collect()
}

/// Every entity of `text`, in order of appearance within each kind.
///
/// Where entities of different kinds overlap, the one that starts first wins
/// (twitter-text's `extractEntitiesWithIndices`). List mentions take part in
/// that contest but are not returned as mentions.
pub fn extract_entities(text: &str) -> Entities {
    let chars = code_points(text);

    enum Kind {
        Url(String),
        Hashtag,
        Mention(String, bool),
        Cashtag,
    }
    let mut all: Vec<(usize, usize, Kind)> = Vec::new();
    for u in urls::extract(&chars) {
        all.push((u.start, u.end, Kind::Url(u.url)));
    }
    for (start, end) in hashtags::extract(&chars) {
        all.push((start, end, Kind::Hashtag));
    }
    for m in mentions::extract(&chars) {
        let is_list = !m.list_slug.is_empty();
        all.push((m.start, m.end, Kind::Mention(m.username, is_list)));
    }
    for (start, end) in cashtags::extract(&chars) {
        all.push((start, end, Kind::Cashtag));
    }
    // Stable: at equal starts the order above (URLs first) decides.
    all.sort_by_key(|&(start, _, _)| start);

    let mut entities = Entities::default();
    let mut last_end = 0;
    for (start, end, kind) in all {
        if start < last_end {
            continue;
        }
        last_end = end;
        let indices = [start, end];
        match kind {
            Kind::Url(url) => entities.urls.push(Url { url, indices }),
            Kind::Hashtag => entities.hashtags.push(Hashtag {
                tag: slice(&chars, start + 1, end),
                indices,
            }),
            Kind::Mention(username, false) => entities.mentions.push(Mention { username, indices }),
            Kind::Mention(_, true) => {}
            Kind::Cashtag => entities.cashtags.push(Cashtag {
                cashtag: slice(&chars, start + 1, end),
                indices,
            }),
        }
    }
    entities
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_for_a_post() {
        let e =
            extract_entities("Hi @alice, see https://example.com/#Rust #rust $TSLA @bob/friends");
        let names: Vec<&str> = e.mentions.iter().map(|m| m.username.as_str()).collect();
        assert_eq!(names, ["alice"], "list mentions are not user mentions");
        assert_eq!(e.urls.len(), 1);
        assert_eq!(e.urls[0].url, "https://example.com/#Rust");
        let tags: Vec<&str> = e.hashtags.iter().map(|h| h.tag.as_str()).collect();
        assert_eq!(tags, ["rust"], "the #Rust inside the URL is not a tag");
        assert_eq!(e.cashtags[0].cashtag, "TSLA");
    }

    #[test]
    fn astral_characters_shift_utf16_but_not_code_point_indices() {
        let text = "a 😷 #tag";
        let e = extract_entities(text);
        assert_eq!(e.hashtags[0].indices, [4, 8]);
        assert_eq!(e.to_utf16(text).hashtags[0].indices, [5, 9]);
    }

    #[test]
    fn blank_text_cannot_be_posted() {
        assert!(!parse_tweet("").is_valid);
        assert!(!parse_tweet(" \n\u{3000}").is_valid);
        assert!(parse_tweet("hi").is_valid);
        assert_eq!(parse_tweet(&"x".repeat(281)).weighted_length, 281);
        assert!(!parse_tweet(&"x".repeat(281)).is_valid);
    }
}
