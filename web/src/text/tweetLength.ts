// Twitter's weighted length (configuration v3), from the official `twitter-text`
// package so the counter gives the server's numbers; the unit test
// test/tweetLength.conformance.test.ts proves it against the shared suite.
import parseTweet from 'twitter-text/dist/esm/parseTweet';
import configs from 'twitter-text/dist/esm/configs';

export const MAX_WEIGHTED_LENGTH = 280;
/** The counter turns to a warning this many characters before the limit. */
export const WARN_REMAINING = 20;

export interface TweetLength {
  weightedLength: number;
  valid: boolean;
  permillage: number;
  /** Inclusive UTF-16 offsets into the NFC-normalized text, as twitter-text reports them. */
  validRangeStart: number;
  validRangeEnd: number;
  displayRangeStart: number;
  displayRangeEnd: number;
  remaining: number;
  /** True when the text is empty or only whitespace: the server refuses it. */
  blank: boolean;
}

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
