//! Stored home timelines in Redis, shared by every node: one sorted set per user whose
//! members all score 0, so they sort by their bytes: `<position, 19 digits>:<id>:<author>`
//! sorts by where the entry lists (a published draft's position is newer than its id),
//! and adding a member twice keeps one (deliveries are idempotent). One
//! marker member sorts below every entry: `#b` while a rebuild fills the timeline (it
//! collects deliveries but reads as missing), `!c` once complete. Every change is one
//! script, so a timeline is never seen half-changed; each read pushes its expiry back,
//! so the timelines of users who stopped reading expire by themselves.

use crate::Commands;
use starling_core::{TweetId, UserId};
use starling_engine::cluster::Unavailable;
use starling_engine::{Entry, HomeCache, HomeConfig, HomeTotals};

/// `v2`: members carry positions (the first form, `<id>:<author>`, expires unread).
const PREFIX: &str = "starling:home:v2:";

/// KEYS: the totals, then timelines; ARGV: member, capacity. Into stored timelines
/// only; every timeline counts as a delivery in the totals, as on a single process.
const PUSH: &str = r#"
local cap = tonumber(ARGV[2])
for i = 2, #KEYS do
  local key = KEYS[i]
  if redis.call('EXISTS', key) == 1 then
    redis.call('ZADD', key, 0, ARGV[1])
    local n = redis.call('ZCARD', key)
    if n - 1 > cap then redis.call('ZREMRANGEBYRANK', key, 1, n - 1 - cap) end
  end
