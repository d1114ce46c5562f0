//! Media attached to tweets, as every layer sees it: what an upload became (its files and
//! facts), and the rules on which media a tweet may carry. No I/O: the bytes live in a
//! blob store (`starling-media`), the rows in the store.

use crate::{MediaId, Refusal, TweetId, UserId, ValidationError};
use serde::{Deserialize, Serialize};

/// Longest description (alt text), in characters, as on Mastodon.
pub const MAX_ALT_TEXT_CHARS: usize = 1_500;
/// Images one tweet may carry (or one GIF, or one video).
pub const MAX_IMAGES: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Image,
    /// An animated GIF, served as a looping MP4.
    Gif,
    Video,
}

impl MediaKind {
    pub fn code(self) -> i64 {
        match self {
            MediaKind::Image => 0,
            MediaKind::Gif => 1,
            MediaKind::Video => 2,
        }
    }
    pub fn from_code(code: i64) -> Option<Self> {
        [MediaKind::Image, MediaKind::Gif, MediaKind::Video]
            .get(usize::try_from(code).ok()?)
            .copied()
    }
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Gif => "gif",
            MediaKind::Video => "video",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaState {
    Processing,
    Ready,
    Failed,
}

impl MediaState {
    pub fn code(self) -> i64 {
        match self {
            MediaState::Processing => 0,
            MediaState::Ready => 1,
            MediaState::Failed => 2,
        }
    }
    pub fn from_code(code: i64) -> Option<Self> {
        [
            MediaState::Processing,
            MediaState::Ready,
            MediaState::Failed,
        ]
        .get(usize::try_from(code).ok()?)
        .copied()
    }
    pub fn as_str(self) -> &'static str {
        match self {
            MediaState::Processing => "processing",
            MediaState::Ready => "ready",
            MediaState::Failed => "failed",
        }
    }
}

/// One stored file of a media item: the original (metadata stripped), a resized
/// variant, a poster frame or a transcoded video. `key` is the SHA-256 of its bytes in
/// hex: blobs are content-addressed, so the same bytes are stored once whoever uploads
/// them, and a key cannot be guessed from the uploaded file (it hashes what Starling
/// wrote, not what was sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaFile {
    /// `original`, `w150`…`w1200`, `poster` or `mp4`.
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub content_type: String,
    pub key: String,
    pub bytes: u64,
}

impl MediaFile {
    /// The file name a blob is served under: its key and an extension for its type.
    pub fn path(&self) -> String {
        format!("{}.{}", self.key, extension(&self.content_type))
    }
}

/// The extension served for a content type Starling writes.
pub fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "video/mp4" => "mp4",
        _ => "bin",
    }
}

/// The content type of a served file name's extension (the inverse of [`extension`]).
pub fn content_type_of(extension: &str) -> Option<&'static str> {
    Some(match extension {
        "jpg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "mp4" => "video/mp4",
        _ => return None,
    })
}

/// What processing made of an upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Processed {
    pub width: u32,
    pub height: u32,
    pub blurhash: String,
    pub duration_ms: Option<u64>,
    pub files: Vec<MediaFile>,
}

/// A media item as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaRecord {
    pub id: MediaId,
    pub owner: UserId,
    pub kind: MediaKind,
    pub state: MediaState,
    pub alt_text: String,
    /// Set once ready.
    pub processed: Option<Processed>,
    /// Why processing failed, in words for the uploader.
    pub error: Option<String>,
    /// The tweet it belongs to once attached (to any version): it never moves again.
    pub tweet: Option<TweetId>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A validated description.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AltText(String);

impl AltText {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        use unicode_normalization::UnicodeNormalization;
        let text: String = raw.trim().nfc().collect();
        if text.chars().count() > MAX_ALT_TEXT_CHARS {
            return Err(ValidationError::new(
                "altText",
                format!("a description has at most {MAX_ALT_TEXT_CHARS} characters"),
            ));
        }
        if !text.is_empty() {
            crate::text_rules::check(&text, true)
                .map_err(|why| ValidationError::new("altText", format!("the description {why}")))?;
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The media one tweet may carry: up to four images, or one GIF, or one video; each
/// once. Checked by the store with the kinds it reads in the write's transaction.
pub fn check_set(kinds: &[MediaKind]) -> Result<(), Refusal> {
    let images = kinds.iter().filter(|k| **k == MediaKind::Image).count();
    let ok = match kinds.len() {
        0 => true,
        1 => true,
        n => images == n && n <= MAX_IMAGES,
    };
    if ok {
        Ok(())
    } else {
        Err(Refusal::InvalidMediaSet)
    }
}

/// Ids asked for, in order, each once, at most [`MAX_IMAGES`]: what a request may name
/// before the store looks at the kinds.
pub fn check_ids(ids: &[MediaId]) -> Result<(), ValidationError> {
    if ids.len() > MAX_IMAGES {
        return Err(ValidationError::new(
            "mediaIds",
            format!("a tweet carries at most {MAX_IMAGES} media items"),
        ));
    }
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            return Err(ValidationError::new(
                "mediaIds",
                "a media item is named twice",
            ));
        }
    }
    Ok(())
}

