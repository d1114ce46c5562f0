//! Command-line interface: `baseline`, `run`, `fill`, plus the small helpers `scripts/bench.sh`
//! needs (`wait`, `free-port`, `summarize`) so the script depends on nothing but this binary.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use crate::scenario::{self, FillConfig, RunConfig, Scenario};
use crate::stats::{Expectations, RunReport};
use crate::target::Target;

#[derive(Parser, Debug)]
#[command(
    name = "starling-loadgen",
    version,
    about = "Load generator for Starling: throughput, latency percentiles and peak RSS, against the server or a minimal baseline handler (loopback targets only)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the minimal axum handler (the machine's HTTP ceiling) until SIGINT/SIGTERM.
    Baseline {
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Worker threads (0: one per core, as the server uses).
        #[arg(long, default_value_t = 0)]
        threads: usize,
    },
    /// Run one scenario against a server and report.
    Run(RunArgs),
    /// Create N tweets as fast as possible (e.g. for the RSS-after-1,000,000-tweets check).
    Fill(FillArgs),
    /// Wait until GET /api/health answers 2xx.
    Wait {
        #[arg(long)]
        url: String,
        #[arg(long, default_value_t = 30.0)]
        timeout: f64,
    },
    /// Print a free TCP port on 127.0.0.1.
    FreePort,
    /// Time the image pipeline on a file, in this process on one thread (JSON).
    MediaProcess {
        #[arg(long)]
        input: PathBuf,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// C clients upload a file to POST /api/media in a loop (JSON: uploads/s, percentiles, peak RSS).
    MediaUpload {
        #[arg(long)]
        url: String,
        #[arg(long)]
        file: PathBuf,
        #[arg(long, short = 'c', default_value_t = 4)]
        clients: usize,
        #[arg(long, short = 'd', default_value_t = 20.0)]
        duration: f64,
        #[arg(long)]
        server_pid: Option<u32>,
    },
    /// Print JSON reports (from `run --out`) as one Markdown table with ratios against the baseline.
    Summarize {
        #[arg(required = true)]
        reports: Vec<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct Common {
    /// Base URL of the server; only loopback hosts are accepted.
    #[arg(long)]
    pub url: String,
    /// Users to register (default: depends on the scenario; registration is slow, argon2).
    #[arg(long)]
    pub users: Option<usize>,
    /// Reuse users (tokens) registered by earlier runs against the same server; appended to.
    #[arg(long)]
    pub users_file: Option<PathBuf>,
    /// The server's process id: its VmHWM/VmRSS are read from /proc at the end.
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// Generator threads: 1 runs everything on the current thread (the cheapest).
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// A name for this run in reports.
    #[arg(long)]
    pub label: Option<String>,
    /// Print the report as JSON on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Also write the JSON report to this file.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long, value_enum)]
    pub scenario: Scenario,
    #[arg(long, short = 'c', default_value_t = 64)]
    pub connections: usize,
    /// Measured seconds (after the warm-up).
    #[arg(long, short = 'd', default_value_t = 10.0)]
    pub duration: f64,
    #[arg(long, default_value_t = 2.0)]
    pub warmup: f64,
    /// Tweets created before `get` and `mixed` start.
    #[arg(long, default_value_t = 1000)]
    pub tweets: usize,
    /// `fanout`: posts per second in all (0: as fast as the server takes them).
    #[arg(long, default_value_t = 0.0)]
    pub rate: f64,
    /// `home`, `fanout`: the Zipf graph is already in the store (`starling seed-graph`,
    /// its tokens file as --users-file), so it is not built through the API.
    #[arg(long)]
    pub graph_seeded: bool,
    /// `home`: the tweets are in the store already too (a server restarted on the data of
    /// an earlier run), so none are posted: the timelines are rebuilt, then read.
    #[arg(long, requires = "graph_seeded")]
    pub tweets_seeded: bool,
    /// Target: minimum total ops/s (reported as MET/MISSED; does not fail the run).
    #[arg(long)]
    pub expect_ops_per_sec: Option<f64>,
    /// Target: maximum total p99 in ms.
    #[arg(long)]
    pub expect_p99_ms: Option<f64>,
    /// Target: minimum fraction of the baseline's ops/s (checked by `summarize`).
    #[arg(long)]
    pub expect_baseline_ratio: Option<f64>,
}

#[derive(Args, Debug)]
pub struct FillArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long)]
    pub tweets: usize,
    #[arg(long, short = 'c', default_value_t = 64)]
    pub connections: usize,
    /// Stop after this many seconds even if not all tweets were created.
    #[arg(long, default_value_t = 3600.0)]
    pub max_duration: f64,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("starling-loadgen: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn runtime(threads: usize) -> Result<tokio::runtime::Runtime> {
    let rt = if threads == 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        if threads > 0 {
            b.worker_threads(threads);
        }
        b.enable_all().build()?
    };
    Ok(rt)
}

