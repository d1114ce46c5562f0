//! A bounded, sharded cache of hot tweets that never serves a version older than one
//! already acknowledged.
//!
//! Two races are closed here. (1) Writes are answered in commit order but their cache
//! updates may run in any order: each record carries the row's `rev`, and an update
//! never replaces a newer `rev`. (2) A reader that missed the cache may read the row
//! just before a write commits and insert it after the write's update: each shard has
//! an `epoch` bumped by every write, and a reader's insert is dropped if the epoch
//! moved since the reader started (even if the writer's entry was evicted meanwhile).
//! (3) A counter update (a like committed after an edit) may land before the edit's
//! own update: it moves the counters' `rev` past the edit's while the content is still
//! the older one, so each entry also remembers the `rev` its content was read at, and a
//! write is compared with that. (4) For the same reason, a write to a tweet that is
//! not cached never inserts it (only a creation does): the next read fills it.

use parking_lot::RwLock;
use quick_cache::unsync::Cache;
use starling_core::TweetId;
use starling_store::{Counters, TweetRecord};
use std::sync::Arc;

const SHARDS: usize = 16;

/// One part of the cache. Lookups take the read lock: an S3-FIFO cache (`quick_cache`)
/// marks a hit with an atomic flag where an LRU relinks its list, and on a 100,000-user
/// server the LRU's lookups (a handful of cache misses each, 22 per home page) were the
/// largest part of a home read after the socket writes.
struct Shard {
    map: Cache<TweetId, Entry, Weigh>,
    epoch: u64,
}

/// An entry weighs its estimated bytes ([`weight`]), and never less than the shard's
/// byte budget divided by its record budget: so the budget in bytes also bounds the
/// number of records.
#[derive(Clone)]
struct Weigh {
    floor: u64,
}

impl quick_cache::Weighter<TweetId, Entry> for Weigh {
    fn weight(&self, _: &TweetId, entry: &Entry) -> u64 {
        (entry.weight as u64).max(self.floor)
    }
}

impl Shard {
    fn new(records: usize, bytes: usize) -> Self {
        // At least two records each: the cache never admits an entry weighing nearly
        // all of its budget.
        let records = records.max(2) as u64;
        let bytes = bytes as u64;
        Self {
            map: Cache::with_weighter(
                records.min(1 << 20) as usize,
                bytes,
                Weigh {
                    floor: (bytes / records).max(1),
                },
            ),
            epoch: 0,
        }
    }

    /// Keep `entry`; the cache lets others go until within its budget.
    fn admit(&mut self, id: TweetId, entry: Entry) {
        self.map.insert(id, entry);
    }
}

struct Entry {
    record: Arc<TweetRecord>,
    /// The `rev` at which the record's content and state were read; its counters may
    /// be newer (`record.counters.rev`), patched in by [`TweetCache::update_counters`].
    content_rev: i64,
    /// The memory it holds, estimated once: [`weight`].
    weight: usize,
}

impl Entry {
    fn new(record: Arc<TweetRecord>) -> Self {
        Self::at(record.counters.rev, record)
    }

    fn at(content_rev: i64, record: Arc<TweetRecord>) -> Self {
        Self {
            weight: weight(&record),
            record,
            content_rev,
        }
    }
}

/// About what one cached record holds in memory: the record, its texts, its author and
/// mentions, the JSON the API renders from it once shown (`TweetRecord::rendered`: the
/// same texts again and about 320 bytes of keys, ids and times), and the cache's own
/// bookkeeping (list node and table slot). Tweets differ by up to ten times in size (280
/// CJK characters, entities), so the cache is bounded in bytes as well as in records.
pub fn weight(record: &TweetRecord) -> usize {
    const BOOKKEEPING: usize = 64;
    const RENDERED_FIXED: usize = 320;
    let texts = record.content.len()
        + record.entities_json.len()
        + record.author.username.len()
        + record.author.display_name.len();
    let mentions: usize = record
        .mentions
        .iter()
        .map(|m| std::mem::size_of_val(m) + m.name.len())
        .sum();
    let the_record = std::mem::size_of::<TweetRecord>()
        + std::mem::size_of::<starling_store::User>()
        + texts
        + mentions;
    let rendered = texts + RENDERED_FIXED;
    std::mem::size_of::<Entry>() + the_record + rendered + BOOKKEEPING
}

