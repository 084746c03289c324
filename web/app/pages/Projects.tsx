// The projects: filters by country, status, methodology and technology (the choices are those the registry has), a table
// paged by the API's keyset cursor, each row linking to the project's page.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { useI18n } from '../i18n';
import { Table } from '../table';
import { Show, useLoad } from '../load';
import { Pager, useCursorStack } from '../pager';
import { Link } from '../router';

const PAGE_SIZE = '25';
// The technologies the API reads from the titles (docs/programme.md).
const TECHNOLOGIES = ['solar_pv', 'transformers', 'chillers', 'waste_to_energy', 'other'];

function distinct(values: string[]): string[] {
  return [...new Set(values)].filter((v) => v !== '').sort();
}

export function Projects() {
  const { t, date, term } = useI18n();
  const [country, setCountry] = useState('');
  const [status, setStatus] = useState('');
  const [methodology, setMethodology] = useState('');
  const [technology, setTechnology] = useState('');
  const [applied, setApplied] = useState({ country: '', status: '', methodology: '', technology: '' });
  const choices = useLoad(() => api.projects({ limit: '1000' }), []);
  const cursors = useCursorStack([applied]);
  const page = useLoad(
    () =>
      api.projects({
        country: applied.country || undefined,
        status: applied.status || undefined,
        methodology: applied.methodology || undefined,
        technology: applied.technology || undefined,
        limit: PAGE_SIZE,
        cursor: cursors.cursor,
      }),
    [applied, cursors.cursor],
  );
  const all = choices.state === 'ok' ? choices.data.items : [];
  return (
    <>
      <h1 tabIndex={-1}>{t('projects.heading')}</h1>
      <form
        class="filters"
        aria-label={t('projects.filters')}
        onSubmit={(event) => {
          event.preventDefault();
          setApplied({ country, status, methodology, technology });
        }}
      >
        <label for="country">{t('projects.country')}</label>
        <select id="country" value={country} onChange={(e) => setCountry(e.currentTarget.value)}>
          <option value="">{t('common.all')}</option>
          {distinct(all.map((p) => p.country)).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <label for="status">{t('projects.status')}</label>
        <select id="status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">{t('common.all')}</option>
          {distinct(all.map((p) => p.status)).map((s) => (
            <option key={s} value={s}>
              {term(s)}
            </option>
          ))}
        </select>
        <label for="methodology">{t('projects.methodology')}</label>
        <select id="methodology" value={methodology} onChange={(e) => setMethodology(e.currentTarget.value)}>
          <option value="">{t('common.all')}</option>
          {distinct(all.flatMap((p) => p.methodologies.map((m) => m.split(' ')[0]))).map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <label for="technology">{t('projects.technology')}</label>
        <select id="technology" value={technology} onChange={(e) => setTechnology(e.currentTarget.value)}>
          <option value="">{t('common.all')}</option>
          {TECHNOLOGIES.map((x) => (
            <option key={x} value={x}>
              {term(x)}
            </option>
          ))}
        </select>
        <button type="submit">{t('projects.apply')}</button>
      </form>
      <Show loaded={page}>
        {(data) => (
          <>
            <p role="status">{t('projects.count', { count: data.items.length })}</p>
            <Table
              headers={[
                'project.reference',
                'project.title',
                'projects.country',
                'projects.status',
                'project.methodology',
                'project.registered',
              ]}
            >
              {data.items.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link href={`/projects/${encodeURIComponent(p.id)}`}>{p.reference}</Link>
                  </td>
                  <td>{p.title}</td>
                  <td>{p.country}</td>
                  <td>{term(p.status)}</td>
                  <td>{p.methodology}</td>
                  <td>{date(p.registration_date)}</td>
                </tr>
              ))}
            </Table>
            <Pager stack={cursors} next={data.next} />
          </>
        )}
      </Show>
    </>
  );
}
