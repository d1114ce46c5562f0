//! Mentions (`@name`), list mentions (`@name/list`) and replies.

use crate::chars::{is_at_sign, is_end_mention_match, is_space, is_username_char};

const MAX_USERNAME: usize = 20;
const MAX_LIST_SLUG: usize = 25;

/// A mention found in a text: code point range of `@name[/list]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MentionMatch {
    pub start: usize,
    pub end: usize,
    pub username: String,
    /// `/slug` when this mentions a list, empty otherwise.
    pub list_slug: String,
}

/// Whether the regex can start a match whose at sign is at `at`, with the
/// match not reaching back before `cursor` (the end of the previous match).
fn has_valid_prefix(chars: &[char], at: usize, cursor: usize) -> bool {
    if at == 0 {
        return true;
    }
    let prev = chars[at - 1];
    if at > cursor
        && !(prev.is_ascii_alphanumeric()
            || matches!(prev, '_' | '!' | '#' | '$' | '%' | '&' | '*'))
        && !is_at_sign(prev)
    {
        return true;
    }
    // "RT@name", "rt:@name": a retweet marker right before the at sign.
    let rt_end = if prev == ':' { at - 1 } else { at };
    if rt_end < 2
        || !chars[rt_end - 2].eq_ignore_ascii_case(&'r')
        || !chars[rt_end - 1].eq_ignore_ascii_case(&'t')
    {
        return false;
    }
    let rt = rt_end - 2;
    if rt == 0 {
        return cursor == 0;
    }
    let c = chars[rt - 1];
    rt > cursor && !(c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '~' | '.' | '-'))
}

pub(crate) fn extract(chars: &[char]) -> Vec<MentionMatch> {
    let mut found = Vec::new();
    let mut cursor = 0;
    for at in 0..chars.len() {
        if at < cursor || !is_at_sign(chars[at]) || !has_valid_prefix(chars, at, cursor) {
            continue;
        }
        let name_start = at + 1;
        let mut name_end = name_start;
        while name_end - name_start < MAX_USERNAME
            && chars.get(name_end).copied().is_some_and(is_username_char)
        {
            name_end += 1;
        }
        if name_end == name_start {
            continue;
        }
        let mut end = name_end;
        if chars.get(name_end) == Some(&'/')
            && chars
                .get(name_end + 1)
                .is_some_and(char::is_ascii_alphabetic)
        {
            end = name_end + 2;
            while end - (name_end + 1) < MAX_LIST_SLUG
                && chars
                    .get(end)
                    .is_some_and(|&c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                end += 1;
            }
        }
        // Consumed even when rejected just below, as the regex does.
        cursor = end;
        if is_end_mention_match(&chars[end..]) {
            continue;
        }
        found.push(MentionMatch {
            start: at,
            end,
            username: chars[name_start..name_end].iter().collect(),
            list_slug: chars[name_end..end].iter().collect(),
        });
    }
    found
}

/// The screen name a text replies to: a mention that opens it (after spaces).
pub(crate) fn reply(chars: &[char]) -> Option<String> {
    let at = chars.iter().position(|&c| !is_space(c))?;
    if !is_at_sign(chars[at]) {
        return None;
    }
    let start = at + 1;
    let mut end = start;
    while end - start < MAX_USERNAME && chars.get(end).copied().is_some_and(is_username_char) {
        end += 1;
    }
    if end == start || is_end_mention_match(&chars[end..]) {
        return None;
    }
    Some(chars[start..end].iter().collect())
}
