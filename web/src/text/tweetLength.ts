// Twitter's weighted length (configuration v3) for the counters. The exact measure
// (measure.ts, the official `twitter-text`) is loaded on demand, the first time a counter
// is shown; until it has arrived (a moment after the first screen), an estimate stands in:
// one per code point, 23 per link as t.co makes them.
import { useEffect, useMemo, useState } from 'react';

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

type Measure = (text: string) => TweetLength;
let exact: Measure | null = null;
let loading: Promise<Measure> | null = null;

/** Loads the exact measure (once); resolves when `useTweetLength` gives exact figures. */
export function loadTweetMeasure(): Promise<Measure> {
  loading ??= import('./measure').then((m) => (exact = m.measureTweet));
  return loading;
}

const LINK = /\bhttps?:\/\/\S+/giu;

/** Until the exact measure has arrived: code points, and 23 for each link. */
export function estimateTweet(text: string): TweetLength {
  const normalized = text.normalize('NFC');
  let weighted = 0;
  const rest = normalized.replace(LINK, () => {
    weighted += 23;
    return '';
  });
  weighted += [...rest].length;
  return {
    weightedLength: weighted,
    valid: weighted > 0 && weighted <= MAX_WEIGHTED_LENGTH,
    permillage: Math.round((weighted / MAX_WEIGHTED_LENGTH) * 1000),
    validRangeStart: 0,
    validRangeEnd: Math.max(0, normalized.length - 1),
    displayRangeStart: 0,
    displayRangeEnd: Math.max(0, normalized.length - 1),
    remaining: MAX_WEIGHTED_LENGTH - weighted,
    blank: text.trim().length === 0,
  };
}

/** The weighted length of `text`: estimated for the first moments, then exact. */
export function useTweetLength(text: string): TweetLength {
  const [ready, setReady] = useState(exact !== null);
  useEffect(() => {
    if (ready) return;
    let live = true;
    loadTweetMeasure().then(
      () => live && setReady(true),
      () => {
        // Offline before it arrived: the estimate stays; the server has the last word.
      },
    );
    return () => {
      live = false;
    };
  }, [ready]);
  return useMemo(() => (ready && exact ? exact : estimateTweet)(text), [text, ready]);
}
