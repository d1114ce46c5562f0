//! URL extraction, with and without protocol.
//!
//! This is twitter-text's URL regular expression turned into a scanner that
//! makes the same choices a backtracking engine makes (leftmost match, greedy
//! parts, the same rejected-but-consumed matches), without the backtracking:
//! the domain is resolved once per label position and memoised, so the scan
//! stays linear whatever the input.

use crate::chars::{
    is_cyrillic, is_directional, is_invalid_char, is_latin_accent, is_punct, is_space,
};
use crate::punycode;
use crate::tld::TLDS;

/// A URL found in a text: code point range and the URL as it will be linked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UrlMatch {
    pub start: usize,
    pub end: usize,
    pub url: String,
}

const MAX_URL_LENGTH: usize = 4096;
const MAX_TCO_SLUG_LENGTH: usize = 40;
const MAX_LABEL_LENGTH: usize = 63;
/// twitter-text counts a URL without protocol as if it had `https://`.
const DEFAULT_PROTOCOL_LEN: usize = "https://".len();

/// Anything but ASCII punctuation, spaces, invalid and directional characters.
fn is_domain_char(c: char) -> bool {
    !(is_punct(c) || is_space(c) || is_invalid_char(c) || is_directional(c))
}

fn is_label_char(c: char) -> bool {
    is_domain_char(c) || c == '-' || c == '_'
}

fn is_valid_preceding(c: char) -> bool {
    is_directional(c)
        || !(c.is_ascii_alphanumeric()
            || matches!(c, '@' | '＠' | '$' | '#' | '＃')
            || is_invalid_char(c))
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || is_latin_accent(c)
        || is_cyrillic(c)
        || matches!(
            c,
            '!' | '*'
                | '\''
                | ';'
                | ':'
                | '='
                | '+'
                | ','
                | '.'
                | '$'
                | '/'
                | '%'
                | '#'
                | '['
                | ']'
                | '-'
                | '\u{2013}'
                | '_'
                | '~'
                | '|'
                | '&'
                | '@'
        )
}

/// A path may not end with punctuation such as `.` or `!` (`see x.com/a.`).
fn is_path_ending(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || is_latin_accent(c)
        || is_cyrillic(c)
        || matches!(c, '=' | '_' | '#' | '/' | '-' | '+')
}

fn is_query_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '!' | '?'
                | '*'
                | '\''
                | '('
                | ')'
                | ';'
                | ':'
                | '&'
                | '='
                | '+'
                | '$'
                | '/'
                | '%'
                | '#'
                | '['
                | ']'
                | '-'
                | '_'
                | '.'
                | ','
                | '~'
                | '|'
                | '@'
        )
}

fn is_query_ending(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '&' | '=' | '#' | '/')
}

fn is_ascii_label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || is_latin_accent(c)
}

fn starts_with_ignore_ascii_case(chars: &[char], at: usize, prefix: &str) -> bool {
    let len = prefix.len();
    chars.get(at..at + len).is_some_and(|s| {
        s.iter()
            .zip(prefix.chars())
            .all(|(a, b)| a.eq_ignore_ascii_case(&b))
    })
}

fn protocol_len(chars: &[char], at: usize) -> usize {
    if starts_with_ignore_ascii_case(chars, at, "https://") {
        8
    } else if starts_with_ignore_ascii_case(chars, at, "http://") {
        7
    } else {
        0
    }
}

/// Memo states for [`Scanner::domain_end`].
const UNKNOWN: usize = usize::MAX;
const NO_DOMAIN: usize = usize::MAX - 1;

struct Scanner<'a> {
    chars: &'a [char],
    /// For a label character at `i`, the end of the run of label characters
    /// containing it: a label is always a whole run ending at a dot.
    run_end: Vec<usize>,
    /// `underscores[i]` = number of `_` in `chars[..i]`.
    underscores: Vec<usize>,
    /// Where a domain starting at `i` ends (or [`NO_DOMAIN`]), once known.
    memo: Vec<usize>,
}

impl<'a> Scanner<'a> {
    fn new(chars: &'a [char]) -> Self {
        let n = chars.len();
        let mut run_end = vec![0; n + 1];
        run_end[n] = n;
        for i in (0..n).rev() {
            run_end[i] = if !is_label_char(chars[i]) {
                i
            } else if i + 1 < n && is_label_char(chars[i + 1]) {
                run_end[i + 1]
            } else {
                i + 1
            };
        }
        let mut underscores = Vec::with_capacity(n + 1);
        let mut count = 0;
        underscores.push(0);
        for &c in chars {
            count += usize::from(c == '_');
            underscores.push(count);
        }
        Scanner {
            chars,
            run_end,
            underscores,
            memo: vec![UNKNOWN; n + 1],
        }
    }

    /// End of the dot-terminated label starting at `p` (the dot's index).
    fn label_end(&self, p: usize) -> Option<usize> {
        let c = *self.chars.get(p)?;
        if !is_domain_char(c) {
            return None;
        }
        let e = self.run_end[p];
        (is_domain_char(self.chars[e - 1]) && self.chars.get(e) == Some(&'.')).then_some(e)
    }

