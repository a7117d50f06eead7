import { useState } from 'react';
import { Async, fieldError, FormError, Notice } from '../../components/feedback';
import { SubmitForm, TextField } from '../../components/fields';
import { formatTime, parseId } from '../../components/format';
import { useLoad, useSubmit } from '../../components/hooks';
import { CustomerLink } from '../../components/links';
import { DataTable, Screen, Section } from '../../components/layout';
import { useApi } from '../../session';

export function Outbox() {
  return (
    <Screen title="Outbox & missed calls">
      <Notifications />
      <MissedCalls />
    </Screen>
  );
}

function Notifications() {
  const api = useApi();
  const [filter, setFilter] = useState('');
  const [customerId, setCustomerId] = useState<number | undefined>();
  const [filterError, setFilterError] = useState<string | undefined>();
  const list = useLoad(() => api.listNotifications(customerId), [customerId]);

  return (
    <Section
      title="Outbox"
      actions={
        <button type="button" onClick={list.reload}>
          Refresh outbox
        </button>
      }
    >
      <SubmitForm
        className="inline-form"
        onSubmit={() => {
          if (!filter.trim()) {
            setFilterError(undefined);
            setCustomerId(undefined);
            return;
          }
          const id = parseId(filter);
          setFilterError(id === undefined ? 'Enter a customer id (a whole number)' : undefined);
          if (id !== undefined) setCustomerId(id);
        }}
      >
        <TextField
          label="Filter by customer id"
          inputMode="numeric"
          value={filter}
          onChange={setFilter}
          hint="Empty: all customers"
          error={filterError}
          autoComplete="off"
        />
        <button type="submit">Filter</button>
      </SubmitForm>
      <Async state={list.state} retry={list.reload} what="the outbox">
        {(rows) => (
          <DataTable
            columns={[
              { header: 'Id', cell: (n) => n.id, className: 'num' },
              {
                header: 'Customer',
                cell: (n) => (n.customer_id === null ? '' : <CustomerLink id={n.customer_id} />),
              },
              { header: 'Channel', cell: (n) => n.channel },
              { header: 'Recipient', cell: (n) => n.recipient },
              { header: 'Text', cell: (n) => n.text, className: 'wrap' },
              { header: 'Created', cell: (n) => formatTime(n.created_at) },
              { header: 'Sent', cell: (n) => (n.sent_at ? formatTime(n.sent_at) : 'Not sent') },
            ]}
            rows={rows}
            rowKey={(n) => String(n.id)}
            empty="The outbox is empty."
          />
        )}
      </Async>
    </Section>
  );
}

function MissedCalls() {
  const api = useApi();
  const list = useLoad(() => api.listMissedCalls(), []);
  const [mobile, setMobile] = useState('');
  const [recorded, setRecorded] = useState<string | null>(null);
  const { busy, error, submit } = useSubmit(async () => {
    setRecorded(null);
    const call = await api.recordMissedCall(mobile.trim());
    setRecorded(`Missed call from ${call.mobile} recorded.`);
    setMobile('');
    list.reload();
  });

  return (
    <Section title="Missed calls">
      <SubmitForm className="inline-form" onSubmit={submit}>
        <TextField
          label="Mobile"
          type="tel"
          value={mobile}
          onChange={setMobile}
          error={fieldError(error, 'mobile')}
          autoComplete="off"
        />
        <button type="submit" className="primary" disabled={busy}>
          Record missed call
        </button>
      </SubmitForm>
      <FormError error={error} inline={['mobile']} />
      {recorded && <Notice>{recorded}</Notice>}
      <Async state={list.state} retry={list.reload} what="missed calls">
        {(rows) => (
          <DataTable
            columns={[
              { header: 'Id', cell: (m) => m.id, className: 'num' },
              { header: 'Mobile', cell: (m) => m.mobile },
              { header: 'Called at', cell: (m) => formatTime(m.called_at) },
              {
                header: 'Used',
                cell: (m) => (m.consumed_at ? formatTime(m.consumed_at) : 'Not used'),
              },
            ]}
            rows={rows}
            rowKey={(m) => m.id}
            empty="No missed calls."
          />
        )}
      </Async>
    </Section>
  );
}
