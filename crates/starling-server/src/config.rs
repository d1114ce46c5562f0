//! One nested configuration, layered through one mechanism (figment): each crate's
//! defaults (its config struct's `Default`, written once) → a TOML file (`--config`) →
//! `STARLING_*` environment variables → command-line flags. Its sections are the
//! crates' own config structs: `[store]` (a tagged enum: the backend is always named),
//! `[engine]`, `[api]` with `[api.requests]`, `[api.connections]`, `[api.stream]`.
//!
//! ```toml
//! port = 3001
//! data-dir = "/var/lib/starling"
//! [store]
//! backend = "sqlite"
//! readers = 8
//! [engine]
//! view-window = "30m"
//! [api]
//! rate-limit = "on"
//! trusted-proxies = ["10.0.0.0/8"]
//! [api.requests]
//! body-timeout = "15s"
//! ```
//!
//! Environment variables name a key with its section path, `__` between levels and `_`
//! for `-`: `STARLING_API__REQUESTS__BODY_TIMEOUT=20s`. The common settings also have
//! short names (`STARLING_PORT`, `STARLING_RATE_LIMIT`, …; see [`ENV_SHORT_NAMES`]).
//! Other `STARLING_*` variables (the scripts' `STARLING_URL`, `STARLING_LOG`) are not
//! configuration and are ignored; an unknown key in the file is an error, so a typo does
//! not silently fall back to a default.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::Deserialize;
use starling_api::ApiConfig;
use starling_engine::EngineConfig;
use starling_postgres::PostgresConfig;
use starling_redis::RedisConfig;
use starling_sqlite::SqliteConfig;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "starling",
    version,
    about = "Starling: a Twitter-like platform server",
    after_help = "Every setting can also come from a TOML file (--config) or a STARLING_* \
                  environment variable; flags win over both. See docs/CONFIGURATION.md."
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
    /// Copy a SQLite data directory into an empty PostgreSQL database, ids unchanged,
    /// and verify the copy (row counts and a digest per table, totals, the audit).
    /// Stop the server that uses the directory first.
    MigrateStore(MigrateArgs),
    /// Write a synthetic Zipf-shaped social graph (users `seed0`…, one session each, the
    /// follows) into an empty store, for benchmarks at scale; the tokens go to a file in
    /// the load generator's `--users-file` format. Not for a store people use.
    SeedGraph(SeedArgs),
}

/// `starling seed-graph`'s arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct SeedArgs {
    /// How many users.
    #[arg(long, default_value_t = 100_000)]
    pub users: usize,
    /// About how many follows (the Zipf graph's total stays at or under it).
    #[arg(long, default_value_t = 5_000_000)]
    pub follows: u64,
    /// Where to write `username token` lines.
    #[arg(long)]
    pub tokens_file: PathBuf,
    /// The SQLite data directory to seed (when no --database-url is given).
    #[arg(long, default_value = "data")]
    pub data_dir: PathBuf,
    /// Seed this PostgreSQL database instead (its schema is created first).
    #[arg(long)]
    pub database_url: Option<starling_core::settings::Secret>,
}

/// `starling migrate-store`'s arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct MigrateArgs {
    /// The SQLite data directory (the one holding starling.db).
    #[arg(long)]
    pub from: PathBuf,
    /// The PostgreSQL URL to copy into. Default: STARLING_DATABASE_URL (better: a URL
    /// on the command line is visible to other users of the machine).
    #[arg(long, env = "STARLING_DATABASE_URL", hide_env_values = true)]
    pub to: starling_core::settings::Secret,
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Invocation {
    Serve(Box<Config>),
    MigrateStore(MigrateArgs),
    SeedGraph(SeedArgs),
}

