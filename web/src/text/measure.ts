// Twitter's weighted length (configuration v3), from the official `twitter-text`
// package so the counter gives the server's numbers; the unit test
// test/tweetLength.conformance.test.ts proves it against the shared suite. Loaded on
// demand (tweetLength.ts): twitter-text and what it pulls in (core-js, twemoji-parser,
// punycode) are ~45 KB of script the first screen does not need.
import parseTweet from 'twitter-text/dist/esm/parseTweet';
import configs from 'twitter-text/dist/esm/configs';
import { MAX_WEIGHTED_LENGTH, type TweetLength } from './tweetLength';

export function measureTweet(text: string): TweetLength {
  const parsed = parseTweet(text, configs.version3);
  return {
    weightedLength: parsed.weightedLength,
    valid: parsed.valid,
    permillage: parsed.permillage,
    validRangeStart: parsed.validRangeStart,
    validRangeEnd: parsed.validRangeEnd,
    displayRangeStart: parsed.displayRangeStart,
    displayRangeEnd: parsed.displayRangeEnd,
    remaining: MAX_WEIGHTED_LENGTH - parsed.weightedLength,
    blank: text.trim().length === 0,
  };
}
