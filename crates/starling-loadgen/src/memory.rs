//! The server's memory: `VmHWM` (peak) and `VmRSS` from `/proc/PID/status`, and the server's own
//! `memory.rssBytes` from `GET /api/tweets/system/stats`, sampled while the load runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use hyper::Uri;

use crate::client::Conn;
use crate::target::Target;

/// `(VmHWM, VmRSS)` in bytes, if the process exists and the kernel reports them.
pub fn proc_status(pid: u32) -> (Option<u64>, Option<u64>) {
    let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return (None, None);
    };
    (field_kib(&text, "VmHWM:"), field_kib(&text, "VmRSS:"))
}

fn field_kib(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(name))?;
    let kib: u64 = line[name.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// Samples the stats endpoint once a second until stopped; gives up quietly if the server has no
/// such endpoint or no `memory.rssBytes` in it.
pub struct StatsSampler {
    max_rss: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl StatsSampler {
    pub fn start(target: Arc<Target>) -> StatsSampler {
        let max_rss = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn({
            let (max_rss, stop) = (max_rss.clone(), stop.clone());
            async move {
                let mut conn = Conn::lazy(target);
                let uri = Uri::from_static("/api/tweets/system/stats");
                while !stop.load(Ordering::Relaxed) {
                    match sample(&mut conn, uri.clone()).await {
                        Some(rss) => {
                            max_rss.fetch_max(rss, Ordering::Relaxed);
                        }
                        None => return,
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        });
        StatsSampler {
            max_rss,
            stop,
            task,
        }
    }

    /// Takes one last sample and returns the largest seen.
    pub async fn finish(self, target: Arc<Target>) -> Option<u64> {
        self.stop.store(true, Ordering::Relaxed);
        self.task.abort();
        let mut conn = Conn::lazy(target);
        if let Some(rss) = sample(&mut conn, Uri::from_static("/api/tweets/system/stats")).await {
            self.max_rss.fetch_max(rss, Ordering::Relaxed);
        }
        match self.max_rss.load(Ordering::Relaxed) {
            0 => None,
            n => Some(n),
        }
    }
}

async fn sample(conn: &mut Conn, uri: Uri) -> Option<u64> {
    let req = conn.get(uri);
    let (status, body) = conn.send_collect(req).await.ok()?;
    if !status.is_success() {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&body).ok()?;
    v.get("memory")?.get("rssBytes")?.as_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_own_status() {
        let (hwm, rss) = proc_status(std::process::id());
        assert!(hwm.unwrap() >= rss.unwrap());
        assert!(rss.unwrap() > 0);
        assert_eq!(proc_status(u32::MAX), (None, None));
    }

    #[test]
    fn reads_own_cpu_time() {
        let start = std::time::Instant::now();
        let mut x = 0u64;
        while start.elapsed().as_millis() < 50 {
            x = x.wrapping_add(std::hint::black_box(1));
        }
        assert!(cpu_seconds(std::process::id()).unwrap() > 0.0, "{x}");
        assert!(cpu_seconds(u32::MAX).is_none());
    }
}

/// CPU time (user + system) of a process in seconds, from `/proc/PID/stat`. Linux reports it in
/// clock ticks of 1/100 s (USER_HZ) on every mainstream architecture.
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may contain spaces; the fields after it are space-separated.
    let rest = &text[text.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

/// Average CPU cores used during the measured window by the generator and by the server.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CpuUsage {
    pub generator_cores: Option<f64>,
    pub server_cores: Option<f64>,
}

/// Samples both processes' CPU time when the window opens and when it closes.
pub fn measure_cpu(
    window: crate::stats::Window,
    server_pid: Option<u32>,
) -> tokio::task::JoinHandle<CpuUsage> {
    tokio::spawn(async move {
        let me = std::process::id();
        tokio::time::sleep_until(window.start.into()).await;
        let (g0, s0) = (cpu_seconds(me), server_pid.and_then(cpu_seconds));
        let t0 = std::time::Instant::now();
        tokio::time::sleep_until(window.end.into()).await;
        let (g1, s1) = (cpu_seconds(me), server_pid.and_then(cpu_seconds));
        let secs = t0.elapsed().as_secs_f64();
        let cores = |a: Option<f64>, b: Option<f64>| Some((b? - a?) / secs);
        CpuUsage {
            generator_cores: cores(g0, g1),
            server_cores: cores(s0, s1),
        }
    })
}