fn secs(s: f64, what: &str) -> Result<Duration> {
    Duration::try_from_secs_f64(s)
        .with_context(|| format!("{what} must be a non-negative number of seconds"))
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Baseline { port, threads } => {
            runtime(threads)?.block_on(async move {
                let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
                let addr = listener.local_addr()?;
                println!("starling-loadgen baseline listening on http://{addr}");
                crate::baseline::serve(listener, shutdown_signal()).await
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Run(args) => {
            let target = Arc::new(Target::parse(&args.common.url)?);
            let cfg = RunConfig {
                target,
                scenario: args.scenario,
                connections: args.connections,
                duration: secs(args.duration, "--duration")?,
                warmup: secs(args.warmup, "--warmup")?,
                users: args.common.users,
                users_file: args.common.users_file.clone(),
                tweets: args.tweets,
                rate: args.rate,
                graph_seeded: args.graph_seeded,
                tweets_seeded: args.tweets_seeded,
                server_pid: args.common.server_pid,
                label: args.common.label.clone(),
                threads: args.common.threads,
                expect: Expectations {
                    ops_per_sec: args.expect_ops_per_sec,
                    p99_ms: args.expect_p99_ms,
                    baseline_ratio: args.expect_baseline_ratio,
                },
            };
            scenario::validate(&cfg)?;
            let report = runtime(args.common.threads)?.block_on(scenario::run(cfg))?;
            emit(&report, &args.common)
        }
        Command::Fill(args) => {
            let target = Arc::new(Target::parse(&args.common.url)?);
            let cfg = FillConfig {
                target,
                tweets: args.tweets,
                connections: args.connections.max(1),
                users: args.common.users.unwrap_or(16),
                users_file: args.common.users_file.clone(),
                max_duration: secs(args.max_duration, "--max-duration")?,
                server_pid: args.common.server_pid,
                label: args.common.label.clone(),
                threads: args.common.threads,
            };
            let report = runtime(args.common.threads)?.block_on(scenario::fill(cfg))?;
            emit(&report, &args.common)
        }
        Command::Wait { url, timeout } => {
            let target = Arc::new(Target::parse(&url)?);
            let timeout = secs(timeout, "--timeout")?;
            runtime(1)?.block_on(crate::setup::wait_healthy(target, timeout))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::MediaProcess { input, runs } => {
            crate::media::process(&input, runs)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::MediaUpload {
            url,
            file,
            clients,
            duration,
            server_pid,
        } => {
            let target = Arc::new(Target::parse(&url)?);
            runtime(2)?.block_on(crate::media::upload(
                target,
                &file,
                clients.max(1),
                duration,
                server_pid,
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::FreePort => {
            let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
            println!("{}", listener.local_addr()?.port());
            Ok(ExitCode::SUCCESS)
        }
        Command::Summarize { reports } => {
            let reports = crate::summary::load(&reports)?;
            print!("{}", crate::summary::markdown(&reports));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn emit(report: &RunReport, common: &Common) -> Result<ExitCode> {
    let json = serde_json::to_string_pretty(report)?;
    if let Some(path) = &common.out {
        std::fs::write(path, &json).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if common.json {
        println!("{json}");
    } else {
        print!("{}", report.table());
    }
    Ok(if report.failed_correctness() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
