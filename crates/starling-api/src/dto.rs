//! The JSON shapes of the API (camelCase, ids as strings), and their OpenAPI schemas.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use starling_core::{TweetId, UserId};
use starling_engine::reading::Embedded;
use starling_engine::velocity::Rates;
use starling_engine::{EngagementView, TweetView, User};
use starling_engine::{EventRecord, TweetRecord, VersionRecord};
use utoipa::ToSchema;

/// RFC 3339 UTC with milliseconds, from Unix milliseconds.
pub fn timestamp(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Formatted by hand into a fixed buffer: two timestamps per tweet made `format!`
    // one of the hottest spots of the create path.
    let mut out = *b"0000-00-00T00:00:00.000Z";
    let mut put = |at: usize, width: usize, mut value: i64| {
        for i in (0..width).rev() {
            out[at + i] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(0, 4, year.clamp(0, 9999));
    put(5, 2, month);
    put(8, 2, day);
    put(11, 2, rem / 3600);
    put(14, 2, rem % 3600 / 60);
    put(17, 2, rem % 60);
    put(20, 3, millis);
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserDto {
    #[schema(value_type = String, example = "7254916781490176")]
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub created_at: String,
}

impl From<&User> for UserDto {
    fn from(u: &User) -> Self {
        Self {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            created_at: timestamp(u.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthorDto<'a> {
    #[schema(value_type = String)]
    pub id: UserId,
    pub username: &'a str,
    pub display_name: &'a str,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VelocityDto {
    /// Likes, retweets and replies per minute over the last minute.
    pub one_minute: f64,
    pub five_minutes: f64,
    pub sixty_minutes: f64,
}

impl From<Rates> for VelocityDto {
    fn from(r: Rates) -> Self {
        let round = |x: f64| (x * 100.0).round() / 100.0;
        Self {
            one_minute: round(r.one_minute),
            five_minutes: round(r.five_minutes),
            sixty_minutes: round(r.sixty_minutes),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EngagementDto {
    pub likes: i64,
    pub retweets: i64,
    pub replies: i64,
    pub quotes: i64,
    pub views: i64,
    pub liked_by_current_user: bool,
    pub retweeted_by_current_user: bool,
    pub velocity: VelocityDto,
}

impl From<&EngagementView> for EngagementDto {
    fn from(e: &EngagementView) -> Self {
        Self {
            likes: e.counters.likes,
            retweets: e.counters.retweets,
            replies: e.counters.replies,
            quotes: e.counters.quotes,
            views: e.counters.views,
            liked_by_current_user: e.liked,
            retweeted_by_current_user: e.retweeted,
            velocity: e.velocity.into(),
        }
    }
}

/// An entity's position: `[start, end)` in Unicode code points.
#[derive(Serialize, ToSchema)]
pub struct HashtagEntity {
    pub tag: String,
    pub indices: [usize; 2],
}
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MentionEntity {
    pub username: String,
    pub indices: [usize; 2],
    /// The account the mention named when the version was written; null when none
    /// had that username.
    #[schema(value_type = Option<String>, required = true)]
    pub user_id: Option<UserId>,
}
#[derive(Serialize, ToSchema)]
pub struct UrlEntity {
    pub url: String,
    pub indices: [usize; 2],
}
#[derive(Serialize, ToSchema)]
pub struct CashtagEntity {
    pub cashtag: String,
    pub indices: [usize; 2],
}

/// Entities extracted from the current content (stored as JSON with the body).
#[derive(Serialize, ToSchema)]
pub struct EntitiesDto {
    pub hashtags: Vec<HashtagEntity>,
    pub mentions: Vec<MentionEntity>,
    pub urls: Vec<UrlEntity>,
    pub cashtags: Vec<CashtagEntity>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TweetDto<'a> {
    #[schema(value_type = String, example = "7254916810850304")]
    pub id: TweetId,
    pub author: AuthorDto<'a>,
    pub content: &'a str,
    /// SHA-256 (hex) of the NFC-normalized content.
    pub content_hash: String,
    pub version: i64,
    #[schema(value_type = TweetStateName, example = "published")]
    pub state: &'static str,
    /// When the tweet was put in view: posted, or for a draft, published (lists are newest
    /// first by this moment; the draft's own time stays in its versions and events).
    pub created_at: String,
    pub updated_at: String,
    /// `tweet`, `reply`, `quote` or `retweet`.
    #[schema(value_type = TweetKindName)]
    pub kind: &'static str,
    #[schema(value_type = VisibilityName)]
    pub visibility: &'static str,
    /// The root of the reply chain: the tweet's own id when it is not a reply.
    #[schema(value_type = String)]
    pub conversation_id: TweetId,
    /// Always present; null when the tweet is not a reply.
    #[schema(value_type = Option<String>, required = true)]
    pub reply_to_id: Option<TweetId>,
    /// The author of the tweet replied to; null when the tweet is not a reply.
    #[schema(value_type = Option<String>, required = true)]
    pub reply_to_user_id: Option<UserId>,
    #[schema(value_type = EntitiesDto)]
    pub entities: EntitiesJson<'a>,
    /// The current version's media, in order (empty for none).
    pub media: Vec<MediaDto>,
    pub engagement: EngagementDto,
    /// For a retweet: the original as the caller sees it. A retweet's own `content` is
    /// the original's when it was retweeted.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(no_recursion, value_type = Option<TweetDto>)]
    pub retweet_of: Option<Box<TweetDto<'a>>>,
    /// For a quote: the quoted tweet as the caller sees it, or `{id, unavailable: true}`
    /// when they may not see it or it is gone.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(no_recursion, value_type = Option<AncestorDto>)]
    pub quote_of: Option<Box<AncestorDto<'a>>>,
}

/// A tweet's entities: as stored when it mentions nobody (no copy), otherwise with each
/// mention's `userId` filled in from the accounts its version named.
#[derive(Serialize)]
#[serde(untagged)]
pub enum EntitiesJson<'a> {
    Stored(&'a RawValue),
    Resolved(Box<RawValue>),
}

impl<'a> EntitiesJson<'a> {
    fn of(r: &'a TweetRecord) -> Self {
        // Stored entities were serialized by us; fall back to empty if ever unreadable.
        let stored: &RawValue = serde_json::from_str(&r.entities_json)
            .unwrap_or_else(|_| serde_json::from_str(EMPTY_ENTITIES).expect("valid literal"));
        if stored.get().contains(r#""mentions":[]"#) {
            return Self::Stored(stored);
        }
        let Ok(mut entities) = serde_json::from_str::<serde_json::Value>(stored.get()) else {
            return Self::Stored(stored);
        };
        if let Some(mentions) = entities["mentions"].as_array_mut() {
            for m in mentions {
                let name = m["username"].as_str().unwrap_or_default().to_lowercase();
                let user = r.mentions.iter().find(|x| *x.name == *name).map(|x| x.user);
                m["userId"] = serde_json::to_value(user).expect("ids serialize");
            }
        }
        match serde_json::value::to_raw_value(&entities) {
            Ok(raw) => Self::Resolved(raw),
            Err(_) => Self::Stored(stored),
        }
    }
}

impl<'a> From<&'a TweetView> for TweetDto<'a> {
    fn from(v: &'a TweetView) -> Self {
        Self {
            retweet_of: v.retweet_of.as_deref().map(|o| Box::new(o.into())),
            quote_of: v.quote_of.as_ref().map(|q| {
                Box::new(match q {
                    Embedded::Visible(view) => AncestorDto::Tweet(Box::new((&**view).into())),
                    Embedded::Unavailable(id) => AncestorDto::Unavailable(UnavailableDto {
                        id: *id,
                        unavailable: true,
                    }),
                })
            }),
            ..Self::without_embeds(v)
        }
    }
}

impl<'a> TweetDto<'a> {
    /// The tweet without the tweets it retweets or quotes.
    fn without_embeds(v: &'a TweetView) -> Self {
        let r = &*v.record;
        Self {
            id: r.id,
            author: AuthorDto {
                id: r.author.id,
                username: &r.author.username,
                display_name: &r.author.display_name,
            },
            content: &r.content,
            content_hash: r.content_hash.to_hex(),
            version: r.version,
            state: r.state.as_str(),
            created_at: timestamp(r.created_at),
            updated_at: timestamp(r.updated_at),
            kind: r.kind(),
            visibility: r.visibility.as_str(),
            conversation_id: r.conversation_id,
            reply_to_id: r.reply_to,
            reply_to_user_id: r.reply_to_user,
            entities: EntitiesJson::of(r),
            media: r.media.iter().map(MediaDto::attached).collect(),
            engagement: (&v.engagement).into(),
            retweet_of: None,
            quote_of: None,
        }
    }
}

/// What `serde_json` writes for `TweetDto::from(v)`, faster: the part that depends on the
/// record alone (everything before `engagement`: ids, author, texts, times, entities) is
/// rendered once per record and kept with it ([`starling_core::Rendered`]), then the
/// viewer's engagement and the embedded tweets are written after it. A page of cached
/// tweets spent a quarter of its time serializing them.
pub fn write_tweet(out: &mut Vec<u8>, v: &TweetView) {
    const ENGAGEMENT: &[u8] = b",\"engagement\":";
    let r = &*v.record;
    let head = r.rendered.get_or_init(|| {
        let plain = TweetDto::without_embeds(v);
        let mut all = serde_json::to_vec(&plain).expect("a tweet serializes");
        // The key cannot occur earlier unescaped: every string before it is escaped
        // JSON, and the entities have no such key.
        let at = all
            .windows(ENGAGEMENT.len())
            .rposition(|w| w == ENGAGEMENT)
            .expect("engagement is serialized");
        all.truncate(at);
        all.into_boxed_slice()
    });
    out.extend_from_slice(head);
    out.extend_from_slice(ENGAGEMENT);
    serde_json::to_writer(&mut *out, &EngagementDto::from(&v.engagement))
        .expect("engagement serializes");
    if let Some(original) = &v.retweet_of {
        out.extend_from_slice(b",\"retweetOf\":");
        write_tweet(out, original);
    }
    if let Some(quoted) = &v.quote_of {
        out.extend_from_slice(b",\"quoteOf\":");
        match quoted {
            Embedded::Visible(view) => write_tweet(out, view),
            Embedded::Unavailable(id) => serde_json::to_writer(
                &mut *out,
                &UnavailableDto {
                    id: *id,
                    unavailable: true,
                },
            )
            .expect("an id serializes"),
        }
    }
    out.push(b'}');
}

/// `items` as a JSON array of tweets ([`write_tweet`]).
pub fn write_tweets(out: &mut Vec<u8>, items: &[TweetView]) {
    touch_rendered(items);
    out.push(b'[');
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_tweet(out, v);
    }
    out.push(b']');
}

/// Read one byte of each cache line of the tweets' rendered JSON before copying any.
/// The copies wait for memory one tweet after another (a page's cached tweets are rarely
/// in the processor's caches on a large server); these loads do not depend on each other,
/// so the processor fetches them together, and the copies then find them at hand.
fn touch_rendered(items: &[TweetView]) {
    const LINE: usize = 64;
    let mut sum = 0u8;
    for v in items {
        if let Some(head) = v.record.rendered.get() {
            for byte in head.iter().step_by(LINE) {
                sum ^= byte;
            }
        }
    }
    std::hint::black_box(sum);
}

const EMPTY_ENTITIES: &str = r#"{"hashtags":[],"mentions":[],"urls":[],"cashtags":[]}"#;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TweetPage<'a> {
    pub items: Vec<TweetDto<'a>>,
    /// Pass as `cursor` for the next page; null at the end.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// The tweets among the asked ids the caller may read, as they are now.
#[derive(Serialize, ToSchema)]
pub struct LookupDto<'a> {
    /// In the order asked.
    pub items: Vec<TweetDto<'a>>,
    /// Ids with no tweet the caller may read (deleted, archived or hidden: one answer
    /// for all, as `GET /api/tweets/{id}` gives `not_found` for each).
    #[schema(value_type = Vec<String>)]
    pub missing: Vec<String>,
}

/// A tweet in the chain above a thread's tweet that the caller may not see (hidden or
/// deleted): only its id, so the chain keeps its shape.
#[derive(Serialize, ToSchema)]
pub struct UnavailableDto {
    #[schema(value_type = String)]
    pub id: TweetId,
    /// Always true.
    pub unavailable: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum AncestorDto<'a> {
    Tweet(Box<TweetDto<'a>>),
    Unavailable(UnavailableDto),
}

/// A reply beneath a thread's tweet, with its depth (1: a direct reply).
#[derive(Serialize, ToSchema)]
pub struct ThreadReplyDto<'a> {
    #[serde(flatten)]
    pub tweet: TweetDto<'a>,
    pub depth: u32,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ThreadRepliesDto<'a> {
    pub items: Vec<ThreadReplyDto<'a>>,
    /// Pass as `cursor` for the next page; null at the end.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ThreadDto<'a> {
    /// From the root of the conversation down to the tweet's parent.
    pub ancestors: Vec<AncestorDto<'a>>,
    pub tweet: TweetDto<'a>,
    /// Depth first: under each tweet its author's own replies first (oldest first), then
    /// the others by engagement, then oldest first.
    pub descendants: ThreadRepliesDto<'a>,
}

#[derive(Serialize, ToSchema)]
pub struct TweetList<'a> {
    pub items: Vec<TweetDto<'a>>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthResponse {
    pub user: UserDto,
    /// Bearer token for `Authorization: Bearer <token>`.
    pub token: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionDto {
    pub version: i64,
    pub content: String,
    pub content_hash: String,
    pub created_at: String,
    /// The media this version carried.
    pub media: Vec<MediaDto>,
}

impl From<VersionRecord> for VersionDto {
    fn from(v: VersionRecord) -> Self {
        Self {
            version: v.version,
            content: v.content,
            content_hash: v.content_hash.to_hex(),
            created_at: timestamp(v.created_at),
            media: v.media.iter().map(MediaDto::attached).collect(),
        }
    }
}

/// A media item: an upload being processed, or what a tweet version carries.
#[derive(Serialize, ToSchema, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MediaDto {
    #[schema(value_type = String)]
    pub id: starling_core::MediaId,
    /// `image`, `gif` (shown as a looping video) or `video`.
    #[serde(rename = "type")]
    #[schema(value_type = MediaTypeName)]
    pub kind: &'static str,
    /// `processing`, `ready` or `failed`.
    #[schema(value_type = MediaStateName)]
    pub state: &'static str,
    /// Image: the full-size file (metadata stripped); GIF and video: the MP4.
    #[schema(required = true)]
    pub url: Option<String>,
    /// Image: a small WebP; GIF and video: the poster frame (JPEG).
    #[schema(required = true)]
    pub preview_url: Option<String>,
    #[schema(required = true)]
    pub width: Option<u32>,
    #[schema(required = true)]
    pub height: Option<u32>,
    #[schema(required = true)]
    pub blurhash: Option<String>,
    pub alt_text: String,
    /// GIF and video.
    #[schema(required = true)]
    pub duration_ms: Option<u64>,
    /// Every stored file: images `w150`…`w1200` in WebP and JPEG (PNG with
    /// transparency), narrower than the original only; GIF and video `mp4` and `poster`.
    pub variants: Vec<MediaVariantDto>,
    /// Why processing failed, for the uploader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Serialize, ToSchema, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MediaVariantDto {
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub content_type: String,
    pub url: String,
}

#[derive(ToSchema)]
#[schema(as = MediaTypeName)]
#[allow(dead_code)]
#[serde(rename_all = "lowercase")]
#[derive(Serialize)]
pub enum MediaTypeName {
    Image,
    Gif,
    Video,
}

#[derive(ToSchema)]
#[schema(as = MediaStateName)]
#[allow(dead_code)]
#[serde(rename_all = "lowercase")]
#[derive(Serialize)]
pub enum MediaStateName {
    Processing,
    Ready,
    Failed,
}

/// Where a stored file is served.
pub fn media_url(f: &starling_core::media::MediaFile) -> String {
    format!("/media/{}", f.path())
}

impl MediaDto {
    fn build(
        id: starling_core::MediaId,
        kind: starling_core::media::MediaKind,
        state: starling_core::media::MediaState,
        alt_text: &str,
        processed: Option<&starling_core::media::Processed>,
        error: Option<&str>,
    ) -> Self {
        use starling_core::media::MediaKind;
        let file = |name: &str, content_type: Option<&str>| {
            processed?
                .files
                .iter()
                .find(|f| f.name == name && content_type.is_none_or(|t| f.content_type == t))
                .map(media_url)
        };
        let (url, preview_url) = match kind {
            MediaKind::Image => (
                file("original", None),
                file("w360", Some("image/webp"))
                    .or_else(|| file("w150", Some("image/webp")))
                    .or_else(|| file("original", None)),
            ),
            MediaKind::Gif | MediaKind::Video => (file("mp4", None), file("poster", None)),
        };
        Self {
            id,
            kind: kind.as_str(),
            state: state.as_str(),
            url,
            preview_url,
            width: processed.map(|p| p.width),
            height: processed.map(|p| p.height),
            blurhash: processed.map(|p| p.blurhash.clone()),
            alt_text: alt_text.to_owned(),
            duration_ms: processed.and_then(|p| p.duration_ms),
            variants: processed
                .map(|p| {
                    p.files
                        .iter()
                        .filter(|f| f.name != "original")
                        .map(|f| MediaVariantDto {
                            name: f.name.clone(),
                            width: f.width,
                            height: f.height,
                            content_type: f.content_type.clone(),
                            url: media_url(f),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            error: error.map(str::to_owned),
        }
    }

    /// What a tweet version carries (always ready).
    pub fn attached(a: &starling_core::media::Attachment) -> Self {
        Self::build(
            a.id,
            a.kind,
            starling_core::media::MediaState::Ready,
            &a.alt_text,
            Some(&a.processed),
            None,
        )
    }

    /// An item as its owner sees it.
    pub fn of(m: &starling_core::media::MediaRecord) -> Self {
        Self::build(
            m.id,
            m.kind,
            m.state,
            &m.alt_text,
            m.processed.as_ref(),
            m.error.as_deref(),
        )
    }
}

#[derive(Serialize, ToSchema)]
pub struct VersionList {
    pub items: Vec<VersionDto>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventDto {
    pub seq: i64,
    #[serde(rename = "type")]
    #[schema(value_type = EventType)]
    pub kind: &'static str,
    pub version: i64,
    pub content_hash: String,
    #[schema(value_type = String)]
    pub actor_id: UserId,
    pub created_at: String,
}

impl From<EventRecord> for EventDto {
    fn from(e: EventRecord) -> Self {
        Self {
            seq: e.seq,
            kind: e.kind.as_str(),
            version: e.version,
            content_hash: e.content_hash.to_hex(),
            actor_id: e.actor,
            created_at: timestamp(e.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventList {
    pub items: Vec<EventDto>,
}

// ---- requests ----

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRequest {
    /// 1-15 letters, digits or underscores; unique case-insensitively.
    #[schema(pattern = "^[A-Za-z0-9_]{1,15}$")]
    pub username: String,
    /// 8-128 characters; not the username, not one of the most common passwords.
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    /// 1-50 characters once trimmed, with a visible character; no control characters,
    /// no bidirectional overrides or isolates. Defaults to the username.
    #[schema(
        min_length = 1,
        max_length = 50,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069\uFEFF\uFFFE\uFFFF]+$"
    )]
    pub display_name: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateTweetRequest {
    /// Weighted length 1-280 (Twitter's configuration v3), with a visible character; no
    /// control characters other than tab and line breaks, no bidirectional overrides
    /// or isolates. May be empty when the tweet carries media.
    #[schema(
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069\uFEFF\uFFFE\uFFFF]*$"
    )]
    pub content: String,
    /// A public (published or edited) tweet's id.
    #[schema(value_type = Option<String>, pattern = "^[0-9]{1,19}$")]
    pub reply_to_id: Option<TweetId>,
    /// The tweet to quote: one the caller may see and engage with, `public` or `unlisted`.
    #[schema(value_type = Option<String>, pattern = "^[0-9]{1,19}$")]
    pub quote_of_id: Option<TweetId>,
    #[serde(default)]
    pub draft: bool,
    /// Who may read it, fixed once posted. Default: the parent's for a reply (a reply may
    /// not be wider), `followers` for a protected account, else `public`.
    #[schema(value_type = Option<VisibilityName>)]
    pub visibility: Option<String>,
    /// Uploaded media to attach, in order: up to 4 images, or 1 GIF, or 1 video, each
    /// the caller's, ready, and on no other tweet. With media, `content` may be empty.
    #[serde(default)]
    #[schema(value_type = Vec<String>, max_items = 4)]
    pub media_ids: Vec<starling_core::MediaId>,
}

/// `POST /api/tweets` as a form: the text and its files in one request.
#[derive(ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct CreateTweetForm {
    /// As in the JSON form; may be empty with files.
    content: Option<String>,
    /// Up to 4 images, or 1 GIF, or 1 video (the same types and limits as `POST /api/media`).
    #[schema(value_type = Vec<String>, format = Binary, max_items = 4)]
    media: Vec<Vec<u8>>,
    /// One description per file, in the files' order.
    #[schema(max_items = 4)]
    alt_text: Vec<String>,
    #[schema(pattern = "^[0-9]{1,19}$")]
    reply_to_id: Option<String>,
    #[schema(pattern = "^[0-9]{1,19}$")]
    quote_of_id: Option<String>,
    /// `true` or `false`.
    draft: Option<bool>,
    #[schema(value_type = Option<VisibilityName>)]
    visibility: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EditTweetRequest {
    /// Weighted length 1-280 (Twitter's configuration v3), with a visible character; no
    /// control characters other than tab and line breaks, no bidirectional overrides
    /// or isolates. May be empty when the tweet carries media.
    #[schema(
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069\uFEFF\uFFFE\uFFFF]*$"
    )]
    pub content: String,
    /// The version the edit is based on: `409 version_conflict` when stale.
    pub expected_version: Option<i64>,
    /// The new version's media, in order (absent: the current version's, unchanged).
    #[schema(value_type = Option<Vec<String>>, max_items = 4)]
    pub media_ids: Option<Vec<starling_core::MediaId>>,
}

#[derive(Deserialize, ToSchema)]
pub struct RestoreRequest {
    /// The version whose content becomes the new version's.
    #[schema(minimum = 1)]
    pub version: i64,
}

/// Tweets a client showed its user, for their view counts.
#[derive(Deserialize, ToSchema)]
pub struct ViewsRequest {
    /// 1-100 tweet ids (a retweet entry counts for its original).
    #[schema(value_type = Vec<String>, min_items = 1, max_items = 100)]
    pub ids: Vec<TweetId>,
}

/// How many of the views were counted: a view repeated within 30 minutes is not, nor one
/// of a tweet the caller may not read (or that is gone, or archived).
#[derive(Serialize, ToSchema)]
pub struct ViewsCounted {
    pub counted: usize,
}

#[derive(Deserialize, ToSchema)]
pub struct EngagementRequest {
    #[schema(value_type = EngagementActionName)]
    pub action: String,
}

// The enums of the wire format, for the schema. The DTOs carry core's enums by name;
// these list the names from core itself, so the document cannot drift from the code.

/// A string schema whose values are `names`.
fn names_schema(
    names: impl IntoIterator<Item = &'static str>,
    description: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(names))
        .description(Some(description))
        .into()
}

macro_rules! names_from_core {
    ($name:ident = $schema:literal, $description:literal, $names:expr) => {
        #[doc = $description]
        pub struct $name;
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                names_schema($names, $description)
            }
        }
        impl ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed($schema)
            }
        }
    };
}

names_from_core!(
    TweetStateName = "TweetState",
    "A tweet's state as a reader sees it (deleted tweets are never shown).",
    starling_core::TweetState::ALL
        .into_iter()
        .filter(|s| *s != starling_core::TweetState::Deleted)
        .map(starling_core::TweetState::as_str)
);
names_from_core!(
    EventType = "EventType",
    "What happened to a tweet, in its audit trail.",
    (0..)
        .map_while(starling_engine::EventKind::from_code)
        .map(starling_engine::EventKind::as_str)
);
names_from_core!(
    VisibilityName = "Visibility",
    "Who may read a tweet: `public` (everyone, everywhere), `unlisted` (anyone with the link, the \
     author's profile and followers, never public lists, hashtags, trends or the public stream), \
     `followers` (the author, approved followers and mentioned users).",
    starling_core::Visibility::ALL
        .into_iter()
        .map(starling_core::Visibility::as_str)
);
names_from_core!(
    NotificationKindName = "NotificationKind",
    "What a notification is about.",
    starling_engine::NotificationKind::ALL
        .into_iter()
        .map(starling_engine::NotificationKind::as_str)
);
names_from_core!(
    TweetKindName = "TweetKind",
    "What a tweet is: `tweet`, `reply`, `quote` or `retweet`.",
    ["tweet", "reply", "quote", "retweet"]
);
names_from_core!(
    EngagementActionName = "EngagementAction",
    "An engagement action.",
    starling_core::EngagementAction::ALL
        .into_iter()
        .map(starling_core::EngagementAction::as_str)
);

#[cfg(test)]
mod tests {
    use super::timestamp;

    #[test]
    fn timestamps_are_rfc3339_with_millis() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(timestamp(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(
            timestamp(1_795_305_600_000 + 3_723_004),
            "2026-11-22T01:02:03.004Z"
        );
        assert_eq!(timestamp(-1), "1969-12-31T23:59:59.999Z");
    }
}
