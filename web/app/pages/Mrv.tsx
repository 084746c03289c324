// The MRV calculation in the browser (docs/api.md, "MRV calculations"): a parameter file and
// monitoring files (CSV, compressed CSV or XLSX) are uploaded as documents of a Joint Committee,
// then POST /api/v1/mrv/calculations runs the engine over them. The page shows the report as
// `jcm mrv calc --json` gives it (docs/mrv.md): eligibility, each period's reductions (exact and
// as issued), each point's emissions in a table and a chart, and the data-quality findings with
// their file and line; and the readings of the plain CSV files, summed per day, in a chart and a
// table (readings.ts: display only). A link carries the result and the inputs' SHA-256s to the monitoring
// report form of the project cycle.
import { lazy, Suspense } from 'preact/compat';
import { useState } from 'preact/hooks';
import { sendJson, uploadDocument } from '../api';
import { useI18n } from '../i18n';
import { problemMessage } from '../problems';
import { readReadings, type ReadingSeries } from '../readings';
import { Link } from '../router';
import { useSession } from '../session';
import { Table } from '../table';

const SeriesChart = lazy(() => import('../chart').then((module) => ({ default: module.SeriesChart })));

// The parts of the report this page shows (the API's schema leaves the report open).
interface PointResult {
  point: string;
  reference_emissions_tco2e: string;
  project_emissions_tco2e: string;
  emission_reductions_exact_tco2e: string;
}
interface PeriodResult {
  period: string;
  emission_reductions_exact_tco2e: string;
  emission_reductions_tco2e: number;
  issuable: boolean;
  points: PointResult[];
}
interface Finding {
  severity: string;
  code: string;
  point?: string;
  parameter?: string;
  count?: number;
  message: string;
  location?: string;
}
export interface MrvResult {
  methodology: { ref: string; title?: string };
  eligible?: boolean;
  periods?: PeriodResult[];
  emission_reductions_tco2e?: number;
  data_quality?: Finding[];
  inputs: { role: string; path: string; sha256: string }[];
}

export function MrvPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { session } = useSession();
  const [committee, setCommittee] = useState('');
  const [params, setParams] = useState<File | undefined>();
  const [data, setData] = useState<File[]>([]);
  const [report, setReport] = useState<MrvResult | null>(null);
  const [readings, setReadings] = useState<{ series: ReadingSeries[]; truncated: boolean } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const calculate = async (event: Event) => {
    event.preventDefault();
    if (!params) return;
    setBusy(true);
    setError('');
    setReport(null);
    setReadings(null);
    try {
      setReadings(await readReadings(data));
      const jc = committee.trim().toUpperCase();
      const paramsSha = await uploadDocument(params, jc, false, session);
      const dataSha = [];
      for (const file of data) dataSha.push(await uploadDocument(file, jc, false, session));
      setReport(await sendJson<MrvResult>('POST', '/api/v1/mrv/calculations',
        { params_sha256: paramsSha, data_sha256: dataSha }, session));
    } catch (e) {
      setError(problemMessage(e, i18n));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1 tabIndex={-1}>{t('mrv.heading')}</h1>
      <p>{t('mrv.intro')}</p>
      {!session && <p>{t('accounts.signIn')}</p>}
      <form class="stacked" onSubmit={calculate}>
        <label for="mrv-committee">{t('mrv.committee')}</label>
        <input id="mrv-committee" required value={committee} onInput={(e) => setCommittee(e.currentTarget.value)} />
        <label for="mrv-params">{t('mrv.params')}</label>
        <input id="mrv-params" type="file" required onChange={(e) => setParams(e.currentTarget.files?.[0])} />
        <label for="mrv-data">{t('mrv.data')}</label>
        <input id="mrv-data" type="file" multiple required
          onChange={(e) => setData(Array.from(e.currentTarget.files ?? []))} />
        <button type="submit" disabled={busy || !session}>{t('mrv.calculate')}</button>
        {busy && <p role="status">{t('common.loading')}</p>}
        {error && <p role="alert" class="error">{error}</p>}
      </form>
      {report && <MrvReportView report={report} />}
      {report && readings && <ReadingsView {...readings} />}
    </>
  );
}

