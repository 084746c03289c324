// The registry totals, and the credits issued and retired per year, as bar charts (Chart.js, only
// the parts used, so the bundle stays small). Each canvas is an image with a text alternative;
// a table beside it carries the numbers.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { Flow, RegistrySummary } from './api';
import { useI18n } from './i18n';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

// Colours with at least 3:1 contrast against white (WCAG 1.4.11, non-text contrast).
const COLOURS = ['#0b5d3b', '#1f5fa8', '#8a4b00', '#a3174a'];

export default function TotalsChart(props: { registries: RegistrySummary[] }) {
  const { t, lang } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const series = [
      [t('reg.issued'), (r: RegistrySummary) => r.issued_tco2e],
      [t('reg.held'), (r: RegistrySummary) => r.held_tco2e],
      [t('reg.retired'), (r: RegistrySummary) => r.retired_tco2e],
      [t('reg.cancelled'), (r: RegistrySummary) => r.cancelled_tco2e],
    ] as const;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: props.registries.map((r) => r.registry),
        datasets: series.map(([label, value], i) => ({
          label,
          data: props.registries.map(value),
          backgroundColor: COLOURS[i],
        })),
      },
      options: { animation: false, locale: lang, responsive: true, maintainAspectRatio: false },
    });
    return () => chart.destroy();
  }, [props.registries, lang]);
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={t('home.chartLabel')} />
    </div>
  );
}

export function FlowsChart(props: { flows: Flow[] }) {
  const { t } = useI18n();
  const series = [
    { label: t('reg.issued'), data: props.flows.map((f) => f.issued_tco2e) },
    { label: t('reg.retired'), data: props.flows.map((f) => f.retired_tco2e) },
  ];
  return (
    <SeriesChart labels={props.flows.map((f) => f.period)} series={series} ariaLabel={t('home.flowsLabel')}
      colours={[COLOURS[0], COLOURS[2]]} />
  );
}

// Any bar chart of a few series over the same labels (the MRV report's points).
export function SeriesChart(props: {
  labels: string[];
  series: { label: string; data: number[] }[];
  ariaLabel: string;
  colours?: string[];
}) {
  const { lang } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: props.labels,
        datasets: props.series.map((s, i) => {
          const colours = props.colours ?? COLOURS;
          return { label: s.label, data: s.data, backgroundColor: colours[i % colours.length] };
        }),
      },
      options: { animation: false, locale: lang, responsive: true, maintainAspectRatio: false },
    });
    return () => chart.destroy();
  }, [props.labels, props.series, lang]);
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={props.ariaLabel} />
    </div>
  );
}
