//! The blob store: content-addressed files (the key is the SHA-256 of the bytes), kept
//! through `object_store` on the local disk or an S3-compatible service.
//!
//! Key decision: a blob is deleted only when no media item refers to it *and* it was
//! last written longer ago than a grace period. Every upload writes its blobs again
//! (even when the same bytes exist), which renews that time, and records its
//! references within the grace period; so a sweep can never delete a blob an upload in
//! progress is about to refer to.

use crate::{MediaError, Storage};
use bytes::Bytes;
use futures::StreamExt;
use futures::stream::BoxStream;
use object_store::path::Path as StorePath;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

#[derive(Clone)]
pub struct Blobs {
    store: Arc<dyn ObjectStore>,
}

/// A blob read: its size and the bytes asked for.
pub struct Read {
    pub size: u64,
    pub range: Range<u64>,
    pub body: BoxStream<'static, Result<Bytes, MediaError>>,
}

fn path_of(key: &str) -> StorePath {
    // Two levels of directories on a local disk, so no directory holds millions.
    StorePath::from(format!("media/{}/{}/{key}", &key[..2], &key[2..4]))
}

/// Keys are 64 lowercase hex digits; anything else names no blob.
pub fn valid_key(key: &str) -> bool {
    key.len() == 64 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl Blobs {
    /// Open the configured storage; a local one defaults to `default_dir`.
    pub fn open(storage: &Storage, default_dir: &Path) -> Result<Self, MediaError> {
        match storage {
            Storage::Local { dir } => {
                let dir = dir.clone().unwrap_or_else(|| default_dir.to_path_buf());
                std::fs::create_dir_all(&dir).map_err(|e| {
                    MediaError::internal(format!("media directory {}: {e}", dir.display()))
                })?;
                let store = object_store::local::LocalFileSystem::new_with_prefix(&dir)
                    .map_err(MediaError::internal)?;
                Ok(Self {
                    store: Arc::new(store),
                })
            }
            Storage::S3(s3) => {
                let store = object_store::aws::AmazonS3Builder::new()
                    .with_endpoint(&s3.endpoint)
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region)
                    .with_access_key_id(&s3.access_key_id)
                    .with_secret_access_key(s3.secret_access_key.expose())
                    .with_virtual_hosted_style_request(false)
                    .with_allow_http(s3.endpoint.starts_with("http://"))
                    .build()
                    .map_err(MediaError::internal)?;
                Ok(Self {
                    store: Arc::new(store),
                })
            }
        }
    }

    /// Write (or write again: see the module's note) a blob under its key.
    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), MediaError> {
        self.store
            .put(&path_of(key), PutPayload::from_bytes(bytes))
            .await
            .map_err(MediaError::internal)?;
        Ok(())
    }

    /// Read a blob, whole or the `range` asked for (clamped to its size by the caller
    /// through [`Blobs::size`]). `None` if there is no such blob.
    pub async fn get(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> Result<Option<Read>, MediaError> {
        let options = GetOptions {
            range: range.map(GetRange::Bounded),
            ..GetOptions::default()
        };
        match self.store.get_opts(&path_of(key), options).await {
            Ok(got) => {
                let size = got.meta.size;
                let range = got.range.clone();
                let body = got
                    .into_stream()
                    .map(|chunk| chunk.map_err(MediaError::internal))
                    .boxed();
                Ok(Some(Read { size, range, body }))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(MediaError::internal(e)),
        }
    }

    /// A blob's size, if it exists.
    pub async fn size(&self, key: &str) -> Result<Option<u64>, MediaError> {
        match self.store.head(&path_of(key)).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(MediaError::internal(e)),
        }
    }

    /// Blobs last written before `before_ms` (Unix ms), in pages of keys: what a sweep
    /// looks at.
    pub fn older_than(&self, before_ms: i64) -> BoxStream<'static, Result<String, MediaError>> {
        self.store
            .list(Some(&StorePath::from("media")))
            .filter_map(move |meta| async move {
                match meta {
                    Ok(meta) if meta.last_modified.timestamp_millis() < before_ms => {
                        let key = meta.location.filename()?.to_owned();
                        valid_key(&key).then_some(Ok(key))
                    }
                    Ok(_) => None,
                    Err(e) => Some(Err(MediaError::internal(e))),
                }
            })
            .boxed()
    }

    pub async fn delete(&self, key: &str) -> Result<(), MediaError> {
        match self.store.delete(&path_of(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(MediaError::internal(e)),
        }
    }
}