pub struct TweetCache {
    /// Empty when the cache is off: every lookup misses and nothing is kept.
    shards: Box<[RwLock<Shard>]>,
}

/// What a reader saw before going to the store; pass it back to [`TweetCache::fill`].
#[derive(Debug, Clone, Copy)]
pub struct Ticket {
    epoch: u64,
}

impl Ticket {
    /// For a read that did not look in the cache: it fills nothing.
    pub const NEVER: Ticket = Ticket { epoch: u64::MAX };
}

impl TweetCache {
    /// A cache of about `capacity` tweets holding about `bytes` at most (see [`weight`]);
    /// a capacity of 0 turns it off.
    pub fn new(capacity: usize, bytes: usize) -> Self {
        if capacity == 0 {
            return Self {
                shards: Box::new([]),
            };
        }
        let shards = (0..SHARDS)
            .map(|_| RwLock::new(Shard::new(capacity / SHARDS, bytes / SHARDS)))
            .collect();
        Self { shards }
    }

    fn shard(&self, id: TweetId) -> Option<&RwLock<Shard>> {
        self.shards
            .get(starling_core::id::shard_of(id.0, self.shards.len()))
    }

    /// The cached record, or a ticket to fill the cache after reading the store.
    pub fn get(&self, id: TweetId) -> Result<Arc<TweetRecord>, Ticket> {
        let Some(shard) = self.shard(id) else {
            return Err(Ticket { epoch: 0 });
        };
        let shard = shard.read();
        match shard.map.get(&id) {
            Some(entry) => Ok(entry.record.clone()),
            None => Err(Ticket { epoch: shard.epoch }),
        }
    }

    /// Insert what a reader read, unless a write touched the shard since its ticket.
    pub fn fill(&self, record: Arc<TweetRecord>, ticket: Ticket) {
        let Some(shard) = self.shard(record.id) else {
            return;
        };
        let mut shard = shard.write();
        if shard.epoch == ticket.epoch && !shard.map.contains_key(&record.id) {
            shard.admit(record.id, Entry::new(record));
        }
    }

    /// Cache a tweet that was just created: no other write can precede it.
    pub fn insert_created(&self, record: Arc<TweetRecord>) {
        let Some(shard) = self.shard(record.id) else {
            return;
        };
        let mut shard = shard.write();
        shard.epoch += 1;
        if !shard.map.contains_key(&record.id) {
            shard.admit(record.id, Entry::new(record));
        }
    }

    /// Record the result of an acknowledged write to an existing tweet.
    pub fn put(&self, record: Arc<TweetRecord>) {
        let Some(shard) = self.shard(record.id) else {
            return;
        };
        let mut shard = shard.write();
        shard.epoch += 1;
        let rev = record.counters.rev;
        let id = record.id;
        let replaced = match shard.map.peek(&id) {
            // (4) Not cached: a later write (a like) may already have passed here and found
            // nothing to update, so inserting this record could hide it. The next read
            // fills the cache from the store instead.
            None => None,
            // The cached content is newer than this write's.
            Some(old) if old.content_rev > rev => None,
            // Counters committed after this write are already cached: keep them.
            Some(old) if old.record.counters.rev > rev => {
                let mut merged = TweetRecord::clone(&record);
                merged.counters = old.record.counters;
                Some(Entry::at(rev, Arc::new(merged)))
            }
            Some(_) => Some(Entry::new(record)),
        };
        if let Some(entry) = replaced {
            // An edit may change its weight.
            shard.admit(id, entry);
        }
    }

