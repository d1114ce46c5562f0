//! Hashtags (`#tag`, `＃tag`).

use crate::chars::is_hash_sign;
use unicode_properties::general_category::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Letters and marks: a hashtag needs at least one.
fn is_hashtag_alpha(c: char) -> bool {
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Mark
    )
}

/// Joiners and punctuation that live inside words of some scripts.
fn is_hashtag_special(c: char) -> bool {
    matches!(
        c,
        '_' | '\u{200c}'
            | '\u{200d}'
            | '\u{a67e}'
            | '\u{5be}'
            | '\u{5f3}'
            | '\u{5f4}'
            | '\u{ff5e}'
            | '\u{301c}'
            | '\u{309b}'
            | '\u{309c}'
            | '\u{30a0}'
            | '\u{30fb}'
            | '\u{3003}'
            | '\u{f0b}'
            | '\u{f0c}'
            | '\u{b7}'
    )
}

pub(crate) fn is_hashtag_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    is_hashtag_alpha(c)
        || c.general_category() == unicode_properties::GeneralCategory::DecimalNumber
        || is_hashtag_special(c)
}

/// Hashtags as code point ranges `[start, end)`, the `#` included, before
/// the check against URLs (done by the caller, which has the URLs).
pub(crate) fn extract(chars: &[char]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut cursor = 0;
    for hash in 0..chars.len() {
        if hash < cursor || !is_hash_sign(chars[hash]) {
            continue;
        }
        // Start of text, a variation selector (ends an emoji), or a character
        // that cannot be part of a tag and is not `&` (HTML entities).
        let boundary = hash == 0
            || (hash > cursor
                && match chars[hash - 1] {
                    '\u{fe0e}' | '\u{fe0f}' => true,
                    '&' => false,
                    c => !is_hashtag_char(c),
                });
        if !boundary {
            continue;
        }
        // `#️⃣` is a keycap emoji, not a tag.
        if matches!(chars.get(hash + 1), Some('\u{fe0f}' | '\u{20e3}')) {
            continue;
        }
        let start = hash + 1;
        let mut end = start;
        let mut has_alpha = false;
        while let Some(&c) = chars.get(end) {
            if !is_hashtag_char(c) {
                break;
            }
            has_alpha |= is_hashtag_alpha(c);
            end += 1;
        }
        if !has_alpha {
            continue;
        }
        cursor = end;
        // `#tag#more` and `#http://...` are not tags.
        let rest = &chars[end..];
        let ends_badly = match rest.first() {
            Some(&c) if is_hash_sign(c) => true,
            Some(':') => rest.get(1) == Some(&'/') && rest.get(2) == Some(&'/'),
            _ => false,
        };
        if !ends_badly {
            found.push((hash, end));
        }
    }
    found
}
