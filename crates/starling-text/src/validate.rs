//! Validation of single entities: a URL a user typed (RFC 3986 with Unicode
//! hosts, http or https only), a hashtag, a username.

/// `unreserved` of RFC 3986, plus Cyrillic as twitter-text allows it.
fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~') || crate::chars::is_cyrillic(c)
}

fn is_sub_delim(c: char) -> bool {
    matches!(
        c,
        '!' | '$' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | ';' | '='
    )
}

/// Whether every character of `s` is allowed by `allowed` or is part of a
/// `%XX` escape.
fn all_chars(s: &str, allowed: impl Fn(char) -> bool) -> bool {
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            let hex = chars.next().is_some_and(|h| h.is_ascii_hexdigit())
                && chars.next().is_some_and(|h| h.is_ascii_hexdigit());
            if !hex {
                return false;
            }
        } else if !allowed(c) {
            return false;
        }
    }
    true
}

fn is_pchar(c: char) -> bool {
    is_unreserved(c) || is_sub_delim(c) || matches!(c, ':' | '|' | '@')
}

fn is_dec_octet(s: &str) -> bool {
    let valid_digits = !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit());
    valid_digits && (s == "0" || !s.starts_with('0')) && s.parse::<u16>().is_ok_and(|v| v <= 255)
}

fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| is_dec_octet(p))
}

/// A domain label: letters, digits (and Unicode) at both ends, `-` (and `_`
/// when `underscore`) inside; a TLD must also start with a letter.
fn is_label(label: &str, underscore: bool, tld: bool) -> bool {
    let edge = |c: char| c.is_ascii_alphanumeric() || !c.is_ascii();
    let inner = |c: char| edge(c) || c == '-' || (underscore && c == '_');
    let (Some(first), Some(last)) = (label.chars().next(), label.chars().last()) else {
        return false;
    };
    let first_ok = if tld {
        first.is_ascii_alphabetic() || !first.is_ascii()
    } else {
        edge(first)
    };
    first_ok && edge(last) && label.chars().all(inner)
}

fn is_unicode_domain(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let Some((tld, rest)) = labels.split_last() else {
        return false;
    };
    let Some((name, subdomains)) = rest.split_last() else {
        return false;
    };
    is_label(tld, false, true)
        && is_label(name, false, false)
        && subdomains.iter().all(|s| is_label(s, true, false))
}

fn is_valid_authority(authority: &str) -> bool {
    let host_port = match authority.split_once('@') {
        Some((userinfo, rest)) => {
            if !all_chars(userinfo, |c| {
                is_unreserved(c) || is_sub_delim(c) || c == ':'
            }) {
                return false;
            }
            rest
        }
        None => authority,
    };
    let (host, port) = if host_port.starts_with('[') {
        let Some(close) = host_port.find(']') else {
            return false;
        };
        let inner = &host_port[1..close];
        // Like twitter-text, IPv6 is only checked for its alphabet.
        if inner.is_empty()
            || !inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return false;
        }
        let rest = &host_port[close + 1..];
        match rest.strip_prefix(':') {
            Some(port) => (None, Some(port)),
            None if rest.is_empty() => (None, None),
            None => return false,
        }
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(host_port), None),
        }
    };
    let port_ok =
        port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    let host_ok = host.is_none_or(|h| is_ipv4(h) || is_unicode_domain(h));
    port_ok && host_ok
}

/// Whether `url` is a well-formed http(s) URL (Unicode hosts allowed).
pub fn is_valid_url(url: &str) -> bool {
    let Some(scheme_end) = url.find([':', '/', '?', '#']) else {
        return false;
    };
    let scheme = &url[..scheme_end];
    let Some(rest) = url[scheme_end..].strip_prefix("://") else {
        return false;
    };
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return false;
    }
    let (rest, fragment) = match rest.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (rest, None),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let query_char = |c: char| is_pchar(c) || c == '/' || c == '?';
    is_valid_authority(authority)
        && all_chars(path, |c| is_pchar(c) || c == '/')
        && query.is_none_or(|q| all_chars(q, query_char))
        && fragment.is_none_or(|f| all_chars(f, query_char))
}

/// Whether `hashtag` (with its `#`) is exactly one hashtag.
pub fn is_valid_hashtag(hashtag: &str) -> bool {
    let tags = crate::extract_hashtags_with_indices(hashtag);
    let mut rest = hashtag.chars();
    rest.next();
    tags.len() == 1 && tags[0].tag == rest.as_str()
}

/// Whether `username` (with its `@`) is exactly one mention.
pub fn is_valid_username(username: &str) -> bool {
    let mentions = crate::extract_mentions_with_indices(username);
    let mut rest = username.chars();
    rest.next();
    mentions.len() == 1 && mentions[0].username == rest.as_str()
}
