//! Properties that must hold for any input: nothing panics, every index lies
//! inside the text on a character boundary and matches what it claims, and
//! the weighted length and its ranges stay consistent.

use proptest::prelude::*;
use starling_text::{
    Entities, extract_cashtags_with_indices, extract_entities, extract_hashtags_with_indices,
    extract_mentions_or_lists_with_indices, extract_reply_username, extract_urls_with_indices,
    is_valid_hashtag, is_valid_url, is_valid_username, parse_tweet,
};

/// Pieces that trigger the scanners' interesting paths.
const FRAGMENTS: &[&str] = &[
    "#",
    "＃",
    "@",
    "＠",
    "$",
    "http://",
    "https://",
    "HTTPS://",
    ".com",
    ".co.jp",
    ".みんな",
    "t.co/",
    "xn--",
    "/",
    "?",
    "=",
    "#!",
    ".",
    "..",
    ":",
    "://",
    "(",
    ")",
    "-",
    "_",
    "&",
    " ",
    "\n",
    "\u{3000}",
    "rt",
    "RT:",
    "a",
    "Z",
    "9",
    "abc",
    "中文",
    "ハッシュ",
    "é",
    "\u{301}",
    "\u{200d}",
    "\u{200c}",
    "\u{fe0f}",
    "\u{fe0e}",
    "\u{20e3}",
    "👨",
    "👩",
    "🏽",
    "🇯",
    "🇵",
    "🏴",
    "\u{e0067}",
    "\u{e007f}",
    "😷",
    "☺",
    "©",
    "\u{202a}",
    "\u{2066}",
    "\u{ffff}",
    "\u{feff}",
    "𠀡",
    "ـ",
    "پاکستان",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(FRAGMENTS).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(fragment(), 0..48).prop_map(|parts| parts.concat()),
    ]
}

fn slice(chars: &[char], [start, end]: [usize; 2]) -> String {
    chars[start..end].iter().collect()
}

/// Checks one entity's indices and, where the entity is its own text, that
/// the indices point at it. Returns the range for the overlap check.
fn check_range(chars: &[char], indices: [usize; 2]) -> Result<(), TestCaseError> {
    let [start, end] = indices;
    prop_assert!(start < end, "empty or reversed range {:?}", indices);
    prop_assert!(
        end <= chars.len(),
        "range {:?} beyond {} chars",
        indices,
        chars.len()
    );
    Ok(())
}

fn check_entities(chars: &[char], e: &Entities) -> Result<(), TestCaseError> {
    for h in &e.hashtags {
        check_range(chars, h.indices)?;
        prop_assert!(matches!(chars[h.indices[0]], '#' | '＃'));
        prop_assert_eq!(&slice(chars, [h.indices[0] + 1, h.indices[1]]), &h.tag);
    }
    for m in &e.mentions {
        check_range(chars, m.indices)?;
        prop_assert!(matches!(chars[m.indices[0]], '@' | '＠'));
        prop_assert_eq!(&slice(chars, [m.indices[0] + 1, m.indices[1]]), &m.username);
    }
    for c in &e.cashtags {
        check_range(chars, c.indices)?;
        prop_assert_eq!(chars[c.indices[0]], '$');
        prop_assert_eq!(&slice(chars, [c.indices[0] + 1, c.indices[1]]), &c.cashtag);
    }
    for u in &e.urls {
        check_range(chars, u.indices)?;
        prop_assert!(!u.url.is_empty());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn extraction_is_total_and_in_bounds(text in text()) {
        let chars: Vec<char> = text.chars().collect();
        let utf16_len = text.encode_utf16().count();

        let all = extract_entities(&text);
        check_entities(&chars, &all)?;
        // Entities of different kinds never overlap.
        let mut ranges: Vec<[usize; 2]> = all.hashtags.iter().map(|h| h.indices)
            .chain(all.mentions.iter().map(|m| m.indices))
            .chain(all.urls.iter().map(|u| u.indices))
            .chain(all.cashtags.iter().map(|c| c.indices))
            .collect();
        ranges.sort();
        for pair in ranges.windows(2) {
            prop_assert!(pair[0][1] <= pair[1][0], "overlap {:?}", pair);
        }
        // UTF-16 indices stay within the UTF-16 length, in the same order.
        let utf16 = all.to_utf16(&text);
        for (a, b) in all.urls.iter().zip(&utf16.urls) {
            prop_assert!(b.indices[0] >= a.indices[0] && b.indices[1] <= utf16_len);
        }

        let single = Entities {
            hashtags: extract_hashtags_with_indices(&text),
            mentions: starling_text::extract_mentions_with_indices(&text),
            urls: extract_urls_with_indices(&text),
            cashtags: extract_cashtags_with_indices(&text),
        };
        check_entities(&chars, &single)?;
        for m in extract_mentions_or_lists_with_indices(&text) {
            check_range(&chars, m.indices)?;
        }
        if let Some(name) = extract_reply_username(&text) {
            prop_assert!(!name.is_empty() && name.chars().count() <= 20);
        }
        let _ = (is_valid_url(&text), is_valid_hashtag(&text), is_valid_username(&text));
    }

    #[test]
    fn weighted_length_is_consistent(text in text()) {
        let parsed = parse_tweet(&text);
        let utf16_len = text.encode_utf16().count();
        prop_assert_eq!(parsed.display_range, (0, utf16_len.saturating_sub(1)));
        prop_assert_eq!(parsed.valid_range.0, 0);
        prop_assert!(parsed.valid_range.1 <= parsed.display_range.1);
        prop_assert_eq!(parsed.permillage, parsed.weighted_length * 1000 / 280);
        if parsed.is_valid {
            prop_assert!(parsed.weighted_length > 0 && parsed.weighted_length <= 280);
            prop_assert!(!text.trim().is_empty());
        }
        if text.is_empty() {
            prop_assert_eq!(parsed.weighted_length, 0);
            prop_assert!(!parsed.is_valid);
        } else {
            prop_assert!(parsed.weighted_length > 0);
        }
    }
}

/// Inputs that would take quadratic time in a naive scanner (or a
/// backtracking regex) finish at once: each is 200,000 characters.
#[test]
fn adversarial_inputs_stay_linear() {
    let inputs = [
        "a.".repeat(100_000),
        "中".repeat(200_000),
        "中.".repeat(100_000),
        "x".repeat(199_990) + "中.com",
        "#".repeat(200_000),
        "#a".repeat(100_000),
        "@a".repeat(100_000),
        "$A ".repeat(66_000),
        format!("http://example.com/{}", "(".repeat(199_000)),
        format!("http://example.com/?{}", ".".repeat(199_000)),
        "👨\u{200d}".repeat(70_000),
        format!("http://{}.com", "あ".repeat(199_000)),
    ];
    for text in &inputs {
        let parsed = parse_tweet(text);
        assert!(!parsed.is_valid);
        let entities = extract_entities(text);
        let _ = extract_hashtags_with_indices(text);
        assert!(entities.urls.len() <= text.len());
    }
}
