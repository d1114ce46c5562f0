//! `/api/media`: uploads (multipart, streamed to a temporary file, typed from their
//! bytes), their state and description; and `/media/{key}.{ext}`: the stored files,
//! served with strong ETags, immutable caching and byte ranges (video seeking).
//!
//! Blobs are proxied, not redirected to presigned URLs, in S3 mode too: the answer then
//! carries Starling's own headers (type, `nosniff`, a sandboxing CSP), its URL never
//! changes (so browsers and a CDN in front cache it for good), and the bucket stays
//! private.

use crate::AppState;
use crate::dto::{MediaDto, MediaTypeName};
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode};
use crate::extract::{Auth, JsonBody};
use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::Deserialize;
use starling_core::MediaId;
use starling_core::media::{AltText, MediaState};
use starling_engine::media::Upload;
use starling_media::sniff::{SNIFF_BYTES, sniff};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use utoipa::ToSchema;

/// Largest `altText` field accepted while receiving (the rule itself is 1,500
/// characters; this bounds the bytes read before judging it).
const ALT_TEXT_BYTES: usize = 8 * 1024;
/// Multipart framing and the other fields, on top of the largest file.
const FORM_OVERHEAD: u64 = 64 * 1024;
/// How long the rest of a refused upload is read and thrown away, so the client is
/// not reset before it reads the answer.
const DRAIN_FOR: Duration = Duration::from_secs(5);

/// The form of `POST /api/media`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file: JPEG, PNG, GIF or WebP (at most 16 MiB), MP4, MOV or WebM (at most
    /// 100 MiB). The type is read from the bytes; the name and declared type are ignored.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// A description for people who cannot see it: at most 1,500 characters.
    #[schema(max_length = 1500)]
    alt_text: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DescribeRequest {
    /// At most 1,500 characters (may be empty).
    #[schema(max_length = 1500)]
    pub alt_text: String,
}

/// A media id in the path.
pub struct MediaPath(pub MediaId);

impl<S: Send + Sync> FromRequestParts<S> for MediaPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw): Path<String> = Path::from_request_parts(parts, state)
            .await
            .map_err(|_| invalid_id())?;
        raw.parse().map(MediaPath).map_err(|_| invalid_id())
    }
}

fn invalid_id() -> ApiError {
    ApiError::new(ErrorCode::InvalidId, "ids are decimal 64-bit numbers").with_field("id")
}

fn media_response(m: &starling_core::media::MediaRecord) -> Response {
    let status = match m.state {
        MediaState::Processing => StatusCode::ACCEPTED,
        _ => StatusCode::CREATED,
    };
    (status, Json(MediaDto::of(m))).into_response()
}

/// Read and throw away what is left of a refused request body, for a while, so the
/// client's TCP stack does not see a reset before it reads the answer.
fn drain<S>(mut rest: S)
where
    S: futures::Stream + Send + Unpin + 'static,
{
    tokio::spawn(async move {
        let _ =
            tokio::time::timeout(DRAIN_FOR, async { while rest.next().await.is_some() {} }).await;
    });
}

/// A refusal sent while the body is still arriving: the connection closes after it.
fn refuse_closing(e: ApiError) -> Response {
    let mut response = e.into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

#[utoipa::path(post, path = "/api/media", tag = "media", security(("bearer" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = MediaDto, description = "Processed: an image, ready to attach"),
        (status = 202, body = MediaDto, description = "Processing (video, animated GIF): poll `GET /api/media/{id}`"),
        (status = 413, body = ErrorBody, description = "`payload_too_large`: over the size limit for its type"),
        (status = 415, body = ErrorBody, description = "`unsupported_media_type`: not multipart, or a file type not accepted (SVG included)"),
        (status = 422, body = ErrorBody, description = "`invalid_media`: corrupt, truncated, too many pixels or too long; \
            `validation_failed`: no `file`, or `altText` too long"),
        (status = 503, body = ErrorBody, description = "`overloaded`: processing is busy; `Retry-After`")))]
pub async fn upload_media(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    req: Request,
) -> Response {
    match receive(&state, req).await {
        // The place is held until the upload is processed (or handed to its job).
        Ok((upload, _place)) => match state.engine.upload_media(&user, upload).await {
            Ok(m) => media_response(&m),
            Err(e) => ApiError::from(e).into_response(),
        },
        Err(response) => response,
    }
}

/// A multipart form as received: its text fields in order, and its files on disk.
pub(crate) struct Form {
    pub text: Vec<(String, String)>,
    pub files: Vec<(tempfile::TempPath, starling_media::Format)>,
    /// Held while the files are processed too: they are still on disk.
    pub _place: starling_engine::media::Receiving,
}