end
redis.call('HINCRBY', KEYS[1], 'deliveries', #KEYS - 1)
return 0
"#;

/// KEYS: the timeline, the totals; ARGV: complete (0/1), capacity, expiry ms, members...
/// A completed rebuild counts in the totals.
const EXTEND: &str = r#"
local key = KEYS[1]
local complete = ARGV[1] == '1'
if redis.call('EXISTS', key) == 0 then
  if not complete then return 0 end
  redis.call('ZADD', key, 0, '#b')
end
for i = 4, #ARGV do redis.call('ZADD', key, 0, ARGV[i]) end
if complete then
  redis.call('ZREM', key, '#b')
  redis.call('ZADD', key, 0, '!c')
  redis.call('HINCRBY', KEYS[2], 'rebuilds', 1)
end
local cap = tonumber(ARGV[2])
local n = redis.call('ZCARD', key)
if n - 1 > cap then redis.call('ZREMRANGEBYRANK', key, 1, n - 1 - cap) end
redis.call('PEXPIRE', key, ARGV[3])
return 0
"#;

/// KEYS: the timeline; ARGV: expiry ms.
const BEGIN: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('ZADD', KEYS[1], 0, '#b')
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return 0
"#;

/// KEYS: the timeline; ARGV: upper bound (`+` or `(<position>`), limit, expiry ms, capacity.
/// Answers nil when missing or being rebuilt, else {full (0/1), members...}.
const READ: &str = r#"
local key = KEYS[1]
if not redis.call('ZSCORE', key, '!c') then return false end
redis.call('PEXPIRE', key, ARGV[3])
local full = 0
if redis.call('ZCARD', key) - 1 >= tonumber(ARGV[4]) then full = 1 end
local items = {}
if tonumber(ARGV[2]) > 0 then
  items = redis.call('ZREVRANGEBYLEX', key, ARGV[1], '[0', 'LIMIT', 0, ARGV[2])
end
table.insert(items, 1, tostring(full))
return items
"#;

/// KEYS: the timeline; ARGV: `:<author>`, the suffix of that author's members.
const REMOVE_AUTHOR: &str = r#"
local suffix = ARGV[1]
local removed = 0
for _, m in ipairs(redis.call('ZRANGEBYLEX', KEYS[1], '[0', '+')) do
  if string.sub(m, -#suffix) == suffix then
    redis.call('ZREM', KEYS[1], m)
    removed = removed + 1
  end
end
return removed
"#;

pub struct RedisHome {
    commands: Commands,
    capacity: usize,
    expiry_ms: u64,
    push: redis::Script,
    extend: redis::Script,
    begin: redis::Script,
    read: redis::Script,
    remove_author: redis::Script,
}

/// Deliveries and rebuilds of every node, a hash: what the stats endpoint of any node
/// reports as the cluster's (each node's own counters are in its metrics).
const TOTALS: &str = "starling:home-totals";

fn key(user: UserId) -> String {
    format!("{PREFIX}{}", user.0)
}

fn member(e: &Entry) -> String {
    format!("{:019}:{}:{}", e.position.0, e.id.0, e.author.0)
}

fn parse(member: &str) -> Option<Entry> {
    let (position, rest) = member.split_once(':')?;
    let (id, author) = rest.split_once(':')?;
    Some(Entry {
        position: TweetId(position.parse().ok()?),
        id: TweetId(id.parse().ok()?),
        author: UserId(author.parse().ok()?),
    })
}

impl RedisHome {
    pub(crate) fn new(commands: Commands, config: &HomeConfig) -> Self {
        Self {
            commands,
            capacity: config.capacity.max(1),
            expiry_ms: (config.idle_after.as_millis() as u64).max(1_000),
            push: redis::Script::new(PUSH),
            extend: redis::Script::new(EXTEND),
            begin: redis::Script::new(BEGIN),
            read: redis::Script::new(READ),
            remove_author: redis::Script::new(REMOVE_AUTHOR),
        }
    }

    fn connection(&self) -> Result<redis::aio::ConnectionManager, Unavailable> {
        self.commands.get().ok_or(Unavailable)
    }
}

/// Users per script call when pushing to many timelines.
const PUSH_CHUNK: usize = 500;

#[async_trait::async_trait]
impl HomeCache for RedisHome {
    async fn push(&self, users: &[UserId], entry: Entry) -> Result<(), Unavailable> {
        let mut connection = self.connection()?;
        let member = member(&entry);
        for chunk in users.chunks(PUSH_CHUNK) {
            let mut invocation = self.push.prepare_invoke();
            invocation.key(TOTALS);
            for user in chunk {
                invocation.key(key(*user));
            }
            invocation.arg(&member).arg(self.capacity);
            invocation
                .invoke_async::<i64>(&mut connection)
                .await
                .map_err(|_| Unavailable)?;
        }
        Ok(())
    }

    async fn extend(
        &self,
        user: UserId,
        entries: &[Entry],
        complete: bool,
    ) -> Result<(), Unavailable> {
        let mut connection = self.connection()?;
        let mut invocation = self.extend.prepare_invoke();
        invocation
            .key(key(user))
            .key(TOTALS)
            .arg(if complete { "1" } else { "0" })
            .arg(self.capacity)
            .arg(self.expiry_ms);
        for e in entries {
            invocation.arg(member(e));
        }
        invocation
            .invoke_async::<i64>(&mut connection)
            .await
            .map_err(|_| Unavailable)?;
        Ok(())
    }

    async fn begin(&self, user: UserId) -> Result<(), Unavailable> {
        let mut connection = self.connection()?;
        self.begin
            .key(key(user))
            .arg(self.expiry_ms)
            .invoke_async::<i64>(&mut connection)
            .await
            .map_err(|_| Unavailable)?;
        Ok(())
    }

    async fn read(
        &self,
        user: UserId,
        before: Option<TweetId>,
        limit: usize,
    ) -> Result<Option<(Vec<Entry>, bool)>, Unavailable> {
        let mut connection = self.connection()?;
        let upper = match before {
            Some(position) => format!("({:019}", position.0),
            None => "+".to_owned(),
        };
        let found: Option<Vec<String>> = self
            .read
            .key(key(user))
            .arg(upper)
            .arg(limit)
            .arg(self.expiry_ms)
            .arg(self.capacity)
            .invoke_async(&mut connection)
            .await
            .map_err(|_| Unavailable)?;
        let Some(found) = found else {
            return Ok(None);
        };
        let full = found.first().is_some_and(|f| f == "1");
        let entries = found.iter().skip(1).filter_map(|m| parse(m)).collect();
        Ok(Some((entries, full)))
    }

    async fn remove_author(&self, user: UserId, author: UserId) -> Result<(), Unavailable> {
        let mut connection = self.connection()?;
        self.remove_author
            .key(key(user))
            .arg(format!(":{}", author.0))
            .invoke_async::<i64>(&mut connection)
            .await
            .map_err(|_| Unavailable)?;
        Ok(())
    }

    fn size(&self) -> Option<(u64, u64)> {
        None
    }

    async fn totals(&self) -> Result<Option<HomeTotals>, Unavailable> {
        let mut connection = self.connection()?;
        let (deliveries, rebuilds): (Option<u64>, Option<u64>) = redis::cmd("HMGET")
            .arg(TOTALS)
            .arg("deliveries")
            .arg("rebuilds")
            .query_async(&mut connection)
            .await
            .map_err(|_| Unavailable)?;
        Ok(Some(HomeTotals {
            deliveries: deliveries.unwrap_or(0),
            rebuilds: rebuilds.unwrap_or(0),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_sort_by_position_and_parse_back() {
        let a = Entry {
            position: TweetId(9),
            id: TweetId(9),
            author: UserId(77),
        };
        // A draft written before `a` and published after it.
        let b = Entry {
            position: TweetId(10),
            id: TweetId(8),
            author: UserId(3),
        };
        assert!(member(&a) < member(&b), "byte order is position order");
        assert!(member(&a).as_str() > "#b" && member(&a).as_str() > "!c");
        assert_eq!(parse(&member(&a)), Some(a));
        assert_eq!(parse(&member(&b)), Some(b));
    }
}
