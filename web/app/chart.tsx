// The registry totals as a bar chart (Chart.js, only the parts used, so the bundle stays small).
// The canvas is an image with a text alternative; the table beside it carries the numbers.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { RegistrySummary } from './api';
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
