//! Weighted length per twitter-text configuration v3.

use crate::chars::is_invalid_char;
use crate::{MAX_WEIGHTED_LENGTH, ParsedText, emoji, urls};
use std::borrow::Cow;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Weights are in hundredths of a character, as in the configuration.
const SCALE: usize = 100;
const DEFAULT_WEIGHT: usize = 200;
const TRANSFORMED_URL_LENGTH: usize = 23;
/// Code point ranges (inclusive) that weigh 1 instead of the default 2:
/// Latin, Greek, Cyrillic, Hebrew, Arabic... up to U+10FF, and the common
/// general punctuation (spaces, dashes, quotes, primes).
const RANGES: [(u32, u32, usize); 4] = [
    (0, 4351, 100),
    (8192, 8205, 100),
    (8208, 8223, 100),
    (8242, 8247, 100),
];

fn char_weight(c: char) -> usize {
    let cp = c as u32;
    RANGES
        .iter()
        .find(|&&(start, end, _)| (start..=end).contains(&cp))
        .map_or(DEFAULT_WEIGHT, |&(_, _, weight)| weight)
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

pub(crate) fn parse(text: &str) -> ParsedText {
    // twitter-text counts the NFC form; most text already is NFC.
    let normalized: Cow<'_, str> = match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    };
    let chars: Vec<char> = normalized.chars().collect();
    let urls = urls::extract(&chars);
    let mut next_url = urls.iter().peekable();

    let max_scaled = MAX_WEIGHTED_LENGTH * SCALE;
    let mut weighted = 0;
    let mut valid_chars = true;
    // UTF-16 index of the last unit that still fits; the ranges are reported
    // in UTF-16 units like twitter-text's.
    let mut valid_end = 0usize;
    let mut utf16_pos = 0usize;
    let mut i = 0;
    while i < chars.len() {
        while next_url.peek().is_some_and(|u| u.start < i) {
            next_url.next();
        }
        let (end, weight) = match next_url.peek() {
            Some(url) if url.start == i => (url.end, TRANSFORMED_URL_LENGTH * SCALE),
            _ => match emoji::sequence_len(&chars, i) {
                0 => (i + 1, char_weight(chars[i])),
                len => (i + len, DEFAULT_WEIGHT),
            },
        };
        weighted += weight;
        utf16_pos += chars[i..end].iter().map(|c| c.len_utf16()).sum::<usize>();
        if valid_chars {
            valid_chars = !is_invalid_char(chars[end - 1]);
        }
        if valid_chars && weighted <= max_scaled {
            valid_end = utf16_pos - 1;
        }
        i = end;
    }

    let weighted_length = weighted / SCALE;
    let text_len = utf16_len(text);
    // Ranges refer to the text as given, not to its NFC form.
    let offset = text_len as isize - utf16_len(&normalized) as isize;
    let valid_end = (valid_end as isize + offset).max(0) as usize;
    ParsedText {
        weighted_length,
        permillage: weighted_length * 1000 / MAX_WEIGHTED_LENGTH,
        // Beyond twitter-text: a text of only spaces cannot be posted.
        is_valid: valid_chars
            && weighted_length > 0
            && weighted_length <= MAX_WEIGHTED_LENGTH
            && !text.trim().is_empty(),
        display_range: (0, text_len.saturating_sub(1)),
        valid_range: (0, valid_end),
    }
}
