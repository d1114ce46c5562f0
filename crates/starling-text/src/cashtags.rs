//! Cashtags (`$TWTR`, `$BRK.A`).

use crate::chars::{is_js_whitespace, is_punct, is_space};

fn letters(chars: &[char], from: usize) -> usize {
    chars[from.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count()
}

/// What must follow a cashtag: end of text, a space or punctuation.
fn ends_at(chars: &[char], i: usize) -> bool {
    chars
        .get(i)
        .is_none_or(|&c| is_js_whitespace(c) || is_punct(c))
}

/// Cashtags as code point ranges `[start, end)`, the `$` included.
pub(crate) fn extract(chars: &[char]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut cursor = 0;
    for dollar in 0..chars.len() {
        if dollar < cursor || chars[dollar] != '$' {
            continue;
        }
        if dollar > 0 && !(dollar > cursor && is_space(chars[dollar - 1])) {
            continue;
        }
        // One to six letters, optionally `.` or `_` and one or two letters;
        // a longer run of letters can never be followed by a valid end.
        let symbol = letters(chars, dollar + 1);
        if symbol == 0 || symbol > 6 {
            continue;
        }
        let base_end = dollar + 1 + symbol;
        let mut end = None;
        if matches!(chars.get(base_end), Some('.' | '_')) {
            let suffix = letters(chars, base_end + 1);
            if (1..=2).contains(&suffix) && ends_at(chars, base_end + 1 + suffix) {
                end = Some(base_end + 1 + suffix);
            }
        }
        if end.is_none() && ends_at(chars, base_end) {
            end = Some(base_end);
        }
        if let Some(end) = end {
            cursor = end;
            found.push((dollar, end));
        }
    }
    found
}
