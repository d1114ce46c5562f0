import { describe, expect, it } from 'vitest';
import { segmentTweet, TweetText } from '../src/components/TweetText';
import { renderWithProviders } from './helpers';

describe('tweet text entities', () => {
  it('slices by code points, so astral characters before an entity do not shift it', () => {
    // "😀 #tag": the emoji is 1 code point but 2 UTF-16 units.
    const segs = segmentTweet('😀 #tag @bob', { hashtags: [{ tag: 'tag', indices: [2, 6] }], mentions: [{ username: 'bob', indices: [7, 11], userId: null }], urls: [], cashtags: [] });
    expect(segs).toEqual([
      { kind: 'text', text: '😀 ' },
      { kind: 'hashtag', text: '#tag', tag: 'tag' },
      { kind: 'text', text: ' ' },
      { kind: 'mention', text: '@bob', username: 'bob' },
    ]);
  });

  it('renders links, hashtags and mentions as elements and never injects HTML', () => {
    const content = '<img src=x onerror=alert(1)> #hi example.com';
    const { container } = renderWithProviders(
      <TweetText content={content} entities={{ hashtags: [{ tag: 'hi', indices: [29, 32] }], mentions: [], urls: [{ url: 'example.com', indices: [33, 44] }], cashtags: [] }} />,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toBe(content);
    const links = [...container.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/latest?hashtag=hi', 'https://example.com/']);
    expect(links[1]!.getAttribute('rel')).toContain('noopener');
  });

  it('does not link unsafe schemes and ignores out-of-range or overlapping entities', () => {
    const segs = segmentTweet('javascript:alert(1) #a', {
      hashtags: [{ tag: 'a', indices: [20, 22] }, { tag: 'zz', indices: [21, 40] }],
      mentions: [],
      urls: [{ url: 'javascript:alert(1)', indices: [0, 19] }],
      cashtags: [],
    });
    expect(segs).toEqual([
      { kind: 'text', text: 'javascript:alert(1) ' },
      { kind: 'hashtag', text: '#a', tag: 'a' },
    ]);
  });
});