function MrvReportView(props: { report: MrvResult }) {
  const { t } = useI18n();
  const r = props.report;
  const periods = r.periods ?? [];
  const inputs = r.inputs.filter((i) => i.role === 'data').map((i) => i.sha256);
  const attach = new URLSearchParams({
    reported_tco2e: String(r.emission_reductions_tco2e ?? 0),
    mrv_input_sha256: inputs.join(','),
  });
  return (
    <section aria-labelledby="mrv-result">
      <h2 id="mrv-result">{t('mrv.result', { ref: r.methodology.ref })}</h2>
      <p data-testid="mrv-total">
        {t('mrv.total', { total: r.emission_reductions_tco2e ?? 0 })}
        {r.eligible === false && <> — {t('mrv.ineligible')}</>}
      </p>
      <Table headers={['mrv.period', 'mrv.exact', 'mrv.issued', 'mrv.issuable']}>
        {periods.map((p) => (
          <tr key={p.period}>
            <th scope="row">{p.period}</th>
            <td>{p.emission_reductions_exact_tco2e}</td>
            <td>{p.emission_reductions_tco2e}</td>
            <td>{p.issuable ? t('mrv.yes') : t('mrv.no')}</td>
          </tr>
        ))}
      </Table>
      {periods.map((p) => (
        <PointsView key={p.period} period={p} />
      ))}
      <h3>{t('mrv.findings')}</h3>
      {(r.data_quality ?? []).length === 0 ? (
        <p>{t('common.none')}</p>
      ) : (
        <Table headers={['mrv.severity', 'mrv.where', 'mrv.message']}>
          {(r.data_quality ?? []).map((f, i) => (
            <tr key={i}>
              <td>{f.severity}</td>
              <td>{[f.location, f.point, f.parameter].filter(Boolean).join(' ')}</td>
              <td>
                {f.message}
                {f.count ? ` (${f.count})` : ''}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <p>
        <Link href={`/cycle/monitoring-report?${attach}`}>{t('mrv.attach')}</Link>
      </p>
    </section>
  );
}

function PointsView(props: { period: PeriodResult }) {
  const { t } = useI18n();
  const p = props.period;
  const series = [
    { label: t('mrv.reference'), data: p.points.map((x) => Number(x.reference_emissions_tco2e)) },
    { label: t('mrv.project'), data: p.points.map((x) => Number(x.project_emissions_tco2e)) },
    { label: t('mrv.reductions'), data: p.points.map((x) => Number(x.emission_reductions_exact_tco2e)) },
  ];
  return (
    <>
      <h3>{t('mrv.points', { period: p.period })}</h3>
      <Table headers={['mrv.point', 'mrv.reference', 'mrv.project', 'mrv.reductions']} class="numbers">
        {p.points.map((x) => (
          <tr key={x.point}>
            <th scope="row">{x.point}</th>
            <td>{x.reference_emissions_tco2e}</td>
            <td>{x.project_emissions_tco2e}</td>
            <td>{x.emission_reductions_exact_tco2e}</td>
          </tr>
        ))}
      </Table>
      <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
        <SeriesChart labels={p.points.map((x) => x.point)} series={series} ariaLabel={t('mrv.chartLabel', { period: p.period })} />
      </Suspense>
    </>
  );
}

// At most this many series in the chart (the table lists them all).
const CHARTED_SERIES = 6;

function ReadingsView(props: { series: ReadingSeries[]; truncated: boolean }) {
  const { t, num } = useI18n();
  if (props.series.length === 0) return null;
  const days = [...new Set(props.series.flatMap((s) => [...s.byDay.keys()]))].sort();
  const charted = props.series.slice(0, CHARTED_SERIES).map((s) => ({
    label: s.name,
    data: days.map((d) => s.byDay.get(d) ?? Number.NaN),
  }));
  const round = (x: number) => num(Math.round(x * 1000) / 1000);
  return (
    <section aria-labelledby="mrv-readings">
      <h2 id="mrv-readings">{t('mrv.readings')}</h2>
      <p>{t('mrv.readingsIntro')}</p>
      {props.truncated && <p>{t('mrv.readingsTruncated')}</p>}
      <Table headers={['mrv.series', 'mrv.readingCount', 'mrv.firstDay', 'mrv.lastDay', 'mrv.readingTotal']} class="numbers">
        {props.series.map((s) => {
          const own = [...s.byDay.keys()].sort();
          return (
            <tr key={s.name} data-testid="mrv-series">
              <th scope="row">{s.name}</th>
              <td>{num(s.readings)}</td>
              <td>{own[0]}</td>
              <td>{own[own.length - 1]}</td>
              <td>{round(s.total)}</td>
            </tr>
          );
        })}
      </Table>
      <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
        <SeriesChart labels={days} series={charted} ariaLabel={t('mrv.readingsChartLabel')} />
      </Suspense>
    </section>
  );
}
