//! One typed configuration: defaults give the embedded single-process setup; a TOML
//! file (`--config`), then `STARLING_*` environment variables, then flags override them.

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use serde::Deserialize;
use starling_api::rate_limit::RateLimits;
use starling_api::{ApiConfig, Secret, TrustedProxies};
use starling_engine::EngineConfig;
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
    /// A TOML file with any of the settings below (kebab-case keys, e.g. `data-dir`);
    /// environment variables and flags take precedence over it.
    #[arg(long, env = "STARLING_CONFIG")]
    pub config: Option<PathBuf>,
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
    /// Tweets kept in the in-process cache of hot tweets (default: the engine's).
    #[arg(long, env = "STARLING_CACHE_CAPACITY")]
    pub cache_capacity: Option<usize>,
    /// `on` (defaults), `off`, or `IP_RPS/IP_BURST,TOKEN_RPS/TOKEN_BURST`. `off` also
    /// lifts the per-address bounds on connections and requests in flight (load tests).
    #[arg(long, env = "STARLING_RATE_LIMIT", default_value = "on")]
    pub rate_limit: String,
    /// Seconds within which one viewer's repeated views of a tweet count once (0: every
    /// view counts). Default: the engine's.
    #[arg(long, env = "STARLING_VIEW_WINDOW")]
    pub view_window: Option<u64>,
    /// Days a session lasts without use; each use extends it. Default: the engine's (30).
    #[arg(long, env = "STARLING_SESSION_TTL_DAYS")]
    pub session_ttl_days: Option<u64>,
    /// Reverse proxies (addresses or CIDR ranges, comma-separated) whose `Forwarded` and
    /// `X-Forwarded-For` headers name the client.
    #[arg(long, env = "STARLING_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: String,
    /// The token that opens `/metrics` and the stats endpoint. Without it, only
    /// loopback clients may read them.
    #[arg(long, env = "STARLING_OPERATOR_TOKEN", hide_env_values = true)]
    pub operator_token: Option<Secret>,
}

/// The resolved configuration: the server's own settings, and a section per crate
/// holding that crate's own config struct.
#[derive(Debug, Clone)]
pub struct Config {
    pub port: u16,
    pub host: String,
    pub data_dir: PathBuf,
    pub node_id: u16,
    pub api: ApiConfig,
    pub engine: EngineConfig,
}

impl Config {
    /// Defaults for everything, with the given address and data directory.
    pub fn new(host: &str, port: u16, data_dir: PathBuf) -> Self {
        Self {
            port,
            host: host.to_string(),
            data_dir,
            node_id: 0,
            api: ApiConfig::default(),
            engine: EngineConfig::default(),
        }
    }
}

pub fn parse_rate_limit(raw: &str) -> Result<Option<RateLimits>, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "off" | "false" | "0" | "none" => return Ok(None),
        "on" | "true" | "" => return Ok(Some(RateLimits::default())),
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
        ..RateLimits::default()
    }))
}

/// The settings a `--config` file may hold. Unknown keys are an error, so a typo does
/// not silently fall back to a default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileConfig {
    port: Option<u16>,
    host: Option<String>,
    data_dir: Option<PathBuf>,
    web_dir: Option<PathBuf>,
    node_id: Option<u16>,
    cache_capacity: Option<usize>,
    rate_limit: Option<String>,
    trusted_proxies: Option<String>,
    operator_token: Option<Secret>,
    view_window: Option<u64>,
    session_ttl_days: Option<u64>,
}

/// Why no configuration came out of the command line.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Usage errors, `--help` and `--version`: clap prints and exits with the right status.
    #[error(transparent)]
    Cli(#[from] clap::Error),
    #[error("{0}")]
    Invalid(String),
}

impl Config {
    /// Parse the command line (flags, environment, optional config file) into a
    /// configuration.
    pub fn from_args<I, T>(args: I) -> Result<Config, ConfigError>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let matches = Cli::command().try_get_matches_from(args)?;
        let cli = Cli::from_arg_matches(&matches)?;
        let (args, matches) = match cli.command {
            Some(Command::Serve(args)) => (
                args,
                matches
                    .subcommand_matches("serve")
                    .unwrap_or(&matches)
                    .clone(),
            ),
            None => (cli.serve, matches),
        };
        args.with_file(&matches)
            .and_then(ServeArgs::resolve)
            .map_err(ConfigError::Invalid)
    }
}

