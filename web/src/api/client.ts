// The typed client for Starling's public HTTP API (docs/API.md). The UI talks to
// the server only through this module and `stream.ts`.

import type {
  ApiErrorBody,
  AuthResponse,
  EditTweet,
  Engagement,
  EngagementAction,
  EngagementRequest,
  ErrorCode,
  EventList,
  Health,
  HomePage,
  Lookup,
  LoginRequest,
  MarkRead,
  NewTweet,
  NotificationGroupPage,
  NotificationType,
  Page,
  Profile,
  ProfilePatch,
  RegisterRequest,
  Relationship,
  Thread,
  UserMatches,
  UserPage,
  RestoreRequest,
  Suggestions,
  SystemStats,
  Tweet,
  TweetList,
  TweetState,
  ReadMark,
  UnreadCount,
  User,
  VersionList,
} from './types';
import type {} from '../boot'; // the type of window.__starlingEarly

/** An error answer from the API (or a network failure, as `code: 'network'`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'network' | 'unknown';
  readonly field: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    code: ApiError['code'],
    message: string,
    field?: string,
    retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export const TOKEN_KEY = 'starling.token';

/** Why the tab was signed out without asking: told on the sign-in page, in words. */
export type SignedOut = 'expired' | 'elsewhere';
const signedOutListeners = new Set<(why: SignedOut) => void>();

