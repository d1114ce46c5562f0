import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useResolvedScheme } from '../hooks/useTheme';

/**
 * The canvas cannot read CSS: axis labels, ticks and grid take the page's text and line
 * colours, read when the chart is built (and built again when the theme changes).
 */
function themeColours(el: HTMLElement): { text: string; grid: string } {
  const text = getComputedStyle(el).color || '#0f1419';
  // The theme's colours are light-dark() pairs, resolved only where used: a probe resolves --muted.
  const probe = document.createElement('span');
  probe.style.color = 'var(--muted)';
  el.appendChild(probe);
  const muted = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(getComputedStyle(probe).color);
  probe.remove();
  const [r, g, b] = muted ? [muted[1], muted[2], muted[3]] : [128, 128, 128];
  return { text, grid: `rgba(${r}, ${g}, ${b}, 0.35)` };
}

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
  const dataRef = useRef<[number[], number[][]]>([times, values]);
  dataRef.current = [times, values];

  // Built once per set of series; data changes go through setData below.
  const seriesKey = series.map((s) => s.label).join('|');
  const scheme = useResolvedScheme();
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const { text, grid } = themeColours(el);
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 180,
      // The caption above shows the latest values; uPlot's legend would repeat them.
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.15 : 1] } },
      axes: [
        axis,
        { ...axis, size: 56, values: (_u, ticks) => ticks.map((t) => formatRef.current(t)) },
      ],
      series: [
        {},
        ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, value: (_u: uPlot, v: number | null) => (v == null ? '–' : `${formatRef.current(v)} ${unit}`) })),
      ],
    };
    // Rebuilt (on a theme change): the samples so far are drawn again at once.
    const u = new uPlot(opts, [dataRef.current[0], ...series.map((_, i) => dataRef.current[1][i] ?? [])] as uPlot.AlignedData, el);
    plot.current = u;
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: 180 })) : null;
    ro?.observe(el);
    return () => {
      ro?.disconnect();
      u.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [seriesKey, unit, scheme]);

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
            <span key={s.label}>
              {/* The colour is the line's key; the text keeps the page's colour, which reads on either theme. */}
              <span className="chart-swatch" style={{ background: s.color }} aria-hidden="true" />
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
