// Four eyes in the browser (docs/api.md, "Transactions"): one representative proposes a
// transfer, retirement or cancellation; another approves it by entering their authenticator
// code, which signs that one approval (INV-16), or rejects it; the initiator may cancel. Every
// refusal shows its numbered check in the page's language (problemMessage).
import { useState } from 'preact/hooks';
import { api, sendJson, type Proposal } from '../api';
import { useI18n } from '../i18n';
import { Show, useLoad } from '../load';
import { Pager, useCursorStack } from '../pager';
import { checkMessage, problemMessage } from '../problems';
import { useSession } from '../session';
import { Table } from '../table';
import { typeWord } from './Accounts';

type Kind = 'transfer' | 'retirement' | 'cancellation';

export function ProposeForm(props: { account: string; onChange: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { session } = useSession();
  const [kind, setKind] = useState<Kind>('transfer');
  const [to, setTo] = useState('');
  const [quantity, setQuantity] = useState('');
  const [beneficiary, setBeneficiary] = useState('');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const body: Record<string, unknown> = { type: kind, from: props.account, quantity: Number(quantity) };
    if (kind === 'transfer') body.to = to.trim();
    if (kind === 'retirement' && beneficiary.trim()) body.beneficiary = beneficiary.trim();
    if (kind !== 'transfer' && reason.trim()) body.reason = reason.trim();
    try {
      const created = await sendJson<Proposal>('POST', '/api/v1/transactions', body, session);
      setMessage({ error: false, text: t('propose.done', { id: created.id }) });
      setQuantity('');
      props.onChange();
    } catch (e) {
      setMessage({ error: true, text: problemMessage(e, i18n) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="propose">
      <h2 id="propose">{t('propose.heading')}</h2>
      <p class="note">{t('propose.intro')}</p>
      <form class="stacked" onSubmit={submit}>
        <label for="propose-type">{t('propose.type')}</label>
        <select id="propose-type" value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
          {(['transfer', 'retirement', 'cancellation'] as const).map((k) => (
            <option key={k} value={k}>
              {typeWord(t, k)}
            </option>
          ))}
        </select>
        {kind === 'transfer' && (
          <>
            <label for="propose-to">{t('propose.to')}</label>
            <input id="propose-to" required value={to} onInput={(e) => setTo(e.currentTarget.value)} />
          </>
        )}
        <label for="propose-quantity">{t('propose.quantity')}</label>
        <input id="propose-quantity" inputMode="numeric" pattern="[0-9]+" required value={quantity}
          onInput={(e) => setQuantity(e.currentTarget.value)} />
        {kind === 'retirement' && (
          <>
            <label for="propose-beneficiary">{t('propose.beneficiary')}</label>
            <input id="propose-beneficiary" value={beneficiary} onInput={(e) => setBeneficiary(e.currentTarget.value)} />
          </>
        )}
        {kind !== 'transfer' && (
          <>
            <label for="propose-reason">{t('propose.reason')}</label>
            <input id="propose-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </>
        )}
        <button type="submit" disabled={busy}>{t('propose.submit')}</button>
        {message && (
          <p role={message.error ? 'alert' : 'status'} class={message.error ? 'error' : undefined}>
            {message.text}
          </p>
        )}
      </form>
    </section>
  );
}

export function ProposalQueue(props: { account: string; version: number; onChange: () => void }) {
  const { t } = useI18n();
  const cursors = useCursorStack([props.account]);
  const page = useLoad(
    () => api.proposals(props.account, { limit: '50', cursor: cursors.cursor }),
    [props.account, cursors.cursor, props.version],
  );
  return (
    <section aria-labelledby="proposals">
      <h2 id="proposals">{t('proposals.heading')}</h2>
      <Show loaded={page}>
        {(data) =>
          data.items.length === 0 ? (
            <p>{t('common.none')}</p>
          ) : (
            <>
              <Table headers={['proposals.id', 'proposals.what', 'proposals.status', 'proposals.by', 'proposals.actions']}>
                {data.items.map((p) => (
                  <ProposalRow key={p.id} proposal={p} onChange={props.onChange} />
                ))}
              </Table>
              <Pager stack={cursors} next={data.next} />
            </>
          )
        }
      </Show>
    </section>
  );
}

function ProposalRow(props: { proposal: Proposal; onChange: () => void }) {
  const i18n = useI18n();
  const { t, num } = i18n;
  const { session } = useSession();
  const p = props.proposal;
  const [approving, setApproving] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const act = async (action: 'approve' | 'reject' | 'cancel', body: unknown) => {
    setError('');
    try {
      await sendJson<Proposal>('POST', `/api/v1/transactions/${p.id}/${action}`, body, session);
      setApproving(false);
      props.onChange();
    } catch (e) {
      setError(problemMessage(e, i18n));
      setCode('');
    }
  };
  const pending = p.status === 'awaiting_approval';
  return (
    <tr data-testid={`proposal-${p.id}`}>
      <th scope="row">{p.id}</th>
      <td>
        {typeWord(t, p.type)} {num(p.quantity)}
        {p.to ? ` → ${p.to}` : ''}
        {p.beneficiary ? ` (${p.beneficiary})` : ''}
      </td>
      <td>
        <span data-testid="proposal-status">{t(`status.${p.status}`)}</span>
        {p.status === 'delayed' && p.execute_at !== null && (
          <> — {t('proposals.until', { time: new Date(p.execute_at * 1000).toISOString() })}</>
        )}
        {p.ledger_transaction !== null && <> — {t('proposals.transaction', { seq: p.ledger_transaction })}</>}
        {p.failure && <> — {checkMessage(p.failure.name, p.failure.message, i18n)}</>}
      </td>
      <td>{p.initiator}</td>
      <td>
        {pending && !approving && (
          <button type="button" onClick={() => setApproving(true)}>
            {t('proposals.approve')}
          </button>
        )}{' '}
        {pending && (
          <button type="button" onClick={() => act('reject', {})}>
            {t('proposals.reject')}
          </button>
        )}{' '}
        {(pending || p.status === 'delayed') && (
          <button type="button" onClick={() => act('cancel', {})}>
            {t('proposals.cancel')}
          </button>
        )}
        {approving && (
          <form
            class="stacked"
            onSubmit={(event) => {
              event.preventDefault();
              act('approve', { totp: code.trim() });
            }}
          >
            <label for={`totp-${p.id}`}>{t('proposals.totp', { id: p.id })}</label>
            <input id={`totp-${p.id}`} inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}"
              required value={code} onInput={(e) => setCode(e.currentTarget.value)} />
            <button type="submit">{t('proposals.sign')}</button>
          </form>
        )}
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}
