import { useCallback, useEffect, useState } from 'react';

/** The reader's choice: follow the system's light or dark setting, or always one of them. */
export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_KEY = 'starling.theme';
const CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
/** Sent on `document` when the choice changes, so other parts (the charts) can follow it. */
export const THEME_EVENT = 'starling:theme';

/** The stored choice; "system" when none is stored, it is unreadable, or it is not one of the three. */
export function readTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return CHOICES.includes(v as ThemeChoice) ? (v as ThemeChoice) : 'system';
  } catch {
    return 'system';
  }
}

/**
 * Puts the choice on `<html data-theme>`, which styles.css honours; "system" removes the
 * attribute, and the stylesheet follows `prefers-color-scheme`. On load, index.html's inline
 * script has done the same from the stored choice before the first paint.
 */
export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement): void {
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

/** Stores and applies the choice, and tells whoever listens. */
export function saveTheme(choice: ThemeChoice): void {
  try {
    if (choice === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, choice);
  } catch {
    // Storage may be off (private mode): the choice still applies to this page.
  }
  applyTheme(choice);
  document.dispatchEvent(new Event(THEME_EVENT));
}

/** The stored choice and a setter that stores and applies it at once. */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoice] = useState(readTheme);
  const set = useCallback((c: ThemeChoice) => {
    saveTheme(c);
    setChoice(c);
  }, []);
  return [choice, set];
}

function systemDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

/** The scheme in effect now: the reader's choice, or the system's when they chose "system". */
export function resolvedScheme(): 'light' | 'dark' {
  const t = document.documentElement.dataset.theme;
  if (t === 'light' || t === 'dark') return t;
  return systemDark() ? 'dark' : 'light';
}

/** The scheme in effect, updated when the reader's choice or the system's setting changes. */
export function useResolvedScheme(): 'light' | 'dark' {
  const [scheme, setScheme] = useState(resolvedScheme);
  useEffect(() => {
    const update = () => setScheme(resolvedScheme());
    const mq = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
    mq?.addEventListener?.('change', update);
    document.addEventListener(THEME_EVENT, update);
    return () => {
      mq?.removeEventListener?.('change', update);
      document.removeEventListener(THEME_EVENT, update);
    };
  }, []);
  return scheme;
}
