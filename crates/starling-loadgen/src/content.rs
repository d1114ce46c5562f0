//! Tweet-shaped content that is unique per request, and a small PRNG (the generator needs speed
//! and independence between clients, not cryptographic quality).

use std::fmt::Write as _;

use bytes::{BufMut, Bytes, BytesMut};

/// SplitMix64: one multiply-xorshift chain per draw, good enough to pick ids and words.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// A seed that differs between runs and between clients of one run.
    pub fn from_time(stream: u64) -> Rng {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        Rng::new(nanos ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03) ^ u64::from(std::process::id()))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), by multiply-shift rather than modulo.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// `n` in base 36, lowercase; used for compact unique names.
pub fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if n == 0 {
        return "0".to_string();
    }
    let mut out = Vec::new();
    while n > 0 {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
    }
    out.reverse();
    String::from_utf8(out).expect("ascii")
}

const WORDS: &[&str] = &[
    "the",
    "flock",
    "turned",
    "over",
    "river",
    "at",
    "dusk",
    "and",
    "every",
    "bird",
    "followed",
    "its",
    "seven",
    "nearest",
    "neighbours",
    "murmuration",
    "wings",
    "sky",
    "wind",
    "north",
    "morning",
    "light",
    "quiet",
    "city",
    "bridge",
    "coffee",
    "deploy",
    "latency",
    "cache",
    "query",
    "shipping",
    "today",
    "weekend",
    "garden",
    "rain",
    "again",
    "finally",
    "great",
    "small",
    "fast",
    "starlings",
    "nest",
    "eaves",
    "song",
    "mimic",
    "chorus",
    "field",
    "notes",
];
const HASHTAGS: &[&str] = &[
    "#starling",
    "#birds",
    "#rustlang",
    "#bench",
    "#dusk",
    "#MondayMotivation",
];

/// Writes `{"content":"..."}` for one tweet into `buf` and returns it as `Bytes`, keeping `buf`'s
/// allocation for the next call. `tag` makes the content unique (run, client, sequence number);
/// the rest brings it to a realistic 60–140 characters, with a hashtag one time in three.
pub fn tweet_body(buf: &mut BytesMut, rng: &mut Rng, tag: &str, client: usize, seq: u64) -> Bytes {
    buf.reserve(256);
    buf.put_slice(b"{\"content\":\"");
    let start = buf.len();
    let target_len = 60 + rng.below(81);
    let _ = write!(buf, "{tag}-{client}-{seq}");
    let hashtag = if rng.below(3) == 0 {
        Some(HASHTAGS[rng.below(HASHTAGS.len())])
    } else {
        None
    };
    let reserve = hashtag.map_or(0, |h| h.len() + 1);
    loop {
        let word = WORDS[rng.below(WORDS.len())];
        if buf.len() - start + 1 + word.len() + reserve > target_len {
            break;
        }
        buf.put_u8(b' ');
        buf.put_slice(word.as_bytes());
    }
    if let Some(h) = hashtag {
        buf.put_u8(b' ');
        buf.put_slice(h.as_bytes());
    }
    buf.put_slice(b"\"}");
    buf.split().freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_unique_json_of_tweet_length() {
        let mut buf = BytesMut::with_capacity(1024);
        let mut rng = Rng::new(7);
        let mut seen = std::collections::HashSet::new();
        for seq in 0..2000 {
            let body = tweet_body(&mut buf, &mut rng, "abc12", 3, seq);
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            let content = v["content"].as_str().unwrap().to_string();
            assert!((20..=140).contains(&content.chars().count()), "{content}");
            assert!(seen.insert(content));
        }
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = Rng::new(1);
        for n in [1, 2, 3, 1000] {
            for _ in 0..1000 {
                assert!(rng.below(n) < n);
            }
        }
    }
}
