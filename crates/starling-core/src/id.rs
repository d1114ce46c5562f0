//! 64-bit Snowflake ids: k-sorted by time, unique across nodes given distinct node ids.
//!
//! Layout (most significant first): 1 unused sign bit, 41 bits of milliseconds since
//! [`EPOCH_MILLIS`], 10 bits of node id, 12 bits of sequence within the millisecond.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;

/// 2024-01-01T00:00:00Z: gives 41 bits of milliseconds room until 2093.
pub const EPOCH_MILLIS: i64 = 1_704_067_200_000;
const NODE_BITS: u32 = 10;
const SEQ_BITS: u32 = 12;
pub const MAX_NODE_ID: u16 = (1 << NODE_BITS) - 1;

macro_rules! id_type {
    ($name:ident, $what:literal) => {
        #[doc = concat!("The id of a ", $what, ", serialized as a decimal string in JSON.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            /// Accepts only plain non-negative decimal numbers (no sign, no spaces).
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                    // Produce a ParseIntError of the right kind.
                    return "x".parse::<i64>().map($name);
                }
                s.parse::<i64>().map($name)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                // itoa rather than `collect_str`: ids are serialized on every response.
                s.serialize_str(itoa::Buffer::new().format(self.0))
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // Strings only: a JSON number above 2^53 has already lost precision in
                // a JavaScript client, and would name another tweet.
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("an id as a string of decimal digits")
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$name, E> {
                        s.parse()
                            .map_err(|_| E::custom("ids are strings of decimal digits"))
                    }
                }
                d.deserialize_str(Visitor)
            }
        }
    };
}

id_type!(TweetId, "tweet");
id_type!(UserId, "user");
id_type!(MediaId, "media item");

/// A Snowflake generator for one node. Cheap to call from many threads.
#[derive(Debug)]
pub struct Snowflake {
    node: i64,
    /// (last millisecond used, sequence within it). A mutex rather than an atomic pair:
    /// ids are minted at most once per write, far below contention levels.
    state: Mutex<(i64, i64)>,
}

impl Snowflake {
    pub fn new(node: u16) -> Self {
        assert!(node <= MAX_NODE_ID, "node id must fit in {NODE_BITS} bits");
        Self {
            node: node as i64,
            state: Mutex::new((0, 0)),
        }
    }

    /// The next id. Never goes backwards, even if the wall clock does: the generator
    /// keeps using its last millisecond and borrows from the future when a
    /// millisecond's 4,096 sequence numbers run out.
    pub fn next(&self, now_millis: i64) -> i64 {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (last_ms, seq) = *st;
        let ms = (now_millis - EPOCH_MILLIS).max(last_ms);
        let (ms, seq) = if ms == last_ms {
            if seq + 1 >= (1 << SEQ_BITS) {
                (ms + 1, 0)
            } else {
                (ms, seq + 1)
            }
        } else {
            (ms, 0)
        };
        *st = (ms, seq);
        (ms << (NODE_BITS + SEQ_BITS)) | (self.node << SEQ_BITS) | seq
    }

    /// Make sure future ids are larger than `id` (used at start-up with the largest stored id).
    pub fn observe(&self, id: i64) {
        let ms = id >> (NODE_BITS + SEQ_BITS);
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if ms > st.0 {
            *st = (ms, (1 << SEQ_BITS) - 1);
        }
    }
}

/// The creation time (Unix milliseconds) encoded in a Snowflake id.
/// Which of `shards` an id falls in, spread evenly. Not `id % shards`: a Snowflake's
/// low bits are a per-millisecond sequence, mostly 0 to 3 at a few thousand ids a
/// second, so the remainder left most shards empty (a sharded cache kept a quarter of
/// what it was sized for).
pub fn shard_of(id: i64, shards: usize) -> usize {
    // Fibonacci hashing: the high bits of the product mix every bit of the id.
    let mixed = (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (((mixed >> 32) * shards as u64) >> 32) as usize
}

pub fn millis_of(id: i64) -> i64 {
    (id >> (NODE_BITS + SEQ_BITS)) + EPOCH_MILLIS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_increase_and_carry_node_and_time() {
        let g = Snowflake::new(5);
        let t = EPOCH_MILLIS + 1_000;
        let mut prev = 0;
        for _ in 0..10_000 {
            let id = g.next(t);
            assert!(id > prev);
            assert_eq!((id >> SEQ_BITS) & MAX_NODE_ID as i64, 5);
            prev = id;
        }
        // 10,000 ids in one millisecond borrowed from the next ones, never repeated.
        assert!(millis_of(prev) >= t);
        // A clock going backwards does not make ids go backwards.
        assert!(g.next(t - 500) > prev);
    }

    #[test]
    fn observe_moves_past_stored_ids() {
        let g = Snowflake::new(1);
        let stored = Snowflake::new(2).next(EPOCH_MILLIS + 10_000);
        g.observe(stored);
        assert!(g.next(EPOCH_MILLIS + 5) > stored);
    }

    #[test]
    fn ids_parse_strictly() {
        assert_eq!("42".parse::<TweetId>().unwrap(), TweetId(42));
        for bad in ["", "-1", "+1", " 1", "1e3", "abc", "99999999999999999999"] {
            assert!(bad.parse::<TweetId>().is_err(), "{bad:?}");
        }
        let id: TweetId = serde_json::from_str("\"7\"").unwrap();
        assert_eq!(id, TweetId(7));
        assert_eq!(serde_json::to_string(&TweetId(7)).unwrap(), "\"7\"");
    }

    #[test]
    fn ids_of_a_busy_millisecond_spread_over_every_shard() {
        // 4 ids a millisecond for a second, as a node posting 4,000 a second makes.
        let ids = Snowflake::new(3);
        let mut counts = [0usize; 16];
        for ms in 0..1_000 {
            for _ in 0..4 {
                counts[shard_of(ids.next(EPOCH_MILLIS + 1_000 + ms), 16)] += 1;
            }
        }
        // Even within a fifth: 250 each.
        assert!(
            counts.iter().all(|&n| (200..=300).contains(&n)),
            "{counts:?}"
        );
        assert!((0..1_000).all(|id| shard_of(id, 64) < 64));
    }
}
