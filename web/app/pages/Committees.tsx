// The Joint Committees, and one committee with its decision log and the versions of the rules
// and forms it adopted.
import { api, type JointCommittee } from '../api';
import { useI18n } from '../i18n';
import { Table } from '../table';
import { Show, useLoad } from '../load';
import { Link } from '../router';
import { DecisionTable } from './Decisions';

export function Committees() {
  const { t, date, num } = useI18n();
  const list = useLoad(() => api.jointCommittees(), []);
  return (
    <>
      <h1 tabIndex={-1}>{t('jc.heading')}</h1>
      <p>{t('jc.intro')}</p>
      <Show loaded={list}>
        {(data) =>
          data.items.length === 0 ? (
            <p>{t('common.none')}</p>
          ) : (
            <Table headers={['jc.partner', 'jc.established', 'jc.secretariat', 'jc.decisions', 'jc.forms']}>
              {data.items.map((c: JointCommittee) => (
                <tr key={c.partner}>
                  <th scope="row">
                    <Link href={`/committees/${c.partner}`}>{`${c.partner} ${c.partner_name}`.trim()}</Link>
                  </th>
                  <td>{date(c.established)}</td>
                  <td>{c.secretariat}</td>
                  <td>{num(c.decisions_count)}</td>
                  <td>{num(c.forms_count)}</td>
                </tr>
              ))}
            </Table>
          )
        }
      </Show>
    </>
  );
}

export function Committee(props: { partner: string }) {
  const { t, date } = useI18n();
  const committee = useLoad(() => api.jointCommittee(props.partner), [props.partner]);
  return (
    <Show loaded={committee} notFound={t('jc.notFound', { partner: props.partner })}>
      {(c) => (
        <>
          <h1 tabIndex={-1}>{`${t('jc.heading')}: ${c.partner} ${c.partner_name}`.trim()}</h1>
          <dl>
            <dt>{t('jc.established')}</dt>
            <dd>{date(c.established)}</dd>
            <dt>{t('jc.secretariat')}</dt>
            <dd>{c.secretariat}</dd>
            <dt>{t('jc.members')}</dt>
            <dd>{c.members.join(', ') || '—'}</dd>
          </dl>
          <section aria-labelledby="jc-decisions">
            <h2 id="jc-decisions">{t('jc.decisions')}</h2>
            <DecisionTable items={c.decisions} />
          </section>
          <section aria-labelledby="jc-forms">
            <h2 id="jc-forms">{t('jc.forms')}</h2>
            <Table headers={['jc.formCode', 'jc.versions']}>
              {c.forms.map((f) => (
                <tr key={f.code}>
                  <th scope="row">{f.code}</th>
                  <td>
                    {f.versions
                      .map((v) => `${v.version} (${v.effective ? date(v.effective) : t('jc.unknownDate')})`)
                      .join(', ')}
                  </td>
                </tr>
              ))}
            </Table>
          </section>
        </>
      )}
    </Show>
  );
}