    /// Record new counters from an acknowledged write (likes, replies, views).
    pub fn update_counters(&self, id: TweetId, counters: Counters) {
        let Some(shard) = self.shard(id) else {
            return;
        };
        let mut shard = shard.write();
        shard.epoch += 1;
        // The weight does not change: it depends on the texts alone.
        if let Some(mut old) = shard.map.peek_mut(&id)
            && old.record.counters.rev < counters.rev
        {
            let mut updated = TweetRecord::clone(&old.record);
            updated.counters = counters;
            old.record = Arc::new(updated);
        }
    }

    /// Forget everything, and keep readers that started before from filling back what
    /// they read.
    pub fn clear(&self) {
        for shard in self.shards.iter() {
            let mut shard = shard.write();
            shard.epoch += 1;
            shard.map.clear();
        }
    }

    /// Forget a tweet (a write elsewhere changed it), and keep readers that started
    /// before from filling it back with what they read.
    pub fn invalidate(&self, id: TweetId) {
        let Some(shard) = self.shard(id) else {
            return;
        };
        let mut shard = shard.write();
        shard.epoch += 1;
        shard.map.remove(&id);
    }

    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.read().map.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What the cached records weigh together ([`weight`], each at least its shard's
    /// byte budget over its record budget).
    pub fn bytes(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.read().map.weight() as usize)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use starling_core::id::shard_of;
    use starling_core::{ContentHash, TweetState, UserId};
    use starling_store::User;

    fn record(id: i64, rev: i64, content: &str) -> Arc<TweetRecord> {
        Arc::new(TweetRecord {
            id: TweetId(id),
            position: TweetId(id),
            author: Arc::new(User {
                id: UserId(1),
                username: "a".into(),
                display_name: "A".into(),
                created_at: 0,
            }),
            content: content.into(),
            content_hash: ContentHash::of(content),
            entities_json: "{}".into(),
            version: rev,
            state: TweetState::Published,
            created_at: 0,
            updated_at: 0,
            reply_to: None,
            reply_to_user: None,
            conversation_id: TweetId(id),
            visibility: Default::default(),
            mentions: Arc::from([]),
            retweet_of: None,
            quote_of: None,
            media: Arc::from([]),
            counters: Counters {
                rev,
                ..Counters::default()
            },
            rendered: Default::default(),
        })
    }

    #[test]
    fn the_cache_holds_no_more_bytes_than_its_budget() {
        let short = weight(&record(1, 1, "hi"));
        let long = weight(&record(1, 1, &"語".repeat(280)));
        assert!(
            long > short + 800,
            "a long tweet weighs more: {short} vs {long}"
        );
        // Room for 8 short tweets per shard, by bytes; far more by count.
        let cache = TweetCache::new(100_000, SHARDS * 8 * short);
        let mut ids = (1..).filter(|&id| shard_of(id, SHARDS) == 0);
        let first: Vec<i64> = ids.by_ref().take(8).collect();
        for &id in &first {
            cache.insert_created(record(id, 1, "hi"));
        }
        assert_eq!(cache.len(), 8);
        assert_eq!(cache.bytes(), 8 * short);
        // A long one pushes others out until it fits.
        let big = ids.next().unwrap();
        cache.insert_created(record(big, 1, &"語".repeat(280)));
        assert!(
            cache.bytes() <= 8 * short,
            "{} > {}",
            cache.bytes(),
            8 * short
        );
        assert!(cache.len() < 8);
        assert!(cache.get(TweetId(big)).is_ok(), "the newest stays");
        // An edit that changes the size is counted; so is forgetting.
        cache.put(record(big, 2, "hi"));
        assert_eq!(cache.bytes(), cache.len() * short);
        cache.invalidate(TweetId(big));
        assert_eq!(cache.bytes(), cache.len() * short);
        cache.clear();
        assert_eq!((cache.len(), cache.bytes()), (0, 0));
    }

    #[test]
    fn the_record_budget_bounds_the_count_of_small_records() {
        let cache = TweetCache::new(SHARDS * 10, usize::MAX / 2);
        for id in 1..=10_000 {
            cache.insert_created(record(id, 1, "hi"));
        }
        assert!(cache.len() <= SHARDS * 10, "{} kept", cache.len());
        assert!(cache.len() >= SHARDS * 5, "{} kept", cache.len());
    }

    #[test]
    fn older_revisions_never_replace_newer() {
        let cache = TweetCache::new(64, usize::MAX);
        cache.insert_created(record(1, 3, "v3"));
        cache.put(record(1, 2, "v2"));
        assert_eq!(&*cache.get(TweetId(1)).unwrap().content, "v3");
        cache.update_counters(
            TweetId(1),
            Counters {
                likes: 5,
                rev: 2,
                ..Default::default()
            },
        );
        assert_eq!(cache.get(TweetId(1)).unwrap().counters.likes, 0);
        cache.update_counters(
            TweetId(1),
            Counters {
                likes: 5,
                rev: 4,
                ..Default::default()
            },
        );
        assert_eq!(cache.get(TweetId(1)).unwrap().counters.likes, 5);
    }

    #[test]
    fn an_edit_overtaken_by_a_later_counter_update_still_lands() {
        let cache = TweetCache::new(64, usize::MAX);
        cache.insert_created(record(1, 1, "v1"));
        // The edit commits at rev 2, a like at rev 3; the like's update lands first.
        cache.update_counters(
            TweetId(1),
            Counters {
                likes: 1,
                rev: 3,
                ..Default::default()
            },
        );
        cache.put(record(1, 2, "v2"));
        let cached = cache.get(TweetId(1)).unwrap();
        assert_eq!(
            &*cached.content, "v2",
            "never the content from before the edit"
        );
        assert_eq!(
            cached.counters.likes, 1,
            "nor the counters from before the like"
        );
        assert_eq!(cached.counters.rev, 3);
        // A write older than the cached content still changes nothing.
        cache.put(record(1, 1, "v1"));
        assert_eq!(&*cache.get(TweetId(1)).unwrap().content, "v2");
    }

    #[test]
    fn a_fill_that_raced_a_write_is_dropped_even_after_eviction() {
        let cache = TweetCache::new(SHARDS * 2, usize::MAX / 2); // two entries per shard
        let ticket = cache.get(TweetId(1)).unwrap_err();
        // A write lands, then is evicted by other tweets of the same shard, read since.
        cache.insert_created(record(1, 2, "new"));
        let same_shard = (2..).filter(|&id| shard_of(id, SHARDS) == shard_of(1, SHARDS));
        for other in same_shard.take(8) {
            cache.insert_created(record(other, 1, "other"));
            cache.get(TweetId(other)).unwrap();
        }
        assert!(cache.get(TweetId(1)).is_err());
        // The reader's stale row must not come back.
        cache.fill(record(1, 1, "old"), ticket);
        assert!(cache.get(TweetId(1)).is_err());
        let ticket = cache.get(TweetId(1)).unwrap_err();
        cache.fill(record(1, 2, "new"), ticket);
        assert_eq!(&*cache.get(TweetId(1)).unwrap().content, "new");
    }

    #[test]
    fn a_write_to_an_uncached_tweet_does_not_insert_a_record_a_later_write_outdated() {
        let cache = TweetCache::new(64, usize::MAX);
        // A like (rev 3) commits after an edit (rev 2); its counter update finds nothing.
        cache.update_counters(
            TweetId(9),
            Counters {
                likes: 1,
                rev: 3,
                ..Default::default()
            },
        );
        // The edit's update arrives late: inserting it would hide the like.
        cache.put(record(9, 2, "edited"));
        assert!(cache.get(TweetId(9)).is_err());
        // A creation is cached at once.
        cache.insert_created(record(10, 1, "new"));
        assert_eq!(&*cache.get(TweetId(10)).unwrap().content, "new");
    }
}
