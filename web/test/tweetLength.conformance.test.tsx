// The compose counter against Twitter's own conformance suite, read as it is at
// test time (the suite's rule: never convert it into static cases). The Rust
// text module runs the same file, so the counter and the server cannot drift.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from '@testing-library/react';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CharacterCounter, counterState } from '../src/components/CharacterCounter';
import { MAX_WEIGHTED_LENGTH } from '../src/text/tweetLength';
import { measureTweet } from '../src/text/measure';

/** `<repo>/../shared/conformance/twitter-text`, or `$STARLING_CONFORMANCE_DIR[/twitter-text]`. */
function suiteDir(): string {
  const override = process.env.STARLING_CONFORMANCE_DIR;
  if (override) {
    const nested = join(override, 'twitter-text');
    return existsSync(join(nested, 'validate.yml')) ? nested : override;
  }
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return join(repo, '..', 'shared', 'conformance', 'twitter-text');
}

interface Case {
  description: string;
  text: string;
  expected: {
    weightedLength: number;
    valid: boolean;
    permillage: number;
    displayRangeStart: number;
    displayRangeEnd: number;
    validRangeStart: number;
    validRangeEnd: number;
  };
}

const file = join(suiteDir(), 'validate.yml');
const suite = parse(readFileSync(file, 'utf8')) as { tests: Record<string, Case[]> };

for (const section of ['WeightedTweetsWithDiscountedEmojiCounterTest', 'UnicodeDirectionalMarkerCounterTest']) {
  const cases = suite.tests[section] ?? [];

  describe(`${section} (${file})`, () => {
    it('has cases', () => {
      expect(cases.length).toBeGreaterThan(0);
    });

    it.each(cases.map((c) => [c.description, c] as const))('%s', (_name, c) => {
      const m = measureTweet(c.text);
      expect({
        weightedLength: m.weightedLength,
        valid: m.valid,
        permillage: m.permillage,
        displayRangeStart: m.displayRangeStart,
        displayRangeEnd: m.displayRangeEnd,
        validRangeStart: m.validRangeStart,
        validRangeEnd: m.validRangeEnd,
      }).toEqual(c.expected);

      // What the reader sees: characters left, and the warning/over state.
      const { getByTestId, container } = render(<CharacterCounter length={m} />);
      expect(getByTestId('counter-remaining').textContent).toBe(String(MAX_WEIGHTED_LENGTH - c.expected.weightedLength));
      const state = container.querySelector('.counter')?.getAttribute('data-state');
      expect(state).toBe(counterState(m));
      // The counter and the server's validity must agree wherever validity turns on length alone.
      if (c.expected.weightedLength > MAX_WEIGHTED_LENGTH) expect(state).toBe('over');
      else expect(state).not.toBe('over');
    });
  });
}
