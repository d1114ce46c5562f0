//! Latency and error accounting. Each client owns a [`Recorder`] (no locks, no sharing on the hot
//! path); the run merges them once it is over and turns them into a [`RunReport`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

use crate::client::{Failure, Outcome};

/// Latencies are recorded in microseconds, from 1 µs to 60 s, at three significant digits.
const MAX_MICROS: u64 = 60_000_000;

/// The measured part of a run: only requests that start at or after `start` and finish by `end`
/// count, so warm-up traffic and requests cut by the deadline do not skew the figures.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub start: Instant,
    pub end: Instant,
}

impl Window {
    pub fn after(warmup: Duration, duration: Duration) -> Window {
        let start = Instant::now() + warmup;
        Window {
            start,
            end: start + duration,
        }
    }

    pub fn secs(&self) -> f64 {
        (self.end - self.start).as_secs_f64()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorKind {
    Status(u16),
    Failure(Failure),
}

impl ErrorKind {
    pub fn label(&self) -> String {
        match self {
            ErrorKind::Status(s) => s.to_string(),
            ErrorKind::Failure(f) => f.as_str().to_string(),
        }
    }
}

#[derive(Debug, Default)]
pub struct OpStats {
    /// Allocated on first success, so a client pays only for the operations it performs.
    hist: Option<Histogram<u32>>,
    errors: BTreeMap<ErrorKind, u64>,
}

impl OpStats {
    fn hist(&mut self) -> &mut Histogram<u32> {
        self.hist.get_or_insert_with(|| {
            Histogram::new_with_bounds(1, MAX_MICROS, 3).expect("valid histogram bounds")
        })
    }

    pub fn record_success(&mut self, latency: Duration) {
        let micros = (latency.as_micros() as u64).max(1);
        self.hist().saturating_record(micros);
    }

    pub fn record_error(&mut self, kind: ErrorKind) {
        *self.errors.entry(kind).or_default() += 1;
    }

    pub fn merge(&mut self, other: &OpStats) {
        if let Some(h) = &other.hist {
            self.hist().add(h).expect("histograms with the same bounds");
        }
        for (k, n) in &other.errors {
            *self.errors.entry(*k).or_default() += n;
        }
    }

    pub fn successes(&self) -> u64 {
        self.hist.as_ref().map_or(0, |h| h.len())
    }

    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }

    pub fn quantile_ms(&self, q: f64) -> f64 {
        self.hist
            .as_ref()
            .map_or(0.0, |h| h.value_at_quantile(q) as f64 / 1000.0)
    }

    pub fn report(&self, op: &str, secs: f64) -> OpReport {
        let count = self.successes();
        OpReport {
            op: op.to_string(),
            count,
            errors: self.errors.iter().map(|(k, n)| (k.label(), *n)).collect(),
            ops_per_sec: if secs > 0.0 { count as f64 / secs } else { 0.0 },
            p50_ms: self.quantile_ms(0.50),
            p95_ms: self.quantile_ms(0.95),
            p99_ms: self.quantile_ms(0.99),
            max_ms: self.hist.as_ref().map_or(0.0, |h| h.max() as f64 / 1000.0),
            mean_ms: self.hist.as_ref().map_or(0.0, |h| h.mean() / 1000.0),
        }
    }
}

/// One client's measurements, indexed by operation number (the scenario names them).
#[derive(Debug)]
pub struct Recorder {
    window: Window,
    ops: Vec<OpStats>,
}

impl Recorder {
    pub fn new(window: Window, ops: usize) -> Recorder {
        Recorder {
            window,
            ops: (0..ops).map(|_| OpStats::default()).collect(),
        }
    }

    /// Counts one request: a 2xx is a success whose latency is recorded; anything else is an error
    /// by status (503 and 429 included: load shedding is never retried silently).
    #[inline]
    pub fn record(&mut self, op: usize, started: Instant, finished: Instant, outcome: &Outcome) {
        if started < self.window.start || finished > self.window.end {
            return;
        }
        let stats = &mut self.ops[op];
        match outcome {
            Ok(status) if status.is_success() => stats.record_success(finished - started),
            Ok(status) => stats.record_error(ErrorKind::Status(status.as_u16())),
            Err(failure) => stats.record_error(ErrorKind::Failure(*failure)),
        }
    }

