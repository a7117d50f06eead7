import { useState } from 'react';
import type { Group } from '../../api';
import { Async, fieldError, FormError, Notice } from '../../components/feedback';
import { SubmitForm, TextField } from '../../components/fields';
import { parseId } from '../../components/format';
import { useLoad, useSubmit } from '../../components/hooks';
import { CustomerLink } from '../../components/links';
import { Screen, Section } from '../../components/layout';
import { Link } from '../../router';
import { useApi } from '../../session';
import { WalletTable } from '../Customers/CustomerPage';

export function GroupPage({ idText }: { idText: string }) {
  const id = parseId(idText);
  if (id === undefined) {
    return (
      <Screen title="Group not found">
        <p>
          “{idText}” is not a group id. <Link to="/groups">See all groups</Link>.
        </p>
      </Screen>
    );
  }
  return <GroupView id={id} />;
}

function GroupView({ id }: { id: number }) {
  const api = useApi();
  const group = useLoad(() => api.getGroup(id), [id]);
  return (
    <Screen title={`Group ${id}`} actions={<Link to="/groups">Back to groups</Link>}>
      <Async state={group.state} retry={group.reload} what="the group">
        {(g) => (
          <>
            <div className="grid-2">
              <Section title="Group">
                <dl className="facts">
                  <div>
                    <dt>External id</dt>
                    <dd>{g.external_id}</dd>
                  </div>
                  <div>
                    <dt>Primary customer</dt>
                    <dd>
                      <CustomerLink id={g.primary_customer_id} />
                    </dd>
                  </div>
                  <div>
                    <dt>Redemption</dt>
                    <dd>{g.redemption_enabled ? 'Enabled' : 'Disabled'}</dd>
                  </div>
                </dl>
                <RedemptionToggle group={g} onSaved={group.setData} />
              </Section>
              <Section title="Members">
                <ul className="members">
                  {g.member_ids.map((m) => (
                    <li key={m}>
                      <CustomerLink id={m} />
                      {m === g.primary_customer_id && <span className="muted"> (primary)</span>}
                    </li>
                  ))}
                </ul>
                <AddMember group={g} onAdded={group.setData} />
              </Section>
            </div>
            <GroupWallet group={g} />
          </>
        )}
      </Async>
    </Screen>
  );
}

function RedemptionToggle({ group, onSaved }: { group: Group; onSaved: (g: Group) => void }) {
  const api = useApi();
  const { busy, error, submit } = useSubmit(async () => {
    onSaved(await api.patchGroup(group.id, { redemption_enabled: !group.redemption_enabled }));
  });
  return (
    <>
      <button type="button" onClick={() => void submit()} disabled={busy}>
        {group.redemption_enabled ? 'Disable redemption' : 'Enable redemption'}
      </button>
      <FormError error={error} />
    </>
  );
}

function AddMember({ group, onAdded }: { group: Group; onAdded: (g: Group) => void }) {
  const api = useApi();
  const [customer, setCustomer] = useState('');
  const [local, setLocal] = useState<string | undefined>();
  const [added, setAdded] = useState<number | null>(null);
  const { busy, error, submit, setError } = useSubmit(async (id: number) => {
    onAdded(await api.addGroupMember(group.id, id));
    setAdded(id);
    setCustomer('');
  });

  function add() {
    setError(null);
    setAdded(null);
    const id = parseId(customer);
    setLocal(id === undefined ? 'Enter a customer id (a whole number)' : undefined);
    if (id !== undefined) void submit(id);
  }

  return (
    <SubmitForm className="inline-form" onSubmit={add}>
      <TextField
        label="Customer id"
        inputMode="numeric"
        value={customer}
        onChange={setCustomer}
        error={local ?? fieldError(error, 'customer_id')}
        autoComplete="off"
      />
      <button type="submit" disabled={busy}>
        Add member
      </button>
      <FormError error={error} inline={['customer_id']} />
      {added !== null && <Notice>Customer {added} added to the group.</Notice>}
    </SubmitForm>
  );
}

/** The group's pooled wallets, as the primary customer's view shows them. */
function GroupWallet({ group }: { group: Group }) {
  const api = useApi();
  const primary = useLoad(
    () => api.getCustomer(group.primary_customer_id),
    [group.primary_customer_id],
  );
  const programs = useLoad(() => api.listPrograms(), []);
  return (
    <Section title="Group wallet">
      <Async state={primary.state} retry={primary.reload} what="the group wallet">
        {(c) => (
          <WalletTable
            wallets={c.wallets.filter((w) => w.group_id === group.id)}
            programs={programs.state.status === 'ok' ? programs.state.data : undefined}
            empty="No group wallet yet (the first credit to the group opens one)."
          />
        )}
      </Async>
    </Section>
  );
}
