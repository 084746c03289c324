// Home: the totals of every registry, a chart of them, the credits issued and retired per year,
// and the latest Joint Committee decisions.
import { lazy, Suspense } from 'preact/compat';
import { api, type RegistrySummary } from '../api';
import { useI18n } from '../i18n';
import { Table } from '../table';
import { Show, useLoad } from '../load';
import { DecisionTable } from './Decisions';

// Chart.js is loaded only by the page that draws a chart.
const TotalsChart = lazy(() => import('../chart'));
const FlowsChart = lazy(() => import('../chart').then((module) => ({ default: module.FlowsChart })));
const LATEST_DECISIONS = 5;

export function Home() {
  const { t, num } = useI18n();
  const registries = useLoad(() => api.registries(), []);
  const decisions = useLoad(() => api.decisionLog({ limit: '1000' }), []);
  const flows = useLoad(() => api.flows({ interval: 'year' }), []);
  return (
    <>
      <h1 tabIndex={-1}>{t('home.heading')}</h1>
      <p>{t('home.intro')}</p>
      <section aria-labelledby="totals">
        <h2 id="totals">{t('home.totals')}</h2>
        <Show loaded={registries}>
          {(page) => (
            <>
              <Table class="numbers"
                headers={[
                  'reg.registry',
                  'reg.issued',
                  'reg.held',
                  'reg.retired',
                  'reg.cancelled',
                  'reg.pending',
                  'reg.accounts',
                ]}
              >
                {page.items.map((r: RegistrySummary) => (
                  <tr key={r.registry}>
                    <th scope="row">{r.registry}</th>
                    <td>{num(r.issued_tco2e)}</td>
                    <td>{num(r.held_tco2e)}</td>
                    <td>{num(r.retired_tco2e)}</td>
                    <td>{num(r.cancelled_tco2e)}</td>
                    <td>{num(r.pending_issuance_tco2e)}</td>
                    <td>{num(r.accounts)}</td>
                  </tr>
                ))}
              </Table>
              <h2>{t('home.chart')}</h2>
              <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
                <TotalsChart registries={page.items} />
              </Suspense>
            </>
          )}
        </Show>
      </section>
      <section aria-labelledby="flows">
        <h2 id="flows">{t('home.flows')}</h2>
        <Show loaded={flows}>
          {(page) => (
            <>
              <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
                <FlowsChart flows={page.items} />
              </Suspense>
              <Table class="numbers" headers={['home.year', 'reg.issued', 'reg.retired', 'reg.cancelled']}>
                {page.items.map((f) => (
                  <tr key={f.period}>
                    <th scope="row">{f.period}</th>
                    <td>{num(f.issued_tco2e)}</td>
                    <td>{num(f.retired_tco2e)}</td>
                    <td>{num(f.cancelled_tco2e)}</td>
                  </tr>
                ))}
              </Table>
              <p class="note">{t('home.flowsNote')}</p>
            </>
          )}
        </Show>
      </section>
      <section aria-labelledby="latest">
        <h2 id="latest">{t('home.latest')}</h2>
        <Show loaded={decisions}>
          {(page) => (
            <DecisionTable
              items={[...page.items]
                .sort((a, b) => b.date.localeCompare(a.date))
                .slice(0, LATEST_DECISIONS)}
            />
          )}
        </Show>
      </section>
    </>
  );
}
