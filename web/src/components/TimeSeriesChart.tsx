import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  color: string;
}

/**
 * A uPlot line chart of samples over time. `times` are Unix seconds; `values`
 * has one array per series, aligned with `times`.
 */
export function TimeSeriesChart({
  title,
  unit,
  series,
  times,
  values,
  format = (v) => v.toFixed(1),
}: {
  title: string;
  unit: string;
  series: Series[];
  times: number[];
  values: number[][];
  format?: (v: number) => string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const formatRef = useRef(format);
  formatRef.current = format;

  // Built once per set of series; data changes go through setData below.
  const seriesKey = series.map((s) => s.label).join('|');
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 180,
      // The caption above shows the latest values; uPlot's legend would repeat them.
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.15 : 1] } },
      axes: [
        { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.15)' } },
        { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.15)' }, size: 56, values: (_u, ticks) => ticks.map((t) => formatRef.current(t)) },
      ],
      series: [
        {},
        ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, value: (_u: uPlot, v: number | null) => (v == null ? '–' : `${formatRef.current(v)} ${unit}`) })),
      ],
    };
    const u = new uPlot(opts, [[], ...series.map(() => [])], el);
    plot.current = u;
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: 180 })) : null;
    ro?.observe(el);
    return () => {
      ro?.disconnect();
      u.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [seriesKey, unit]);

  useEffect(() => {
    plot.current?.setData([times, ...values] as uPlot.AlignedData);
  }, [times, values]);

  const latest = values.map((v) => v[v.length - 1]);
  return (
    <figure className="chart" data-samples={times.length}>
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="chart-latest">
          {series.map((s, i) => (
            <span key={s.label} style={{ color: s.color }}>
              {series.length > 1 ? `${s.label} ` : ''}
              {latest[i] === undefined ? '–' : `${format(latest[i])} ${unit}`}
            </span>
          ))}
        </span>
      </figcaption>
      <div ref={box} className="chart-canvas" role="img" aria-label={`${title}, ${times.length} samples`} />
    </figure>
  );
}
