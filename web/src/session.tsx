// Who is signed in. The token is kept in localStorage (see api/client.ts) so a
// reload keeps the session; the user is a query (`GET /api/me`, keyed by the token), so a
// start while offline waits for the network (TanStack pauses queries offline and resumes
// them) instead of looking signed out.

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { keys } from './api/cache';
import { api, ApiError, onSignedOut, type SignedOut, TOKEN_KEY, tokenStore } from './api/client';
import type { LoginRequest, RegisterRequest, User } from './api/types';

export interface Session {
  /** `undefined` while the stored token is being checked. */
  user: User | null | undefined;
  token: string | null;
  login(body: LoginRequest): Promise<User>;
  register(body: RegisterRequest): Promise<User>;
  logout(): Promise<void>;
  /** After the user changed their own profile (the header shows the display name). */
  updateUser?(user: User): void;
  /** Why the tab was signed out without asking, if it was (shown on the sign-in page). */
  signedOut?: SignedOut | null;
}

/** What the sign-in page says after a sign-out the reader did not ask for here. */
export const SIGNED_OUT_MESSAGE: Record<SignedOut, string> = {
  expired: 'Your session has ended. Sign in again to continue.',
  elsewhere: 'You signed out in another tab. Sign in again to continue.',
};

export const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [token, setToken] = useState<string | null>(() => tokenStore.get());
  const [why, setWhy] = useState<SignedOut | null>(null);
  const me = useQuery({
    queryKey: keys.session(token),
    queryFn: ({ signal }) => api.me(signal),
    enabled: token !== null,
    staleTime: Infinity,
    gcTime: Infinity,
    // A refusal is final (a 401 also signs the tab out, in api/client.ts); a network
    // failure is tried again, with TanStack's growing delay, until the server answers.
    retry: (_, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500),
  });
  const refused = me.error instanceof ApiError && me.error.status >= 400 && me.error.status < 500;
  const user: User | null | undefined = token === null || refused ? null : me.data;

  // Signed out without asking: a 401 on any request that carried the token, or the
  // token removed (or replaced) by another tab.
  useEffect(() => {
    const forget = (reason: SignedOut) => {
      setToken(null);
      setWhy(reason);
      qc.removeQueries({ queryKey: keys.sessions });
      qc.removeQueries({ queryKey: ['tweets'] });
      qc.removeQueries({ queryKey: ['profile'] });
    };
    const stop = onSignedOut(forget);
    const onStorage = (e: StorageEvent) => {
      if (e.key !== TOKEN_KEY && e.key !== null) return;
      const now = tokenStore.get();
      if (!now) {
        forget('elsewhere');
      } else {
        // Signed in (maybe as someone else) in another tab: read who, anew.
        setToken(now);
        setWhy(null);
        qc.removeQueries({ queryKey: ['tweets'] });
        qc.removeQueries({ queryKey: ['profile'] });
      }
    };
    window.addEventListener('storage', onStorage);
    return () => {
      stop();
      window.removeEventListener('storage', onStorage);
    };
  }, [qc]);

  const start = useCallback(
    (auth: { user: User; token: string }) => {
      setWhy(null);
      tokenStore.set(auth.token);
      qc.setQueryData(keys.session(auth.token), auth.user);
      setToken(auth.token);
      // Viewer-specific fields (likedByCurrentUser, drafts) change with the viewer.
      qc.removeQueries({ queryKey: ['tweets'] });
      // Relationships are the viewer's too.
      qc.removeQueries({ queryKey: ['profile'] });
      return auth.user;
    },
    [qc],
  );

  const value = useMemo<Session>(
    () => ({
      user,
      token,
      login: async (body) => start(await api.login(body)),
      register: async (body) => start(await api.register(body)),
      logout: async () => {
        try {
          await api.logout();
        } catch {
          // The token is dropped locally whatever the server says.
        }
        tokenStore.set(null);
        setToken(null);
        qc.removeQueries({ queryKey: keys.sessions });
        qc.removeQueries({ queryKey: ['tweets'] });
        qc.removeQueries({ queryKey: ['profile'] });
      },
      updateUser: (u) => qc.setQueryData(keys.session(token), u),
      signedOut: why,
    }),
    [user, token, start, qc, why],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
