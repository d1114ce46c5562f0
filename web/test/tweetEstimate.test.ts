import { describe, expect, it } from 'vitest';
import { estimateTweet, MAX_WEIGHTED_LENGTH } from '../src/text/tweetLength';
import { measureTweet } from '../src/text/measure';

describe('the estimate shown until the exact measure has loaded', () => {
  it('agrees with the exact measure on plain text and links', () => {
    for (const text of ['hello world', 'see https://example.com/a/very/long/path?with=query now', 'café', 'x'.repeat(280), 'x'.repeat(281)]) {
      const estimate = estimateTweet(text);
      const exact = measureTweet(text);
      expect(estimate.weightedLength, text).toBe(exact.weightedLength);
      expect(estimate.valid, text).toBe(exact.valid);
      expect(estimate.remaining, text).toBe(MAX_WEIGHTED_LENGTH - exact.weightedLength);
    }
  });

  it('says blank for whitespace only', () => {
    expect(estimateTweet('  \n ').blank).toBe(true);
    expect(estimateTweet('').valid).toBe(false);
  });
});