    /// End of the domain (subdomains, a name, a TLD) starting at `start`.
    ///
    /// The regex takes as many subdomains as it can and gives them back one
    /// at a time until a name followed by a TLD fits; so the domain from a
    /// label is the domain from the next label if there is one, else this
    /// label as the name followed by a TLD. Resolved from the far end of the
    /// chain of labels backwards, without recursion.
    fn domain_end(&mut self, start: usize) -> Option<usize> {
        let mut chain = Vec::new();
        let mut pos = start;
        let mut result = loop {
            match self.memo[pos] {
                UNKNOWN => {}
                NO_DOMAIN => break None,
                end => break Some(end),
            }
            match self.label_end(pos) {
                Some(dot) => {
                    chain.push((pos, dot));
                    pos = dot + 1;
                }
                None => {
                    self.memo[pos] = NO_DOMAIN;
                    break None;
                }
            }
        };
        while let Some((label, dot)) = chain.pop() {
            if result.is_none() && self.underscores[dot] == self.underscores[label] {
                result = TLDS.match_at(self.chars, dot + 1, self.chars.len());
            }
            self.memo[label] = result.unwrap_or(NO_DOMAIN);
        }
        result
    }

    /// The raw regex match of a URL starting exactly at `u`.
    fn match_at(&mut self, u: usize) -> Option<RawUrl> {
        if u >= self.chars.len() {
            return None;
        }
        let protocol = protocol_len(self.chars, u);
        let (protocol, domain_start, domain_end) = match self.domain_end(u + protocol) {
            Some(end) => (protocol, u + protocol, end),
            None if protocol > 0 => (0, u, self.domain_end(u)?),
            None => return None,
        };
        let chars = self.chars;
        let mut end = domain_end;
        if chars.get(end) == Some(&':') && chars.get(end + 1).is_some_and(char::is_ascii_digit) {
            end += 1;
            while chars.get(end).is_some_and(char::is_ascii_digit) {
                end += 1;
            }
        }
        let has_path = chars.get(end) == Some(&'/');
        if has_path {
            end = path_end(chars, end + 1);
        }
        if chars.get(end) == Some(&'?') {
            end = query_end(chars, end);
        }
        Some(RawUrl {
            start: u,
            protocol,
            domain_start,
            domain_end,
            has_path,
            end,
        })
    }
}

struct RawUrl {
    start: usize,
    /// Length of `http://` or `https://`, 0 without protocol.
    protocol: usize,
    domain_start: usize,
    domain_end: usize,
    has_path: bool,
    end: usize,
}

/// End of a path whose first character (after `/`) is at `start`: the last
/// position where a path-ending character or a balanced parenthesis closes.
fn path_end(chars: &[char], start: usize) -> usize {
    let mut i = start;
    let mut last = start;
    loop {
        match chars.get(i) {
            Some(&c) if is_path_char(c) => {
                i += 1;
                if is_path_ending(c) {
                    last = i;
                }
            }
            Some('(') => match balanced_parens(chars, i) {
                Some(e) => {
                    i = e;
                    last = e;
                }
                None => break,
            },
            _ => break,
        }
    }
    last
}

/// `(...)` or `(...(...)...)` in a path, as in Wikipedia URLs.
fn balanced_parens(chars: &[char], open: usize) -> Option<usize> {
    let run = |mut j: usize| {
        while chars.get(j).copied().is_some_and(is_path_char) {
            j += 1;
        }
        j
    };
    let a = run(open + 1);
    if a > open + 1 && chars.get(a) == Some(&')') {
        return Some(a + 1);
    }
    if chars.get(a) == Some(&'(') {
        let b = run(a + 1);
        if b > a + 1 && chars.get(b) == Some(&')') {
            let c = run(b + 1);
            if chars.get(c) == Some(&')') {
                return Some(c + 1);
            }
        }
    }
    None
}

/// End of a query string starting with `?` at `q`, or `q` if it has no
/// acceptable last character (then the `?` is not part of the URL).
fn query_end(chars: &[char], q: usize) -> usize {
    let mut last = q;
    let mut j = q + 1;
    while let Some(&c) = chars.get(j) {
        if !is_query_char(c) {
            break;
        }
        j += 1;
        if is_query_ending(c) {
            last = j;
        }
    }
    last
}

/// ASCII (and accented Latin) domains inside `chars[start..end]`, as
/// twitter-text picks them out of a domain found without protocol.
fn ascii_domains(chars: &[char], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut after_dots = Vec::new();
    let mut pos = start;
    while pos < end {
        after_dots.clear();
        let mut p = pos;
        let mut first_run_end = None;
        loop {
            let mut q = p;
            while q < end && is_ascii_label_char(chars[q]) {
                q += 1;
            }
            first_run_end.get_or_insert(q);
            if q > p && q < end && chars[q] == '.' {
                after_dots.push(q + 1);
                p = q + 1;
            } else {
                break;
            }
        }
        let tld = after_dots
            .iter()
            .rev()
            .find_map(|&label| TLDS.match_at(chars, label, end));
        match tld {
            Some(e) => {
                found.push((pos, e));
                pos = e;
            }
            // Every later start inside this chain of labels sees a subset of
            // the same TLD positions, so it fails too: skip the chain.
            None => {
                let skip = after_dots.last().copied().or(first_run_end).unwrap_or(pos);
                pos = skip.max(pos + 1);
            }
        }
    }
    found
}

