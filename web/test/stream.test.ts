import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveStream, type ResumeReason } from '../src/api/stream';

/** A socket under the test's control: it opens when told to, and may go silent. */
class Socket {
  static all: Socket[] = [];
  sent: { type: string }[] = [];
  closed = false;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    Socket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.();
  }
  answer(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  get pings() {
    return this.sent.filter((m) => m.type === 'ping').length;
  }
}

const timings = { heartbeatMs: 15_000, answerMs: 10_000, hiddenCatchUpMs: 60_000 };
let stream: LiveStream;
let resumed: ResumeReason[];

beforeEach(() => {
  vi.useFakeTimers();
  Socket.all = [];
  vi.stubGlobal('WebSocket', Socket);
  stream = new LiveStream(() => 'ws://test/api/stream', timings);
  resumed = [];
  stream.onResume((why) => resumed.push(why));
  stream.start();
});

afterEach(() => {
  stream.dispose();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the live stream’s heartbeat', () => {
  it('pings an open socket and keeps it while answers come', () => {
    const s = Socket.all[0]!;
    s.open();
    expect(stream.status).toBe('open');
    vi.advanceTimersByTime(15_000);
    expect(s.pings).toBe(1);
    s.answer({ type: 'pong', data: { at: 1 } });
    vi.advanceTimersByTime(15_000);
    expect(s.pings).toBe(2);
    s.answer({ type: 'pong', data: { at: 2 } });
    vi.advanceTimersByTime(9_000);
    expect(Socket.all).toHaveLength(1);
    expect(s.closed).toBe(false);
  });

  it('gives up a silent socket within 30 s, reconnects, and says updates may have been missed', () => {
    const s = Socket.all[0]!;
    s.open();
    expect(resumed).toEqual([]);
    // The laptop sleeps: the socket stays "open" but nothing answers.
    vi.advanceTimersByTime(15_000 + 10_000);
    expect(s.closed).toBe(true);
    expect(stream.status).not.toBe('open');
    vi.advanceTimersByTime(1_000);
    expect(Socket.all).toHaveLength(2);
    Socket.all[1]!.open();
    expect(stream.status).toBe('open');
    expect(resumed).toEqual(['reconnected']);
  });

  it('reconnects at once when the browser comes back online, not after its backoff', () => {
    Socket.all[0]!.open();
    Socket.all[0]!.onclose?.();
    // Several failed attempts push the backoff up.
    for (let i = 1; i <= 4; i++) {
      vi.advanceTimersByTime(30_000);
      Socket.all[i]!.onclose?.();
    }
    const before = Socket.all.length;
    window.dispatchEvent(new Event('online'));
    expect(Socket.all.length).toBe(before + 1);
    Socket.all.at(-1)!.open();
    expect(resumed).toEqual(['reconnected']);
  });

  it('catches up when the tab is shown again after a minute hidden, not after a glance away', () => {
    Socket.all[0]!.open();
    const setVisibility = (state: 'hidden' | 'visible') => {
      Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    setVisibility('hidden');
    vi.advanceTimersByTime(5_000);
    setVisibility('visible');
    expect(resumed).toEqual([]);
    Socket.all[0]!.answer({ type: 'pong', data: { at: 0 } });
    setVisibility('hidden');
    // Hidden tabs still get messages: the heartbeat is answered throughout.
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(15_000);
      Socket.all[0]!.answer({ type: 'pong', data: { at: i } });
    }
    vi.advanceTimersByTime(1_000);
    setVisibility('visible');
    expect(resumed).toEqual(['visible']);
    // Shown again, the socket is checked at once.
    expect(Socket.all[0]!.sent.at(-1)).toEqual({ type: 'ping' });
  });

  it('a new session (sign-in) is not a resumption', () => {
    Socket.all[0]!.open();
    stream.restart();
    Socket.all[1]!.open();
    expect(resumed).toEqual([]);
  });
});
