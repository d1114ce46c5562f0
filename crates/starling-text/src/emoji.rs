//! Emoji sequence detection (UTS #51): every sequence weighs as one emoji.
//!
//! twitter-text matches a fixed list of Unicode 10 sequences; this follows the
//! sequence grammar with current Unicode properties instead, so newer emoji
//! count as 2 as well. Where it matters for the weight (characters below
//! U+1100 weigh 1), it agrees with twitter-text: a bare `©` or `®` is text,
//! a keycap base (`#`, `*`, digits) is an emoji only with U+20E3.

use unicode_properties::emoji::{EmojiStatus, UnicodeEmoji};

const ZWJ: char = '\u{200d}';
const VS15: char = '\u{fe0e}';
const VS16: char = '\u{fe0f}';
const KEYCAP: char = '\u{20e3}';
const TAG_END: char = '\u{e007f}';
/// Longest ZWJ sequence counted as one emoji (a family of four). Without a
/// bound, a chain of thousands of joined emoji would weigh as one.
const MAX_ZWJ_ELEMENTS: usize = 4;
/// Subdivision flags carry a few tag letters (`gbsct`); same reason.
const MAX_TAG_SPEC: usize = 8;

fn is_modifier(c: char) -> bool {
    matches!(c, '\u{1f3fb}'..='\u{1f3ff}')
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1f1e6}'..='\u{1f1ff}')
}

fn is_tag_spec(c: char) -> bool {
    matches!(c, '\u{e0020}'..='\u{e007e}')
}

/// Length in chars of one emoji element (a character with its presentation
/// selector or skin-tone modifier) at `i`, 0 when there is none.
fn element_len(chars: &[char], i: usize) -> usize {
    let Some(&c) = chars.get(i) else { return 0 };
    if c.is_ascii() || !c.is_emoji_char() {
        return 0;
    }
    if is_modifier(c) {
        return 1;
    }
    let status = c.emoji_status();
    let presentation = matches!(
        status,
        EmojiStatus::EmojiPresentation
            | EmojiStatus::EmojiPresentationAndModifierBase
            | EmojiStatus::EmojiPresentationAndEmojiComponent
            | EmojiStatus::EmojiPresentationAndModifierAndEmojiComponent
    );
    let modifier_base = matches!(
        status,
        EmojiStatus::EmojiModifierBase | EmojiStatus::EmojiPresentationAndModifierBase
    );
    match chars.get(i + 1) {
        Some(&VS16) => 2,
        Some(&VS15) => 0,
        Some(&m) if modifier_base && is_modifier(m) => {
            if chars.get(i + 2) == Some(&VS16) {
                3
            } else {
                2
            }
        }
        // Text-default characters below U+0100 (`©`, `®`) need VS16.
        _ if presentation || c > '\u{ff}' => 1,
        _ => 0,
    }
}

/// Length in chars of the emoji sequence starting at `i`, 0 when none does.
pub(crate) fn sequence_len(chars: &[char], i: usize) -> usize {
    let Some(&c) = chars.get(i) else { return 0 };
    if matches!(c, '#' | '*' | '0'..='9') {
        let mut j = i + 1;
        if chars.get(j) == Some(&VS16) {
            j += 1;
        }
        return if chars.get(j) == Some(&KEYCAP) {
            j + 1 - i
        } else {
            0
        };
    }
    if is_regional_indicator(c) {
        return if chars.get(i + 1).copied().is_some_and(is_regional_indicator) {
            2
        } else {
            1
        };
    }
    let first = element_len(chars, i);
    if first == 0 {
        return 0;
    }
    let mut end = i + first;
    // Subdivision flags: a base followed by tag characters and a tag end.
    let mut j = end;
    while j - end < MAX_TAG_SPEC && chars.get(j).copied().is_some_and(is_tag_spec) {
        j += 1;
    }
    if j > end && chars.get(j) == Some(&TAG_END) {
        end = j + 1;
    }
    let mut elements = 1;
    while elements < MAX_ZWJ_ELEMENTS && chars.get(end) == Some(&ZWJ) {
        let next = element_len(chars, end + 1);
        if next == 0 {
            break;
        }
        end += 1 + next;
        elements += 1;
    }
    end - i
}

#[cfg(test)]
mod tests {
    use super::sequence_len;

    fn len(s: &str) -> usize {
        sequence_len(&s.chars().collect::<Vec<_>>(), 0)
    }

    #[test]
    fn sequences() {
        assert_eq!(len("👨‍👩‍👧‍👦"), 7);
        assert_eq!(len("🙋🏽x"), 2);
        assert_eq!(len("1⃣"), 2);
        assert_eq!(len("1️⃣"), 3);
        assert_eq!(len("🏴󠁧󠁢󠁥󠁮󠁧󠁿"), 7);
        assert_eq!(len("🇯🇵"), 2);
        assert_eq!(len("✌️"), 2);
        assert_eq!(len("©"), 0);
        assert_eq!(len("©️"), 2);
        assert_eq!(len("1"), 0);
        assert_eq!(len("a"), 0);
        // Chains longer than a family of four are split.
        assert_eq!(len("👨‍👩‍👧‍👦‍👦"), 7);
    }
}