/// The flags: the settings people change most, each overriding its key in the layers
/// below. Without a flag, the key keeps what the file, the environment or the default
/// gave it.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServeArgs {
    /// A TOML file with any setting (kebab-case keys, sections per crate). Also
    /// `STARLING_CONFIG`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Port to listen on (0 picks a free one). Default 3001.
    #[arg(long)]
    pub port: Option<u16>,
    /// Address to bind. Default 127.0.0.1.
    #[arg(long)]
    pub host: Option<String>,
    /// Where the database and media live. Default ./data.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// The built web UI; defaults to ./web/dist, or web/dist beside the repository
    /// the binary was built in.
    #[arg(long)]
    pub web_dir: Option<PathBuf>,
    /// This node's id (0-1023), unique per node of a cluster. Default 0.
    #[arg(long)]
    pub node_id: Option<u16>,
    /// Tweets kept in the in-process cache of hot tweets (`engine.cache-capacity`).
    #[arg(long)]
    pub cache_capacity: Option<usize>,
    /// `on` (defaults), `off`, or `IP_RPS/IP_BURST,TOKEN_RPS/TOKEN_BURST`
    /// (`api.rate-limit`). `off` also lifts the per-address bounds on connections and
    /// requests in flight (load tests).
    #[arg(long)]
    pub rate_limit: Option<String>,
    /// Seconds within which one viewer's repeated views of a tweet count once; 0: every
    /// view counts (`engine.view-window`).
    #[arg(long)]
    pub view_window: Option<u64>,
    /// Days a session lasts without use; each use extends it (`engine.session-ttl`).
    #[arg(long)]
    pub session_ttl_days: Option<u64>,
    /// Reverse proxies (addresses or CIDR ranges, comma-separated) whose `Forwarded` and
    /// `X-Forwarded-For` headers name the client (`api.trusted-proxies`).
    #[arg(long)]
    pub trusted_proxies: Option<String>,
    /// The token that opens `/metrics` and the stats endpoint (`api.operator-token`).
    /// Without it, only loopback clients may read them.
    #[arg(long)]
    pub operator_token: Option<String>,
    /// The storage backend: `sqlite` (the default) or `postgres` (`store.backend`; the
    /// database URL then comes from `STARLING_DATABASE_URL` or `store.url`).
    #[arg(long, value_parser = ["sqlite", "postgres"])]
    pub store: Option<String>,
}

/// Which storage backend, and its settings: `[store]` with `backend = "sqlite"` or
/// `backend = "postgres"`. Always named, never guessed from a URL.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "backend", rename_all = "kebab-case")]
pub enum StoreConfig {
    /// The embedded default: one SQLite file in the data directory.
    Sqlite(SqliteConfig),
    /// PostgreSQL, shared by every node of a cluster.
    Postgres(PostgresConfig),
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig::Sqlite(SqliteConfig::default())
    }
}

/// The resolved configuration: the node's own settings, and a section per crate
/// holding that crate's own config struct.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub host: String,
    pub port: u16,
    pub data_dir: PathBuf,
    /// This node's Snowflake node id (0-1023).
    pub node_id: u16,
    pub store: StoreConfig,
    /// Redis, shared by the nodes of a cluster for live events and rate limits; none on
    /// a single node.
    pub redis: Option<RedisConfig>,
    pub engine: EngineConfig,
    pub api: ApiConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 3001,
            data_dir: PathBuf::from("./data"),
            node_id: 0,
            store: StoreConfig::default(),
            redis: None,
            engine: EngineConfig::default(),
            api: ApiConfig::default(),
        }
    }
}

/// Short environment names for the common settings, and the key each sets.
pub const ENV_SHORT_NAMES: &[(&str, &str)] = &[
    ("host", "host"),
    ("port", "port"),
    ("data_dir", "data-dir"),
    ("node_id", "node-id"),
    ("web_dir", "api.web-dir"),
    ("rate_limit", "api.rate-limit"),
    ("trusted_proxies", "api.trusted-proxies"),
    ("operator_token", "api.operator-token"),
    ("cache_capacity", "engine.cache-capacity"),
    ("view_window", "engine.view-window"),
    ("store", "store.backend"),
    ("database_url", "store.url"),
    ("redis_url", "redis.url"),
];

