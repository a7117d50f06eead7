import { useState } from 'react';
import type { Customer, CustomerCreate } from '../../api';
import { Async, fieldError, FormError } from '../../components/feedback';
import { SubmitForm, TextField } from '../../components/fields';
import { customerName, formatTime } from '../../components/format';
import { useLoad, useSubmit } from '../../components/hooks';
import { DataTable, Screen, Section } from '../../components/layout';
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
  return (
    <div aria-live="polite">
      <Async state={results.state} retry={results.reload} what="customers">
        {(customers) => (
          <>
            <p className="muted">
              {customers.length === 1 ? '1 customer' : `${customers.length} customers`} match “{q}”
              {customers.length >= 20 ? ' (showing the first 20)' : ''}.
            </p>
            <CustomerTable customers={customers} />
          </>
        )}
      </Async>
    </div>
  );
}

export function CustomerTable({ customers }: { customers: Customer[] }) {
  return (
    <DataTable
      columns={[
        {
          header: 'Customer',
          cell: (c) => <Link to={`/customers/${c.id}`}>Open customer {c.id}</Link>,
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