impl Form {
    /// The first value of text field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.text
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of text field `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.text
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Text fields of a form at most (beyond, the form is refused).
const MAX_TEXT_FIELDS: usize = 16;

/// Whether `headers` announce a multipart body.
pub(crate) fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// Receive a multipart form: up to `max_files` files in fields named `file_field`, each
/// streamed to a temporary file, typed from its first bytes and bounded by its type's
/// limit; text fields of at most 8 KiB. The declared length is checked before anything
/// is read; a refusal sent while the body still arrives drains the rest first.
pub(crate) async fn read_form(
    state: &AppState,
    req: Request,
    file_field: &str,
    max_files: usize,
) -> Result<Form, Response> {
    let Some(config) = state.engine.media_config() else {
        return Err(
            ApiError::new(ErrorCode::Internal, "media storage is not configured").into_response(),
        );
    };
    let (max_image, max_video) = (config.max_image_bytes, config.max_video_bytes);
    let (parts, body) = req.into_parts();
    let place = match state.engine.receive_upload() {
        Ok(place) => place,
        Err(e) => {
            drain(body.into_data_stream());
            return Err(refuse_closing(e.into()));
        }
    };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let most = max_video.max(max_image.saturating_mul(max_files as u64)) + FORM_OVERHEAD;
    if declared.is_some_and(|n| n > most) {
        drain(body.into_data_stream());
        return Err(refuse_closing(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("an upload is at most {} MiB", most >> 20),
        )));
    }
    let boundary = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok());
    let Some(boundary) = boundary else {
        drain(body.into_data_stream());
        return Err(refuse_closing(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!("send the file as multipart/form-data, in a field named `{file_field}`"),
        )));
    };
    let mut multipart = multer::Multipart::new(body.into_data_stream(), boundary);
    let mut form = Form {
        text: Vec::new(),
        files: Vec::new(),
        _place: place,
    };
    let refused = |multipart: multer::Multipart<'static>, e: ApiError| {
        drain(
            futures::stream::unfold(multipart, |mut m| async move {
                match m.next_field().await {
                    Ok(Some(mut f)) => {
                        while let Ok(Some(_)) = f.chunk().await {}
                        Some(((), m))
                    }
                    _ => None,
                }
            })
            .boxed(),
        );
        refuse_closing(e)
    };
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(malformed(e)),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == file_field {
            if form.files.len() == max_files {
                drop(field);
                let e = ApiError::validation(
                    file_field,
                    format!("at most {max_files} files in `{file_field}`"),
                );
                return Err(refused(multipart, e));
            }
            match receive_file(field, max_image, max_video).await {
                Ok(received) => form.files.push(received),
                Err(e) => return Err(refused(multipart, e)),
            }
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > ALT_TEXT_BYTES {
                drop(field);
                let e = ApiError::validation(
                    "form",
                    format!("the field `{name}` is longer than {ALT_TEXT_BYTES} bytes"),
                );
                return Err(refused(multipart, e));
            }
        }
        if form.text.len() == MAX_TEXT_FIELDS {
            return Err(ApiError::validation("form", "too many fields").into_response());
        }
        let value = String::from_utf8(bytes).map_err(|_| {
            ApiError::validation("form", format!("the field `{name}` is not UTF-8")).into_response()
        })?;
        form.text.push((name, value));
    }
    Ok(form)
}

/// Receive the upload form: one `file`, an optional `altText`.
async fn receive(
    state: &AppState,
    req: Request,
) -> Result<(Upload, starling_engine::media::Receiving), Response> {
    let Form {
        text,
        mut files,
        _place: place,
    } = read_form(state, req, "file", 1).await?;
    let alt = text
        .iter()
        .find(|(n, _)| n == "altText")
        .map_or("", |(_, v)| v.as_str());
    let alt_text = AltText::parse(alt).map_err(|e| ApiError::from(e).into_response())?;
    let Some((file, format)) = files.pop() else {
        return Err(ApiError::validation("file", "the form has no `file` field").into_response());
    };
    let upload = Upload {
        file,
        format,
        alt_text,
    };
    Ok((upload, place))
}

fn malformed(e: multer::Error) -> Response {
    ApiError::new(
        ErrorCode::MalformedBody,
        format!("the form could not be read: {e}"),
    )
    .into_response()
}

/// One file field, to disk: typed from its first bytes, bounded by its type's limit.
async fn receive_file(
    mut field: multer::Field<'static>,
    max_image: u64,
    max_video: u64,
) -> Result<(tempfile::TempPath, starling_media::Format), ApiError> {
    let internal = |e: std::io::Error| {
        ApiError::from(starling_engine::EngineError::Internal(std::sync::Arc::new(
            e,
        )))
    };
    let temp = tempfile::NamedTempFile::new().map_err(internal)?;
    let mut out = tokio::fs::File::from_std(temp.reopen().map_err(internal)?);
    let path = temp.into_temp_path();
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    let mut format = None;
    let mut limit = max_video;
    let mut written = 0u64;
    loop {
        let chunk = field.chunk().await.map_err(|e| {
            ApiError::new(
                ErrorCode::MalformedBody,
                format!("the form could not be read: {e}"),
            )
        })?;
        let Some(chunk) = chunk else { break };
        if format.is_none() {
            head.extend_from_slice(&chunk[..chunk.len().min(SNIFF_BYTES - head.len())]);
            if head.len() >= SNIFF_BYTES {
                let f =
                    sniff(&head).map_err(|m| ApiError::new(ErrorCode::UnsupportedMediaType, m))?;
                limit = if f.is_video() || f == starling_media::Format::Gif {
                    max_video
                } else {
                    max_image
                };
                format = Some(f);
            }
        }
        written += chunk.len() as u64;
        if written > limit {
            return Err(ApiError::new(
                ErrorCode::PayloadTooLarge,
                format!(
                    "this file is over the limit of {} MiB for its type",
                    limit >> 20
                ),
            ));
        }
        out.write_all(&chunk).await.map_err(internal)?;
    }
    out.flush().await.map_err(internal)?;
    let format = match format {
        Some(f) => f,
        None if head.is_empty() => {
            return Err(ApiError::new(ErrorCode::InvalidMedia, "the file is empty"));
        }
        None => sniff(&head).map_err(|m| ApiError::new(ErrorCode::UnsupportedMediaType, m))?,
    };
    if written > max_image && !(format.is_video() || format == starling_media::Format::Gif) {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("an image is at most {} MiB", max_image >> 20),
        ));
    }
    Ok((path, format))
}

#[utoipa::path(get, path = "/api/media/{id}", tag = "media", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = MediaDto),
        (status = 404, body = ErrorBody, description = "`media_not_found`: no such item, or not the caller's")))]
pub async fn get_media(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    MediaPath(id): MediaPath,
) -> ApiResult<Json<MediaDto>> {
    let m = state.engine.own_media(&user, id).await?;
    Ok(Json(MediaDto::of(&m)))
}

#[utoipa::path(patch, path = "/api/media/{id}", tag = "media", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = DescribeRequest,
    responses((status = 200, body = MediaDto),
        (status = 404, body = ErrorBody, description = "`media_not_found`: no such item, or not the caller's"),
        (status = 409, body = ErrorBody, description = "`media_attached`: attached to a tweet, its description is fixed"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: `altText` too long")))]
pub async fn describe_media(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    MediaPath(id): MediaPath,
    JsonBody(req): JsonBody<DescribeRequest>,
) -> ApiResult<Json<MediaDto>> {
    let alt = AltText::parse(&req.alt_text)?;
    let m = state.engine.describe_media(&user, id, alt).await?;
    Ok(Json(MediaDto::of(&m)))
}

/// The headers of every served file: it never changes (its name is its hash), it is
/// never run as a document, and it is what its extension says.
const FILE_CSP: &str = "default-src 'none'; sandbox";

/// `GET /media/{key}.{ext}`: a stored file.
pub async fn serve(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    match serve_file(&state, &name, &headers).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn serve_file(state: &AppState, name: &str, headers: &HeaderMap) -> ApiResult<Response> {
    let not_found = || ApiError::new(ErrorCode::NotFound, "no such file");
    let (key, ext) = name.split_once('.').ok_or_else(not_found)?;
    let content_type = starling_core::media::content_type_of(ext).ok_or_else(not_found)?;
    if !starling_media::blobs::valid_key(key) {
        return Err(not_found());
    }
    let etag = format!("\"{key}\"");
    let mut response = Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ETAG, &etag)
        .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CONTENT_SECURITY_POLICY, FILE_CSP)
        .header(header::CONTENT_DISPOSITION, "inline");
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return Ok(response
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .expect("valid response"));
    }
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let wanted = match range {
        None => None,
        Some(raw) => {
            let size = state.engine.blob_size(key).await?.ok_or_else(not_found)?;
            match http_range_header::parse_range_header(raw).and_then(|r| r.validate(size)) {
                // One range only; several are answered whole (allowed by RFC 9110).
                Ok(ranges) if ranges.len() == 1 => Some(*ranges[0].start()..ranges[0].end() + 1),
                Ok(_) => None,
                Err(_) => {
                    return Ok(response
                        .status(StatusCode::RANGE_NOT_SATISFIABLE)
                        .header(header::CONTENT_RANGE, format!("bytes */{size}"))
                        .body(Body::empty())
                        .expect("valid response"));
                }
            }
        }
    };
    let read = state
        .engine
        .blob(key, wanted.clone())
        .await?
        .ok_or_else(not_found)?;
    let length = read.range.end - read.range.start;
    response = response.header(header::CONTENT_LENGTH, length);
    if wanted.is_some() {
        response = response.status(StatusCode::PARTIAL_CONTENT).header(
            header::CONTENT_RANGE,
            format!(
                "bytes {}-{}/{}",
                read.range.start,
                read.range.end - 1,
                read.size
            ),
        );
    }
    Ok(response
        .body(Body::from_stream(read.body))
        .expect("valid response"))
}

/// Listed so the OpenAPI document names the types.
#[allow(dead_code)]
fn _names(_: MediaTypeName) {}
