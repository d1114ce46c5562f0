//! One typed configuration: defaults give the embedded single-process setup; flags and
//! `STARLING_*` environment variables override them.

use clap::{Args, Parser, Subcommand};
use starling_api::rate_limit::RateLimits;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "starling",
    version,
    about = "Starling: a Twitter-like platform server"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the server (the default).
    Serve(ServeArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "STARLING_PORT", default_value_t = 3001)]
    pub port: u16,
    /// Address to bind.
    #[arg(long, env = "STARLING_HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// Where the database and media live.
    #[arg(long, env = "STARLING_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The built web UI; defaults to ./web/dist, or web/dist beside the repository
    /// the binary was built in.
    #[arg(long, env = "STARLING_WEB_DIR")]
    pub web_dir: Option<PathBuf>,
    /// This node's id (0-1023), unique per node of a cluster.
    #[arg(long, env = "STARLING_NODE_ID", default_value_t = 0)]
    pub node_id: u16,
    /// Tweets kept in the in-process cache of hot tweets.
    #[arg(long, env = "STARLING_CACHE_CAPACITY", default_value_t = 50_000)]
    pub cache_capacity: usize,
    /// `on` (defaults), `off`, or `IP_RPS/IP_BURST,TOKEN_RPS/TOKEN_BURST`.
    #[arg(long, env = "STARLING_RATE_LIMIT", default_value = "on")]
    pub rate_limit: String,
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub port: u16,
    pub host: String,
    pub data_dir: PathBuf,
    pub web_dir: Option<PathBuf>,
    pub node_id: u16,
    pub cache_capacity: usize,
    pub rate_limits: Option<RateLimits>,
}

const DEFAULT_LIMITS: RateLimits = RateLimits {
    per_ip: (200, 400),
    per_token: (100, 200),
};

pub fn parse_rate_limit(raw: &str) -> Result<Option<RateLimits>, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "off" | "false" | "0" | "none" => return Ok(None),
        "on" | "true" | "" => return Ok(Some(DEFAULT_LIMITS)),
        _ => {}
    }
    let pair = |s: &str| -> Result<(u32, u32), String> {
        let (rate, burst) = s.split_once('/').ok_or("expected RATE/BURST")?;
        let n = |x: &str| {
            x.trim()
                .parse::<u32>()
                .map_err(|_| format!("not a number: {x}"))
        };
        Ok((n(rate)?, n(burst)?))
    };
    let (ip, token) = raw
        .split_once(',')
        .ok_or("expected IP_RPS/IP_BURST,TOKEN_RPS/TOKEN_BURST")?;
    Ok(Some(RateLimits {
        per_ip: pair(ip)?,
        per_token: pair(token)?,
    }))
}

impl ServeArgs {
    pub fn resolve(self) -> Result<Config, String> {
        if self.node_id > 1023 {
            return Err("node id must be 0-1023".into());
        }
        let web_dir = self.web_dir.or_else(default_web_dir);
        Ok(Config {
            port: self.port,
            host: self.host,
            data_dir: self.data_dir,
            web_dir,
            node_id: self.node_id,
            cache_capacity: self.cache_capacity.max(1),
            rate_limits: parse_rate_limit(&self.rate_limit)?,
        })
    }
}

fn default_web_dir() -> Option<PathBuf> {
    let candidates = [
        Some(PathBuf::from("web/dist")),
        // target/{debug,release}/starling → <repo>/web/dist
        std::env::current_exe().ok().and_then(|exe| {
            exe.parent()?
                .parent()?
                .parent()
                .map(|repo| repo.join("web/dist"))
        }),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|dir| dir.join("index.html").is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_values() {
        assert_eq!(parse_rate_limit("off").unwrap(), None);
        assert_eq!(parse_rate_limit("on").unwrap(), Some(DEFAULT_LIMITS));
        assert_eq!(
            parse_rate_limit("10/20,5/6").unwrap(),
            Some(RateLimits {
                per_ip: (10, 20),
                per_token: (5, 6)
            })
        );
        assert!(parse_rate_limit("lots").is_err());
    }
}
