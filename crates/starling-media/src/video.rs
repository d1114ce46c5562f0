//! Video and animated GIF through Debian's ffmpeg: probed (ffprobe) against the limits,
//! then transcoded to a browser-safe MP4 (H.264 High, yuv420p, AAC, `faststart`, at most
//! `video_side` on its longest side, metadata and chapters dropped) and a poster frame.
//!
//! ffmpeg runs as a child process with its input format named (`-f`: it never guesses
//! one from the content), only the `file` protocol allowed (a crafted file cannot make
//! it fetch URLs or other files, as HLS playlists did), paths Starling chose (never a
//! name from the client), one thread, a memory limit (`RLIMIT_AS`) and a deadline after
//! which it is killed.

use crate::image::poster;
use crate::{Format, MediaConfig, MediaError, Output};
use starling_core::media::{MediaFile, MediaKind, Processed};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::Command;

/// What ffprobe says of a file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Probe {
    pub duration_ms: u64,
    pub width: u32,
    pub height: u32,
    pub has_audio: bool,
}

/// How long a probe may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(20);

fn command(program: &Path, memory: u64) -> Command {
    let mut cmd = Command::new(program);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    // SAFETY: setrlimit is async-signal-safe, and the closure touches nothing else.
    unsafe {
        cmd.pre_exec(move || rlimit::setrlimit(rlimit::Resource::AS, memory, memory));
    }
    cmd
}

/// Run `cmd` to its end within `timeout`; its stdout, or why it failed.
async fn run(mut cmd: Command, timeout: Duration, what: &str) -> Result<Vec<u8>, MediaError> {
    let child = cmd.spawn().map_err(|e| match e.kind() {
        // A server without ffmpeg still takes images; videos are then a type it does
        // not accept, said in words rather than as a failure of ours.
        std::io::ErrorKind::NotFound => MediaError::Unsupported(
            "video and animated GIFs are not accepted by this server (ffmpeg is not installed)"
                .into(),
        ),
        _ => MediaError::internal(format!("{what} could not start: {e}")),
    })?;
    match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Err(_) => Err(MediaError::Invalid(format!(
            "{what} took longer than {} s",
            timeout.as_secs()
        ))),
        Ok(Err(e)) => Err(MediaError::internal(format!("{what}: {e}"))),
        Ok(Ok(out)) if out.status.success() => Ok(out.stdout),
        Ok(Ok(out)) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let first = stderr
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(200)
                .collect::<String>();
            tracing::debug!(what, status = ?out.status, stderr = %stderr, "media tool refused a file");
            Err(MediaError::Invalid(format!(
                "the file could not be decoded ({first})"
            )))
        }
    }
}

fn file_url(path: &Path) -> String {
    format!("file:{}", path.display())
}

/// Probe `path` as `format` and check it against the limits.
pub async fn probe(config: &MediaConfig, path: &Path, format: Format) -> Result<Probe, MediaError> {
    let mut cmd = command(&config.ffprobe, config.ffmpeg_memory);
    cmd.args([
        "-v",
        "error",
        "-protocol_whitelist",
        "file",
        "-f",
        format.demuxer(),
    ])
    .args(["-print_format", "json", "-show_format", "-show_streams"])
    .arg(file_url(path));
    let out = run(cmd, PROBE_TIMEOUT, "ffprobe").await?;
    let probe = parse_probe(&out)?;
    let pixels = u64::from(probe.width) * u64::from(probe.height);
    if pixels > config.max_pixels {
        return Err(MediaError::Invalid(format!(
            "the video is {} × {} pixels; at most {} pixels are accepted",
            probe.width, probe.height, config.max_pixels
        )));
    }
    let max = config.max_video_duration.as_millis() as u64;
    if probe.duration_ms > max {
        return Err(MediaError::Invalid(format!(
            "the video is {:.1} s long; at most {} s are accepted",
            probe.duration_ms as f64 / 1000.0,
            max / 1000
        )));
    }
    Ok(probe)
}

