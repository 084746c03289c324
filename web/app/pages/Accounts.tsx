// The authorised representative's pages: the accounts the signed-in user may read
// (GET /api/v1/accounts) and one account — its holdings by block, the proposal form and the
// approval queue (Proposals.tsx), the trusted-account list (Trusted.tsx) and its history. Another
// account is answered like a missing one by the API (INV-21), so the page says "not found" for
// both.
import { useState } from 'preact/hooks';
import { api, type AccountDetail, type JournalEntry } from '../api';
import { useI18n } from '../i18n';
import { Show, useLoad } from '../load';
import { Pager, useCursorStack } from '../pager';
import { Link } from '../router';
import { useSession } from '../session';
import { Table } from '../table';
import { ProposalQueue, ProposeForm } from './Proposals';
import { ApplyForm, MyApplications } from './Applications';
import { TrustedList } from './Trusted';

export function Accounts() {
  const { t, num } = useI18n();
  const { session } = useSession();
  const [version, setVersion] = useState(0);
  const cursors = useCursorStack([session?.user]);
  const page = useLoad(
    () => (session ? api.accounts({ limit: '100', cursor: cursors.cursor }) : Promise.resolve(null)),
    [session?.user, cursors.cursor, version],
  );
  return (
    <>
      <h1 tabIndex={-1}>{t('accounts.heading')}</h1>
      {!session ? (
        <p>{t('accounts.signIn')}</p>
      ) : (
        <>
          <p>{t('accounts.intro')}</p>
          <Show loaded={page}>
            {(data) =>
              !data || data.items.length === 0 ? (
                <p>{t('common.none')}</p>
              ) : (
                <>
                  <Table
                    class="numbers"
                    headers={['accounts.id', 'accounts.type', 'accounts.holder', 'accounts.state', 'accounts.total']}
                  >
                    {data.items.map((a) => (
                      <tr key={a.id}>
                        <th scope="row">
                          <Link href={`/accounts/${a.id}`}>{a.id}</Link>
                        </th>
                        <td>{a.type}</td>
                        <td>{holderName(a)}</td>
                        <td>{a.state}</td>
                        <td>{num(a.total)}</td>
                      </tr>
                    ))}
                  </Table>
                  <Pager stack={cursors} next={data.next} />
                </>
              )
            }
          </Show>
          <MyApplications version={version} />
          <ApplyForm onChange={() => setVersion((v) => v + 1)} />
        </>
      )}
    </>
  );
}

function holderName(a: { holder_name: string; holder_name_ja: string }) {
  return a.holder_name_ja ? `${a.holder_name} / ${a.holder_name_ja}` : a.holder_name;
}

// One account. `version` grows after every change made on the page, so each section reloads.
export function AccountPage(props: { id: string }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  const account = useLoad(() => api.account(props.id), [props.id, session?.user]);
  if (!session) {
    return (
      <>
        <h1 tabIndex={-1}>{props.id}</h1>
        <p>{t('accounts.signIn')}</p>
      </>
    );
  }
  return (
    <Show loaded={account} notFound={t('accounts.notFound', { id: props.id })}>
      {(a) => (
        <>
          <h1 tabIndex={-1}>
            {a.id}: {holderName(a)}
          </h1>
          <Holdings account={a} version={version} />
          <ProposeForm account={a.id} onChange={changed} />
          <ProposalQueue account={a.id} version={version} onChange={changed} />
          <TrustedList account={a.id} version={version} onChange={changed} />
          <History account={a.id} version={version} />
        </>
      )}
    </Show>
  );
}

// The holdings reload after each change on the page; the rest of the page stays (and keeps the
// forms' state and messages). Until the first change they are the page's own answer.
function Holdings(props: { account: AccountDetail; version: number }) {
  const { t } = useI18n();
  const account = useLoad(
    () => (props.version === 0 ? Promise.resolve(props.account) : api.account(props.account.id)),
    [props.account, props.version],
  );
  return (
    <section aria-labelledby="holdings">
      <h2 id="holdings">{t('holdings.heading')}</h2>
      <Show loaded={account}>{(a) => <Blocks account={a} />}</Show>
    </section>
  );
}

function Blocks(props: { account: AccountDetail }) {
  const { t, num } = useI18n();
  const a = props.account;
  return (
    <>
      <p data-testid="account-total">
        {t('accounts.total')}: {num(a.total)}
      </p>
      {a.blocks.length === 0 ? (
        <p>{t('common.none')}</p>
      ) : (
        <Table
          headers={[
            'holdings.serials',
            'holdings.quantity',
            'holdings.project',
            'holdings.vintage',
            'holdings.authorization',
          ]}
        >
          {a.blocks.map((b) => (
            <tr key={b.serial_first}>
              <th scope="row">
                {b.serial_first}–{b.serial_last}
              </th>
              <td>{num(b.quantity)}</td>
              <td>{b.project}</td>
              <td>{b.vintage}</td>
              <td>{b.authorization}</td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}

function field(entry: JournalEntry, name: string): string {
  return entry.fields.find(([key]) => key === name)?.[1] ?? '';
}

function History(props: { account: string; version: number }) {
  const { t, num } = useI18n();
  const cursors = useCursorStack([props.account]);
  const page = useLoad(
    () => api.accountHistory(props.account, { limit: '50', cursor: cursors.cursor }),
    [props.account, cursors.cursor, props.version],
  );
  return (
    <section aria-labelledby="history">
      <h2 id="history">{t('history.heading')}</h2>
      <Show loaded={page}>
        {(data) =>
          data.items.length === 0 ? (
            <p>{t('common.none')}</p>
          ) : (
            <>
              <Table
                headers={['history.seq', 'history.time', 'history.type', 'history.quantity', 'history.from', 'history.to']}
              >
                {data.items.map((e) => (
                  <tr key={e.seq}>
                    <th scope="row">{e.seq}</th>
                    <td>{e.time.replace('T', ' ').replace('Z', ' UTC')}</td>
                    <td>{typeWord(t, field(e, 'type'))}</td>
                    <td>{field(e, 'quantity') ? num(Number(field(e, 'quantity'))) : '—'}</td>
                    <td>{field(e, 'from') || '—'}</td>
                    <td>{field(e, 'to') || '—'}</td>
                  </tr>
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

type Translate = ReturnType<typeof useI18n>['t'];

export function typeWord(t: Translate, type: string): string {
  if (type === 'transfer' || type === 'retirement' || type === 'cancellation' || type === 'issuance') {
    return t(`type.${type}`);
  }
  return type;
}
