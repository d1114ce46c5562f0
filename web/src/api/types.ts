// The API's types, under the names the app uses. Every DTO is an alias of a schema
// in `schema.gen.ts`, which openapi-typescript generates from the server's committed
// OpenAPI document (docs/openapi.json, itself generated from the router and checked
// for staleness by a Rust test); test/apiSchema.test.ts fails when `schema.gen.ts` is
// stale. So a field, enum value or error code the server changes is a compile error
// here, not a silent drift. Regenerate with `npm --prefix web run gen:api`.

import type { components } from './schema.gen';

export type Schemas = components['schemas'];

/** Snowflake ids are always strings on the wire (64-bit does not fit a JS number). */
export type Id = string;
/** RFC 3339, UTC. */
export type Timestamp = string;

export type ApiErrorBody = Schemas['ErrorBody'];
export type ApiErrorDetail = Schemas['ErrorDetail'];
export type ErrorCode = Schemas['ErrorCode'];

/**
 * Client-side: the document describes one concrete page type (`TweetPage`); the
 * cache code wants "a page of T". Every field but `items` comes from `TweetPage`.
 */
export type Page<T> = Omit<Schemas['TweetPage'], 'items'> & { items: T[] };
export type TweetPage = Schemas['TweetPage'];
/** A page of the home timeline: a `Page<Tweet>` plus `partial` (the server could not rebuild it in time). */
export type HomePage = Schemas['HomePageDto'];
/** `GET /api/tweets/lookup`: the asked tweets the viewer may read, as they are now, and the ids of the others. */
export type Lookup = Schemas['LookupDto'];

export type User = Schemas['UserDto'];
export type AuthResponse = Schemas['AuthResponse'];
export type RegisterRequest = Schemas['RegisterRequest'];
export type LoginRequest = Schemas['LoginRequest'];
export type Session = Schemas['SessionDto'];

export type TweetState = Schemas['TweetState'];
export type TweetAuthor = Schemas['AuthorDto'];

export type HashtagEntity = Schemas['HashtagEntity'];
export type MentionEntity = Schemas['MentionEntity'];
export type UrlEntity = Schemas['UrlEntity'];
export type CashtagEntity = Schemas['CashtagEntity'];
export type Entities = Schemas['EntitiesDto'];

export type Velocity = Schemas['VelocityDto'];
export type Engagement = Schemas['EngagementDto'];
export type EngagementAction = Schemas['EngagementAction'];
export type EngagementRequest = Schemas['EngagementRequest'];

export type Tweet = Schemas['TweetDto'];
export type TweetList = Schemas['TweetList'];
export type NewTweet = Schemas['CreateTweetRequest'];
export type EditTweet = Schemas['EditTweetRequest'];
export type RestoreRequest = Schemas['RestoreRequest'];

export type TweetVersion = Schemas['VersionDto'];
export type VersionList = Schemas['VersionList'];
export type TweetEventType = Schemas['EventType'];
export type TweetEvent = Schemas['EventDto'];
export type EventList = Schemas['EventList'];

export type Visibility = Schemas['Visibility'];
export type TweetKind = Schemas['TweetKind'];
/** A tweet the caller may not see, kept in its place (ancestors, quotes). */
export type Unavailable = Schemas['UnavailableDto'];
export type Ancestor = Schemas['AncestorDto'];
export type Thread = Schemas['ThreadDto'];
export type ThreadReply = Schemas['ThreadReplyDto'];

export type Profile = Schemas['ProfileDto'];
export type ProfilePatch = Schemas['ProfilePatch'];
export type Relationship = Schemas['RelationshipDto'];
export type ListedUser = Schemas['ListedUserDto'];
export type UserPage = Schemas['UserPageDto'];
export type MatchedUser = Schemas['MatchedUserDto'];
export type UserMatches = Schemas['UserMatches'];
/** Accounts to follow (for an empty home): the most followed the caller does not follow yet. */
export type Suggestions = Schemas['Suggestions'];

/**
 * The kinds of notification (docs/API.md, "Notifications"). Written here because the document
 * declares `type` as a plain string; the UI renders a kind it does not know generically.
 */
export type NotificationType = 'follow' | 'follow_request' | 'mention' | 'reply' | 'like' | 'retweet' | 'quote';
/** One notification (`grouped=false`, and the stream's `notification` event). */
export type Notification = Schemas['NotificationDto'];
/** The notifications of one kind about one tweet (all follows are one group, all follow requests another). */
export type NotificationGroup = Schemas['NotificationGroupDto'];
export type NotificationPage = Schemas['NotificationPageDto'];
/**
 * Client-side: a page asked for with `grouped=true` (the default). The document's `items` is
 * either kind of array; which one follows from the request.
 */
export type NotificationGroupPage = Omit<NotificationPage, 'items'> & { items: NotificationGroup[] };
export type UnreadCount = Schemas['UnreadCount'];
export type MarkRead = Schemas['MarkRead'];
export type ReadMark = Schemas['ReadMark'];

export type Health = Schemas['Health'];
export type SystemStats = Schemas['Stats'];

// ---- WebSocket protocol (`/api/stream`) ----
// Hand-written: the OpenAPI document describes only the upgrade (`101`), not the
// messages, so these follow docs/API.md ("Live updates"). The payloads that are
// DTOs (`Tweet`, `Engagement`, `Notification`) are the generated ones.

/** The per-user streams a socket opened with a token may turn on. */
export type StreamName = 'home' | 'notifications';

export type StreamClientMessage =
  | { type: 'subscribe'; all: true }
  | { type: 'subscribe'; tweetIds: Id[] }
  | { type: 'subscribe'; stream: StreamName }
  | { type: 'unsubscribe'; all: true }
  | { type: 'unsubscribe'; tweetIds: Id[] }
  | { type: 'unsubscribe'; stream: StreamName }
  /** The client's heartbeat: answered with `pong`. */
  | { type: 'ping' };

export type StreamServerMessage =
  | { type: 'subscribed'; data: { all: boolean; tweetIds: Id[]; count: number } }
  | { type: 'subscribed'; data: { stream: StreamName; on: boolean } }
  /** A tweet or retweet entry that entered the user's home timeline, as the user sees it. */
  | { type: 'home.update'; data: Tweet }
  /** A new notification (as in `grouped=false`) and the user's unread count after it. */
  | { type: 'notification'; data: { notification: Notification; unreadCount: number } }
  /** The unread count changed without a new notification: read elsewhere, or one withdrawn. */
  | { type: 'notifications.count'; data: { readUpTo: Id; unreadCount: number } }
  | { type: 'tweet.created'; data: Tweet }
  | { type: 'tweet.updated'; data: Tweet }
  | { type: 'tweet.deleted'; data: { id: Id } }
  | { type: 'engagement.updated'; data: { id: Id; engagement: Engagement } }
  | { type: 'pong'; data: { at: number } }
  /** The stream's own codes (`bad_message`, `too_many_ids`), not HTTP `ErrorCode`s. */
  | { type: 'error'; data: { code: string; message: string } };
