// Every change to a tweet goes through one kind of TanStack mutation. Before it changes
// anything shown (at once, for an optimistic one, or with the server's answer), reads of
// tweets already in flight are cancelled: they were asked before the change and would put
// the old state back when they land. Once the server has answered, they are asked again,
// and bring the new state.

import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { keys } from './cache';

export interface TweetMutation<TVars, TData> {
  mutationFn: (vars: TVars) => Promise<TData>;
  /** The optimistic change, made after the reads in flight are cancelled. */
  optimistic?: (vars: TVars) => void;
  onSuccess?: (data: TData, vars: TVars) => void;
  onError?: (error: Error, vars: TVars) => void;
}

export function useTweetMutation<TVars, TData>(m: TweetMutation<TVars, TData>) {
  const qc = useQueryClient();
  return useMutation<TData, Error, TVars, { interrupted: QueryKey[] }>({
    mutationFn: m.mutationFn,
    onMutate: async (vars) => {
      const interrupted = qc
        .getQueryCache()
        .findAll({ queryKey: keys.all, fetchStatus: 'fetching' })
        .map((q) => q.queryKey);
      await qc.cancelQueries({ queryKey: keys.all, fetchStatus: 'fetching' });
      m.optimistic?.(vars);
      return { interrupted };
    },
    onSuccess: (data, vars) => m.onSuccess?.(data, vars),
    onError: (error, vars) => m.onError?.(error, vars),
    onSettled: (_data, _error, _vars, context) => {
      for (const queryKey of context?.interrupted ?? []) void qc.invalidateQueries({ queryKey, exact: true });
    },
  });
}
