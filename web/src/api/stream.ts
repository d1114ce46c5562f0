// The live stream (`GET /api/stream`, WebSocket). One connection per tab,
// subscribed to every public tweet event, and to the per-user streams (`home`, `notifications`)
// the app asks for while signed in; it reconnects with backoff because a
// server restart or a 1008 "too slow" close should not end live updates.
//
// A socket can also die without closing: a laptop that slept, a network that changed, a
// proxy that dropped the connection. The browser then reports it open for minutes while
// nothing arrives. So the page pings (`{"type":"ping"}`, answered with `pong`) and, when
// no message of any kind comes back in time, drops the socket and connects again. The
// browser's `online` event and the tab becoming visible reconnect at once instead of
// waiting out the backoff.
//
// Events are not replayed by the server. Whenever updates may have been missed (after a
// reconnection, or when the tab is shown again after a while: background tabs may be
// frozen), the stream tells its `onResume` listeners, which catch up (live.tsx, home.tsx,
// timelines.tsx).

import type { StreamClientMessage, StreamName, StreamServerMessage } from './types';

export type StreamListener = (message: StreamServerMessage) => void;
export type StreamStatus = 'connecting' | 'open' | 'closed';
/** Why updates may have been missed: the socket was connected again, or the tab was hidden a while. */
export type ResumeReason = 'reconnected' | 'visible';

export interface StreamTimings {
  /** How often the page pings an open socket. */
  heartbeatMs: number;
  /** How long it waits for any message after a ping before giving the socket up. */
  answerMs: number;
  /** A tab hidden at least this long catches up when shown again. */
  hiddenCatchUpMs: number;
}

export const DEFAULT_TIMINGS: StreamTimings = { heartbeatMs: 15_000, answerMs: 10_000, hiddenCatchUpMs: 60_000 };

export class LiveStream {
  private socket: WebSocket | null = null;
  private readonly listeners = new Set<StreamListener>();
  private readonly statusListeners = new Set<(s: StreamStatus) => void>();
  private readonly resumeListeners = new Set<(why: ResumeReason) => void>();
  /** Per-user streams asked for, with how many holders: sent again on every (re)connection. */
  private readonly streams = new Map<StreamName, number>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private answerTimer: ReturnType<typeof setTimeout> | null = null;
  private attempts = 0;
  private stopped = true;
  /** Whether a socket of this session was ever open: the next open is a reconnection. */
  private wasOpen = false;
  private hiddenSince: number | null = null;
  private readonly detach: (() => void) | null = null;
  status: StreamStatus = 'closed';

  constructor(
    private readonly url: () => string,
    private readonly timings: StreamTimings = DEFAULT_TIMINGS,
  ) {
    if (typeof window === 'undefined') return;
    const wake = () => this.wake();
    const visibility = () => {
      if (document.visibilityState === 'hidden') {
        this.hiddenSince = Date.now();
        return;
      }
      const hiddenFor = this.hiddenSince === null ? 0 : Date.now() - this.hiddenSince;
      this.hiddenSince = null;
      // While the socket reconnects, the reconnection itself catches up.
      if (hiddenFor >= this.timings.hiddenCatchUpMs && this.status === 'open') this.resume('visible');
      this.wake();
    };
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', visibility);
    this.detach = () => {
      window.removeEventListener('online', wake);
      document.removeEventListener('visibilitychange', visibility);
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.dropSocket();
    this.setStatus('closed');
  }

  /** Reconnect now, e.g. after logging in so the token is used: a new session, not a resumption. */
  restart(): void {
    this.stop();
    this.wasOpen = false;
    this.attempts = 0;
    this.start();
  }

  /** Stops listening to the window (tests create many streams). */
  dispose(): void {
    this.stop();
    this.detach?.();
  }

  subscribe(listener: StreamListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called whenever updates may have been missed (see the module comment). */
  onResume(listener: (why: ResumeReason) => void): () => void {
    this.resumeListeners.add(listener);
    return () => this.resumeListeners.delete(listener);
  }

  /**
   * Turns a per-user stream on until the returned function is called (the socket must be
   * opened with a token: ask only while signed in). It stays on across reconnections.
   */
  openStream(name: StreamName): () => void {
    const holders = this.streams.get(name) ?? 0;
    this.streams.set(name, holders + 1);
    if (holders === 0) this.sendIfOpen({ type: 'subscribe', stream: name });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.streams.get(name) ?? 1) - 1;
      if (left > 0) {
        this.streams.set(name, left);
      } else {
        this.streams.delete(name);
        this.sendIfOpen({ type: 'unsubscribe', stream: name });
      }
    };
  }

