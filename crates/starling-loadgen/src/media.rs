//! Media benchmarks (`docs/BENCHMARKS.md`, "Media"): the image pipeline timed in this
//! process on one thread (`media-process`, to compare with `vipsthumbnail` making the same
//! files), and uploads through the API by C clients at once (`media-upload`: uploads per
//! second, latency percentiles, the server's peak RSS).

use crate::client::Conn;
use crate::memory::proc_status;
use crate::target::Target;
use anyhow::{Context, Result, bail};
use bytes::Bytes;
use http_body_util::Full;
use hyper::Request;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Run the image pipeline on `input` `runs` times on this thread; prints what it made and
/// the times as JSON.
pub fn process(input: &Path, runs: usize) -> Result<()> {
    let data = std::fs::read(input).with_context(|| format!("reading {}", input.display()))?;
    let head = &data[..data.len().min(starling_media::sniff::SNIFF_BYTES)];
    let format = starling_media::sniff::sniff(head).map_err(anyhow::Error::msg)?;
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let out = starling_media::image::process(&data, format, 33_177_600)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(out);
    }
    times.sort_by(f64::total_cmp);
    let out = last.expect("at least one run");
    let files: Vec<serde_json::Value> = out
        .processed
        .files
        .iter()
        .map(|f| {
            serde_json::json!({"name": f.name, "contentType": f.content_type,
                "width": f.width, "height": f.height, "bytes": f.bytes})
        })
        .collect();
    let report = serde_json::json!({
        "input": input.display().to_string(),
        "width": out.processed.width,
        "height": out.processed.height,
        "runs": times.len(),
        "medianMs": times[times.len() / 2],
        "minMs": times[0],
        "files": files,
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

const BOUNDARY: &str = "starling-loadgen-boundary";

fn form(file: &[u8]) -> Bytes {
    let mut body = Vec::with_capacity(file.len() + 256);
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    Bytes::from(body)
}

/// `clients` users upload `file` in a loop for `seconds`; prints uploads/s, latency
/// percentiles, refusals by status, and the server's peak RSS as JSON.
pub async fn upload(
    target: Arc<Target>,
    file: &Path,
    clients: usize,
    seconds: f64,
    server_pid: Option<u32>,
) -> Result<()> {
    let data = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let body = form(&data);
    let users = crate::setup::users(target.clone(), clients, None).await?;
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for user in users {
        let target = target.clone();
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::lazy(target.clone());
            let mut latencies = Vec::new();
            let mut refused: Vec<u16> = Vec::new();
            while Instant::now() < until {
                let mut req = Request::new(Full::new(body.clone()));
                *req.method_mut() = hyper::Method::POST;
                *req.uri_mut() = "/api/media".parse().expect("a path");
                let h = req.headers_mut();
                h.insert(HOST, target.host_header.clone());
                h.insert(AUTHORIZATION, user.auth.clone());
                h.insert(
                    CONTENT_TYPE,
                    format!("multipart/form-data; boundary={BOUNDARY}")
                        .parse()
                        .expect("a header"),
                );
                let sent = Instant::now();
                match conn.send(req).await {
                    Ok(status) if status.as_u16() == 201 => {
                        latencies.push(sent.elapsed().as_secs_f64() * 1000.0)
                    }
                    Ok(status) => refused.push(status.as_u16()),
                    Err(_) => refused.push(0),
                }
            }
            (latencies, refused)
        }));
    }
    let mut latencies = Vec::new();
    let mut refused = std::collections::BTreeMap::<u16, u64>::new();
    for t in tasks {
        let (l, r) = t.await?;
        latencies.extend(l);
        for status in r {
            *refused.entry(status).or_default() += 1;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    if latencies.is_empty() {
        bail!("no upload succeeded: {refused:?}");
    }
    latencies.sort_by(f64::total_cmp);
    let q = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
    let (hwm, rss) = server_pid.map(proc_status).unwrap_or((None, None));
    let report = serde_json::json!({
        "file": file.display().to_string(),
        "bytes": data.len(),
        "clients": clients,
        "seconds": elapsed,
        "uploads": latencies.len(),
        "uploadsPerSec": latencies.len() as f64 / elapsed,
        "p50Ms": q(0.50), "p95Ms": q(0.95), "p99Ms": q(0.99), "maxMs": latencies[latencies.len() - 1],
        "refused": refused.iter().map(|(k, v)| (k.to_string(), *v)).collect::<std::collections::BTreeMap<_, _>>(),
        "serverPeakRssMiB": hwm.map(|b| b / (1 << 20)), "serverRssMiB": rss.map(|b| b / (1 << 20)),
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
