// The dashboard's "Home timelines" section: the figures it shows from the stats' `home`,
// including stored timelines in Redis (null counts), and the delivery rate between polls.
import { act, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { SystemStats } from '../src/api/types';
import { HomeTimelinesSection } from '../src/components/dashboard/HomeTimelinesSection';
import { deliveryRates, formatAge, formatMemory, latestDeliveryRate, type HomeStats, type StatsSample } from '../src/components/dashboard/homeStats';
import { DashboardPage } from '../src/pages/DashboardPage';
import { json, mockFetch } from './helpers';

// uPlot draws on a canvas, which jsdom lacks (the e2e test checks the drawn charts); these tests
// read the figures and the charts' captions.
vi.mock('uplot', () => ({
  default: class {
    setData() {}
    setSize() {}
    destroy() {}
  },
}));

function stats(home: Partial<HomeStats> = {}): SystemStats {
  return {
    uptimeSeconds: 3600,
    memory: { rssBytes: 64 * 1024 * 1024 },
    requests: { total: 1000, perSecond: 12.5, latencyMs: { p50: 1.2, p95: 4.5, p99: 9.1 } },
    tweets: { total: 50, versions: 60, uniqueBodies: 48, createdPerSecond: 0.5 },
    engagement: { likes: 7, retweets: 3, replies: 2, views: 90 },
    websockets: { open: 2 },
    node: { id: 1, linked: null, eventsDropped: 0 },
    home: {
      backlog: 0,
      backlogAgeMs: 0,
      deliveries: 0,
      delivered: 0,
      latencyMs: { p50: 0, p99: 0 },
      rebuilds: 0,
      mergeThreshold: 10000,
      memoryBytes: 0,
      timelines: 0,
      entries: 0,
      cluster: null,
      ...home,
    },
  };
}

/** The section's figures, by their labels. */
function figures(): Record<string, string> {
  const section = screen.getByRole('region', { name: 'Home timelines' });
  const out: Record<string, string> = {};
  for (const dt of within(section).getAllByRole('term')) {
    out[dt.textContent ?? ''] = dt.nextElementSibling?.textContent ?? '';
  }
  return out;
}

const n = (v: number) => v.toLocaleString();

describe('dashboard: Home timelines', () => {
  it('shows the backlog, its age, the delivery rate between polls, latency, rebuilds and what is stored in memory', () => {
    const samples: StatsSample[] = [
      { t: 1000, stats: stats({ deliveries: 10_000 }) },
      {
        t: 1002,
        stats: stats({
          backlog: 1234,
          backlogAgeMs: 4200,
          deliveries: 13_000,
          delivered: 321,
          latencyMs: { p50: 12, p99: 1480 },
          rebuilds: 7,
          timelines: 5678,
          entries: 2_345_678,
          memoryBytes: 56_295_014,
        }),
      },
    ];
    render(<HomeTimelinesSection samples={samples} />);
    expect(screen.getByRole('heading', { level: 2, name: 'Home timelines' })).toBeTruthy();
    expect(figures()).toEqual({
      Backlog: n(1234),
      'Oldest waiting': '4.2 s',
      'Deliveries per second': n(1500),
      'Delivery latency p50': '12 ms',
      'Delivery latency p99': `${n(1480)} ms`,
      'Posts and follows delivered': '321',
      Rebuilds: '7',
      'Timelines stored': n(5678),
      'Entries stored': n(2_345_678),
      'Memory they take': '54 MiB (24 bytes an entry)',
    });
    // Charted like the rest of the dashboard: backlog and latency per poll, the rate per pair of polls.
    const chart = (title: string) => screen.getByText(title, { selector: '.chart-title' }).closest('figure')!;
    expect(chart('Delivery backlog').getAttribute('data-samples')).toBe('2');
    expect(within(chart('Delivery backlog')).getByText("1234 waiting")).toBeTruthy();
    expect(within(chart('Delivery latency')).getByText('p50 12 ms')).toBeTruthy();
    expect(within(chart('Delivery latency')).getByText('p99 1480 ms')).toBeTruthy();
    expect(chart('Deliveries per second').getAttribute('data-samples')).toBe('1');
    expect(within(chart('Deliveries per second')).getByText('1500.0 deliveries/s')).toBeTruthy();
  });

  it('says "in Redis" when the stored timelines are not in this process, and "none" waiting on an empty outbox', () => {
    render(<HomeTimelinesSection samples={[{ t: 1000, stats: stats({ timelines: null, entries: null, memoryBytes: null, rebuilds: 3, latencyMs: { p50: 4, p99: 9 } }) }]} />);
    const f = figures();
    expect(f['Timelines stored']).toBe('in Redis');
    expect(f['Entries stored']).toBe('in Redis');
    expect(f['Memory they take']).toBe('in Redis');
    expect(f['Backlog']).toBe('0');
    expect(f['Oldest waiting']).toBe('none');
    expect(f['Rebuilds']).toBe('3');
    expect(f['Delivery latency p99']).toBe('9 ms');
    // One poll: no rate yet, said in words (the dash is hidden from screen readers).
    expect(f['Deliveries per second']).toBe('–not measured yet');
    expect(screen.getByText('not measured yet')).toBeTruthy();
  });

  it('in a cluster, counts every node: polls answered by different nodes make one steady rate', () => {
    // Node 1 made 1,000 deliveries and node 2 made 5,000; the cluster's total grows by 200 a second.
    const s = (t: number, own: number, all: number): StatsSample => ({
      t,
      stats: stats({ deliveries: own, rebuilds: 1, cluster: { deliveries: all, rebuilds: 7 } }),
    });
    const samples = [s(0, 1000, 6000), s(2, 5000, 6400), s(4, 1000, 6800)];
    expect(deliveryRates(samples)).toEqual({ times: [2, 4], rates: [200, 200] });
    render(<HomeTimelinesSection samples={samples} />);
    expect(figures()['Rebuilds, all nodes']).toBe('7');
  });

  it('shows nothing but the heading and empty charts before the first poll', () => {
    render(<HomeTimelinesSection samples={[]} />);
    expect(screen.getByRole('heading', { name: 'Home timelines' })).toBeTruthy();
    expect(screen.queryAllByRole('term')).toHaveLength(0);
    expect(screen.getAllByRole('figure')).toHaveLength(3);
  });

  it('computes the rate between consecutive polls and leaves out a restart (the counter went back)', () => {
    const s = (t: number, deliveries: number): StatsSample => ({ t, stats: stats({ deliveries }) });
    const samples = [s(0, 100), s(2, 300), s(4, 300), s(6, 50), s(8, 450)];
    expect(deliveryRates(samples)).toEqual({ times: [2, 4, 8], rates: [100, 0, 200] });
    expect(latestDeliveryRate(samples)).toBe(200);
    expect(latestDeliveryRate(samples.slice(0, 4))).toBeNull();
    expect(latestDeliveryRate(samples.slice(0, 1))).toBeNull();
  });

  it('formats the memory of the stored timelines, per entry when there are any', () => {
    expect(formatMemory(0, 0)).toBe('0.0 MiB');
    expect(formatMemory(1_572_864, 65_536)).toBe('1.5 MiB (24 bytes an entry)');
    expect(formatMemory(243_269_632, 10_557_452)).toBe('232 MiB (23 bytes an entry)');
  });

  it('formats the age of the oldest waiting delivery', () => {
    expect(formatAge(850)).toBe('850 ms');
    expect(formatAge(4249)).toBe('4.2 s');
    expect(formatAge(187_000)).toBe('3m 07s');
    expect(formatAge(7_500_000)).toBe('2h 05m');
  });

  it('the dashboard polls the stats and shows its Home timelines section, the rate from two polls', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let deliveries = 0;
    const calls = mockFetch(() => {
      deliveries += 500;
      return json(200, stats({ deliveries, backlog: 2, backlogAgeMs: 75, timelines: null, entries: null }));
    });
    render(<DashboardPage />);
    await act(async () => {});
    expect(calls.map((c) => c.url)).toEqual(['/api/tweets/system/stats']);
    expect(figures()['Deliveries per second']).toBe('–not measured yet');
    await act(async () => vi.advanceTimersByTimeAsync(2000));
    expect(calls).toHaveLength(2);
    expect(figures()).toMatchObject({
      Backlog: '2',
      'Oldest waiting': '75 ms',
      'Deliveries per second': '250',
      'Timelines stored': 'in Redis',
      'Entries stored': 'in Redis',
    });
    expect(screen.getAllByRole('figure')).toHaveLength(8);
  });
});
