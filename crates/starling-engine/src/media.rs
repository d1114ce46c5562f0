//! Media: uploads processed on a bounded pool and stored as content-addressed blobs,
//! their records in the store, and the sweeps that keep both bounded. The pipeline
//! itself is `starling-media`'s; this is where it meets the store and the clock.
//!
//! Images are processed while the upload waits (a 12-megapixel JPEG takes well under a
//! second) and recorded ready, or refused and leave nothing behind. Video and animated
//! GIF are probed while the upload waits (a file ffmpeg cannot read, or too long, is
//! refused at once), then recorded as processing and transcoded in the background; a
//! node that dies mid-job leaves a deadline behind, after which any node fails the item.

use crate::{Engine, EngineError, Result};
use starling_core::media::{AltText, MediaKind, MediaRecord};
use starling_core::records::User;
use starling_core::{MediaId, Refusal};
use starling_media::{Blobs, Format, MediaConfig, MediaError, Pool};
use starling_store::{DescribeMedia, FinishMedia, NewMedia, SweepMedia};
use std::sync::Arc;
use std::time::Duration;

/// Blob storage and the processing pool.
pub(crate) struct Media {
    pub(crate) config: MediaConfig,
    pub(crate) blobs: Blobs,
    pool: Arc<Pool>,
    /// Uploads being received: bounds the temporary files (and their disk) at once.
    receiving: Arc<tokio::sync::Semaphore>,
}

