//! Rate-limit buckets shared by every node, in Redis: GCRA (the generic cell rate
//! algorithm, as `governor` uses on one node), one key per bucket holding its
//! theoretical arrival time, decided by one script so that checking every bucket of a
//! request is one round trip and atomic. Time is Redis's clock, so nodes whose clocks
//! differ still agree.

use crate::Commands;
use starling_engine::cluster::{Bucket, SharedLimiter, Unavailable};

/// For each key: the emission interval (µs per request) and the burst in ARGV. Answers
/// 0 when every bucket had room, or the seconds to wait at the first that had none
/// (buckets before it keep the request taken, as on one node).
const GCRA: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  local next_tat = tat + interval
  local allowed_at = next_tat - interval * burst
  if allowed_at > now then
    return math.ceil((allowed_at - now) / 1000000)
  end
  redis.call('SET', key, string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1000)
end
return 0
"#;

/// Keys live under this prefix.
const PREFIX: &str = "starling:limit:";

pub struct RedisLimiter {
    commands: Commands,
    script: redis::Script,
}

impl RedisLimiter {
    pub(crate) fn new(commands: Commands) -> Self {
        Self {
            commands,
            script: redis::Script::new(GCRA),
        }
    }
}

#[async_trait::async_trait]
impl SharedLimiter for RedisLimiter {
    async fn take(&self, buckets: &[Bucket<'_>]) -> Result<Option<u64>, Unavailable> {
        let mut connection = self.commands.get().ok_or(Unavailable)?;
        let mut invocation = self.script.prepare_invoke();
        for bucket in buckets {
            let interval_us = 1_000_000 / u64::from(bucket.per_second.max(1));
            invocation
                .key(format!("{PREFIX}{}", bucket.key))
                .arg(interval_us)
                .arg(bucket.burst.max(1));
        }
        let wait: u64 = invocation
            .invoke_async(&mut connection)
            .await
            .map_err(|_| Unavailable)?;
        Ok((wait > 0).then_some(wait))
    }
}
