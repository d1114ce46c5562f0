// Every DTO of docs/API.md, field for field. The `*_KEYS` lists below are the
// same shapes as runtime values: the compiler checks each list names exactly the
// fields of its type, and the end-to-end test checks real server answers carry
// exactly those fields, so the client and the server's DTOs cannot drift apart.

/** Snowflake ids are always strings on the wire (64-bit does not fit a JS number). */
export type Id = string;
/** RFC 3339, UTC. */
export type Timestamp = string;

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}

export type ErrorCode =
  | 'malformed_json'
  | 'malformed_body'
  | 'invalid_id'
  | 'invalid_cursor'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'request_timeout'
  | 'version_conflict'
  | 'illegal_transition'
  | 'username_taken'
  | 'read_only'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'validation_failed'
  | 'rate_limited'
  | 'too_many_attempts'
  | 'overloaded'
  | 'internal';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface User {
  id: Id;
  username: string;
  displayName: string;
  createdAt: Timestamp;
}

export interface AuthResponse {
  user: User;
  token: string;
}

export interface RegisterRequest {
  username: string;
  password: string;
  displayName?: string;
}

export interface LoginRequest {
  username: string;
  password: string;
}

export type TweetState = 'draft' | 'published' | 'edited' | 'archived' | 'deleted';

export interface TweetAuthor {
  id: Id;
  username: string;
  displayName: string;
}

/** `[start, end)` in Unicode code points. */
export type Indices = [number, number];

export interface HashtagEntity {
  tag: string;
  indices: Indices;
}
export interface MentionEntity {
  username: string;
  indices: Indices;
}
export interface UrlEntity {
  url: string;
  indices: Indices;
}
export interface CashtagEntity {
  /** API.md shows cashtags only as an empty list; the server names the field `cashtag`, as twitter-text does. */
  cashtag: string;
  indices: Indices;
}

export interface Entities {
  hashtags: HashtagEntity[];
  mentions: MentionEntity[];
  urls: UrlEntity[];
  cashtags: CashtagEntity[];
}

export interface Velocity {
  oneMinute: number;
  fiveMinutes: number;
  sixtyMinutes: number;
}

export interface Engagement {
  likes: number;
  retweets: number;
  replies: number;
  views: number;
  likedByCurrentUser: boolean;
  retweetedByCurrentUser: boolean;
  velocity: Velocity;
}

export interface Tweet {
  id: Id;
  author: TweetAuthor;
  content: string;
  contentHash: string;
  version: number;
  state: TweetState;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  replyToId: Id | null;
  entities: Entities;
  engagement: Engagement;
}

export interface NewTweet {
  content: string;
  replyToId?: Id;
  draft?: boolean;
}

export interface EditTweet {
  content: string;
  expectedVersion?: number;
}

export interface TweetVersion {
  version: number;
  content: string;
  contentHash: string;
  createdAt: Timestamp;
}

export type TweetEventType = 'created' | 'edited' | 'published' | 'archived' | 'deleted' | 'restored';

export interface TweetEvent {
  seq: number;
  type: TweetEventType;
  version: number;
  contentHash: string;
  actorId: Id;
  createdAt: Timestamp;
}

export type EngagementAction = 'like' | 'unlike' | 'retweet' | 'unretweet' | 'view';

export interface Health {
  status: 'ok';
  version: string;
  uptimeSeconds: number;
}

export interface SystemStats {
  uptimeSeconds: number;
  memory: { rssBytes: number };
  requests: { total: number; perSecond: number; latencyMs: { p50: number; p95: number; p99: number } };
  tweets: { total: number; versions: number; uniqueBodies: number; createdPerSecond: number };
  engagement: { likes: number; retweets: number; replies: number; views: number };
  websockets: { open: number };
}

// ---- WebSocket protocol (`/api/stream`) ----

