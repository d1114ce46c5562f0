//! Starling's media pipeline, free of the store: what an upload is ([`sniff`]), images
//! decoded under limits and re-encoded without metadata into the sizes the UI shows
//! ([`image`]), video and animated GIF transcoded by a bounded ffmpeg ([`video`]), a
//! bounded pool that runs that work off the async runtime ([`pool`]), and the
//! content-addressed blob store on local disk or S3-compatible storage ([`blobs`]).
//!
//! Key decision: nothing an uploader sent is ever served. Every served file is one
//! Starling encoded from decoded pixels (images) or from ffmpeg's decoded frames
//! (video), so metadata (EXIF, GPS, XMP, comments), trailing polyglot payloads and
//! scripts cannot survive; the type is decided from the bytes, never from the name or
//! the declared `Content-Type`.

pub mod blobs;
pub mod image;
pub mod pool;
pub mod sniff;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod video;

use starling_core::settings::duration;
use std::path::PathBuf;
use std::time::Duration;

pub use blobs::Blobs;
pub use pool::Pool;
pub use sniff::Format;

/// Why an upload was refused, or could not be processed now.
#[derive(Debug, Clone, thiserror::Error)]
pub enum MediaError {
    /// Not a type Starling accepts (decided from the bytes).
    #[error("{0}")]
    Unsupported(String),
    /// Over a size limit.
    #[error("{0}")]
    TooLarge(String),
    /// Corrupt, truncated, too many pixels, too long: the message says which.
    #[error("{0}")]
    Invalid(String),
    /// Every processing slot and queue place is taken: retry later.
    #[error("media processing is busy")]
    Overloaded,
    /// Our side failed (storage, ffmpeg missing); never the upload's fault.
    #[error("{0}")]
    Internal(String),
}

impl MediaError {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        MediaError::Internal(e.to_string())
    }
}

/// Media settings: `[engine.media]`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct MediaConfig {
    /// Where blobs go.
    pub storage: Storage,
    /// Largest image file accepted, in bytes.
    pub max_image_bytes: u64,
    /// Largest video (or animated GIF) file accepted, in bytes.
    pub max_video_bytes: u64,
    /// Most pixels an image (or a video frame) may have, checked from its header before
    /// anything is decoded. Mastodon's default (7680 × 4320).
    pub max_pixels: u64,
    /// Longest video accepted.
    #[serde(deserialize_with = "duration")]
    pub max_video_duration: Duration,
    /// Longest side of the transcoded video (720p: what a timeline shows).
    pub video_side: u32,
    /// Processing jobs at once (each one core's worth: images use one thread, ffmpeg is
    /// told to use one).
    pub jobs: usize,
    /// Jobs waiting for a slot at most; beyond, uploads get 503 with `Retry-After`.
    pub queue: usize,
    /// Uploads being received at once (each streams to a temporary file of up to
    /// `max-video-bytes`); beyond, 503 with `Retry-After` before the body is read.
    pub max_receiving: usize,
    /// A job (ffmpeg included) is stopped after this long, and its item failed.
    #[serde(deserialize_with = "duration")]
    pub job_timeout: Duration,
    /// Address space an ffmpeg process may map, in bytes (its memory limit).
    pub ffmpeg_memory: u64,
    /// Uploads never attached to a tweet are deleted after this long.
    #[serde(deserialize_with = "duration")]
    pub unattached_ttl: Duration,
    /// How often unattached uploads, failed items and unreferenced blobs are swept.
    #[serde(deserialize_with = "duration")]
    pub sweep_interval: Duration,
    /// A blob no item refers to is deleted only once it was last written longer ago than
    /// this: longer than any upload takes to record what it wrote (see [`blobs`]).
    #[serde(deserialize_with = "duration")]
    pub blob_grace: Duration,
    /// The ffmpeg and ffprobe programs (Debian's, on `PATH`, by default).
    pub ffmpeg: PathBuf,
    pub ffprobe: PathBuf,
}

impl Default for MediaConfig {
    fn default() -> Self {
        Self {
            storage: Storage::default(),
            max_image_bytes: 16 << 20,
            max_video_bytes: 100 << 20,
            max_pixels: 33_177_600,
            max_video_duration: Duration::from_secs(140),
            video_side: 1280,
            jobs: 2,
            queue: 16,
            max_receiving: 32,
            job_timeout: Duration::from_secs(300),
            ffmpeg_memory: 2 << 30,
            unattached_ttl: Duration::from_secs(24 * 3600),
            sweep_interval: Duration::from_secs(3600),
            blob_grace: Duration::from_secs(24 * 3600),
            ffmpeg: "ffmpeg".into(),
            ffprobe: "ffprobe".into(),
        }
    }
}

/// Where blobs are stored: `[engine.media.storage]` with `kind = "local"` or `"s3"`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Storage {
    /// A directory (default: `media/` in the data directory).
    Local {
        #[serde(default)]
        dir: Option<PathBuf>,
    },
    /// An S3-compatible service, with path-style requests (MinIO, Garage, Ceph, AWS).
    S3(S3Config),
}

impl Default for Storage {
    fn default() -> Self {
        Storage::Local { dir: None }
    }
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct S3Config {
    /// For example `http://127.0.0.1:9000` (plain HTTP is allowed for a local service).
    pub endpoint: String,
    pub bucket: String,
    #[serde(default = "default_region")]
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: starling_core::settings::Secret,
}

fn default_region() -> String {
    "us-east-1".into()
}

/// What processing produced: the facts and file list to store, and the bytes of each
/// file (in the same order as `processed.files`).
#[derive(Debug, Clone)]
pub struct Output {
    pub kind: starling_core::media::MediaKind,
    pub processed: starling_core::media::Processed,
    pub blobs: Vec<bytes::Bytes>,
}

/// The key of a blob: the SHA-256 of its bytes, in hex.
pub fn key_of(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