/// The sections an environment variable with `__` may set.
const SECTIONS: &[&str] = &["store", "redis", "engine", "api"];

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
    /// Defaults for everything, with the given address and data directory.
    pub fn new(host: &str, port: u16, data_dir: PathBuf) -> Self {
        Self {
            host: host.to_string(),
            port,
            data_dir,
            ..Self::default()
        }
    }

    /// What `rate-limit = "off"` means: no rate limits, and no per-address bounds on
    /// connections and requests in flight, since load tests drive the server from one
    /// address with hundreds of connections. The overall bounds and every deadline stay.
    pub fn lift_client_limits(&mut self) {
        self.api.rate_limits = None;
        self.api.connections.max_connections_per_client = usize::MAX;
        self.api.requests.max_in_flight_per_client = usize::MAX;
    }

    /// Parse the command line, the environment and the config file it names into a
    /// configuration.
    pub fn from_args<I, T>(args: I) -> Result<Config, ConfigError>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        match Self::invocation(args)? {
            Invocation::Serve(config) => Ok(*config),
            Invocation::MigrateStore(_) | Invocation::SeedGraph(_) => Err(ConfigError::Invalid(
                "migrate-store and seed-graph are commands, not a server configuration".into(),
            )),
        }
    }

    /// Parse the command line into the command it names, with its settings.
    pub fn invocation<I, T>(args: I) -> Result<Invocation, ConfigError>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let matches = Cli::command().try_get_matches_from(args)?;
        let cli = Cli::from_arg_matches(&matches)?;
        let args = match cli.command {
            Some(Command::Serve(args)) => args,
            Some(Command::MigrateStore(args)) => return Ok(Invocation::MigrateStore(args)),
            Some(Command::SeedGraph(args)) => return Ok(Invocation::SeedGraph(args)),
            None => cli.serve,
        };
        Self::load(&args)
            .map(|config| Invocation::Serve(Box::new(config)))
            .map_err(ConfigError::Invalid)
    }

    /// The layers, lowest first. The bottom one is empty: `#[serde(default)]` fills every
    /// key from the crates' `Default` impls, so each default is written once, beside its
    /// setting.
    pub fn figment(args: &ServeArgs) -> Figment {
        let file = args
            .config
            .clone()
            .or_else(|| std::env::var_os("STARLING_CONFIG").map(PathBuf::from));
        let mut figment = Figment::new();
        if let Some(file) = file {
            figment = figment.merge(Toml::file_exact(file));
        }
        figment.merge(environment()).merge(flags(args))
    }

    /// Extract and check the configuration from the layers.
    pub fn load(args: &ServeArgs) -> Result<Config, String> {
        let figment = Self::figment(args);
        // A database URL never chooses the backend; say so plainly rather than as an
        // unknown `url` of the SQLite section.
        let backend = figment
            .extract_inner::<String>("store.backend")
            .unwrap_or_else(|_| "sqlite".into());
        if backend != "postgres" && figment.find_value("store.url").is_ok() {
            return Err(format!(
                "a database URL is set (STARLING_DATABASE_URL or store.url) but the backend is \
                 {backend}: choose PostgreSQL with --store postgres (or STARLING_STORE=postgres)"
            ));
        }
        let mut config: Config = figment.extract().map_err(|e| {
            // One line per problem, each naming its key and where the value came from.
            e.into_iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        config.resolve()?;
        Ok(config)
    }

    /// What no single key can say: cross-setting rules and derived values.
    fn resolve(&mut self) -> Result<(), String> {
        if self.node_id > 1023 {
            return Err("node-id must be 0-1023".into());
        }
        if self.engine.session_ttl.as_secs() < 60 {
            return Err("engine.session-ttl must be at least a minute".into());
        }
        self.engine.cache_capacity = self.engine.cache_capacity.max(1);
        if self.api.web_dir.is_none() {
            self.api.web_dir = default_web_dir();
        }
        if self
            .api
            .operator_token
            .as_ref()
            .is_some_and(|t| t.is_empty())
        {
            self.api.operator_token = None;
        }
        if self.api.rate_limits.is_none() {
            self.lift_client_limits();
        }
        Ok(())
    }
}

/// `STARLING_*` variables: `STARLING_ENGINE__VIEW_WINDOW` sets `engine.view-window`,
/// the short names in [`ENV_SHORT_NAMES`] set theirs, and anything else is not ours.
fn environment() -> Env {
    Env::prefixed("STARLING_").filter_map(|key| {
        let key = key.as_str().to_ascii_lowercase();
        if let Some((_, target)) = ENV_SHORT_NAMES.iter().find(|(short, _)| *short == key) {
            return Some((*target).into());
        }
        let (section, _) = key.split_once("__")?;
        SECTIONS
            .contains(&section)
            .then(|| key.replace("__", ".").replace('_', "-").into())
    })
}

/// The flags that were given, as a layer over the others.
fn flags(args: &ServeArgs) -> Figment {
    let mut layer = Figment::new();
    macro_rules! set {
        ($key:literal, $value:expr) => {
            if let Some(v) = $value {
                layer = layer.merge(Serialized::default($key, v));
            }
        };
    }
    set!("store.backend", &args.store);
    set!("host", &args.host);
    set!("port", args.port);
    set!("data-dir", &args.data_dir);
    set!("node-id", args.node_id);
    set!("api.web-dir", &args.web_dir);
    set!("api.rate-limit", &args.rate_limit);
    set!("api.trusted-proxies", &args.trusted_proxies);
    set!("api.operator-token", &args.operator_token);
    set!("engine.cache-capacity", args.cache_capacity);
    set!("engine.view-window", args.view_window);
    set!(
        "engine.session-ttl",
        args.session_ttl_days
            .map(|days| days.saturating_mul(86_400))
    );
    layer
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
// figment's Jail answers with its own (large) error type; tests only ever unwrap it.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;
    use starling_api::rate_limit::RateLimits;
    use std::time::Duration;

    fn load(args: &[&str]) -> Result<Config, ConfigError> {
        Config::from_args(std::iter::once("starling").chain(args.iter().copied()))
    }

    #[test]
    fn the_layers_in_order_defaults_file_environment_flags() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "starling.toml",
                r#"
                port = 4100
                host = "0.0.0.0"
                data-dir = "/srv/starling"
                [engine]
                view-window = "10m"
                cache-capacity = 7
                [api]
                rate-limit = "off"
                [api.requests]
                body-timeout = "20s"
                "#,
            )?;
            jail.set_env("STARLING_HOST", "10.0.0.1");
            jail.set_env("STARLING_ENGINE__VIEW_WINDOW", "5m");
            jail.set_env("STARLING_API__STREAM__MAX_PER_CLIENT", "3");
            // Not configuration: ignored, not an error.
            jail.set_env("STARLING_URL", "http://elsewhere");
            let config = load(&["serve", "--config", "starling.toml", "--port", "4200"]).unwrap();
            assert_eq!(config.port, 4200, "a flag beats the file");
            assert_eq!(config.host, "10.0.0.1", "the environment beats the file");
            assert_eq!(
                config.data_dir,
                PathBuf::from("/srv/starling"),
                "the file beats a default"
            );
            assert_eq!(config.engine.view_window, Duration::from_secs(300));
            assert_eq!(config.engine.cache_capacity, 7);
            assert_eq!(config.api.rate_limits, None);
            assert_eq!(config.api.requests.body_timeout, Duration::from_secs(20));
            assert_eq!(config.api.stream.max_per_client, 3);
            assert_eq!(
                config.api.requests.request_timeout,
                Duration::from_secs(30),
                "untouched settings keep their defaults"
            );
            // Without a subcommand, and with the file named by the environment.
            jail.set_env("STARLING_CONFIG", "starling.toml");
            assert_eq!(load(&[]).unwrap().port, 4100);
            Ok(())
        });
    }

    #[test]
    fn every_default_is_the_crates_own() {
        Jail::expect_with(|_| {
            let config = load(&[]).unwrap();
            assert_eq!(config.port, 3001);
            assert_eq!(
                config.engine.cache_capacity,
                EngineConfig::default().cache_capacity
            );
            assert_eq!(config.api.requests, ApiConfig::default().requests);
            assert_eq!(config.api.rate_limits, Some(RateLimits::default()));
            Ok(())
        });
    }

    #[test]
    fn the_operator_token_never_shows_in_debug_output() {
        Jail::expect_with(|_| {
            let config = load(&[
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
            assert!(load(&["--trusted-proxies", "nope"]).is_err());
            let short = load(&["--session-ttl-days", "2"]).unwrap();
            assert_eq!(short.engine.session_ttl.as_secs(), 2 * 24 * 3600);
            assert!(load(&["--session-ttl-days", "0"]).is_err());
            assert!(load(&["--node-id", "1024"]).is_err());
            Ok(())
        });
    }

    #[test]
    fn the_backend_is_named_and_the_database_url_stays_secret() {
        Jail::expect_with(|jail| {
            jail.set_env(
                "STARLING_DATABASE_URL",
                "postgres://app:hunter2@db/starling",
            );
            // A URL alone does not choose the backend.
            assert!(
                load(&[]).is_err(),
                "a URL with the sqlite backend is refused"
            );
            let config = load(&["--store", "postgres"]).unwrap();
            let StoreConfig::Postgres(pg) = &config.store else {
                panic!("postgres was chosen: {:?}", config.store)
            };
            assert_eq!(pg.url.expose(), "postgres://app:hunter2@db/starling");
            assert!(!format!("{config:?}").contains("hunter2"));
            jail.clear_env();
            jail.set_env("STARLING_STORE", "postgres");
            jail.create_file(
                "pg.toml",
                "[store]\nbackend = \"postgres\"\npool-size = 4\n",
            )?;
            let config = load(&["--config", "pg.toml"]).unwrap();
            assert!(matches!(&config.store, StoreConfig::Postgres(pg) if pg.pool_size == 4));
            assert!(matches!(
                load(&["--store", "sqlite"]).unwrap().store,
                StoreConfig::Sqlite(_)
            ));
            Ok(())
        });
    }

    #[test]
    fn redis_is_off_by_default_and_its_url_stays_secret() {
        Jail::expect_with(|jail| {
            assert!(
                load(&[]).unwrap().redis.is_none(),
                "a single process shares nothing"
            );
            jail.set_env("STARLING_REDIS_URL", "redis://:hunter2@cache:6379/");
            let config = load(&[]).unwrap();
            let redis = config.redis.as_ref().expect("the URL turns Redis on");
            assert_eq!(redis.url.expose(), "redis://:hunter2@cache:6379/");
            assert_eq!(redis.timeout, std::time::Duration::from_millis(250));
            assert!(!format!("{config:?}").contains("hunter2"));
            jail.set_env("STARLING_REDIS__TIMEOUT", "1s");
            let config = load(&[]).unwrap();
            assert_eq!(
                config.redis.unwrap().timeout,
                std::time::Duration::from_secs(1)
            );
            jail.clear_env();
            jail.create_file("r.toml", "[redis]\ntimeout = \"1s\"\n")?;
            let err = load(&["--config", "r.toml"]).unwrap_err().to_string();
            assert!(
                err.contains("url"),
                "a [redis] section needs its URL: {err}"
            );
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused_with_their_name() {
        Jail::expect_with(|jail| {
            jail.create_file("typo.toml", "prot = 1\n")?;
            let err = load(&["--config", "typo.toml"]).unwrap_err().to_string();
            assert!(err.contains("prot"), "{err}");
            jail.create_file("nested.toml", "[api.requests]\nbody-timout = 3\n")?;
            let err = load(&["--config", "nested.toml"]).unwrap_err().to_string();
            assert!(err.contains("body-timout"), "{err}");
            jail.create_file("backend.toml", "[store]\nbackend = \"oracle\"\n")?;
            let err = load(&["--config", "backend.toml"]).unwrap_err().to_string();
            assert!(err.contains("oracle"), "{err}");
            jail.create_file("nobackend.toml", "[store]\nreaders = 2\n")?;
            let err = load(&["--config", "nobackend.toml"])
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("backend"),
                "the backend is always named: {err}"
            );
            jail.set_env("STARLING_ENGINE__VIEW_WINDOW", "soon");
            let err = load(&[]).unwrap_err().to_string();
            assert!(err.to_lowercase().contains("engine.view-window"), "{err}");
            assert!(load(&["--config", "missing.toml"]).is_err());
            Ok(())
        });
    }

    /// docs/CONFIGURATION.md lists every key with its default: it parses (so no key in
    /// it is unknown) and gives exactly the defaults (so no value in it is stale).
    #[test]
    fn docs_example_is_the_defaults() {
        let doc = include_str!("../../../docs/CONFIGURATION.md");
        let example = doc
            .split("```toml\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("a toml block");
        Jail::expect_with(|jail| {
            jail.create_file("example.toml", example)?;
            let documented = load(&["--config", "example.toml"]).unwrap();
            let defaults = load(&[]).unwrap();
            assert_eq!(format!("{documented:?}"), format!("{defaults:?}"));
            Ok(())
        });
    }

    #[test]
    fn rate_limit_values() {
        assert_eq!(RateLimits::parse_setting("off").unwrap(), None);
        assert_eq!(
            RateLimits::parse_setting("on").unwrap(),
            Some(RateLimits::default())
        );
        assert_eq!(
            RateLimits::parse_setting("10/20,5/6").unwrap(),
            Some(RateLimits {
                per_ip: (10, 20),
                per_token: (5, 6),
                ..RateLimits::default()
            })
        );
        assert!(RateLimits::parse_setting("lots").is_err());
    }
}
