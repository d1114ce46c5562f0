import type { SystemStats } from '../../api/types';

/** One poll of the stats endpoint: when it answered (Unix seconds) and what. */
export interface StatsSample {
  t: number;
  stats: SystemStats;
}

export type HomeStats = SystemStats['home'];

/**
 * Timeline deliveries per second between consecutive polls, as `{times, rates}` aligned
 * (each rate at its later poll). A pair across which the counter went back (the server
 * restarted) or no time passed has no rate and is left out.
 */
export function deliveryRates(samples: readonly StatsSample[]): { times: number[]; rates: number[] } {
  const times: number[] = [];
  const rates: number[] = [];
  let prev: StatsSample | undefined;
  for (const s of samples) {
    const r = prev && rateBetween(prev, s);
    if (r != null) {
      times.push(s.t);
      rates.push(r);
    }
    prev = s;
  }
  return { times, rates };
}

/** Deliveries per second between the last two polls; null before two, or across a restart. */
export function latestDeliveryRate(samples: readonly StatsSample[]): number | null {
  const a = samples[samples.length - 2];
  const b = samples[samples.length - 1];
  return a && b ? rateBetween(a, b) : null;
}

/**
 * The deliveries and rebuilds to show: every node's in a cluster (polls behind a load balancer
 * reach different nodes, whose own counters would make the rate jump), else this server's.
 */
export function homeTotals(home: HomeStats): { deliveries: number; rebuilds: number } {
  return home.cluster ?? { deliveries: home.deliveries, rebuilds: home.rebuilds };
}

function rateBetween(a: StatsSample, b: StatsSample): number | null {
  const dt = b.t - a.t;
  const dn = homeTotals(b.stats.home).deliveries - homeTotals(a.stats.home).deliveries;
  return dt > 0 && dn >= 0 ? dn / dt : null;
}

/** A duration in milliseconds, short: "850 ms", "4.2 s", "3m 07s", "2h 05m". */
export function formatAge(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const total = Math.floor(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}h ${pad(m)}m` : `${m}m ${pad(total % 60)}s`;
}

/** A rate per second, to one decimal below 100 and whole above. */
export function formatRate(perSecond: number): string {
  return perSecond.toLocaleString(undefined, { maximumFractionDigits: perSecond < 100 ? 1 : 0 });
}

/** Heap the stored timelines hold, and per entry: "232 MiB (23 bytes an entry)". */
export function formatMemory(bytes: number, entries: number | null): string {
  const mib = `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
  return entries ? `${mib} (${Math.round(bytes / entries)} bytes an entry)` : mib;
}
