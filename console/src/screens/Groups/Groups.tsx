import { useState } from 'react';
import type { GroupCreate } from '../../api';
import { Async, fieldError, FormError } from '../../components/feedback';
import { CheckboxField, SubmitForm, TextField } from '../../components/fields';
import { parseId } from '../../components/format';
import { useLoad, useSubmit } from '../../components/hooks';
import { CustomerLink } from '../../components/links';
import { DataTable, Screen, Section } from '../../components/layout';
import { Link, navigate } from '../../router';
import { useApi } from '../../session';

export function Groups() {
  const api = useApi();
  const groups = useLoad(() => api.listGroups(), []);
  return (
    <Screen title="Groups">
      <Section title="All groups">
        <Async state={groups.state} retry={groups.reload} what="groups">
          {(rows) => (
            <DataTable
              columns={[
                {
                  header: 'Group',
                  cell: (g) => <Link to={`/groups/${g.id}`}>Open group {g.id}</Link>,
                },
                { header: 'External id', cell: (g) => g.external_id },
                {
                  header: 'Primary customer',
                  cell: (g) => <CustomerLink id={g.primary_customer_id} />,
                },
                { header: 'Members', cell: (g) => g.member_ids.length, className: 'num' },
                {
                  header: 'Redemption',
                  cell: (g) => (g.redemption_enabled ? 'Enabled' : 'Disabled'),
                },
              ]}
              rows={rows}
              rowKey={(g) => g.id}
              empty="No groups yet."
            />
          )}
        </Async>
      </Section>
      <CreateGroup />
    </Screen>
  );
}

/** Customer ids typed as "3, 4 5": the ids, or the first bad piece. */
export function parseIds(text: string): { ids: number[]; bad?: string } {
  const pieces = text.split(/[\s,;]+/).filter(Boolean);
  const ids: number[] = [];
  for (const piece of pieces) {
    const id = parseId(piece);
    if (id === undefined) return { ids, bad: piece };
    ids.push(id);
  }
  return { ids };
}

function CreateGroup() {
  const api = useApi();
  const [externalId, setExternalId] = useState('');
  const [primary, setPrimary] = useState('');
  const [members, setMembers] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [local, setLocal] = useState<Record<string, string>>({});
  const { busy, error, submit, setError } = useSubmit(async (body: GroupCreate) => {
    const group = await api.createGroup(body);
    navigate(`/groups/${group.id}`);
  });

  function create() {
    setError(null);
    const problems: Record<string, string> = {};
    const primaryId = parseId(primary);
    if (primaryId === undefined)
      problems.primary_customer_id = 'Enter a customer id (a whole number)';
    const parsed = parseIds(members);
    if (parsed.bad !== undefined) problems.member_ids = `“${parsed.bad}” is not a customer id`;
    setLocal(problems);
    if (primaryId === undefined || parsed.bad !== undefined) return;
    const body: GroupCreate = {
      external_id: externalId.trim(),
      primary_customer_id: primaryId,
      redemption_enabled: enabled,
    };
    if (parsed.ids.length) body.member_ids = parsed.ids;
    void submit(body);
  }

  const err = (field: string) => local[field] ?? fieldError(error, field);

  return (
    <Section title="Create group">
      <SubmitForm className="form-grid" onSubmit={create}>
        <TextField
          label="External id"
          value={externalId}
          onChange={setExternalId}
          error={err('external_id')}
          autoComplete="off"
        />
        <TextField
          label="Primary customer id"
          inputMode="numeric"
          value={primary}
          onChange={setPrimary}
          error={err('primary_customer_id')}
          autoComplete="off"
        />
        <TextField
          label="Member ids"
          value={members}
          onChange={setMembers}
          hint="Customer ids, separated by commas (the primary customer is a member anyway)"
          error={err('member_ids')}
          autoComplete="off"
        />
        <CheckboxField
          label="Redemption enabled"
          checked={enabled}
          onChange={setEnabled}
          error={err('redemption_enabled')}
        />
        <div className="form-actions">
          <FormError
            error={error}
            inline={['external_id', 'primary_customer_id', 'member_ids', 'redemption_enabled']}
          />
          <button type="submit" className="primary" disabled={busy}>
            Create group
          </button>
        </div>
      </SubmitForm>
    </Section>
  );
}
