// Who is signed in. The token is kept in localStorage (see api/client.ts) so a
// reload keeps the session; the user is re-read from `GET /api/me` at start.

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, tokenStore } from './api/client';
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
}

export const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [token, setToken] = useState<string | null>(() => tokenStore.get());
  const [user, setUser] = useState<User | null | undefined>(() => (tokenStore.get() ? undefined : null));

  useEffect(() => {
    if (!token || user) return;
    const ctrl = new AbortController();
    api
      .me(ctrl.signal)
      .then(setUser)
      .catch((e: unknown) => {
        if (ctrl.signal.aborted) return;
        if (e instanceof ApiError && e.status === 401) {
          tokenStore.set(null);
          setToken(null);
        }
        setUser(null);
      });
    return () => ctrl.abort();
  }, [token, user]);

  const start = useCallback(
    (auth: { user: User; token: string }) => {
      tokenStore.set(auth.token);
      setToken(auth.token);
      setUser(auth.user);
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
        setUser(null);
        qc.removeQueries({ queryKey: ['tweets'] });
        qc.removeQueries({ queryKey: ['profile'] });
      },
      updateUser: (u) => setUser(u),
    }),
    [user, token, start, qc],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
