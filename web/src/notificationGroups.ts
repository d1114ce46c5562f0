// Notifications without React: the unread count the badge shows (from the stream's events,
// the count endpoint and the answers to "mark read"), the newest page of groups merged on
// top of the pages a list shows, and the words a group is told in. The live side is
// notifications.tsx; the page is pages/NotificationsPage.tsx.

import type { InfiniteData } from '@tanstack/react-query';
import type { Notification, NotificationGroup, NotificationGroupPage, NotificationType, User } from './api/types';
import { atTop, TOP, type PageParam } from './api/paging';
import { compareIds } from './incoming';

// ---------------------------------------------------------------- the unread badge

export interface UnreadState {
  /** What the badge shows. */
  count: number;
  /** The read mark as this tab last heard it from the server (null: not yet). */
  readUpTo: string | null;
  /** Unread notifications the stream announced above `readUpTo`: they exist, whatever an older count says. */
  announced: readonly string[];
}

export type UnreadAction =
  /** `GET /api/notifications/unread-count` answered (on sign-in, after a reconnection, back from another tab). */
  | { type: 'loaded'; count: number }
  /** The stream's `notification` event; its count was taken when the event was sent. */
  | { type: 'notified'; notification: Pick<Notification, 'id' | 'unread'>; unreadCount: number }
  /** `POST /api/notifications/read` answered. */
  | { type: 'read'; readUpTo: string; unreadCount: number }
  /**
   * The stream's `notifications.count`: read on another device, or a notification withdrawn. Taken
   * after every earlier event on the stream, so it replaces what they announced.
   */
  | { type: 'counted'; readUpTo: string; unreadCount: number }
  /** Another user (or none) signed in. */
  | { type: 'reset' };

export const noUnread: UnreadState = { count: 0, readUpTo: null, announced: [] };

const above = (mark: string | null) => (id: string) => mark === null || compareIds(id, mark) > 0;

/**
 * The badge's count. Events and HTTP answers travel on different connections, so either may
 * arrive after a newer one: an event about a notification already read here says nothing new
 * (its count may predate the read), and a read's count cannot be lower than the unread
 * notifications announced above the new mark.
 */
export function unreadReducer(state: UnreadState, action: UnreadAction): UnreadState {
  switch (action.type) {
    case 'loaded':
      // Fresh from the server: it also knows of reads in other tabs, which no event announces.
      return { ...state, count: action.count, announced: [] };
    case 'notified': {
      const { id, unread } = action.notification;
      if (!above(state.readUpTo)(id)) return state;
      const announced = unread && !state.announced.includes(id) ? [...state.announced, id] : state.announced;
      return { ...state, count: Math.max(action.unreadCount, 0), announced };
    }
    case 'read': {
      const readUpTo = state.readUpTo && compareIds(state.readUpTo, action.readUpTo) > 0 ? state.readUpTo : action.readUpTo;
      const announced = state.announced.filter(above(readUpTo));
      return { count: Math.max(action.unreadCount, announced.length), readUpTo, announced };
    }
    case 'counted': {
      // A mark older than this tab's read: the count predates that read and says nothing new.
      if (state.readUpTo && compareIds(action.readUpTo, state.readUpTo) < 0) return state;
      return { count: Math.max(action.unreadCount, 0), readUpTo: action.readUpTo, announced: [] };
    }
    case 'reset':
      return noUnread;
  }
}

// ---------------------------------------------------------------- lists of groups

/** A Notifications list: bounded like every long list (api/paging.ts). */
export type GroupPages = InfiniteData<NotificationGroupPage, PageParam>;

/** Every follow is one group, every follow request another; the other kinds group by tweet. */
export function groupKey(g: Pick<NotificationGroup, 'type' | 'tweet'>): string {
  return `${g.type}:${g.tweet?.id ?? ''}`;
}

/**
 * The groups of a paged list in order, each once. A group moves up when it gets a new
 * notification; merging the newest page drops its older copy, and this keeps the first one
 * should a page read before the move still hold it.
 */
export function listedGroups(pages: readonly NotificationGroupPage[]): NotificationGroup[] {
  const seen = new Set<string>();
  const out: NotificationGroup[] = [];
  for (const p of pages)
    for (const g of p.items) {
      const key = groupKey(g);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(g);
    }
  return out;
}

/** The newest group id a list shows (the first, as groups come newest first), or null for none. */
export function newestGroupId(pages: readonly NotificationGroupPage[]): string | null {
  let newest: string | null = null;
  for (const p of pages) for (const g of p.items) if (newest === null || compareIds(g.id, newest) > 0) newest = g.id;
  return newest;
}

