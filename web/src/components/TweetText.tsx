import { Link } from 'react-router';
import type { Entities } from '../api/types';

type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'hashtag'; text: string; tag: string }
  | { kind: 'mention'; text: string; username: string }
  | { kind: 'url'; text: string; href: string }
  | { kind: 'cashtag'; text: string };

/** Links need a scheme; anything but http(s) is shown as text, never linked. */
function safeHref(url: string): string | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `https://${url}`;
  try {
    const u = new URL(withScheme);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * Cuts the content at the server's entity indices. Indices count Unicode code
 * points, so the text is split with Array.from (not UTF-16 `slice`).
 */
export function segmentTweet(content: string, entities: Entities | undefined): Segment[] {
  const chars = Array.from(content);
  const spans: { start: number; end: number; seg: (text: string) => Segment | null }[] = [];
  // The document types `indices` as a list of integers; only a `[start, end]` pair is an entity.
  const add = (indices: readonly number[], seg: (text: string) => Segment | null) => {
    const [start, end] = indices;
    if (start !== undefined && end !== undefined) spans.push({ start, end, seg });
  };
  if (entities) {
    for (const h of entities.hashtags ?? []) add(h.indices, (text) => ({ kind: 'hashtag', text, tag: h.tag }));
    for (const m of entities.mentions ?? []) add(m.indices, (text) => ({ kind: 'mention', text, username: m.username }));
    for (const u of entities.urls ?? []) {
      add(u.indices, (text) => {
        const href = safeHref(u.url);
        return href ? { kind: 'url', text, href } : null;
      });
    }
    for (const c of entities.cashtags ?? []) add(c.indices, (text) => ({ kind: 'cashtag', text }));
  }
  spans.sort((a, b) => a.start - b.start);

  const out: Segment[] = [];
  let at = 0;
  const pushText = (text: string) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last?.kind === 'text') last.text += text;
    else out.push({ kind: 'text', text });
  };
  for (const s of spans) {
    // Ignore entities that overlap one already placed or fall outside the text.
    if (!Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < at || s.end <= s.start || s.end > chars.length) continue;
    pushText(chars.slice(at, s.start).join(''));
    const text = chars.slice(s.start, s.end).join('');
    const seg = s.seg(text);
    if (seg) out.push(seg);
    else pushText(text);
    at = s.end;
  }
  pushText(chars.slice(at).join(''));
  return out;
}

/** Tweet content with hashtags, mentions and links as React elements (no HTML injection). */
export function TweetText({ content, entities }: { content: string; entities?: Entities }) {
  return (
    <p className="tweet-text">
      {segmentTweet(content, entities).map((s, i) => {
        switch (s.kind) {
          case 'text':
            return <span key={i}>{s.text}</span>;
          case 'hashtag':
            return (
              <Link key={i} className="entity" to={`/latest?hashtag=${encodeURIComponent(s.tag)}`}>
                {s.text}
              </Link>
            );
          case 'mention':
            return (
              <Link key={i} className="entity" to={`/latest?author=${encodeURIComponent(s.username)}`}>
                {s.text}
              </Link>
            );
          case 'url':
            return (
              <a key={i} className="entity" href={s.href} target="_blank" rel="noopener noreferrer nofollow ugc">
                {s.text}
              </a>
            );
          case 'cashtag':
            return (
              <span key={i} className="entity">
                {s.text}
              </span>
            );
        }
      })}
    </p>
  );
}
