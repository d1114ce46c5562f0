import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';

/** The keys, as the shortcuts dialog lists them (the same as on X and Mastodon). */
export const SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: 'j', what: 'Next tweet' },
  { keys: 'k', what: 'Previous tweet' },
  { keys: 'n', what: 'New tweet' },
  { keys: 'l', what: 'Like or unlike the focused tweet' },
  { keys: 'r', what: 'Reply to the focused tweet' },
  { keys: '.', what: 'Show new tweets' },
  { keys: '?', what: 'Show this list of shortcuts' },
];

/** The tweet cards of the current page, in reading order (quoted tweets inside them are not cards). */
export const CARD_SELECTOR = 'main article[data-tweet-id]';
const COMPOSE_SELECTOR = 'main form[aria-label="Compose a tweet"] textarea';
const REPLY_SELECTOR = 'main form[aria-label="Reply"] textarea';
const WAIT_MS = 3000;

/** Typing in a field, or a key with a modifier, is never a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(type);
  }
  return false;
}

function cards(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(CARD_SELECTOR)].filter((a) => !a.dataset.tweetId?.startsWith('pending:'));
}

/** The card holding focus, if any. */
function focusedCard(): HTMLElement | null {
  const a = document.activeElement;
  return a instanceof HTMLElement ? a.closest<HTMLElement>(CARD_SELECTOR) : null;
}

function focusElement(el: HTMLElement) {
  if (!el.hasAttribute('tabindex') && !el.matches('a[href], button, textarea, input, select')) el.tabIndex = -1;
  el.focus({ preventScroll: true });
  el.scrollIntoView?.({ block: 'nearest' });
}

/** Calls `then` with the first element matching `selector`, now or once it appears (up to a few seconds). */
function whenPresent(selector: string, then: (el: HTMLElement) => void): () => void {
  const now = document.querySelector<HTMLElement>(selector);
  if (now) {
    then(now);
    return () => {};
  }
  const mo = new MutationObserver(() => {
    const el = document.querySelector<HTMLElement>(selector);
    if (el) {
      stop();
      then(el);
    }
  });
  const timer = setTimeout(() => stop(), WAIT_MS);
  function stop() {
    mo.disconnect();
    clearTimeout(timer);
  }
  mo.observe(document.body, { childList: true, subtree: true });
  return stop;
}

/**
 * Keyboard shortcuts for the whole app: j/k move between tweets, n writes a new one, l likes,
 * r replies, "." shows waiting new tweets, ? lists them all (`onHelp`). None fires while the
 * reader types in a field, with Ctrl, Meta or Alt held, or while a modal dialog is open.
 */
export function useShortcuts({ onHelp, signedIn }: { onHelp: () => void; signedIn: boolean }): void {
  const navigate = useNavigate();
  const pending = useRef<() => void>(() => {});
  const latest = useRef({ onHelp, signedIn, navigate });
  latest.current = { onHelp, signedIn, navigate };

  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (isTyping(e.target) || isTyping(document.activeElement)) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      const { onHelp, signedIn, navigate } = latest.current;
      const run = (action: () => void) => {
        e.preventDefault();
        pending.current();
        pending.current = () => {};
        action();
      };

      switch (e.key) {
        case 'j':
        case 'k': {
          const list = cards();
          if (list.length === 0) return;
          run(() => {
            const at = focusedCard();
            const i = at ? list.indexOf(at) : -1;
            let next: HTMLElement | undefined;
            if (i === -1) {
              // From nowhere in the list: the first card on screen, as far as there is a screen.
              next = list.find((c) => c.getBoundingClientRect().bottom > 0) ?? list[0];
            } else {
              next = list[e.key === 'j' ? Math.min(i + 1, list.length - 1) : Math.max(i - 1, 0)];
            }
            if (next) focusElement(next);
          });
          return;
        }
        case 'n': {
          if (!signedIn) return;
          run(() => {
            if (!document.querySelector(COMPOSE_SELECTOR)) navigate('/home');
            pending.current = whenPresent(COMPOSE_SELECTOR, focusElement);
          });
          return;
        }
        case 'l': {
          const like = focusedCard()?.querySelector<HTMLElement>('[data-testid="like-button"]');
          if (!like) return;
          run(() => like.click());
          return;
        }
        case 'r': {
          const card = focusedCard();
          const id = card?.dataset.tweetId;
          if (!card || !id || !signedIn) return;
          run(() => {
            // The tweet's own page has the reply box; on any other page, go there first.
            const here = card.closest('.thread-main') && document.querySelector(REPLY_SELECTOR);
            if (!here) navigate(`/tweets/${id}`);
            pending.current = whenPresent(REPLY_SELECTOR, focusElement);
          });
          return;
        }
        case '.': {
          const banner = document.querySelector<HTMLElement>('.new-tweets button');
          if (!banner) return;
          run(() => {
            banner.click();
            // The banner goes once clicked: focus moves to the first tweet, now the newest, rather than to <body>.
            requestAnimationFrame(() => {
              const first = cards()[0];
              if (first && (document.activeElement === document.body || !document.activeElement)) focusElement(first);
            });
          });
          return;
        }
        case '?':
          run(onHelp);
          return;
      }
    }
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      pending.current();
    };
  }, []);
}
