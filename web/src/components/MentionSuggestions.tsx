import { useEffect, useState, type KeyboardEvent, type RefObject } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { MatchedUser } from '../api/types';

/** The `@name` being typed just before the caret, if any (usernames are 1–15 of [A-Za-z0-9_]). */
export function mentionAt(text: string, caret: number): { start: number; prefix: string } | null {
  const m = /(?:^|[^A-Za-z0-9_@])@([A-Za-z0-9_]{1,15})$/.exec(text.slice(0, caret));
  if (!m) return null;
  const prefix = m[1]!;
  return { start: caret - prefix.length - 1, prefix };
}

/**
 * `@` completion for a textarea: the textarea keeps its textbox role and points at
 * the highlighted option with aria-activedescendant, so typing never leaves it.
 */
export function useMentionSuggestions(
  field: RefObject<HTMLTextAreaElement | null>,
  text: string,
  setText: (t: string) => void,
  listId: string,
) {
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const at = mentionAt(text, caret);
  const [prefix, setPrefix] = useState('');

  // A short pause before asking, so each keystroke is not a request.
  useEffect(() => {
    const next = at?.prefix ?? '';
    const timer = setTimeout(() => setPrefix(next), next ? 150 : 0);
    return () => clearTimeout(timer);
  }, [at?.prefix]);

  const matches = useQuery({
    queryKey: ['users', 'prefix', prefix.toLowerCase()],
    queryFn: ({ signal }) => api.searchUsers(prefix, signal),
    enabled: prefix.length > 0,
    staleTime: 60_000,
  });
  const items: MatchedUser[] = at && at.prefix === prefix && dismissed !== `${at.start}:${prefix}` ? (matches.data?.items ?? []) : [];
  const open = items.length > 0;
  const activeIndex = Math.min(active, items.length - 1);

  useEffect(() => setActive(0), [prefix]);

  function track() {
    const el = field.current;
    if (el) setCaret(el.selectionStart ?? el.value.length);
  }

  function choose(u: MatchedUser) {
    if (!at) return;
    const insert = `@${u.username} `;
    const next = text.slice(0, at.start) + insert + text.slice(caret);
    const pos = at.start + insert.length;
    setText(next);
    setCaret(pos);
    requestAnimationFrame(() => {
      field.current?.focus();
      field.current?.setSelectionRange(pos, pos);
    });
  }

  /** Returns true when the key was the list's. */
  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (!open || e.metaKey || e.ctrlKey || e.altKey) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((activeIndex + step + items.length) % items.length);
      return true;
    }
    if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      choose(items[activeIndex]!);
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      if (at) setDismissed(`${at.start}:${at.prefix}`);
      return true;
    }
    return false;
  }

  const optionId = (i: number) => `${listId}-${i}`;
  const fieldProps = {
    'aria-autocomplete': 'list' as const,
    'aria-controls': open ? listId : undefined,
    'aria-activedescendant': open ? optionId(activeIndex) : undefined,
    onSelect: track,
    onKeyUp: track,
    onClick: track,
  };

  const list = open ? (
    <ul id={listId} role="listbox" aria-label="Mention suggestions" className="mention-list">
      {items.map((u, i) => (
        <li
          key={u.id}
          id={optionId(i)}
          role="option"
          aria-selected={i === activeIndex}
          className="mention-option"
          // mousedown, not click: the textarea must not lose focus (and its caret) first.
          onMouseDown={(e) => {
            e.preventDefault();
            choose(u);
          }}
        >
          <span className="display-name">{u.displayName}</span> <span className="muted">@{u.username}</span>
        </li>
      ))}
    </ul>
  ) : null;

  return { fieldProps, list, onKeyDown, onChangeCaret: setCaret };
}
