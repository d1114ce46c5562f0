//! Reads the JSON reports of one benchmark run and prints them side by side, each Starling
//! result next to the baseline result for the same scenario and connection count, as a Markdown
//! table that can go into `docs/BENCHMARKS.md` as it is.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::stats::RunReport;

pub fn load(paths: &[PathBuf]) -> Result<Vec<RunReport>> {
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("{} is not a starling-loadgen report", p.display()))
        })
        .collect()
}

/// The baseline's throughput for the same scenario and connection count, if it was measured.
fn baseline_for<'a>(reports: &'a [RunReport], r: &RunReport) -> Option<&'a RunReport> {
    reports
        .iter()
        .find(|b| b.baseline && b.scenario == r.scenario && b.connections == r.connections)
}

pub fn markdown(reports: &[RunReport]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| run | server | scenario | conns | ops/s | p50 ms | p95 ms | p99 ms | max ms | errors | vs baseline | cpu cores server / generator | targets and checks |"
    );
    let _ = writeln!(
        out,
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|"
    );
    for r in reports {
        let t = &r.total;
        let errors = if t.errors.is_empty() {
            "0".to_string()
        } else {
            t.errors
                .iter()
                .map(|(k, n)| format!("{k}×{n}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut verdicts: Vec<String> = r
            .checks
            .iter()
            .map(|c| {
                let v = match (c.correctness, c.passed) {
                    (true, true) => "PASS",
                    (true, false) => "FAIL",
                    (false, true) => "MET",
                    (false, false) => "MISSED",
                };
                format!("{}: {v} ({})", c.name, c.detail)
            })
            .collect();
        let ratio = if r.baseline {
            "—".to_string()
        } else if let Some(b) = baseline_for(reports, r) {
            let ratio = if b.total.ops_per_sec > 0.0 {
                t.ops_per_sec / b.total.ops_per_sec
            } else {
                0.0
            };
            if let Some(min) = r.expect.baseline_ratio {
                let v = if ratio >= min { "MET" } else { "MISSED" };
                verdicts.push(format!("≥ {:.0}% of baseline: {v}", min * 100.0));
            }
            format!("{:.0}%", ratio * 100.0)
        } else {
            "n/a".to_string()
        };
        if let Some(hwm) = r.server_memory.vm_hwm_bytes {
            verdicts.push(format!("peak RSS {:.0} MiB", hwm as f64 / 1048576.0));
        }
        let cores = |c: Option<f64>| c.map_or("?".to_string(), |c| format!("{c:.2}"));
        let cpu = if r.cpu.generator_cores.is_some() {
            format!(
                "{} / {}",
                cores(r.cpu.server_cores),
                cores(r.cpu.generator_cores)
            )
        } else {
            "-".to_string()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {errors} | {ratio} | {cpu} | {} |",
            r.label.as_deref().unwrap_or("-"),
            if r.baseline { "baseline" } else { "starling" },
            r.scenario,
            r.connections,
            t.ops_per_sec,
            t.p50_ms,
            t.p95_ms,
            t.p99_ms,
            t.max_ms,
            if verdicts.is_empty() {
                "-".to_string()
            } else {
                verdicts.join("; ")
            },
        );
    }
    out
}