/// What a tweet version shows of one attached item: the record without what only its
/// owner needs. Attached media never change (alt text is fixed once attached, as on
/// Mastodon), so a version keeps these as they were.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub id: MediaId,
    pub kind: MediaKind,
    #[serde(default)]
    pub alt_text: String,
    pub processed: Processed,
}

impl Attachment {
    /// The stored form of a version's attachments, the same in every backend: a JSON
    /// array, or the empty string for none.
    pub fn encode_all(all: &[Attachment]) -> String {
        if all.is_empty() {
            String::new()
        } else {
            serde_json::to_string(all).expect("attachments serialize")
        }
    }

    pub fn decode_all(stored: &str) -> Result<std::sync::Arc<[Attachment]>, String> {
        if stored.is_empty() {
            return Ok(std::sync::Arc::from([]));
        }
        serde_json::from_str::<Vec<Attachment>>(stored)
            .map(std::sync::Arc::from)
            .map_err(|e| e.to_string())
    }
}

impl MediaRecord {
    /// What a new version of `tweet` by `actor` records of this item, or why it may
    /// not carry it: someone else's item does not exist for the actor, one on another
    /// tweet is taken, one not ready cannot be shown. Both backends decide with it in
    /// the write's transaction.
    pub fn attach_to(&self, actor: UserId, tweet: TweetId) -> Result<Attachment, Refusal> {
        if self.owner != actor {
            return Err(Refusal::MediaNotFound);
        }
        if self.tweet.is_some_and(|t| t != tweet) {
            return Err(Refusal::MediaInUse);
        }
        match self.state {
            MediaState::Ready => self.attachment().ok_or(Refusal::MediaNotReady),
            _ => Err(Refusal::MediaNotReady),
        }
    }

    /// Whether `owner` may change the description now: their item, on no tweet yet.
    pub fn describable_by(&self, owner: UserId) -> Result<(), Refusal> {
        if self.owner != owner {
            return Err(Refusal::MediaNotFound);
        }
        if self.tweet.is_some() {
            return Err(Refusal::MediaAttached);
        }
        Ok(())
    }

    /// The attachment a version records, if the item is ready.
    pub fn attachment(&self) -> Option<Attachment> {
        Some(Attachment {
            id: self.id,
            kind: self.kind,
            alt_text: self.alt_text.clone(),
            processed: self.processed.clone()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MediaKind::*;

    #[test]
    fn a_tweet_carries_four_images_or_one_gif_or_one_video() {
        assert!(check_set(&[]).is_ok());
        assert!(check_set(&[Image, Image, Image, Image]).is_ok());
        assert!(check_set(&[Gif]).is_ok());
        assert!(check_set(&[Video]).is_ok());
        assert_eq!(
            check_set(&[Image, Image, Image, Image, Image]),
            Err(Refusal::InvalidMediaSet)
        );
        assert_eq!(check_set(&[Image, Video]), Err(Refusal::InvalidMediaSet));
        assert_eq!(check_set(&[Gif, Gif]), Err(Refusal::InvalidMediaSet));
        assert_eq!(check_set(&[Video, Video]), Err(Refusal::InvalidMediaSet));
    }

    #[test]
    fn ids_are_named_once_and_at_most_four() {
        assert!(check_ids(&[MediaId(1), MediaId(2)]).is_ok());
        assert!(check_ids(&[MediaId(1), MediaId(1)]).is_err());
        assert!(check_ids(&[MediaId(1), MediaId(2), MediaId(3), MediaId(4), MediaId(5)]).is_err());
    }

    #[test]
    fn alt_text_is_bounded_and_clean() {
        assert_eq!(AltText::parse("  a cat  ").unwrap().as_str(), "a cat");
        assert!(AltText::parse(&"x".repeat(MAX_ALT_TEXT_CHARS)).is_ok());
        assert!(AltText::parse(&"x".repeat(MAX_ALT_TEXT_CHARS + 1)).is_err());
        assert!(AltText::parse("a\u{202e}b").is_err());
        assert_eq!(AltText::parse("").unwrap().as_str(), "");
    }

    #[test]
    fn attachments_round_trip_through_their_stored_form() {
        let a = Attachment {
            id: MediaId(7),
            kind: Image,
            alt_text: "a cat".into(),
            processed: Processed {
                width: 10,
                height: 20,
                blurhash: "LEHV6nWB2yk8pyo0adR*.7kCMdnj".into(),
                duration_ms: None,
                files: vec![MediaFile {
                    name: "original".into(),
                    width: 10,
                    height: 20,
                    content_type: "image/jpeg".into(),
                    key: "ab".repeat(32),
                    bytes: 1234,
                }],
            },
        };
        assert_eq!(Attachment::encode_all(&[]), "");
        assert!(Attachment::decode_all("").unwrap().is_empty());
        let stored = Attachment::encode_all(std::slice::from_ref(&a));
        assert_eq!(&*Attachment::decode_all(&stored).unwrap(), &[a]);
        assert!(Attachment::decode_all("[oops").is_err());
    }
}
