//! Starling's load generator.
//!
//! It drives a Starling server — or its own minimal axum handler (`baseline`), the HTTP ceiling of
//! this machine — with C virtual clients, each owning one persistent HTTP/1.1 connection, and
//! reports throughput and p50/p95/p99/max latency per operation, correctness checks (exact like
//! counts, the seed's 100-concurrent-posts check) and the server's peak RSS.
//!
//! Layout:
//! - [`cli`]: arguments and the runtime (`--threads`, default one thread).
//! - [`target`]: the loopback-only target address; every other host is refused.
//! - [`client`]: one connection, the request shapes, and the outcome of a request.
//! - [`stats`]: per-client histograms merged at the end, and the report (table and JSON).
//! - [`setup`]: users and tweets a scenario needs before the clock starts.
//! - [`scenario`]: the measured loops (`create`, `get`, `like`, `seed-check`, `mixed`) and `fill`.
//! - [`content`]: unique, tweet-shaped content and a tiny PRNG.
//! - [`memory`]: the server's RSS, from `/proc/PID/status` and from its stats endpoint.
//! - [`baseline`]: the minimal handler to compare against in the same run.
//! - [`media`]: the image pipeline timed alone, and uploads through the API.
//! - [`summary`]: reads result files and prints ratios against the baseline.
//!
//! Key decision: the generator shares two cores with the server, so the hot path allocates
//! nothing large. Request bodies are written into a per-client buffer that is reused, URIs and
//! header values are built once, response bodies are drained without being collected, and each
//! client records into its own histograms, which are merged only when the run is over.

pub mod baseline;
pub mod cli;
pub mod client;
pub mod content;
pub mod home;
pub mod media;
pub mod memory;
pub mod scenario;
pub mod setup;
pub mod social;
pub mod stats;
pub mod summary;
pub mod target;
