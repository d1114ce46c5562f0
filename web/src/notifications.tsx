// The live side of notifications, kept for the whole app rather than by the Notifications
// page: while someone is signed in, the socket's `notifications` stream is on, and the
// unread count on the header's Notifications link follows its events; a Notifications list
// on screen gets what arrives on top at once (its newest page is read again and merged). The
// page marks what it shows read through `markRead`. Pure logic: notificationGroups.ts.

import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, type ReactNode } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from './api/client';
import { keys, removeCachedTweet } from './api/cache';
import type { NotificationType } from './api/types';
import { compareIds } from './incoming';
import { useLive } from './live';
import { MENTION_TYPES, noUnread, unreadReducer, withNewestPage, type GroupPages } from './notificationGroups';
import { useSession } from './session';

export type NotificationFilter = 'all' | 'mentions';

/** Groups per page, for the page's reads and the catch-up's alike. */
export const NOTIFICATION_PAGE = 20;

/** The kinds a filter asks the server for (undefined: all). */
export function filterTypes(filter: NotificationFilter): readonly NotificationType[] | undefined {
  return filter === 'mentions' ? MENTION_TYPES : undefined;
}

export interface Notifications {
  /** How many notifications are unread (the badge). */
  unread: number;
  /** Reads everything up to `upTo` (the newest group a list shows); asking again for as much or less does nothing. */
  markRead(upTo: string): void;
}

const NotificationsContext = createContext<Notifications>({ unread: 0, markRead: () => {} });

/** The Notifications lists on screen now, with their filters. */
function shownLists(qc: QueryClient): NotificationFilter[] {
  return qc
    .getQueryCache()
    .findAll({ queryKey: keys.notifications })
    .filter((q) => q.getObserversCount() > 0 && q.state.data !== undefined)
    .map((q) => q.queryKey[2] as NotificationFilter);
}

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const { subscribe, openStream, onResume } = useLive();
  const { user } = useSession();
  const userId = user?.id ?? null;
  const [state, dispatch] = useReducer(unreadReducer, noUnread);
  // Answers that arrive after a sign-out or another sign-in are not this user's.
  const userRef = useRef(userId);
  userRef.current = userId;
  /** The furthest mark asked for: the page asks on every render that shows a newer group. */
  const asked = useRef<string | null>(null);

  useEffect(() => {
    dispatch({ type: 'reset' });
    asked.current = null;
  }, [userId]);

  // Only a signed-in socket may ask for `notifications` (the token changes restart the socket).
  useEffect(() => (userId ? openStream('notifications') : undefined), [openStream, userId]);

  const loadCount = useCallback((signal?: AbortSignal) => {
    const forUser = userRef.current;
    api
      .unreadNotifications(signal)
      .then((r) => {
        if (userRef.current === forUser) dispatch({ type: 'loaded', count: r.count });
      })
      .catch(() => {
        // The next event, reconnection or return to the tab brings it.
      });
  }, []);

  /** One catch-up per list at a time; events meanwhile ask for one more after it. */
  const catching = useRef(new Map<NotificationFilter, { again: boolean }>());
  const catchUp = useCallback(
    (filter: NotificationFilter) => {
      const running = catching.current.get(filter);
      if (running) {
        running.again = true;
        return;
      }
      const mark = { again: false };
      catching.current.set(filter, mark);
      const forUser = userRef.current;
      const key = keys.notificationList(filter);
      api
        .notifications({ types: filterTypes(filter), limit: NOTIFICATION_PAGE })
        .then((page) => {
          if (userRef.current !== forUser) return;
          const data = qc.getQueryData<GroupPages>(key);
          if (!data) return;
          const merged = withNewestPage(data, page);
          if (merged) qc.setQueryData<GroupPages>(key, merged);
          else void qc.invalidateQueries({ queryKey: key, exact: true });
        })
        .catch(() => {
          // The list is read again when next opened.
        })
        .finally(() => {
          catching.current.delete(filter);
          if (mark.again && userRef.current === forUser) catchUp(filter);
        });
    },
    [qc],
  );

  useEffect(() => {
    if (!userId) return;
    return subscribe((m) => {
      switch (m.type) {
        case 'notification': {
          const { notification, unreadCount } = m.data;
          dispatch({ type: 'notified', notification, unreadCount });
          for (const filter of shownLists(qc)) {
            const types = filterTypes(filter);
            if (!types || types.includes(notification.type as NotificationType)) catchUp(filter);
          }
          break;
        }
        case 'notifications.count':
          dispatch({ type: 'counted', readUpTo: m.data.readUpTo, unreadCount: m.data.unreadCount });
          break;
        case 'tweet.deleted':
          // Out of public view: notifications about it are not listed any more.
          removeCachedTweet(qc, m.data.id, keys.notifications);
          break;
        default:
          break;
      }
    });
  }, [subscribe, qc, userId, catchUp]);

  // The count on sign-in; again after a reconnection (events were missed) and on coming back
  // to the tab (another tab may have read them: no event says so).
  useEffect(() => {
    if (!userId) return;
    const ctrl = new AbortController();
    loadCount(ctrl.signal);
    const onVisible = () => {
      if (!document.hidden) loadCount();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      ctrl.abort();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [userId, loadCount]);

  // Events missed while the socket was down (or the tab hidden a while) are not sent again.
  useEffect(
    () =>
      onResume(() => {
        if (!userId) return;
        loadCount();
        for (const filter of shownLists(qc)) catchUp(filter);
      }),
    [onResume, userId, qc, loadCount, catchUp],
  );

  const markRead = useCallback((upTo: string) => {
    if (asked.current && compareIds(upTo, asked.current) <= 0) return;
    const previous = asked.current;
    asked.current = upTo;
    const forUser = userRef.current;
    api
      .markNotificationsRead(upTo)
      .then((r) => {
        if (userRef.current === forUser) dispatch({ type: 'read', readUpTo: r.readUpTo, unreadCount: r.unreadCount });
      })
      .catch(() => {
        // Not read after all: the list asks again when it next shows a newer group or is opened again.
        if (asked.current === upTo) asked.current = previous;
      });
  }, []);

  const value = useMemo(() => ({ unread: state.count, markRead }), [state.count, markRead]);
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}

export function useNotifications(): Notifications {
  return useContext(NotificationsContext);
}