  onStatus(listener: (s: StreamStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * The network came back or the tab was shown: a closed stream connects now (not after
   * its backoff), an open one is checked with a ping at once.
   */
  wake(): void {
    if (this.stopped) return;
    if (this.status === 'open') {
      this.ping();
      return;
    }
    if (this.status === 'closed') {
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.attempts = 0;
      this.connect();
    }
  }

  private resume(why: ResumeReason) {
    for (const l of this.resumeListeners) l(why);
  }

  private setStatus(s: StreamStatus) {
    if (this.status === s) return;
    this.status = s;
    for (const l of this.statusListeners) l(s);
  }

  private send(message: StreamClientMessage) {
    this.socket?.send(JSON.stringify(message));
  }

  /** A socket still connecting cannot take messages; `onopen` sends the subscriptions then. */
  private sendIfOpen(message: StreamClientMessage) {
    if (this.status === 'open') this.send(message);
  }

  private ping() {
    if (this.status !== 'open' || this.answerTimer) return;
    this.send({ type: 'ping' });
    this.answerTimer = setTimeout(() => {
      this.answerTimer = null;
      // Nothing came back: the connection is dead even if the browser has not noticed.
      this.dropSocket();
      this.setStatus('closed');
      this.scheduleRetry();
    }, this.timings.answerMs);
  }

  private clearHeartbeat() {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.answerTimer) clearTimeout(this.answerTimer);
    this.heartbeatTimer = null;
    this.answerTimer = null;
  }

  /** Forgets the current socket without waiting for its close handshake (a dead one never answers). */
  private dropSocket() {
    this.clearHeartbeat();
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onopen = null;
      s.onmessage = null;
      s.onclose = null;
      s.onerror = null;
      try {
        s.close();
      } catch {
        // Already closing.
      }
    }
  }

  private connect() {
    if (typeof WebSocket === 'undefined') return;
    this.dropSocket();
    this.setStatus('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url());
    } catch {
      this.setStatus('closed');
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.setStatus('open');
      this.send({ type: 'subscribe', all: true });
      for (const name of this.streams.keys()) this.send({ type: 'subscribe', stream: name });
      this.heartbeatTimer = setInterval(() => this.ping(), this.timings.heartbeatMs);
      const reconnected = this.wasOpen;
      this.wasOpen = true;
      if (reconnected) this.resume('reconnected');
    };
    socket.onmessage = (ev) => {
      // Any message proves the connection alive.
      if (this.answerTimer) clearTimeout(this.answerTimer);
      this.answerTimer = null;
      let message: StreamServerMessage;
      try {
        message = JSON.parse(String(ev.data)) as StreamServerMessage;
      } catch {
        return;
      }
      if (message.type === 'pong') return;
      for (const l of this.listeners) l(message);
    };
    socket.onclose = () => {
      this.clearHeartbeat();
      this.socket = null;
      this.setStatus('closed');
      this.scheduleRetry();
    };
  }

  private scheduleRetry() {
    if (this.stopped || this.retryTimer) return;
    const delay = Math.min(30_000, 500 * 2 ** this.attempts) * (0.75 + Math.random() / 2);
    this.attempts += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }
}

export function streamUrl(token: string | null): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const q = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${proto}//${location.host}/api/stream${q}`;
}
