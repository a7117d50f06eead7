import { useEffect, useState } from 'react';
import type { Customer, CustomerCreate, Program } from '../../api';
import { Async, describeError, fieldError, FormError, Loading } from '../../components/feedback';
import { SubmitForm, TextField } from '../../components/fields';
import { customerName, formatPoints, formatTime } from '../../components/format';
import { useLoad, useSubmit } from '../../components/hooks';
import { DataTable, Screen, Section } from '../../components/layout';
import { programLabel } from '../../components/links';
import { Link, navigate, useLocation } from '../../router';
import { useApi } from '../../session';

export function CustomersScreen() {
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  return (
    <Screen title="Customers">
      <Section title="Find a customer">
        <SearchForm initial={q} key={q} />
        {q && <SearchResults q={q} />}
      </Section>
      <CreateCustomer />
    </Screen>
  );
}

function SearchForm({ initial }: { initial: string }) {
  const [text, setText] = useState(initial);
  const submit = () => {
    const q = text.trim();
    navigate(q ? `/customers?q=${encodeURIComponent(q)}` : '/customers');
  };
  return (
    <SubmitForm role="search" className="inline-form" onSubmit={submit}>
      <TextField
        label="Find customer"
        type="search"
        value={text}
        onChange={setText}
        hint="Mobile, email, external id, card number or customer id"
        autoComplete="off"
        spellCheck={false}
      />
      <button type="submit" className="primary">
        Find customer
      </button>
    </SubmitForm>
  );
}

function SearchResults({ q }: { q: string }) {
  const api = useApi();
  const results = useLoad(() => api.searchCustomers(q), [q]);
  const only =
    results.state.status === 'ok' && results.state.data.length === 1
      ? results.state.data[0]
      : undefined;

  // One match is the customer looked for: open it. Replacing the search in the history keeps
  // Back from landing on a page that would open the customer again.
  useEffect(() => {
    if (only) navigate(`/customers/${only.id}`, { replace: true });
  }, [only]);

  return (
    <div aria-live="polite">
      <Async state={results.state} retry={results.reload} what="customers">
        {(customers) =>
          customers.length === 1 ? (
            <Loading what={`customer ${customers[0].id}`} />
          ) : (
            <>
              <p className="muted">
                {customers.length} customers match “{q}”
                {customers.length >= 20 ? ' (showing the first 20)' : ''}.
              </p>
              {customers.length > 0 ? (
                <CustomerTable customers={customers} />
              ) : (
                <p className="empty">No customer matches.</p>
              )}
            </>
          )
        }
      </Async>
    </div>
  );
}

export function CustomerTable({ customers }: { customers: Customer[] }) {
  const api = useApi();
  const programs = useLoad(() => api.listPrograms(), []);
  const programList = programs.state.status === 'ok' ? programs.state.data : undefined;
  return (
    <DataTable
      columns={[
        {
          header: 'Customer',
          cell: (c) => <Link to={`/customers/${c.id}`}>Open customer {c.id}</Link>,
        },
        {
          header: 'Points',
          cell: (c) => <CustomerPoints id={c.id} programs={programList} />,
        },
        { header: 'Name', cell: (c) => customerName(c) },
        { header: 'Mobile', cell: (c) => c.mobile ?? '' },
        { header: 'Email', cell: (c) => c.email ?? '' },
        { header: 'External id', cell: (c) => c.external_id ?? '' },
        { header: 'Card number', cell: (c) => c.card_number ?? '' },
        { header: 'Fraud status', cell: (c) => c.fraud_status },
        { header: 'Created', cell: (c) => formatTime(c.created_at) },
      ]}
      rows={customers}
      rowKey={(c) => c.id}
      empty="No customer matches."
    />
  );
}

/**
 * A match's balance per program (and per group wallet it shares). One read per row shown: the
 * search answers at most 20 customers.
 */
function CustomerPoints({ id, programs }: { id: number; programs: Program[] | undefined }) {
  const api = useApi();
  const customer = useLoad(() => api.getCustomer(id), [id]);
  switch (customer.state.status) {
    case 'loading':
      return <span className="muted">Loading…</span>;
    case 'error':
      return <span className="muted">{describeError(customer.state.error).title}</span>;
    case 'ok': {
      const wallets = customer.state.data.wallets;
      if (wallets.length === 0) return <span className="muted">No points yet</span>;
      return (
        <ul className="plain balances">
          {wallets.map((w) => (
            <li key={w.wallet_id}>
              {programLabel(programs, w.program_id)}
              {w.group_id === null ? '' : ` (group ${w.group_id})`}:{' '}
              <strong>{formatPoints(w.balance)}</strong>
            </li>
          ))}
        </ul>
      );
    }
  }
}

const CREATE_FIELDS: { key: keyof CustomerCreate; label: string; type?: string }[] = [
  { key: 'mobile', label: 'Mobile', type: 'tel' },
  { key: 'email', label: 'Email', type: 'email' },
  { key: 'external_id', label: 'External id' },
  { key: 'card_number', label: 'Card number' },
  { key: 'card_external_id', label: 'Card external id' },
  { key: 'firstname', label: 'First name' },
  { key: 'lastname', label: 'Last name' },
];

function CreateCustomer() {
  const api = useApi();
  const [values, setValues] = useState<Record<string, string>>({});
  const { busy, error, submit } = useSubmit(async () => {
    const body: CustomerCreate = {};
    for (const f of CREATE_FIELDS) {
      const v = values[f.key]?.trim();
      if (v) body[f.key] = v;
    }
    const customer = await api.createCustomer(body);
    navigate(`/customers/${customer.id}`);
  });

  return (
    <Section title="Create customer">
      <p className="muted">Give at least one identifier: mobile, email, external id or card.</p>
      <SubmitForm className="form-grid" onSubmit={submit}>
        {CREATE_FIELDS.map((f) => (
          <TextField
            key={f.key}
            label={f.label}
            type={f.type}
            value={values[f.key] ?? ''}
            onChange={(v) => setValues((old) => ({ ...old, [f.key]: v }))}
            error={fieldError(error, f.key)}
            autoComplete="off"
          />
        ))}
        <div className="form-actions">
          <FormError error={error} inline={CREATE_FIELDS.map((f) => f.key)} />
          <button type="submit" className="primary" disabled={busy}>
            Create customer
          </button>
        </div>
      </SubmitForm>
    </Section>
  );
}