export type StreamClientMessage =
  | { type: 'subscribe'; all: true }
  | { type: 'subscribe'; tweetIds: Id[] }
  | { type: 'unsubscribe'; all: true }
  | { type: 'unsubscribe'; tweetIds: Id[] };

export type StreamServerMessage =
  | { type: 'subscribed'; data: { all: boolean; tweetIds: Id[]; count: number } }
  | { type: 'tweet.created'; data: Tweet }
  | { type: 'tweet.updated'; data: Tweet }
  | { type: 'tweet.deleted'; data: { id: Id } }
  | { type: 'engagement.updated'; data: { id: Id; engagement: Engagement } }
  | { type: 'error'; data: { code: string; message: string } };

// ---- Runtime key lists, checked both ways against the types above ----

/** Compiles only when `K` lists every key of `T` and nothing else. */
type Exact<T, K extends readonly PropertyKey[]> =
  [Exclude<keyof T, K[number]>, Exclude<K[number], keyof T>] extends [never, never] ? K : never;
function keys<T>() {
  return <const K extends readonly (keyof T)[]>(k: Exact<T, K>): K => k as K;
}

const ERROR_CODE_LIST = [
  'malformed_json', 'malformed_body', 'invalid_id', 'invalid_cursor', 'unauthorized', 'invalid_credentials',
  'forbidden', 'not_found', 'method_not_allowed', 'request_timeout', 'version_conflict', 'illegal_transition',
  'username_taken', 'read_only', 'payload_too_large', 'unsupported_media_type', 'validation_failed',
  'rate_limited', 'too_many_attempts', 'overloaded', 'internal',
] as const satisfies readonly ErrorCode[];
/** Compiles only when the list names every `ErrorCode`. */
const everyErrorCodeListed: [Exclude<ErrorCode, (typeof ERROR_CODE_LIST)[number]>] extends [never] ? true : never = true;
void everyErrorCodeListed;
/** Every error code, checked by the end-to-end test against the `ErrorCode` enum of /api/openapi.json. */
export const ERROR_CODES: readonly ErrorCode[] = ERROR_CODE_LIST;

export const USER_KEYS = keys<User>()(['id', 'username', 'displayName', 'createdAt']);
export const TWEET_KEYS = keys<Tweet>()([
  'id', 'author', 'content', 'contentHash', 'version', 'state', 'createdAt', 'updatedAt',
  'replyToId', 'entities', 'engagement',
]);
export const TWEET_AUTHOR_KEYS = keys<TweetAuthor>()(['id', 'username', 'displayName']);
export const ENTITIES_KEYS = keys<Entities>()(['hashtags', 'mentions', 'urls', 'cashtags']);
export const ENGAGEMENT_KEYS = keys<Engagement>()([
  'likes', 'retweets', 'replies', 'views', 'likedByCurrentUser', 'retweetedByCurrentUser', 'velocity',
]);
export const VELOCITY_KEYS = keys<Velocity>()(['oneMinute', 'fiveMinutes', 'sixtyMinutes']);
export const TWEET_VERSION_KEYS = keys<TweetVersion>()(['version', 'content', 'contentHash', 'createdAt']);
export const TWEET_EVENT_KEYS = keys<TweetEvent>()(['seq', 'type', 'version', 'contentHash', 'actorId', 'createdAt']);
export const SYSTEM_STATS_KEYS = keys<SystemStats>()([
  'uptimeSeconds', 'memory', 'requests', 'tweets', 'engagement', 'websockets',
]);
export const REGISTER_REQUEST_KEYS = keys<RegisterRequest>()(['username', 'password', 'displayName']);
export const LOGIN_REQUEST_KEYS = keys<LoginRequest>()(['username', 'password']);
export const NEW_TWEET_KEYS = keys<NewTweet>()(['content', 'replyToId', 'draft']);
export const EDIT_TWEET_KEYS = keys<EditTweet>()(['content', 'expectedVersion']);
export const HEALTH_KEYS = keys<Health>()(['status', 'version', 'uptimeSeconds']);
