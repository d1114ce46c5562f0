import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ThemeSetting } from '../src/pages/SettingsPage';
import { applyTheme, readTheme, resolvedScheme, THEME_KEY } from '../src/hooks/useTheme';

/** index.html's one inline script (the only one the server's CSP allows). */
function inlineScript(): string {
  const html = readFileSync(resolve(__dirname, '../index.html'), 'utf8');
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  expect(inline).toHaveLength(1);
  return inline[0]!;
}

afterEach(() => {
  delete document.documentElement.dataset.theme;
});

describe('theme setting', () => {
  it('reads "system" unless light or dark is stored', () => {
    expect(readTheme()).toBe('system');
    localStorage.setItem(THEME_KEY, 'purple');
    expect(readTheme()).toBe('system');
    localStorage.setItem(THEME_KEY, 'dark');
    expect(readTheme()).toBe('dark');
  });

  it('index.html’s inline script puts the stored choice on <html> before anything else runs', () => {
    const run = new Function(inlineScript());
    for (const [stored, applied] of [['dark', 'dark'], ['light', 'light'], ['purple', undefined], [null, undefined]] as const) {
      delete document.documentElement.dataset.theme;
      if (stored === null) localStorage.removeItem(THEME_KEY);
      else localStorage.setItem(THEME_KEY, stored);
      run();
      expect(document.documentElement.dataset.theme).toBe(applied);
    }
  });

  it('the server’s Content-Security-Policy allows that script by its hash, and no other', () => {
    const hash = createHash('sha256').update(inlineScript(), 'utf8').digest('base64');
    const guard = readFileSync(resolve(__dirname, '../../crates/starling-api/src/guard.rs'), 'utf8');
    const policy = /const CSP: &str = "([^"]*)"/.exec(guard)![1]!;
    const scriptSrc = /script-src ([^;]*);/.exec(policy)![1]!;
    expect(scriptSrc.trim()).toBe(`'self' 'sha256-${hash}'`);
  });

  it('applies a choice on <html> (as Settings does)', () => {
    localStorage.setItem(THEME_KEY, 'light');
    applyTheme(readTheme());
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(resolvedScheme()).toBe('light');
    applyTheme('system');
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
  });

  it('Settings offers System, Light and Dark; a choice applies at once and is kept', () => {
    render(<ThemeSetting />);
    const group = screen.getByRole('group', { name: 'Theme' });
    expect(group).toBeTruthy();
    expect((screen.getByRole('radio', { name: 'System' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem(THEME_KEY)).toBe('dark');
    expect(resolvedScheme()).toBe('dark');
    fireEvent.click(screen.getByRole('radio', { name: 'System' }));
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
    expect(localStorage.getItem(THEME_KEY)).toBeNull();
  });

  it('the stylesheet honours data-theme and, for System, the system’s scheme', () => {
    // Each colour is one light-dark() pair, picked by the color-scheme in force (the e2e run
    // checks the result in Chromium: axe's contrast in light and dark, and screenshots).
    const css = readFileSync(resolve(__dirname, '../src/styles.css'), 'utf8');
    expect(css).toMatch(/:root\s*{[^}]*--bg: light-dark\(#ffffff, #000000\)[^}]*color-scheme: light dark;/);
    expect(css).toMatch(/:root\[data-theme='light'\]\s*{\s*color-scheme: light;\s*}/);
    expect(css).toMatch(/:root\[data-theme='dark'\]\s*{\s*color-scheme: dark;\s*}/);
    // No second palette to keep in step.
    expect(css).not.toMatch(/prefers-color-scheme/);
  });
});
