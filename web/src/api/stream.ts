// The live stream (`GET /api/stream`, WebSocket). One connection per tab,
// subscribed to every public tweet event, and to the per-user streams (`home`, `notifications`)
// the app asks for while signed in; it reconnects with backoff because a
// server restart or a 1008 "too slow" close should not end live updates.

import type { StreamClientMessage, StreamName, StreamServerMessage } from './types';

export type StreamListener = (message: StreamServerMessage) => void;
export type StreamStatus = 'connecting' | 'open' | 'closed';

export class LiveStream {
  private socket: WebSocket | null = null;
  private readonly listeners = new Set<StreamListener>();
  private readonly statusListeners = new Set<(s: StreamStatus) => void>();
  /** Per-user streams asked for, with how many holders: sent again on every (re)connection. */
  private readonly streams = new Map<StreamName, number>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempts = 0;
  private stopped = true;
  status: StreamStatus = 'closed';

  constructor(private readonly url: () => string) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = null;
      s.close();
    }
    this.setStatus('closed');
  }

  /** Reconnect now, e.g. after logging in so the token is used. */
  restart(): void {
    this.stop();
    this.start();
  }

  subscribe(listener: StreamListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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

  private setStatus(s: StreamStatus) {
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

  private connect() {
    if (typeof WebSocket === 'undefined') return;
    this.setStatus('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.setStatus('open');
      this.send({ type: 'subscribe', all: true });
      for (const name of this.streams.keys()) this.send({ type: 'subscribe', stream: name });
    };
    socket.onmessage = (ev) => {
      let message: StreamServerMessage;
      try {
        message = JSON.parse(String(ev.data)) as StreamServerMessage;
      } catch {
        return;
      }
      for (const l of this.listeners) l(message);
    };
    socket.onclose = () => {
      this.socket = null;
      this.setStatus('closed');
      this.scheduleRetry();
    };
  }

  private scheduleRetry() {
    if (this.stopped) return;
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
