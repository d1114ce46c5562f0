import { loadTweetMeasure } from '../src/text/tweetLength';
import { afterEach, vi } from 'vitest';
import { cleanup } from '@testing-library/react';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  localStorage.clear();
});

// The exact tweet measure is loaded on demand in the app; tests start with it loaded so
// counters show exact figures from the first render (the estimate has its own test).
await loadTweetMeasure();