/**
 * The list with `newest` (its first page, just read) on top: groups in it replace their older
 * copies further down, and the pages already read keep their cursors. A group's id is its
 * newest notification's, so a group whose id the list already shows has not changed, and
 * everything below it in the list is current (and keeps the unread marks it was shown with).
 * When `newest` shares no id with the list (more came meanwhile than a page holds), what lies
 * between is unknown: null, read the list again. The same object when nothing changed.
 */
export function withNewestPage(data: GroupPages, newest: NotificationGroupPage): GroupPages | null {
  // Read far down, the list has dropped its top pages: what is new belongs above them, and
  // comes with them, read afresh, when the reader goes back up (nothing moves under them now).
  if (!atTop(data)) return data;
  const listed = listedGroups(data.pages);
  const listedIds = new Set(listed.map((g) => g.id));
  if (data.pages.length === 0 || !newest.items.some((g) => listedIds.has(g.id))) {
    // Unless the newest page is the whole list.
    return newest.nextCursor === null ? { pages: [newest], pageParams: [TOP] } : null;
  }
  // Nothing new: the newest page is what the list starts with.
  if (newest.items.every((g, i) => listed[i]?.id === g.id)) return data;

  const fresh = new Set(newest.items.map(groupKey));
  const shown = new Map(listed.map((g) => [g.id, g]));
  const top = newest.items.map((g) => shown.get(g.id) ?? g);
  const [first, ...rest] = data.pages as [NotificationGroupPage, ...NotificationGroupPage[]];
  const pages = [
    { ...first, items: [...top, ...first.items.filter((g) => !fresh.has(groupKey(g)))] },
    ...rest.map((p) => (p.items.some((g) => fresh.has(groupKey(g))) ? { ...p, items: p.items.filter((g) => !fresh.has(groupKey(g))) } : p)),
  ];
  return { ...data, pages };
}

// ---------------------------------------------------------------- words

/**
 * Who did it, as a sentence names them: "Ada", "Ada and Bob", "Ada, Bob and Cy", "Ada and 12
 * others". The server sends the newest three actors and how many there are in all.
 */
export function actorsPhrase(actors: readonly User[], count: number): { named: User[]; others: number } {
  const total = Math.max(count, actors.length);
  if (total > 3 || actors.length === 0) {
    const named = actors.slice(0, 1);
    return { named, others: total - named.length };
  }
  return { named: [...actors], others: total - actors.length };
}

/** The phrase as plain text (names by display name). */
export function actorsText(actors: readonly User[], count: number): string {
  const { named, others } = actorsPhrase(actors, count);
  const parts = named.map((u) => u.displayName || u.username);
  if (others > 0) parts.push(`${others} ${others === 1 ? 'other' : 'others'}`);
  if (parts.length <= 1) return parts[0] ?? 'Someone';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The kinds the "Mentions" filter keeps: what others wrote to or about the reader. */
export const MENTION_TYPES: readonly NotificationType[] = ['mention', 'reply', 'quote'];

/**
 * What the actors did, after their names: "liked" + "your reply" (the part that links to the
 * tweet), "followed you", "replied:". `tweet` is the reader's own tweet for likes and
 * retweets, the actor's for replies, quotes and mentions (shown under the sentence).
 */
export function actionParts(type: string, tweet: { replyToId: string | null } | null): { text: string; yourTweet?: string } {
  const yours = tweet?.replyToId ? 'your reply' : 'your tweet';
  switch (type as NotificationType) {
    case 'like':
      return { text: 'liked', yourTweet: yours };
    case 'retweet':
      return { text: 'retweeted', yourTweet: yours };
    case 'follow':
      return { text: 'followed you' };
    case 'follow_request':
      return { text: 'asked to follow you' };
    case 'reply':
      return { text: 'replied:' };
    case 'mention':
      return { text: 'mentioned you:' };
    case 'quote':
      return { text: 'quoted your tweet:' };
    default:
      // A kind newer than this app: say that something happened rather than nothing.
      return { text: `sent you a notification (${type})` };
  }
}

export function actionText(type: string, tweet: { replyToId: string | null } | null): string {
  const { text, yourTweet } = actionParts(type, tweet);
  return yourTweet ? `${text} ${yourTweet}` : text;
}

/** The whole sentence as plain text: "Ada and 12 others liked your tweet". */
export function notificationSentence(g: Pick<NotificationGroup, 'type' | 'actors' | 'count' | 'tweet'>): string {
  return `${actorsText(g.actors, g.count)} ${actionText(g.type, g.tweet)}`;
}
