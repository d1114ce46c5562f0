// Starts the first screen's reads while the app's script is still downloading. On a slow
// network the script takes seconds to arrive and run, and only then would the app ask for
// the timeline: one more round trip (~0.6 s on "Fast 3G") before anything is shown. Home,
// Latest, a profile and a tweet's page are read early.
// index.html loads this as its own tiny module, beside the app's; it imports nothing (an
// import would be one more request before it could start). api/client.ts takes each
// answer once, for the same GET with the same token, within `ttlMs`; anything else
// goes to the network as usual.

export interface EarlyReads {
  token: string | null;
  at: number;
  /** Older answers are not used: the reader may have waited long enough for them to be stale. */
  ttlMs: number;
  answers: Map<string, Promise<Response>>;
}

declare global {
  interface Window {
    __starlingEarly?: EarlyReads;
  }
}

function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment) || null;
  } catch {
    return null;
  }
}

/** The reads the app makes first on this path, with the URLs exactly as api/client.ts builds them. */
export function firstReads(pathname: string, search: string, signedIn: boolean): string[] {
  const reads: string[] = [];
  if (signedIn) reads.push('/api/me');
  // `/` leads a signed-in reader to `/home`.
  if ((pathname === '/' || pathname === '/home') && signedIn) reads.push('/api/timelines/home?limit=20');
  // A profile (its tab) and a tweet's page; the path's segment is the route's parameter as
  // React Router decodes it, encoded again as api/client.ts's `at` and `id` do.
  const profile = /^\/u\/([^/]+)$/.exec(pathname);
  const username = profile && decoded(profile[1]!);
  if (username) {
    const user = `/api/users/@${encodeURIComponent(username.replace(/^@/, ''))}`;
    const replies = new URLSearchParams(search).get('tab') === 'replies';
    reads.push(user, `${user}/tweets?replies=${replies}&limit=20`);
  }
  const tweet = /^\/tweets\/([^/]+)$/.exec(pathname);
  const id = tweet && decoded(tweet[1]!);
  if (id) {
    const path = `/api/tweets/${encodeURIComponent(id)}`;
    reads.push(path, `${path}/thread`);
  }
  if (pathname === '/latest') {
    const given = new URLSearchParams(search);
    const q = new URLSearchParams();
    for (const key of ['hashtag', 'author']) {
      const value = given.get(key);
      if (value) q.set(key, value);
    }
    q.set('limit', '20');
    reads.push(`/api/tweets?${q}`);
  }
  return reads;
}

function start() {
  let token: string | null = null;
  try {
    token = localStorage.getItem('starling.token');
  } catch {
    // Storage blocked: read as a visitor.
  }
  const answers = new Map<string, Promise<Response>>();
  for (const url of firstReads(location.pathname, location.search, token !== null)) {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const answer = fetch(url, { headers });
    // A failure is the app's to report when it takes the answer; never an unhandled rejection.
    answer.catch(() => {});
    answers.set(url, answer);
  }
  window.__starlingEarly = { token, at: performance.now(), ttlMs: 10_000, answers };
}

if (typeof window !== 'undefined' && !import.meta.env?.VITEST) start();
