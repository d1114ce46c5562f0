import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import { keys } from '../api/cache';
import type { Profile, Relationship } from '../api/types';
import { useHomeFeed } from '../home';

export type RelateAction = 'follow' | 'block' | 'mute';

/**
 * Follow, block or mute someone, or undo it, and bring every cached view in step: their
 * profile (relationship and counts), the tweets of theirs the viewer may read, and the home
 * timeline (a follow brings their recent tweets in, the others take them out).
 */
export function useRelate(who: { id: string; username: string }) {
  const qc = useQueryClient();
  const home = useHomeFeed();
  const [busy, setBusy] = useState<RelateAction | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** The relationship the server answered, or null after a refusal (then `error` says why). */
  async function run(what: RelateAction, on: boolean): Promise<Relationship | null> {
    if (busy) return null;
    setBusy(what);
    setError(null);
    try {
      const next = await api.relate(who.username, what, on);
      qc.setQueryData<Profile>(keys.profile(who.username), (p) => (p ? { ...p, relationship: next } : p));
      // Counts move, and which tweets the viewer may read changes with a follow or a block.
      void qc.invalidateQueries({ queryKey: keys.profile(who.username) });
      void qc.invalidateQueries({ queryKey: ['tweets', 'user', who.username.toLowerCase()] });
      home.relationshipChanged(who.id, next);
      return next;
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'blocked' ? 'You cannot follow this account.' : e instanceof Error ? e.message : 'Something went wrong.');
      return null;
    } finally {
      setBusy(null);
    }
  }

  return { busy, error, run };
}
