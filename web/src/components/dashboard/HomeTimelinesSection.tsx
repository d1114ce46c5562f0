import { useId, useMemo } from 'react';
import { ErrorBoundary } from '../ErrorBoundary';
import { TimeSeriesChart } from '../TimeSeriesChart';
import { deliveryRates, formatAge, formatMemory, formatRate, homeTotals, latestDeliveryRate, type StatsSample } from './homeStats';
import './dashboard.css';

/** Counts and whole milliseconds; axis ticks between whole numbers keep a decimal (not "1" twice). */
const whole = (v: number) => (Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1));
const fixed1 = (v: number) => v.toFixed(1);

/** Stored in this process's memory, or (null) in Redis, where this node does not count them. */
function Stored({ n }: { n: number | null }) {
  return <>{n === null ? 'in Redis' : n.toLocaleString()}</>;
}

/**
 * The dashboard's "Home timelines" part: fan-out delivery (the outbox backlog and the age of
 * its oldest delivery, deliveries per second between polls, write → delivered latency),
 * rebuilds and what is stored, from the polled stats' `home`.
 */
export function HomeTimelinesSection({ samples }: { samples: readonly StatsSample[] }) {
  const headingId = useId();
  const d = useMemo(() => {
    const rate = deliveryRates(samples);
    return {
      times: samples.map((s) => s.t),
      backlog: [samples.map((s) => s.stats.home.backlog)],
      latency: [samples.map((s) => s.stats.home.latencyMs.p50), samples.map((s) => s.stats.home.latencyMs.p99)],
      rateTimes: rate.times,
      rate: [rate.rates],
    };
  }, [samples]);

  const last = samples[samples.length - 1]?.stats.home;
  const lastRate = latestDeliveryRate(samples);

  return (
    <section aria-labelledby={headingId} className="dashboard-section">
      <h2 id={headingId}>Home timelines</h2>
      {last && (
        <dl className="stat-tiles">
          <div>
            <dt>Backlog</dt>
            <dd>{last.backlog.toLocaleString()}</dd>
          </div>
          <div>
            <dt>Oldest waiting</dt>
            <dd>{last.backlog === 0 ? 'none' : formatAge(last.backlogAgeMs)}</dd>
          </div>
          <div>
            <dt>Deliveries per second</dt>
            <dd>
              {lastRate === null ? (
                <>
                  <span aria-hidden="true">–</span>
                  <span className="visually-hidden">not measured yet</span>
                </>
              ) : (
                formatRate(lastRate)
              )}
            </dd>
          </div>
          <div>
            <dt>Delivery latency p50</dt>
            <dd>{last.latencyMs.p50.toLocaleString()} ms</dd>
          </div>
          <div>
            <dt>Delivery latency p99</dt>
            <dd>{last.latencyMs.p99.toLocaleString()} ms</dd>
          </div>
          <div>
            <dt>Posts and follows delivered</dt>
            <dd>{last.delivered.toLocaleString()}</dd>
          </div>
          <div>
            <dt>{last.cluster ? 'Rebuilds, all nodes' : 'Rebuilds'}</dt>
            <dd>{homeTotals(last).rebuilds.toLocaleString()}</dd>
          </div>
          <div>
            <dt>Timelines stored</dt>
            <dd>
              <Stored n={last.timelines} />
            </dd>
          </div>
          <div>
            <dt>Entries stored</dt>
            <dd>
              <Stored n={last.entries} />
            </dd>
          </div>
          <div>
            <dt>Memory they take</dt>
            <dd>{last.memoryBytes === null ? 'in Redis' : formatMemory(last.memoryBytes, last.entries)}</dd>
          </div>
        </dl>
      )}
      <div className="chart-grid">
        <ErrorBoundary what="this chart">
          <TimeSeriesChart title="Delivery backlog" unit="waiting" series={[{ label: 'backlog', color: '#f59e0b' }]} times={d.times} values={d.backlog} format={whole} />
        </ErrorBoundary>
        <ErrorBoundary what="this chart">
          <TimeSeriesChart
            title="Delivery latency"
            unit="ms"
            series={[
              { label: 'p50', color: '#00ba7c' },
              { label: 'p99', color: '#f4212e' },
            ]}
            times={d.times}
            values={d.latency}
            format={whole}
          />
        </ErrorBoundary>
        <ErrorBoundary what="this chart">
          <TimeSeriesChart title="Deliveries per second" unit="deliveries/s" series={[{ label: 'deliveries/s', color: '#1d9bf0' }]} times={d.rateTimes} values={d.rate} format={fixed1} />
        </ErrorBoundary>
      </div>
    </section>
  );
}
