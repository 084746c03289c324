// One project: its details, the cycle timeline (its history), the public documents with their
// SHA-256, and the issuances per monitoring period and per side, each issued side linking to
// the credit look-up of its units.
import { api, type ProjectDetail } from '../api';
import { useI18n } from '../i18n';
import { Table } from '../table';
import { Show, useLoad } from '../load';
import { Link } from '../router';

function Issuances(props: { project: ProjectDetail }) {
  const { t, num, date, term } = useI18n();
  if (props.project.monitoring_periods.length === 0) return <p>{t('common.none')}</p>;
  return (
    <Table class="numbers"
      headers={[
        'project.period',
        'project.verified',
        'project.decided',
        'project.decisionDate',
        'project.side',
        'project.notified',
        'project.issuedOn',
        'project.sideStatus',
      ]}
    >
      {props.project.monitoring_periods.flatMap((mp) =>
        (mp.sides.length > 0 ? mp.sides : [null]).map((side, i) => (
          <tr key={`${mp.period}-${side?.registry ?? ''}`}>
            {i === 0 && (
              <>
                <th scope="row" rowSpan={Math.max(1, mp.sides.length)}>
                  {mp.period}
                </th>
                <td rowSpan={Math.max(1, mp.sides.length)}>{num(mp.verified_tco2e)}</td>
                <td rowSpan={Math.max(1, mp.sides.length)}>{num(mp.decided_tco2e)}</td>
                <td rowSpan={Math.max(1, mp.sides.length)}>{date(mp.decision_date)}</td>
              </>
            )}
            <td>{side?.registry ?? ''}</td>
            <td>{side ? num(side.notified_tco2e) : ''}</td>
            <td>{date(side?.issued_on)}</td>
            <td>{term(side?.status ?? mp.status)}</td>
          </tr>
        )),
      )}
    </Table>
  );
}

function Details(props: { project: ProjectDetail }) {
  const { t, date, term } = useI18n();
  const p = props.project;
  const rows: [string, string][] = [
    [t('project.reference'), p.reference],
    [t('projects.country'), p.country],
    [t('projects.status'), term(p.status)],
    [t('project.methodology'), p.methodologies.join(', ') || p.methodology],
    [t('project.registered'), date(p.registration_date)],
    [t('project.creditingEnd'), date(p.crediting_end)],
    [t('project.hostParticipants'), p.host_participants.join(', ')],
    [t('project.japaneseParticipants'), p.japanese_participants.join(', ')],
    [t('project.validator'), p.validator],
  ];
  return (
    <dl class="details">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value || '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Project(props: { id: string }) {
  const { t, date } = useI18n();
  const project = useLoad(() => api.project(props.id), [props.id]);
  return (
    <Show loaded={project} notFound={t('project.notFound', { id: props.id })}>
      {(p) => (
        <>
          <h1 tabIndex={-1}>
            {p.reference}: {p.title}
          </h1>
          <section aria-labelledby="details">
            <h2 id="details">{t('project.details')}</h2>
            <Details project={p} />
          </section>
          <section aria-labelledby="timeline">
            <h2 id="timeline">{t('project.timeline')}</h2>
            <ol class="timeline">
              {p.history.map((h, i) => (
                <li key={i}>
                  <time dateTime={h.date}>{date(h.date)}</time> <strong>{h.kind}</strong>
                  {h.note ? ` — ${h.note}` : ''}
                </li>
              ))}
            </ol>
          </section>
          <section aria-labelledby="documents">
            <h2 id="documents">{t('project.documents')}</h2>
            {p.documents.filter((d) => !d.confidential).length === 0 ? (
              <p>{t('common.none')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('project.docType')}</th>
                    <th scope="col">{t('project.docVersion')}</th>
                    <th scope="col">SHA-256</th>
                  </tr>
                </thead>
                <tbody>
                  {p.documents
                    .filter((d) => !d.confidential)
                    .map((d) => (
                      <tr key={d.sha256}>
                        <td>{d.type}</td>
                        <td>{d.version}</td>
                        <td>
                          <code class="hash">{d.sha256}</code>
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="issuances">
            <h2 id="issuances">{t('project.issuances')}</h2>
            <Issuances project={p} />
          </section>
          <p>
            <Link href="/credits">{t('nav.credits')}</Link>
          </p>
        </>
      )}
    </Show>
  );
}
