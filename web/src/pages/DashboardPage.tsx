import { useMemo, useState } from 'react';
import { api } from '../api/client';
import type { SystemStats } from '../api/types';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { TimeSeriesChart } from '../components/TimeSeriesChart';
import { HomeTimelinesSection } from '../components/dashboard/HomeTimelinesSection';
import type { StatsSample } from '../components/dashboard/homeStats';
import { useVisiblePolling } from '../hooks/useVisiblePolling';
import { usePageTitle } from '../hooks/usePageTitle';

const POLL_MS = 2000;
/** Five minutes of samples at one per two seconds. */
const KEEP = 150;

const mb = (bytes: number) => bytes / (1024 * 1024);
const fixed = (digits: number) => (v: number) => v.toFixed(digits);

function formatUptime(s: number): string {
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : `${m}m ${Math.floor(s % 60)}s`;
}

/** Operations dashboard: the stats endpoint polled while the page is visible, as time series. */
export function DashboardPage() {
  usePageTitle('Dashboard');
  const [samples, setSamples] = useState<StatsSample[]>([]);
  const [error, setError] = useState<string | null>(null);

  useVisiblePolling(async (signal) => {
    try {
      const stats = await api.stats(signal);
      setError(null);
      setSamples((s) => [...s.slice(-(KEEP - 1)), { t: Date.now() / 1000, stats }]);
    } catch (e) {
      if (!signal.aborted) setError(e instanceof Error ? e.message : 'Could not load stats.');
      throw e;
    }
  }, POLL_MS);

  const d = useMemo(() => {
    const times = samples.map((s) => s.t);
    const pick = (f: (s: SystemStats) => number) => samples.map((s) => f(s.stats));
    return {
      times,
      rps: [pick((s) => s.requests.perSecond)],
      latency: [pick((s) => s.requests.latencyMs.p50), pick((s) => s.requests.latencyMs.p95), pick((s) => s.requests.latencyMs.p99)],
      rss: [pick((s) => mb(s.memory.rssBytes))],
      tps: [pick((s) => s.tweets.createdPerSecond)],
      ws: [pick((s) => s.websockets.open)],
    };
  }, [samples]);

  const last = samples[samples.length - 1]?.stats;
  return (
    <section aria-labelledby="page-heading" className="dashboard">
      <div className="page-heading">
        <h1 id="page-heading">Dashboard</h1>
        <span className="muted">Every {POLL_MS / 1000}s while this page is visible</span>
      </div>
      {error && (
        <p role="alert" className="inline-error">
          Stats unavailable: {error}
        </p>
      )}
      {last && (
        <dl className="stat-tiles">
          <div>
            <dt>Uptime</dt>
            <dd>{formatUptime(last.uptimeSeconds)}</dd>
          </div>
          <div>
            <dt>Requests</dt>
            <dd>{last.requests.total.toLocaleString()}</dd>
          </div>
          <div>
            <dt>Tweets</dt>
            <dd>{last.tweets.total.toLocaleString()}</dd>
          </div>
          <div>
            <dt>Versions</dt>
            <dd>{last.tweets.versions.toLocaleString()}</dd>
          </div>
          <div>
            <dt>Likes</dt>
            <dd>{last.engagement.likes.toLocaleString()}</dd>
          </div>
          <div>
            <dt>Views</dt>
            <dd>{last.engagement.views.toLocaleString()}</dd>
          </div>
        </dl>
      )}
      <div className="chart-grid">
        <ErrorBoundary what="this chart">
          <TimeSeriesChart title="Requests per second" unit="req/s" series={[{ label: 'rps', color: '#1d9bf0' }]} times={d.times} values={d.rps} />
        </ErrorBoundary>
        <ErrorBoundary what="this chart">
          <TimeSeriesChart
            title="Latency"
            unit="ms"
            series={[
              { label: 'p50', color: '#00ba7c' },
              { label: 'p95', color: '#f59e0b' },
              { label: 'p99', color: '#f4212e' },
            ]}
            times={d.times}
            values={d.latency}
            format={fixed(2)}
          />
        </ErrorBoundary>
        <ErrorBoundary what="this chart">
          <TimeSeriesChart title="Memory (RSS)" unit="MiB" series={[{ label: 'RSS', color: '#7856ff' }]} times={d.times} values={d.rss} />
        </ErrorBoundary>
        <ErrorBoundary what="this chart">
          <TimeSeriesChart title="Tweets per second" unit="tweets/s" series={[{ label: 'tweets/s', color: '#1d9bf0' }]} times={d.times} values={d.tps} format={fixed(2)} />
        </ErrorBoundary>
        <ErrorBoundary what="this chart">
          <TimeSeriesChart title="Open WebSockets" unit="" series={[{ label: 'open', color: '#00ba7c' }]} times={d.times} values={d.ws} format={fixed(0)} />
        </ErrorBoundary>
      </div>
      <HomeTimelinesSection samples={samples} />
    </section>
  );
}
