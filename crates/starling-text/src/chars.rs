//! Character classes shared by the scanners, as twitter-text defines them.

/// twitter-text's list of spaces (Unicode White_Space, minus a few).
pub(crate) fn is_space(c: char) -> bool {
    matches!(
        c,
        '\u{9}'..='\u{d}'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{180e}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// JavaScript's `\s`, which the cashtag lookahead uses instead of the list above.
pub(crate) fn is_js_whitespace(c: char) -> bool {
    is_space(c) || c == '\u{feff}' || c.is_whitespace()
}

/// Characters that make a tweet invalid wherever they appear.
pub(crate) fn is_invalid_char(c: char) -> bool {
    matches!(c, '\u{fffe}' | '\u{feff}' | '\u{ffff}')
}

/// Bidirectional controls; right-to-left text wraps URLs in them.
pub(crate) fn is_directional(c: char) -> bool {
    matches!(
        c,
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// twitter-text's ASCII punctuation set (it leaves out `"` and `` ` ``).
pub(crate) fn is_punct(c: char) -> bool {
    matches!(
        c,
        '!' | '\''
            | '#'
            | '%'
            | '&'
            | '('
            | ')'
            | '*'
            | '+'
            | ','
            | '\\'
            | '-'
            | '.'
            | '/'
            | ':'
            | ';'
            | '<'
            | '='
            | '>'
            | '?'
            | '@'
            | '['
            | ']'
            | '^'
            | '_'
            | '{'
            | '|'
            | '}'
            | '~'
            | '$'
    )
}

pub(crate) fn is_latin_accent(c: char) -> bool {
    matches!(
        c,
        '\u{c0}'..='\u{d6}'
            | '\u{d8}'..='\u{f6}'
            | '\u{f8}'..='\u{ff}'
            | '\u{100}'..='\u{24f}'
            | '\u{253}'
            | '\u{254}'
            | '\u{256}'
            | '\u{257}'
            | '\u{259}'
            | '\u{25b}'
            | '\u{263}'
            | '\u{268}'
            | '\u{26f}'
            | '\u{272}'
            | '\u{289}'
            | '\u{28b}'
            | '\u{2bb}'
            | '\u{300}'..='\u{36f}'
            | '\u{1e00}'..='\u{1eff}'
    )
}

pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{400}'..='\u{4ff}')
}

pub(crate) fn is_at_sign(c: char) -> bool {
    c == '@' || c == '＠'
}

pub(crate) fn is_hash_sign(c: char) -> bool {
    c == '#' || c == '＃'
}

/// Characters a screen name is made of.
pub(crate) fn is_username_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// What may not follow a mention or a reply: another at sign, an accented
/// Latin letter (the name would be cut in the middle of a word) or `://`.
pub(crate) fn is_end_mention_match(rest: &[char]) -> bool {
    match rest.first() {
        Some(&c) if is_at_sign(c) || is_latin_accent(c) => true,
        Some(':') => rest.get(1) == Some(&'/') && rest.get(2) == Some(&'/'),
        _ => false,
    }
}

/// Length of `c` in UTF-16 code units.
pub(crate) fn utf16_len(c: char) -> usize {
    c.len_utf16()
}
