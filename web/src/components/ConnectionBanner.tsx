import { useEffect, useState } from 'react';
import { useLive } from '../live';

/** A drop shorter than this (a server restart, a quick reconnection) is not worth a banner. */
export const BANNER_DELAY_MS = 3_000;

function useOnline(): boolean {
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

/**
 * Says in words when live updates stopped (the header's dot alone is easy to miss): offline,
 * or the stream still reconnecting after a few seconds. What was missed is caught up on
 * when the connection is back (catchUp.ts), which the banner promises.
 */
export function ConnectionBanner() {
  const { status, wake } = useLive();
  const online = useOnline();
  const [stalled, setStalled] = useState(false);
  useEffect(() => {
    if (status === 'open') {
      setStalled(false);
      return;
    }
    const timer = setTimeout(() => setStalled(true), BANNER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [status]);

  let text: string | null = null;
  if (!online) text = 'You’re offline. New tweets and changes will show when you’re back online.';
  else if (stalled) text = 'Live updates paused: reconnecting… New tweets and changes will show when the connection is back.';
  return (
    <div role="status" className="connection-banner" hidden={text === null}>
      {text}
      {text !== null && online && (
        <>
          {' '}
          <button type="button" className="link-button" onClick={wake}>
            Try now
          </button>
        </>
      )}
    </div>
  );
}
