// The Joint Committees' decision log, in the order decided, filtered by partner country and
// paged by the API's keyset cursor.
import { useState } from 'preact/hooks';
import { api, type DecisionLogEntry } from '../api';
import { useI18n } from '../i18n';
import { Table } from '../table';
import { Show, useLoad } from '../load';
import { Pager, useCursorStack } from '../pager';

const PAGE_SIZE = '50';

export function DecisionTable(props: { items: DecisionLogEntry[] }) {
  const { t, date, term } = useI18n();
  if (props.items.length === 0) return <p>{t('common.none')}</p>;
  return (
    <Table
      headers={[
        'decisions.date',
        'decisions.partner',
        'decisions.type',
        'decisions.subject',
        'decisions.electronic',
        'decisions.annexes',
      ]}
    >
      {props.items.map((d, i) => (
        <tr key={`${d.date}-${d.subject}-${i}`}>
          <td>{date(d.date)}</td>
          <td>{d.partner}</td>
          <td>{term(d.type)}</td>
          <td>{d.subject}</td>
          <td>{d.electronic ? t('common.yes') : t('common.no')}</td>
          <td>{d.annexes.join(', ')}</td>
        </tr>
      ))}
    </Table>
  );
}

export function Decisions() {
  const { t } = useI18n();
  const [partner, setPartner] = useState('');
  const [applied, setApplied] = useState('');
  const cursors = useCursorStack([applied]);
  const page = useLoad(
    () => api.decisionLog({ partner: applied || undefined, limit: PAGE_SIZE, cursor: cursors.cursor }),
    [applied, cursors.cursor],
  );
  return (
    <>
      <h1 tabIndex={-1}>{t('decisions.heading')}</h1>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(partner.trim());
        }}
      >
        <label for="partner">{t('decisions.partner')}</label>
        <input id="partner" name="partner" value={partner} onInput={(e) => setPartner(e.currentTarget.value)} />
        <button type="submit">{t('projects.apply')}</button>
      </form>
      <Show loaded={page}>
        {(data) => (
          <>
            <DecisionTable items={data.items} />
            <Pager stack={cursors} next={data.next} />
          </>
        )}
      </Show>
    </>
  );
}