/// twitter-text's host check: every label fits DNS once IDNA-encoded, and a
/// host that claims to be Punycode really is ASCII.
fn domain_is_encodable(chars: &[char], start: usize, end: usize) -> bool {
    let domain = &chars[start..end];
    if domain.starts_with(&['x', 'n', '-', '-']) && ascii_domains(chars, start, end).is_empty() {
        return false;
    }
    domain.split(|&c| c == '.').all(|label| {
        // The IDNA step also splits on ideographic and full-width stops.
        let mut len = 0;
        for (i, part) in label
            .split(|&c| matches!(c, '\u{3002}' | '\u{ff0e}' | '\u{ff61}'))
            .enumerate()
        {
            len += usize::from(i > 0);
            len += if part.iter().all(char::is_ascii) {
                part.len()
            } else {
                4 + punycode::encoded_len(part, MAX_LABEL_LENGTH)
            };
        }
        (1..=MAX_LABEL_LENGTH).contains(&len)
    })
}

/// `https?://t.co/slug` with an optional query: returns the slug length and
/// where the t.co URL ends (t.co links take nothing after the slug).
fn tco_match(chars: &[char], raw: &RawUrl) -> Option<(usize, usize)> {
    let host = raw.start + raw.protocol;
    if raw.protocol == 0 || !starts_with_ignore_ascii_case(&chars[..raw.end], host, "t.co/") {
        return None;
    }
    let slug_start = host + 5;
    let mut slug_end = slug_start;
    while slug_end < raw.end && chars[slug_end].is_ascii_alphanumeric() {
        slug_end += 1;
    }
    if slug_end == slug_start {
        return None;
    }
    let within = &chars[..raw.end];
    let end = if within.get(slug_end) == Some(&'?') {
        query_end(within, slug_end)
    } else {
        slug_end
    };
    Some((slug_end - slug_start, end))
}

/// Every URL of `chars`, in order.
pub(crate) fn extract(chars: &[char]) -> Vec<UrlMatch> {
    let mut urls = Vec::new();
    if !chars.contains(&'.') {
        return urls;
    }
    let mut scanner = Scanner::new(chars);
    let n = chars.len();
    // `before` is where the regex would start its match: the preceding
    // character, or the start of the text (tried after a preceding char).
    let mut before = 0;
    while before < n {
        let mut raw = None;
        if is_valid_preceding(chars[before]) {
            raw = scanner.match_at(before + 1);
        }
        if raw.is_none() && before == 0 {
            raw = scanner.match_at(0);
        }
        let Some(raw) = raw else {
            before += 1;
            continue;
        };
        // Whatever happens below, the regex consumed this match.
        before = raw.end;
        accept(chars, &raw, &mut urls);
    }
    urls
}

/// The checks twitter-text applies to a regex match before keeping it.
fn accept(chars: &[char], raw: &RawUrl, urls: &mut Vec<UrlMatch>) {
    let utf16_len: usize = chars[raw.start..raw.end]
        .iter()
        .map(|c| c.len_utf16())
        .sum();
    let protocol = if raw.protocol > 0 {
        raw.protocol
    } else {
        DEFAULT_PROTOCOL_LEN
    };
    if protocol + utf16_len > MAX_URL_LENGTH
        || !domain_is_encodable(chars, raw.domain_start, raw.domain_end)
    {
        return;
    }
    let text = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    if raw.protocol > 0 {
        let mut end = raw.end;
        if let Some((slug_len, tco_end)) = tco_match(chars, raw) {
            if slug_len > MAX_TCO_SLUG_LENGTH {
                return;
            }
            end = tco_end;
        }
        urls.push(UrlMatch {
            start: raw.start,
            end,
            url: text(raw.start, end),
        });
        return;
    }
    // Without protocol: not right after `-`, `_`, `.` or `/` (file names,
    // parts of other URLs), and only the ASCII domains inside the match.
    if raw.start > 0 && matches!(chars[raw.start - 1], '-' | '_' | '.' | '/') {
        return;
    }
    let domains = ascii_domains(chars, raw.domain_start, raw.domain_end);
    let last = domains.len().saturating_sub(1);
    for (i, (start, end)) in domains.into_iter().enumerate() {
        if i == last && raw.has_path {
            // The path belongs to the last domain.
            let mut url = text(start, end);
            url.extend(&chars[raw.domain_end..raw.end]);
            urls.push(UrlMatch {
                start,
                end: raw.end,
                url,
            });
        } else {
            urls.push(UrlMatch {
                start,
                end,
                url: text(start, end),
            });
        }
    }
}