/** Called when a request that carried the token is answered 401: the session has ended. */
export function onSignedOut(listener: (why: SignedOut) => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export function signedOut(why: SignedOut): void {
  for (const listener of signedOutListeners) listener(why);
}

/** The session token lives in localStorage so it survives reloads. */
export const tokenStore = {
  get(): string | null {
    try {
      return localStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  },
  set(token: string | null): void {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  },
};

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Let the request outlive the page (a last report as the tab closes). */
  keepalive?: boolean;
}

/** The `ApiError` an error answer stands for, from its status, parsed body and `Retry-After` header. */
export function apiErrorFrom(status: number, json: unknown, retryAfterHeader: string | null): ApiError {
  const retryAfter = Number(retryAfterHeader);
  const err = (json as Partial<ApiErrorBody> | undefined)?.error;
  return new ApiError(
    status,
    err?.code ?? 'unknown',
    err?.message ?? `Request failed (${status})`,
    err?.field ?? undefined, // the document allows an explicit null
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

/** An answer's body as JSON, or undefined when it is empty or not JSON (a proxy's HTML error page). */
export function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An answer boot.ts asked for before the app ran, taken once (same GET, same token, still fresh). */
function takeEarly(path: string, token: string | null): Promise<Response> | undefined {
  const early = typeof window === 'undefined' ? undefined : window.__starlingEarly;
  if (!early || early.token !== token || performance.now() - early.at > early.ttlMs) return undefined;
  const answer = early.answers.get(path);
  early.answers.delete(path);
  return answer;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  const token = tokenStore.get();
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }

  let res: Response;
  try {
    const early = method === 'GET' && !opts.headers ? takeEarly(path, token) : undefined;
    res = await (early ?? fetch(path, { method, headers, body, signal: opts.signal, keepalive: opts.keepalive }));
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }

  if (res.status === 204) return undefined as T;
  const json = parseBody(await res.text());
  if (res.status === 401 && token && tokenStore.get() === token) {
    // The session ended (expired, revoked, signed out in another tab or device): the
    // tab signs out at once, and no raw server text reaches the reader.
    tokenStore.set(null);
    signedOut('expired');
    throw new ApiError(401, 'unauthorized', 'Your session has ended. Sign in again to continue.');
  }
  if (!res.ok) throw apiErrorFrom(res.status, json, res.headers.get('Retry-After'));
  return json as T;
}

function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

const id = (tweetId: string) => encodeURIComponent(tweetId);
/** `@name` in paths: usernames may be all digits, and the `@` keeps them apart from ids. */
const at = (username: string) => `@${encodeURIComponent(username.replace(/^@/, ''))}`;

export interface ListTweetsParams {
  author?: string;
  hashtag?: string;
  cursor?: string | null;
  limit?: number;
}

export const api = {
  register: (body: RegisterRequest) => request<AuthResponse>('POST', '/api/auth/register', { body }),
  login: (body: LoginRequest) => request<AuthResponse>('POST', '/api/auth/login', { body }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: (signal?: AbortSignal) => request<User>('GET', '/api/me', { signal }),
  myTweets: (p: { state?: TweetState; cursor?: string | null; limit?: number }, signal?: AbortSignal) =>
    request<Page<Tweet>>('GET', `/api/me/tweets${query(p)}`, { signal }),

  listTweets: (p: ListTweetsParams, signal?: AbortSignal) =>
    request<Page<Tweet>>('GET', `/api/tweets${query({ ...p })}`, { signal }),
  /** The signed-in user's home: tweets and retweets of whom they follow, and their own, newest first. */
  homeTimeline: (p: { cursor?: string | null; limit?: number }, signal?: AbortSignal) =>
    request<HomePage>('GET', `/api/timelines/home${query(p)}`, { signal }),
  /** Up to 100 tweets as they are now; `missing` lists those gone or hidden (one answer for both). */
  lookupTweets: (ids: readonly string[], signal?: AbortSignal) =>
    request<Lookup>('GET', `/api/tweets/lookup?ids=${ids.map(id).join(',')}`, { signal }),
  getTweet: (tweetId: string, signal?: AbortSignal) => request<Tweet>('GET', `/api/tweets/${id(tweetId)}`, { signal }),
  /** `idempotencyKey` must stay the same for every retry of one submission. */
  createTweet: (body: NewTweet, idempotencyKey: string) =>
    request<Tweet>('POST', '/api/tweets', { body, headers: { 'Idempotency-Key': idempotencyKey } }),
  editTweet: (tweetId: string, body: EditTweet) => request<Tweet>('PUT', `/api/tweets/${id(tweetId)}`, { body }),
  versions: (tweetId: string, signal?: AbortSignal) =>
    request<VersionList>('GET', `/api/tweets/${id(tweetId)}/versions`, { signal }),
  events: (tweetId: string, signal?: AbortSignal) =>
    request<EventList>('GET', `/api/tweets/${id(tweetId)}/events`, { signal }),
  publish: (tweetId: string) => request<Tweet>('POST', `/api/tweets/${id(tweetId)}/publish`),
  archive: (tweetId: string) => request<Tweet>('POST', `/api/tweets/${id(tweetId)}/archive`),
  deleteTweet: (tweetId: string) => request<void>('DELETE', `/api/tweets/${id(tweetId)}`),
  restore: (tweetId: string, version: number) =>
    request<Tweet>('POST', `/api/tweets/${id(tweetId)}/restore`, { body: { version } satisfies RestoreRequest }),

  /** Views of tweets the reader was shown (1-100 ids); each counts once per viewer per 30 minutes. */
  reportViews: (ids: readonly string[], keepalive = false) =>
    request<{ counted: number }>('POST', '/api/tweets/views', { body: { ids }, keepalive }),
  engage: (tweetId: string, action: EngagementAction) =>
    request<Engagement>('POST', `/api/tweets/${id(tweetId)}/engagement`, { body: { action } satisfies EngagementRequest }),
  trends: (limit?: number) => request<TweetList>('GET', `/api/trends/tweets${query({ limit })}`),

  thread: (tweetId: string, cursor?: string | null, signal?: AbortSignal) =>
    request<Thread>('GET', `/api/tweets/${id(tweetId)}/thread${query({ cursor })}`, { signal }),

  profile: (username: string, signal?: AbortSignal) => request<Profile>('GET', `/api/users/${at(username)}`, { signal }),
  userTweets: (username: string, p: { replies: boolean; cursor?: string | null; limit?: number }, signal?: AbortSignal) =>
    request<Page<Tweet>>('GET', `/api/users/${at(username)}/tweets${query({ ...p, replies: String(p.replies) })}`, { signal }),
  /** Follow, block or mute (`on`), or undo it; the answer is how the caller now stands. */
  relate: (username: string, what: 'follow' | 'block' | 'mute', on: boolean) =>
    request<Relationship>(on ? 'POST' : 'DELETE', `/api/users/${at(username)}/${what}`),
  updateMe: (body: ProfilePatch) => request<Profile>('PATCH', '/api/me', { body }),
  /** Someone's followers or following, newest first (403 for a protected account's, unless a follower). */
  userList: (username: string, list: 'followers' | 'following', cursor: string | null, signal?: AbortSignal) =>
    request<UserPage>('GET', `/api/users/${at(username)}/${list}${query({ cursor })}`, { signal }),
  /** The signed-in user's blocks or mutes, newest first. */
  ownList: (list: 'blocks' | 'mutes', cursor: string | null, signal?: AbortSignal) =>
    request<UserPage>('GET', `/api/me/${list}${query({ cursor })}`, { signal }),
  followRequests: (cursor: string | null, signal?: AbortSignal) =>
    request<UserPage>('GET', `/api/me/follow-requests${query({ cursor })}`, { signal }),
  answerFollowRequest: (userId: string, answer: 'accept' | 'reject') =>
    request<Relationship>('POST', `/api/me/follow-requests/${id(userId)}/${answer}`),
  searchUsers: (prefix: string, signal?: AbortSignal) => request<UserMatches>('GET', `/api/users${query({ prefix })}`, { signal }),
  /** The most followed accounts the signed-in user does not follow yet (1-50). */
  suggestions: (limit: number, signal?: AbortSignal) =>
    request<Suggestions>('GET', `/api/users/suggestions${query({ limit })}`, { signal }),

  /** The signed-in user's notifications, grouped (one item per kind and tweet), newest group first. */
  notifications: (p: { types?: readonly NotificationType[]; cursor?: string | null; limit?: number }, signal?: AbortSignal) =>
    request<NotificationGroupPage>('GET', `/api/notifications${query({ types: p.types?.join(','), cursor: p.cursor, limit: p.limit })}`, { signal }),
  unreadNotifications: (signal?: AbortSignal) => request<UnreadCount>('GET', '/api/notifications/unread-count', { signal }),
  /** Reads everything up to `upTo` (a notification or group id), or everything now; the mark only moves forward. */
  markNotificationsRead: (upTo?: string) =>
    request<ReadMark>('POST', '/api/notifications/read', { body: (upTo ? { upTo } : {}) satisfies MarkRead }),

  health: () => request<Health>('GET', '/api/health'),
  stats: (signal?: AbortSignal) => request<SystemStats>('GET', '/api/tweets/system/stats', { signal }),
};

export type Api = typeof api;

/** A fresh key for one submission; reused verbatim on retries of that submission. */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
