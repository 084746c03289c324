// The public API (docs/api.md) with the types generated from docs/api/openapi.json by
// openapi-typescript at build time (api/schema.gen.ts): no response shape is written by hand.
import type { components } from './api/schema.gen';

export type Schemas = components['schemas'];
export type RegistrySummary = Schemas['RegistrySummary'];
export type ProjectSummary = Schemas['ProjectSummary'];
export type ProjectDetail = Schemas['ProjectDetail'];
export type DecisionLogEntry = Schemas['DecisionLogEntry'];
export type Unit = Schemas['Unit'];
export type Retirement = Schemas['Retirement'];
export type Flow = Schemas['Flow'];
export type JointCommittee = Schemas['JointCommittee'];
export type JointCommitteeDetail = Schemas['JointCommitteeDetail'];
export type Methodology = Schemas['Methodology'];
export type MethodologyDefinition = Schemas['MethodologyDefinition'];
export type Problem = Schemas['Problem'];
export type AccountDetail = Schemas['AccountDetail'];
export type Proposal = Schemas['Proposal'];
export type TrustedEntry = Schemas['TrustedEntry'];
export type JournalEntry = Schemas['JournalEntry'];

export interface Page<T> {
  items: T[];
  next: string | null;
}

// An answer of the API that is not a 2xx: its problem document (RFC 9457).
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? `HTTP ${status}`);
  }
}

export async function getJson<T>(path: string, query: Record<string, string | undefined> = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value) params.set(name, value);
  }
  const search = params.toString();
  const response = await fetch(search ? `${path}?${search}` : path, {
    headers: { Accept: 'application/json' },
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as Problem | null;
    throw new ApiError(response.status, problem);
  }
  return (await response.json()) as T;
}

// 128 random bits as hex (crypto.getRandomValues works outside secure contexts too, unlike
// crypto.randomUUID).
export function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

// A change (POST, DELETE, …): a JSON body, the session's CSRF token when signed in with a cookie,
// and for a POST a fresh Idempotency-Key, so a retry of the same action is recognised.
export async function sendJson<T>(
  method: string,
  path: string,
  body: unknown,
  session: { csrf: string } | null,
  idempotencyKey: string = randomKey(),
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== null) headers['Content-Type'] = 'application/json';
  if (session?.csrf) headers['X-CSRF-Token'] = session.csrf;
  if (method === 'POST') headers['Idempotency-Key'] = idempotencyKey;
  const response = await fetch(path, {
    method,
    headers,
    body: body === null ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as Problem | null;
    throw new ApiError(response.status, problem);
  }
  return (await response.json()) as T;
}

export const api = {
  programme: () => getJson<Schemas['ProgrammeReportDocument']>('/api/v1/programme/report'),
  registries: () => getJson<Schemas['RegistryPage']>('/api/v1/registries'),
  registry: (code: string) => getJson<RegistrySummary>(`/api/v1/registries/${encodeURIComponent(code)}`),
  projects: (query: { country?: string; status?: string; methodology?: string; technology?: string; limit?: string; cursor?: string }) =>
    getJson<Schemas['ProjectPage']>('/api/v1/projects', query),
  project: (id: string) =>
    getJson<ProjectDetail>(`/api/v1/projects/${encodeURIComponent(id)}`),
  decisions: (query: { registry?: string; limit?: string; cursor?: string }) =>
    getJson<Schemas['DecisionPage']>('/api/v1/decisions', query),
  decisionLog: (query: { partner?: string; limit?: string; cursor?: string }) =>
    getJson<Schemas['DecisionLogPage']>('/api/v1/decision-log', query),
  retirements: (query: { registry?: string; limit?: string; cursor?: string }) =>
    getJson<Schemas['RetirementPage']>('/api/v1/retirements', query),
  flows: (query: { registry?: string; interval?: string }) =>
    getJson<Schemas['FlowList']>('/api/v1/flows', query),
  jointCommittees: () => getJson<Schemas['JointCommitteeList']>('/api/v1/joint-committees'),
  jointCommittee: (partner: string) =>
    getJson<JointCommitteeDetail>(`/api/v1/joint-committees/${encodeURIComponent(partner)}`),
  methodologies: () => getJson<Schemas['MethodologyList']>('/api/v1/methodologies'),
  methodology: (ref: string) =>
    getJson<MethodologyDefinition>(`/api/v1/methodologies/${encodeURIComponent(ref)}`),
  unit: (serial: string) => getJson<Unit>(`/api/v1/units/${encodeURIComponent(serial)}`),
  // Signed in (the session cookie goes with every same-origin request).
  accounts: (query: { registry?: string; limit?: string; cursor?: string }) =>
    getJson<Schemas['AccountPage']>('/api/v1/accounts', query),
  account: (id: string) => getJson<AccountDetail>(`/api/v1/accounts/${encodeURIComponent(id)}`),
  accountHistory: (id: string, query: { limit?: string; cursor?: string }) =>
    getJson<Schemas['AccountHistoryPage']>(`/api/v1/accounts/${encodeURIComponent(id)}/history`, query),
  proposals: (account: string, query: { limit?: string; cursor?: string }) =>
    getJson<Schemas['ProposalPage']>('/api/v1/transactions', { account, ...query }),
  applications: (query: { registry?: string; state?: string }) =>
    getJson<Schemas['AccountApplicationPage']>('/api/v1/account-applications', { ...query, limit: '1000' }),
  tpeWork: (org?: string) => getJson<Schemas['TpeWork']>('/api/v1/cycle/tpe-work', { org }),
  due: (today?: string) => getJson<Schemas['DueList']>('/api/v1/cycle/due', { today }),
  users: () => getJson<Schemas['UserPage']>('/api/v1/users', { limit: '1000' }),
  trusted: (account: string) =>
    getJson<Schemas['TrustedPage']>(`/api/v1/accounts/${encodeURIComponent(account)}/trusted`, { limit: '1000' }),
  transactionRules: (account: string) =>
    getJson<Schemas['TransactionRules']>(`/api/v1/accounts/${encodeURIComponent(account)}/transaction-rules`),
};

// A file's bytes as a document (docs/api.md, "Documents"): stored content-addressed under the
// Joint Committee it belongs to; answers its SHA-256.
export async function uploadDocument(
  file: File,
  committee: string,
  confidential: boolean,
  session: { csrf: string } | null,
): Promise<string> {
  const query = new URLSearchParams({ name: file.name, joint_committee: committee, confidential: String(confidential) });
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Content-Type': 'application/octet-stream',
    'Idempotency-Key': randomKey(),
  };
  if (session?.csrf) headers['X-CSRF-Token'] = session.csrf;
  const response = await fetch(`/api/v1/documents?${query}`, { method: 'POST', headers, body: file });
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as Problem | null;
    throw new ApiError(response.status, problem);
  }
  return ((await response.json()) as { document: { sha256: string } }).document.sha256;
}
