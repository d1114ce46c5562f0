import { MAX_WEIGHTED_LENGTH, WARN_REMAINING, type TweetLength } from '../text/tweetLength';

const R = 9;
const CIRCUMFERENCE = 2 * Math.PI * R;

export type CounterState = 'ok' | 'warn' | 'over';

export function counterState(length: TweetLength): CounterState {
  if (length.remaining < 0) return 'over';
  if (length.remaining <= WARN_REMAINING) return 'warn';
  return 'ok';
}

/**
 * A ring that fills with the weighted length (Twitter's rules, the server's
 * numbers) and the characters left, turning amber near the limit and red past it.
 */
export function CharacterCounter({ length, id }: { length: TweetLength; id?: string }) {
  const state = counterState(length);
  const fraction = Math.min(1, length.weightedLength / MAX_WEIGHTED_LENGTH);
  const spoken =
    state === 'over'
      ? `${-length.remaining} characters over the limit`
      : `${length.remaining} characters remaining`;
  return (
    <div className="counter" data-state={state} id={id}>
      <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true">
        <circle cx="12" cy="12" r={R} className="counter-track" />
        <circle
          cx="12"
          cy="12"
          r={R}
          className="counter-fill"
          strokeDasharray={CIRCUMFERENCE}
          strokeDashoffset={CIRCUMFERENCE * (1 - fraction)}
          transform="rotate(-90 12 12)"
        />
      </svg>
      <span className="counter-number" aria-hidden="true" data-testid="counter-remaining">
        {length.remaining}
      </span>
      {/* Announced only near the limit, so screen readers are not told every keystroke. */}
      <span className="visually-hidden" aria-live={state === 'ok' ? 'off' : 'polite'}>
        {spoken}
      </span>
    </div>
  );
}