    pub fn merge(&mut self, other: &Recorder) {
        for (mine, theirs) in self.ops.iter_mut().zip(&other.ops) {
            mine.merge(theirs);
        }
    }

    pub fn op(&self, op: usize) -> &OpStats {
        &self.ops[op]
    }

    /// Reports for each named operation that saw any traffic, and for all of them together.
    pub fn reports(&self, names: &[&str], secs: f64) -> (Vec<OpReport>, OpReport) {
        let mut total = OpStats::default();
        let mut ops = Vec::new();
        for (stats, name) in self.ops.iter().zip(names) {
            total.merge(stats);
            if stats.successes() + stats.error_count() > 0 {
                ops.push(stats.report(name, secs));
            }
        }
        (ops, total.report("total", secs))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpReport {
    pub op: String,
    /// Successful (2xx) requests in the measured window.
    pub count: u64,
    /// Failed requests by HTTP status, or `io` / `connect` / `timeout`.
    pub errors: BTreeMap<String, u64>,
    pub ops_per_sec: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub name: String,
    pub passed: bool,
    /// A correctness check fails the run (exit status 1); a missed performance target does not.
    pub correctness: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerMemory {
    pub pid: Option<u32>,
    /// Peak resident set size (`VmHWM`) at the end of the run.
    pub vm_hwm_bytes: Option<u64>,
    pub vm_rss_bytes: Option<u64>,
    /// Largest `memory.rssBytes` seen on `GET /api/tweets/system/stats`, sampled once a second.
    pub stats_rss_max_bytes: Option<u64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Expectations {
    pub ops_per_sec: Option<f64>,
    pub p99_ms: Option<f64>,
    /// Minimum throughput as a fraction of the baseline's for the same scenario and connections
    /// (checked by `summarize`, which sees both results).
    pub baseline_ratio: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    pub label: Option<String>,
    pub scenario: String,
    pub url: String,
    /// `version` from `GET /api/health`; the baseline answers `baseline`.
    pub server_version: Option<String>,
    pub baseline: bool,
    pub connections: usize,
    pub users: usize,
    pub threads: usize,
    pub warmup_secs: f64,
    pub measured_secs: f64,
    pub ops: Vec<OpReport>,
    pub total: OpReport,
    pub checks: Vec<Check>,
    pub server_memory: ServerMemory,
    pub expect: Expectations,
    pub notes: Vec<String>,
    /// Average cores used during the measured window (not for runs that end before it closes).
    #[serde(default)]
    pub cpu: crate::memory::CpuUsage,
    pub unix_time: u64,
}

impl RunReport {
    pub fn failed_correctness(&self) -> bool {
        self.checks.iter().any(|c| c.correctness && !c.passed)
    }

    /// Turns `--expect-*` into target checks on the total.
    pub fn check_expectations(&mut self) {
        if let Some(min) = self.expect.ops_per_sec {
            let got = self.total.ops_per_sec;
            self.checks.push(Check {
                name: format!("throughput >= {min}/s"),
                passed: got >= min,
                correctness: false,
                detail: format!("{got:.0}/s"),
            });
        }
        if let Some(max) = self.expect.p99_ms {
            let got = self.total.p99_ms;
            self.checks.push(Check {
                name: format!("p99 <= {max} ms"),
                passed: got <= max && self.total.count > 0,
                correctness: false,
                detail: format!("{got:.2} ms"),
            });
        }
    }

    pub fn table(&self) -> String {
        let mut out = String::new();
        let server = self.server_version.as_deref().unwrap_or("?");
        let _ = writeln!(
            out,
            "{}scenario {} · {} connections · {} users · {:.1} s measured after {:.1} s warm-up · {} (server {server})",
            self.label
                .as_deref()
                .map(|l| format!("[{l}] "))
                .unwrap_or_default(),
            self.scenario,
            self.connections,
            self.users,
            self.measured_secs,
            self.warmup_secs,
            self.url,
        );
        let _ = writeln!(
            out,
            "{:<10} {:>10} {:>11} {:>9} {:>9} {:>9} {:>9}  errors",
            "op", "count", "ops/s", "p50 ms", "p95 ms", "p99 ms", "max ms"
        );
        let mut rows: Vec<&OpReport> = self.ops.iter().collect();
        if self.ops.len() > 1 {
            rows.push(&self.total);
        }
        for r in rows {
            let errors = if r.errors.is_empty() {
                "-".to_string()
            } else {
                r.errors
                    .iter()
                    .map(|(k, n)| format!("{k}×{n}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let _ = writeln!(
                out,
                "{:<10} {:>10} {:>11.1} {:>9.2} {:>9.2} {:>9.2} {:>9.2}  {errors}",
                r.op, r.count, r.ops_per_sec, r.p50_ms, r.p95_ms, r.p99_ms, r.max_ms
            );
        }
        let m = &self.server_memory;
        let mib = |b: Option<u64>| {
            b.map_or("n/a".to_string(), |b| {
                format!("{:.1} MiB", b as f64 / 1048576.0)
            })
        };
        let mut memory = Vec::new();
        if m.pid.is_some() {
            memory.push(format!(
                "peak RSS (VmHWM) {}, RSS at end (VmRSS) {}",
                mib(m.vm_hwm_bytes),
                mib(m.vm_rss_bytes)
            ));
        }
        if m.stats_rss_max_bytes.is_some() {
            memory.push(format!(
                "largest rssBytes on the stats endpoint {}",
                mib(m.stats_rss_max_bytes)
            ));
        }
        if !memory.is_empty() {
            let _ = writeln!(out, "server memory: {}", memory.join("; "));
        }
        if let Some(g) = self.cpu.generator_cores {
            let server = self
                .cpu
                .server_cores
                .map_or(String::new(), |s| format!("server {s:.2} cores, "));
            let _ = writeln!(out, "cpu during the window: {server}generator {g:.2} cores");
        }
        for c in &self.checks {
            let verdict = match (c.correctness, c.passed) {
                (true, true) => "PASS",
                (true, false) => "FAIL",
                (false, true) => "MET",
                (false, false) => "MISSED",
            };
            let _ = writeln!(
                out,
                "{} {}: {verdict} — {}",
                if c.correctness { "check" } else { "target" },
                c.name,
                c.detail
            );
        }
        for n in &self.notes {
            let _ = writeln!(out, "note: {n}");
        }
        out
    }
}

pub fn unix_time() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::StatusCode;

    #[test]
    fn window_excludes_warmup_and_late_requests() {
        let now = Instant::now();
        let window = Window {
            start: now + Duration::from_secs(1),
            end: now + Duration::from_secs(2),
        };
        let mut r = Recorder::new(window, 1);
        let ok = Ok(StatusCode::CREATED);
        r.record(0, now, now + Duration::from_millis(1100), &ok); // started in warm-up
        r.record(
            0,
            now + Duration::from_millis(1500),
            now + Duration::from_millis(1510),
            &ok,
        );
        r.record(
            0,
            now + Duration::from_millis(1990),
            now + Duration::from_millis(2010),
            &ok,
        ); // cut
        r.record(
            0,
            now + Duration::from_millis(1600),
            now + Duration::from_millis(1601),
            &Ok(StatusCode::SERVICE_UNAVAILABLE),
        );
        r.record(
            0,
            now + Duration::from_millis(1600),
            now + Duration::from_millis(1601),
            &Err(Failure::Io),
        );
        let (ops, total) = r.reports(&["create"], window.secs());
        assert_eq!(ops.len(), 1);
        assert_eq!(total.count, 1);
        assert!((total.p99_ms - 10.0).abs() < 0.05, "{}", total.p99_ms);
        assert_eq!(total.errors.get("503"), Some(&1));
        assert_eq!(total.errors.get("io"), Some(&1));
    }
}
