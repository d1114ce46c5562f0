use clap::Parser;

// jemalloc returns freed memory to the OS and fragments far less than glibc's malloc
// under many threads allocating and freeing request-sized buffers.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
use starling_server::config::{Cli, Command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("STARLING_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let args = match cli.command {
        Some(Command::Serve(args)) => args,
        None => cli.serve,
    };
    let config = args.resolve().map_err(anyhow::Error::msg)?;
    let listener = tokio::net::TcpListener::bind((config.host.as_str(), config.port)).await?;
    starling_server::run(config, listener, starling_server::shutdown_signal()).await
}
