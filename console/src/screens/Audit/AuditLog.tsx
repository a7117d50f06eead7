import { useState } from 'react';
import { AUDIT_ACTIONS, type AuditQuery } from '../../api';
import { JsonView } from '../../components/feedback';
import { SelectField, SubmitForm, TextField } from '../../components/fields';
import { formatTime } from '../../components/format';
import { usePaged } from '../../components/hooks';
import { DataTable, Screen, Section } from '../../components/layout';
import { PagedView } from '../../components/paged';
import { useApi } from '../../session';

const PAGE = 50;

const TARGET_TYPES = [
  'config',
  'program',
  'till',
  'customer',
  'lot',
  'redemption',
  'group',
  'custom_field',
  'missed_call',
  'webhook',
  'webhook_delivery',
];

export function AuditLog() {
  const api = useApi();
  const [action, setAction] = useState('');
  const [targetType, setTargetType] = useState('');
  const [targetId, setTargetId] = useState('');
  const [filters, setFilters] = useState<AuditQuery>({});
  const { state, loadMore } = usePaged(
    (before) =>
      api
        .getAudit({ ...filters, limit: PAGE, before })
        .then((p) => ({ items: p.entries, next: p.next_before })),
    [filters],
  );

  return (
    <Screen title="Audit log">
      <Section title="Filters">
        <SubmitForm
          className="form-grid"
          onSubmit={() =>
            setFilters({
              action: action || undefined,
              target_type: targetType.trim() || undefined,
              target_id: targetId.trim() || undefined,
            })
          }
        >
          <SelectField
            label="Action"
            value={action}
            onChange={setAction}
            options={[
              { value: '', label: 'All actions' },
              ...AUDIT_ACTIONS.map((a) => ({ value: a, label: a })),
            ]}
          />
          <TextField
            label="Target type"
            value={targetType}
            onChange={setTargetType}
            list="audit-target-types"
            hint="e.g. config, program, till, customer, group"
            autoComplete="off"
          />
          <datalist id="audit-target-types">
            {TARGET_TYPES.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <TextField label="Target id" value={targetId} onChange={setTargetId} autoComplete="off" />
          <div className="form-actions buttons">
            <button type="submit" className="primary">
              Apply filters
            </button>
            <button
              type="button"
              onClick={() => {
                setAction('');
                setTargetType('');
                setTargetId('');
                setFilters({});
              }}
            >
              Clear filters
            </button>
          </div>
        </SubmitForm>
      </Section>
      <Section title="Entries">
        <PagedView state={state} loadMore={loadMore} what="entries">
          {(items) => (
            <DataTable
              columns={[
                { header: 'Time', cell: (e) => formatTime(e.created_at) },
                { header: 'Actor', cell: (e) => e.actor },
                { header: 'Action', cell: (e) => <code>{e.action}</code> },
                {
                  header: 'Target',
                  cell: (e) => `${e.target_type}${e.target_id ? ` ${e.target_id}` : ''}`,
                },
                {
                  header: 'Before',
                  cell: (e) => <JsonView value={e.before} />,
                  className: 'json-cell',
                },
                {
                  header: 'After',
                  cell: (e) => <JsonView value={e.after} />,
                  className: 'json-cell',
                },
                {
                  header: 'Request id',
                  cell: (e) => <code className="small">{e.request_id}</code>,
                },
              ]}
              rows={items}
              rowKey={(e) => e.id}
              empty="No audit entries match."
            />
          )}
        </PagedView>
      </Section>
    </Screen>
  );
}
