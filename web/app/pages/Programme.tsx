// The programme toward 100 Mt (docs/programme.md; GET /api/v1/programme/report): credits issued,
// acquired by the Government of Japan and used toward its NDC; the FY2030 and FY2040 targets with
// the forecast band from the pipeline and the gap; issuance per Japanese fiscal year (chart and
// table); partner countries with a Joint Committee against the target; and the breakdowns by
// country, technology and funding channel with the cost per tonne where a subsidy is recorded.
import { lazy, Suspense } from 'preact/compat';
import { api, type Schemas } from '../api';
import { useI18n } from '../i18n';
import { Show, useLoad } from '../load';
import { Table } from '../table';

const SeriesChart = lazy(() => import('../chart').then((module) => ({ default: module.SeriesChart })));

type Group = Schemas['ProgrammeGroup'];

export function ProgrammePage() {
  const { t, num } = useI18n();
  const report = useLoad(() => api.programme(), []);
  return (
    <>
      <h1 tabIndex={-1}>{t('programme.heading')}</h1>
      <p>{t('programme.intro')}</p>
      <Show loaded={report}>
        {({ report: r }) => (
          <>
            <dl class="totals" data-testid="programme-totals">
              {([
                ['programme.issued', num(r.issued_tco2e)],
                ['programme.acquired', num(r.goj_acquired_tco2e)],
                ['programme.ndcUsed', num(r.ndc_used_tco2e)],
                ['programme.partners', `${num(r.partner_countries_with_jc)} / ${num(r.partner_countries_target)}`],
              ] as const).map(([key, value]) => (
                <div key={key}>
                  <dt>{t(key)}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
            <h2>{t('programme.targets')}</h2>
            <Table class="numbers" headers={['programme.fy', 'programme.target', 'programme.issued',
              'programme.forecast', 'programme.gap']}>
              {r.targets.map((x) => (
                <tr key={x.fiscal_year} data-testid={`target-${x.fiscal_year}`}>
                  <th scope="row">FY{x.fiscal_year}</th>
                  <td>{num(x.target_tco2e)}</td>
                  <td>{num(x.issued_tco2e)}</td>
                  <td>{num(x.forecast_low_tco2e)} – {num(x.forecast_high_tco2e)}</td>
                  <td>{num(x.gap_low_tco2e)} – {num(x.gap_high_tco2e)}</td>
                </tr>
              ))}
            </Table>
            <h2>{t('programme.byYear')}</h2>
            <Table class="numbers" headers={['programme.fy', 'programme.issued', 'programme.acquired',
              'programme.ndcUsed', 'programme.cumulative']}>
              {r.fiscal_years.map((y) => (
                <tr key={y.fiscal_year}>
                  <th scope="row">FY{y.fiscal_year}</th>
                  <td>{num(y.issued_tco2e)}</td>
                  <td>{num(y.goj_acquired_tco2e)}</td>
                  <td>{num(y.ndc_used_tco2e)}</td>
                  <td>{num(y.cumulative_issued_tco2e)}</td>
                </tr>
              ))}
            </Table>
            <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
              <SeriesChart labels={r.fiscal_years.map((y) => `FY${y.fiscal_year}`)}
                series={[
                  { label: t('programme.issued'), data: r.fiscal_years.map((y) => y.issued_tco2e) },
                  { label: t('programme.acquired'), data: r.fiscal_years.map((y) => y.goj_acquired_tco2e) },
                ]}
                ariaLabel={t('programme.chartLabel')} />
            </Suspense>
            <Groups heading="programme.byCountry" groups={r.by_country} />
            <Groups heading="programme.byTechnology" groups={r.by_technology} />
            <Groups heading="programme.byChannel" groups={r.by_channel} />
          </>
        )}
      </Show>
    </>
  );
}

function Groups(props: { heading: 'programme.byCountry' | 'programme.byTechnology' | 'programme.byChannel'; groups: Group[] }) {
  const { t, num, term } = useI18n();
  const yen = (value: number | null) => (value === null ? '—' : num(value));
  return (
    <section aria-label={t(props.heading)}>
      <h2>{t(props.heading)}</h2>
      <Table class="numbers" headers={['programme.key', 'programme.projects', 'programme.registered',
        'programme.issued', 'programme.subsidy', 'programme.yenPerExpected', 'programme.yenPerIssued']}>
        {props.groups.map((g) => (
          <tr key={g.key}>
            <th scope="row">{term(g.key)}</th>
            <td>{num(g.projects)}</td>
            <td>{num(g.registered)}</td>
            <td>{num(g.issued_tco2e)}</td>
            <td>{num(g.subsidy_yen)}</td>
            <td>{yen(g.yen_per_tco2e_expected)}</td>
            <td>{yen(g.yen_per_tco2e_issued)}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