fn parse_probe(json: &[u8]) -> Result<Probe, MediaError> {
    #[derive(serde::Deserialize)]
    struct Stream {
        codec_type: Option<String>,
        width: Option<u32>,
        height: Option<u32>,
        duration: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct FormatInfo {
        duration: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct Answer {
        #[serde(default)]
        streams: Vec<Stream>,
        format: Option<FormatInfo>,
    }
    let answer: Answer = serde_json::from_slice(json)
        .map_err(|_| MediaError::Invalid("the video could not be read".into()))?;
    let video = answer
        .streams
        .iter()
        .find(|s| s.codec_type.as_deref() == Some("video") && s.width.unwrap_or(0) > 0)
        .ok_or_else(|| MediaError::Invalid("the file has no video stream".into()))?;
    let seconds = answer
        .format
        .and_then(|f| f.duration)
        .or_else(|| video.duration.clone())
        .and_then(|d| d.parse::<f64>().ok())
        .filter(|d| d.is_finite() && *d >= 0.0)
        .ok_or_else(|| MediaError::Invalid("the video's duration could not be read".into()))?;
    Ok(Probe {
        duration_ms: (seconds * 1000.0).round() as u64,
        width: video.width.unwrap_or(0),
        height: video.height.unwrap_or(0),
        has_audio: answer
            .streams
            .iter()
            .any(|s| s.codec_type.as_deref() == Some("audio")),
    })
}

/// Transcode a probed video (or animated GIF) at `input` into an MP4 and a poster, in
/// `work` (a directory the caller removes). Runs ffmpeg twice; the poster's pixels are
/// processed on the blocking threads.
pub async fn transcode(
    config: &MediaConfig,
    input: &Path,
    format: Format,
    probe: &Probe,
    work: &Path,
) -> Result<Output, MediaError> {
    let kind = if format == Format::Gif {
        MediaKind::Gif
    } else {
        MediaKind::Video
    };
    let out = work.join("out.mp4");
    let side = config.video_side;
    let mut cmd = command(&config.ffmpeg, config.ffmpeg_memory);
    cmd.args(["-nostdin", "-hide_banner", "-loglevel", "error"])
        .args(["-protocol_whitelist", "file", "-f", format.demuxer()])
        .arg("-i")
        .arg(file_url(input))
        .args(["-map", "0:v:0"]);
    if probe.has_audio && kind == MediaKind::Video {
        cmd.args(["-map", "0:a:0", "-c:a", "aac", "-b:a", "128k", "-ac", "2"]);
    } else {
        cmd.arg("-an");
    }
    cmd.args(["-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn"])
        .arg("-vf")
        .arg(format!(
            "scale=w='min(iw,{side})':h='min(ih,{side})':force_original_aspect_ratio=decrease:force_divisible_by=2,format=yuv420p"
        ))
        .args(["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high"])
        .args(["-threads", "1", "-movflags", "+faststart"])
        .args(["-t", &config.max_video_duration.as_secs().to_string()])
        .args(["-f", "mp4", "-y"])
        .arg(file_url(&out));
    run(cmd, config.job_timeout, "ffmpeg").await?;
    let mp4 = tokio::fs::read(&out).await.map_err(MediaError::internal)?;
    let made = probe_output(config, &out).await?;

    let frame = work.join("poster.png");
    let mut cmd = command(&config.ffmpeg, config.ffmpeg_memory);
    cmd.args(["-nostdin", "-hide_banner", "-loglevel", "error"])
        .args(["-protocol_whitelist", "file", "-f", "mov", "-i"])
        .arg(file_url(&out))
        .args(["-frames:v", "1", "-f", "image2", "-c:v", "png", "-y"])
        .arg(file_url(&frame));
    run(cmd, config.job_timeout, "ffmpeg").await?;
    let png = tokio::fs::read(&frame)
        .await
        .map_err(MediaError::internal)?;
    let (poster_file, poster_bytes, blurhash) = tokio::task::spawn_blocking(move || poster(&png))
        .await
        .map_err(MediaError::internal)??;

    let video = MediaFile {
        name: "mp4".into(),
        width: made.width,
        height: made.height,
        content_type: "video/mp4".into(),
        key: crate::key_of(&mp4),
        bytes: mp4.len() as u64,
    };
    Ok(Output {
        kind,
        processed: Processed {
            width: made.width,
            height: made.height,
            blurhash,
            duration_ms: Some(made.duration_ms),
            files: vec![video, poster_file],
        },
        blobs: vec![mp4.into(), poster_bytes],
    })
}

/// Probe what ffmpeg wrote (no limits: it is ours).
async fn probe_output(config: &MediaConfig, path: &Path) -> Result<Probe, MediaError> {
    let mut cmd = command(&config.ffprobe, config.ffmpeg_memory);
    cmd.args(["-v", "error", "-protocol_whitelist", "file", "-f", "mov"])
        .args(["-print_format", "json", "-show_format", "-show_streams"])
        .arg(file_url(path));
    let out = run(cmd, PROBE_TIMEOUT, "ffprobe").await?;
    parse_probe(&out).map_err(|e| MediaError::internal(format!("our own MP4: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_are_read_and_missing_video_is_refused() {
        let json = br#"{"streams":[{"codec_type":"video","width":1920,"height":1080},
                        {"codec_type":"audio"}],"format":{"duration":"30.040000"}}"#;
        assert_eq!(
            parse_probe(json).unwrap(),
            Probe {
                duration_ms: 30_040,
                width: 1920,
                height: 1080,
                has_audio: true
            }
        );
        let audio_only = br#"{"streams":[{"codec_type":"audio"}],"format":{"duration":"3"}}"#;
        assert!(matches!(
            parse_probe(audio_only),
            Err(MediaError::Invalid(_))
        ));
        assert!(matches!(
            parse_probe(b"not json"),
            Err(MediaError::Invalid(_))
        ));
    }
}
