import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import { keys } from '../api/cache';
import type { Profile } from '../api/types';
import { FormField } from '../components/FormField';
import { useSession } from '../session';
import { useTweetLength } from '../text/tweetLength';
import { usePageTitle } from '../hooks/usePageTitle';
import { useTheme, type ThemeChoice } from '../hooks/useTheme';

const BIO_MAX = 160;

const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** Light, dark, or as the system says: applied at once and kept in this browser (not on the server). */
export function ThemeSetting() {
  const [theme, setTheme] = useTheme();
  const id = useId();
  return (
    <fieldset className="theme-fieldset" aria-describedby={`${id}-hint`}>
      <legend>Theme</legend>
      <div className="theme-options">
        {THEMES.map((t) => (
          <label key={t.value}>
            <input type="radio" name={`${id}-theme`} value={t.value} checked={theme === t.value} onChange={() => setTheme(t.value)} />
            {t.label}
          </label>
        ))}
      </div>
      <p id={`${id}-hint`} className="hint">
        System follows your device’s light or dark setting. Kept in this browser.
      </p>
    </fieldset>
  );
}

/** The signed-in user's own profile: display name, bio and whether followers need approval. */
export function SettingsPage() {
  usePageTitle('Settings');
  const { user, updateUser } = useSession();
  const qc = useQueryClient();
  const bioId = useId();
  const username = user?.username ?? '';
  const profile = useQuery({ queryKey: keys.profile(username), queryFn: ({ signal }) => api.profile(username, signal), enabled: !!user });

  const [displayName, setDisplayName] = useState('');
  const [bio, setBio] = useState('');
  const [protectedAccount, setProtected] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [errors, setErrors] = useState<{ displayName?: string; bio?: string; form?: string }>({});
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  // The form starts from the server's copy once, and is not reset by later refetches while being edited.
  useEffect(() => {
    if (!profile.data || loaded) return;
    setDisplayName(profile.data.displayName);
    setBio(profile.data.bio);
    setProtected(profile.data.protected);
    setLoaded(true);
  }, [profile.data, loaded]);

  // The bio is counted as tweets are (CJK weighs two), so the server's limit is the counter's.
  const bioLength = useTweetLength(bio).weightedLength;
  const bioOver = bioLength > BIO_MAX;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const local: typeof errors = {};
    if (!displayName.trim()) local.displayName = 'Enter a display name.';
    else if (Array.from(displayName.trim()).length > 50) local.displayName = 'At most 50 characters.';
    if (bioOver) local.bio = `At most ${BIO_MAX} characters.`;
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const next = await api.updateMe({ displayName: displayName.trim(), bio, protected: protectedAccount });
      qc.setQueryData<Profile>(keys.profile(username), (p) => ({ ...next, relationship: p?.relationship ?? null }));
      if (user) updateUser?.({ ...user, displayName: next.displayName });
      // Every tweet shows the new name at once.
      void qc.invalidateQueries({ queryKey: keys.all });
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError && (err.field === 'displayName' || err.field === 'bio')) setErrors({ [err.field]: err.message });
      else setErrors({ form: err instanceof Error ? err.message : 'Could not save.' });
    } finally {
      setBusy(false);
    }
  }

  if (profile.isError)
    return (
      <div role="alert" className="error-panel">
        Could not load your profile: {profile.error.message}
      </div>
    );
  if (!loaded) return <p className="muted center">Loading…</p>;

  return (
    <section aria-labelledby="page-heading">
      <div className="page-heading">
        <h1 id="page-heading">Settings</h1>
        <Link to={`/u/${encodeURIComponent(username)}`} className="link-button">
          View your profile
        </Link>
      </div>
      <form className="settings-form" onSubmit={submit} noValidate>
        {errors.form && (
          <p role="alert" className="field-error">
            {errors.form}
          </p>
        )}
        <FormField label="Display name" name="displayName" value={displayName} onChange={(e) => setDisplayName(e.target.value)} error={errors.displayName} maxLength={50} />
        <div className="form-field">
          <label htmlFor={bioId}>Bio</label>
          <textarea
            id={bioId}
            value={bio}
            rows={3}
            onChange={(e) => setBio(e.target.value)}
            aria-invalid={bioOver || errors.bio ? true : undefined}
            aria-describedby={`${bioId}-count${errors.bio ? ` ${bioId}-error` : ''}`}
          />
          <span id={`${bioId}-count`} className={bioOver ? 'field-error' : 'hint'}>
            {bioLength} / {BIO_MAX}
          </span>
          {errors.bio && (
            <span id={`${bioId}-error`} className="field-error" role="alert">
              {errors.bio}
            </span>
          )}
        </div>
        <div className="checkbox-field">
          <input id={`${bioId}-protected`} type="checkbox" checked={protectedAccount} onChange={(e) => setProtected(e.target.checked)} aria-describedby={`${bioId}-protected-hint`} />
          <label htmlFor={`${bioId}-protected`}>Protect my tweets</label>
          <span id={`${bioId}-protected-hint`} className="hint">
            New followers need your approval, and new tweets default to followers only. Turning this off accepts every waiting request.
          </span>
        </div>
        <div className="compose-bar">
          {saved && (
            <span role="status" className="notice">
              Saved.
            </span>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
      <ThemeSetting />
    </section>
  );
}