impl ServeArgs {
    /// Fill the settings that are still at their defaults from the `--config` file.
    fn with_file(mut self, matches: &ArgMatches) -> Result<Self, String> {
        let Some(path) = &self.config else {
            return Ok(self);
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("reading the config file {}: {e}", path.display()))?;
        let file: FileConfig = toml::from_str(&text)
            .map_err(|e| format!("in the config file {}: {e}", path.display()))?;
        // Only what neither a flag nor an environment variable set comes from the file.
        let unset = |id: &str| {
            matches!(
                matches.value_source(id),
                None | Some(ValueSource::DefaultValue)
            )
        };
        if let (true, Some(v)) = (unset("port"), file.port) {
            self.port = v;
        }
        if let (true, Some(v)) = (unset("host"), file.host) {
            self.host = v;
        }
        if let (true, Some(v)) = (unset("data_dir"), file.data_dir) {
            self.data_dir = v;
        }
        if let (true, Some(v)) = (unset("web_dir"), file.web_dir) {
            self.web_dir = Some(v);
        }
        if let (true, Some(v)) = (unset("node_id"), file.node_id) {
            self.node_id = v;
        }
        if let (true, Some(v)) = (unset("cache_capacity"), file.cache_capacity) {
            self.cache_capacity = Some(v);
        }
        if let (true, Some(v)) = (unset("session_ttl_days"), file.session_ttl_days) {
            self.session_ttl_days = Some(v);
        }
        if let (true, Some(v)) = (unset("view_window"), file.view_window) {
            self.view_window = Some(v);
        }
        if let (true, Some(v)) = (unset("trusted_proxies"), file.trusted_proxies) {
            self.trusted_proxies = v;
        }
        if let (true, Some(v)) = (unset("operator_token"), file.operator_token) {
            self.operator_token = Some(v);
        }
        if let (true, Some(v)) = (unset("rate_limit"), file.rate_limit) {
            self.rate_limit = v;
        }
        Ok(self)
    }

    pub fn resolve(self) -> Result<Config, String> {
        if self.node_id > 1023 {
            return Err("node id must be 0-1023".into());
        }
        let web_dir = self.web_dir.or_else(default_web_dir);
        let mut config = Config::new(&self.host, self.port, self.data_dir);
        config.node_id = self.node_id;
        config.api.web_dir = web_dir;
        config.api.rate_limits = parse_rate_limit(&self.rate_limit)?;
        if config.api.rate_limits.is_none() {
            // Load tests drive the server from one address with hundreds of connections:
            // `off` lifts every per-address bound on requests. The overall bounds and
            // every deadline stay.
            config.api.connections.max_connections_per_client = usize::MAX;
            config.api.requests.max_in_flight_per_client = usize::MAX;
        }
        config.api.trusted_proxies = TrustedProxies::parse(&self.trusted_proxies)
            .map_err(|e| format!("trusted proxies: {e}"))?;
        config.api.operator_token = self.operator_token.filter(|t| !t.0.is_empty());
        if let Some(days) = self.session_ttl_days {
            if days == 0 {
                return Err("session-ttl-days must be at least 1".into());
            }
            config.engine.session_ttl = std::time::Duration::from_secs(days * 24 * 3600);
        }
        if let Some(secs) = self.view_window {
            config.engine.view_window = std::time::Duration::from_secs(secs);
        }
        if let Some(capacity) = self.cache_capacity {
            config.engine.cache_capacity = capacity.max(1);
        }
        Ok(config)
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
    fn a_config_file_fills_defaults_and_flags_win() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("starling.toml");
        std::fs::write(
            &file,
            "port = 4100\ndata-dir = \"/srv/starling\"\nrate-limit = \"off\"\n",
        )
        .unwrap();
        let file = file.to_str().unwrap();
        let config =
            Config::from_args(["starling", "serve", "--config", file, "--port", "4200"]).unwrap();
        assert_eq!(config.port, 4200, "a flag beats the file");
        assert_eq!(
            config.data_dir,
            PathBuf::from("/srv/starling"),
            "the file beats a default"
        );
        assert_eq!(config.api.rate_limits, None);
        assert_eq!(
            config.host, "127.0.0.1",
            "untouched settings keep their defaults"
        );
        // Without a subcommand, too.
        assert_eq!(
            Config::from_args(["starling", "--config", file])
                .unwrap()
                .port,
            4100
        );
    }

    #[test]
    fn the_operator_token_never_shows_in_debug_output() {
        let config = Config::from_args([
            "starling",
            "--operator-token",
            "hunter2-very-secret",
            "--trusted-proxies",
            "127.0.0.1,10.0.0.0/8",
        ])
        .unwrap();
        assert!(config.api.operator_token.is_some());
        assert!(!format!("{config:?}").contains("hunter2"));
        assert!(
            config
                .api
                .trusted_proxies
                .contains("10.1.2.3".parse().unwrap())
        );
        assert!(Config::from_args(["starling", "--trusted-proxies", "nope"]).is_err());
        let short = Config::from_args(["starling", "--session-ttl-days", "2"]).unwrap();
        assert_eq!(short.engine.session_ttl.as_secs(), 2 * 24 * 3600);
        assert!(Config::from_args(["starling", "--session-ttl-days", "0"]).is_err());
    }

    #[test]
    fn a_config_file_with_an_unknown_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("starling.toml");
        std::fs::write(&file, "prot = 1\n").unwrap();
        let err = Config::from_args(["starling", "--config", file.to_str().unwrap()]).unwrap_err();
        assert!(err.to_string().contains("prot"), "{err}");
    }

    #[test]
    fn rate_limit_values() {
        assert_eq!(parse_rate_limit("off").unwrap(), None);
        assert_eq!(parse_rate_limit("on").unwrap(), Some(RateLimits::default()));
        assert_eq!(
            parse_rate_limit("10/20,5/6").unwrap(),
            Some(RateLimits {
                per_ip: (10, 20),
                per_token: (5, 6),
                ..RateLimits::default()
            })
        );
        assert!(parse_rate_limit("lots").is_err());
    }
}