/// A place among the uploads being received; freed when dropped.
pub struct Receiving(#[allow(dead_code)] tokio::sync::OwnedSemaphorePermit);

/// Items deleted by one sweep statement at most.
const SWEEP_BATCH: usize = 500;

impl Media {
    pub(crate) fn open(config: &MediaConfig) -> Result<Option<Self>> {
        let dir = match &config.storage {
            starling_media::Storage::Local { dir: None } => return Ok(None),
            starling_media::Storage::Local { dir: Some(dir) } => dir.clone(),
            starling_media::Storage::S3(_) => std::path::PathBuf::new(),
        };
        let blobs = Blobs::open(&config.storage, &dir).map_err(media_error)?;
        Ok(Some(Self {
            config: config.clone(),
            blobs,
            pool: Pool::new(config.jobs, config.queue),
            receiving: Arc::new(tokio::sync::Semaphore::new(config.max_receiving.max(1))),
        }))
    }
}

/// An upload as received: the file on disk (removed when dropped), what its bytes are,
/// and the description sent with it.
pub struct Upload {
    pub file: tempfile::TempPath,
    pub format: Format,
    pub alt_text: AltText,
}

pub(crate) fn media_error(e: MediaError) -> EngineError {
    match e {
        MediaError::Unsupported(m) => Refusal::UnsupportedMedia(m).into(),
        MediaError::TooLarge(m) => Refusal::MediaTooLarge(m).into(),
        MediaError::Invalid(m) => Refusal::InvalidMedia(m).into(),
        MediaError::Overloaded => EngineError::Overloaded,
        MediaError::Internal(m) => EngineError::internal(std::io::Error::other(m)),
    }
}

impl Engine {
    fn media_on(&self) -> Result<&Media> {
        self.media.as_ref().ok_or_else(|| {
            EngineError::internal(std::io::Error::other("media storage is not configured"))
        })
    }

    /// A place to receive one upload in, or `Overloaded` at once when every place is taken.
    pub fn receive_upload(&self) -> Result<Receiving> {
        let media = self.media_on()?;
        media
            .receiving
            .clone()
            .try_acquire_owned()
            .map(Receiving)
            .map_err(|_| EngineError::Overloaded)
    }

    /// The media settings (limits the HTTP layer checks while receiving).
    pub fn media_config(&self) -> Option<&MediaConfig> {
        self.media.as_ref().map(|m| &m.config)
    }

    /// Process and record an upload: ready (images), or processing (video, animated GIF).
    pub async fn upload_media(
        self: &Arc<Self>,
        user: &User,
        upload: Upload,
    ) -> Result<MediaRecord> {
        let media = self.media_on()?;
        let max_pixels = media.config.max_pixels;
        let format = upload.format;
        if format.is_video() {
            return self.upload_video(user, upload).await;
        }
        // One read of the file, on the pool: an animated GIF goes on as a video,
        // everything else is processed as an image there and then.
        let path = upload.file.to_path_buf();
        let processed = media
            .pool
            .run(move || {
                let data = std::fs::read(&path).map_err(MediaError::internal)?;
                if format == Format::Gif
                    && starling_media::image::is_animated_gif(&data, max_pixels)?
                {
                    return Ok(None);
                }
                starling_media::image::process(&data, format, max_pixels).map(Some)
            })
            .await
            .map_err(media_error)?;
        let Some(out) = processed else {
            return self.upload_video(user, upload).await;
        };
        drop(upload.file);
        self.store_output(&out).await?;
        let now = self.clock.now();
        let item = self
            .store
            .create_media(NewMedia {
                owner: user.id,
                kind: out.kind,
                alt_text: upload.alt_text,
                node: self.config.node_id,
                deadline: now + media.config.job_timeout.as_millis() as i64,
                now,
            })
            .await?;
        Ok(self
            .store
            .finish_media(FinishMedia {
                id: item.id,
                outcome: Ok(out.processed),
                now,
            })
            .await?)
    }

    async fn store_output(&self, out: &starling_media::Output) -> Result<()> {
        let media = self.media_on()?;
        for (file, bytes) in out.processed.files.iter().zip(&out.blobs) {
            media
                .blobs
                .put(&file.key, bytes.clone())
                .await
                .map_err(media_error)?;
        }
        Ok(())
    }

    async fn upload_video(self: &Arc<Self>, user: &User, upload: Upload) -> Result<MediaRecord> {
        let media = self.media_on()?;
        // A job that could not wait for a slot would fail later; refuse it now instead.
        if !media.pool.has_room() {
            return Err(EngineError::Overloaded);
        }
        let probe = starling_media::video::probe(&media.config, &upload.file, upload.format)
            .await
            .map_err(media_error)?;
        let now = self.clock.now();
        // The deadline covers a wait in the queue and the job; after it, any node fails
        // the item (this one included, if the job is still running then).
        let budget = media.config.job_timeout * 2 + Duration::from_secs(60);
        let item = self
            .store
            .create_media(NewMedia {
                owner: user.id,
                kind: if upload.format == Format::Gif {
                    MediaKind::Gif
                } else {
                    MediaKind::Video
                },
                alt_text: upload.alt_text.clone(),
                node: self.config.node_id,
                deadline: now + budget.as_millis() as i64,
                now,
            })
            .await?;
        let engine = self.clone();
        let id = item.id;
        tokio::spawn(async move {
            let outcome = engine.transcode(upload, probe).await;
            let outcome = match outcome {
                Ok(processed) => Ok(processed),
                Err(EngineError::Refused(r)) => Err(r.to_string()),
                Err(e) => {
                    tracing::error!(error = ?e, media = %id, "video processing failed");
                    Err("the video could not be processed".to_string())
                }
            };
            let finish = FinishMedia {
                id,
                outcome,
                now: engine.clock.now(),
            };
            if let Err(e) = engine.store.finish_media(finish).await {
                tracing::warn!(error = ?e, media = %id, "a processed video could not be recorded");
            }
        });
        Ok(item)
    }

    async fn transcode(
        &self,
        upload: Upload,
        probe: starling_media::video::Probe,
    ) -> Result<starling_core::media::Processed> {
        let media = self.media_on()?;
        let _slot = media.pool.slot().await.map_err(media_error)?;
        let work = tempfile::tempdir().map_err(EngineError::internal)?;
        let out = starling_media::video::transcode(
            &media.config,
            &upload.file,
            upload.format,
            &probe,
            work.path(),
        )
        .await
        .map_err(media_error)?;
        self.store_output(&out).await?;
        Ok(out.processed)
    }

    /// The caller's own media item (others' answer as missing: an item is seen by
    /// others only through the tweets that carry it).
    pub async fn own_media(&self, user: &User, id: MediaId) -> Result<MediaRecord> {
        self.store
            .media(id)
            .await?
            .filter(|m| m.owner == user.id)
            .ok_or(Refusal::MediaNotFound.into())
    }

    /// Wait until the caller's item is no longer processing (at most `within`); the
    /// item as it is then.
    pub async fn await_media(
        &self,
        user: &User,
        id: MediaId,
        within: Duration,
    ) -> Result<MediaRecord> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let m = self.own_media(user, id).await?;
            if m.state != starling_core::media::MediaState::Processing
                || tokio::time::Instant::now() >= deadline
            {
                return Ok(m);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub async fn describe_media(
        &self,
        user: &User,
        id: MediaId,
        alt: AltText,
    ) -> Result<MediaRecord> {
        Ok(self
            .store
            .describe_media(DescribeMedia {
                id,
                owner: user.id,
                alt_text: alt,
                now: self.clock.now(),
            })
            .await?)
    }

    /// Read a blob by key, whole or a byte range; `None` when there is none.
    pub async fn blob(
        &self,
        key: &str,
        range: Option<std::ops::Range<u64>>,
    ) -> Result<Option<starling_media::blobs::Read>> {
        let media = self.media_on()?;
        media.blobs.get(key, range).await.map_err(media_error)
    }

    pub async fn blob_size(&self, key: &str) -> Result<Option<u64>> {
        let media = self.media_on()?;
        media.blobs.size(key).await.map_err(media_error)
    }

    /// Fail what this node was processing when it stopped, then sweep every
    /// `sweep_interval`.
    pub(crate) async fn spawn_media_sweeper(self: Arc<Self>) -> Result<()> {
        let Some(media) = &self.media else {
            return Ok(());
        };
        let failed = self
            .store
            .fail_stalled_media(self.clock.now(), Some(self.config.node_id))
            .await?;
        if failed > 0 {
            tracing::warn!(
                failed,
                "media left processing by this node's last run were failed"
            );
        }
        let every = media.config.sweep_interval.max(Duration::from_secs(1));
        let weak = Arc::downgrade(&self);
        let mut stop = self.stop.subscribe();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.tick().await;
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = stop.changed() => break,
                }
                let Some(engine) = weak.upgrade() else { break };
                if let Err(e) = engine.sweep_media().await {
                    tracing::warn!(error = ?e, "media sweep failed");
                }
            }
        });
        Ok(())
    }

    /// One sweep: fail stalled items, delete unattached and failed ones past their time,
    /// then delete blobs no item refers to that were last written before the grace.
    pub async fn sweep_media(&self) -> Result<()> {
        use futures::StreamExt;
        let media = self.media_on()?;
        let now = self.clock.now();
        self.store.fail_stalled_media(now, None).await?;
        let before = now - media.config.unattached_ttl.as_millis() as i64;
        loop {
            let swept = self
                .store
                .sweep_media(SweepMedia {
                    unattached_before: before,
                    failed_before: before,
                    limit: SWEEP_BATCH,
                })
                .await?;
            if swept < SWEEP_BATCH as u64 {
                break;
            }
        }
        let grace = now - media.config.blob_grace.as_millis() as i64;
        let mut old = media.blobs.older_than(grace).chunks(SWEEP_BATCH);
        while let Some(page) = old.next().await {
            let keys: Vec<String> = page
                .into_iter()
                .collect::<std::result::Result<_, _>>()
                .map_err(media_error)?;
            let kept = self.store.referenced_blobs(&keys).await?;
            for key in keys.iter().filter(|k| !kept.contains(k)) {
                media.blobs.delete(key).await.map_err(media_error)?;
            }
        }
        Ok(())
    }
}
