//! Top-level domains that make a bare `word.tld` a link.
//!
//! The list is twitter-text's `tld_lib.yml` (Apache-2.0, see `data/README.md`),
//! embedded at compile time; generic and country TLDs are matched alike, so
//! they share one set.

use std::collections::HashSet;
use std::sync::LazyLock;

static TLD_LIB: &str = include_str!("../data/tld_lib.yml");

pub(crate) struct Tlds {
    /// Lower-cased TLDs; lookups lower-case the candidate the same way.
    set: HashSet<String>,
    /// Longest TLD in characters, to bound the candidates tried at a position.
    max_chars: usize,
}

pub(crate) static TLDS: LazyLock<Tlds> = LazyLock::new(|| {
    let set: HashSet<String> = TLD_LIB
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- "))
        .map(|tld| tld.trim().trim_matches('"').to_lowercase())
        .filter(|tld| !tld.is_empty())
        .collect();
    let max_chars = set.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    Tlds { set, max_chars }
});

impl Tlds {
    /// End of the longest TLD starting at `pos` in `chars[..limit]` that is
    /// not directly followed by an ASCII letter, digit, `@`, `+` or `-`.
    pub(crate) fn match_at(&self, chars: &[char], pos: usize, limit: usize) -> Option<usize> {
        // A TLD never spans punctuation or spaces: bound the candidates by
        // the run of other characters, so a text of `a.a.a...` stays cheap.
        let longest = chars[pos.min(limit)..limit]
            .iter()
            .take(self.max_chars)
            .take_while(|&&c| !crate::chars::is_punct(c) && !crate::chars::is_space(c))
            .count();
        let mut buf = String::with_capacity(longest * 4);
        for len in (1..=longest).rev() {
            let end = pos + len;
            if end < limit
                && matches!(chars[end], '0'..='9' | 'a'..='z' | 'A'..='Z' | '@' | '+' | '-')
            {
                continue;
            }
            buf.clear();
            buf.extend(chars[pos..end].iter().flat_map(|c| c.to_lowercase()));
            if self.set.contains(&buf) {
                return Some(end);
            }
        }
        // Punycode TLDs (`xn--...`) are accepted whether listed or not.
        let xn = chars.get(pos..pos + 4)?;
        if xn.iter().map(char::to_ascii_lowercase).eq("xn--".chars()) {
            let mut end = pos + 4;
            while end < limit && (chars[end].is_ascii_alphanumeric() || chars[end] == '-') {
                end += 1;
            }
            if end > pos + 4 {
                return Some(end);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::TLDS;

    #[test]
    fn list_is_loaded() {
        assert!(TLDS.set.contains("com"));
        assert!(TLDS.set.contains("jp"));
        assert!(TLDS.set.contains("みんな"));
        assert!(TLDS.set.len() > 1500);
    }
}
