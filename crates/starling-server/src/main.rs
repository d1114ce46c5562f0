// jemalloc returns freed memory to the OS and fragments far less than glibc's malloc
// under many threads allocating and freeing request-sized buffers.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
use starling_server::config::{Config, ConfigError};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("STARLING_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = match Config::from_args(std::env::args_os()) {
        Ok(config) => config,
        Err(ConfigError::Cli(e)) => e.exit(),
        Err(ConfigError::Invalid(message)) => anyhow::bail!(message),
    };
    let listener = tokio::net::TcpListener::bind((config.host.as_str(), config.port)).await?;
    starling_server::run(config, listener, starling_server::shutdown_signal()).await
}
