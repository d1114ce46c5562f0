// jemalloc returns freed memory to the OS and fragments far less than glibc's malloc
// under many threads allocating and freeing request-sized buffers.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's start-up options. Its own threads purge freed pages after a second even when
/// the server is idle: without them, memory freed after a spike (10,000 WebSockets
/// closing, say) is returned only when later allocations happen to trigger a purge.
/// A nullable `const char *` to jemalloc, which reads it before the first allocation.
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static malloc_conf: Option<&'static u8> =
    Some(&b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:1000\0"[0]);
use starling_server::config::{Config, ConfigError, Invocation};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("STARLING_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = match Config::invocation(std::env::args_os()) {
        Ok(Invocation::Serve(config)) => *config,
        Ok(Invocation::MigrateStore(args)) => return starling_server::migrate::run(args).await,
        Ok(Invocation::SeedGraph(args)) => return starling_server::seed::run(args).await,
        Err(ConfigError::Cli(e)) => e.exit(),
        Err(ConfigError::Invalid(message)) => anyhow::bail!(message),
    };
    let listener = tokio::net::TcpListener::bind((config.host.as_str(), config.port)).await?;
    starling_server::run(config, listener, starling_server::shutdown_signal()).await
}
