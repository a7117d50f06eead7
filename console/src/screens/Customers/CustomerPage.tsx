import { useState } from 'react';
import type { CustomerWithWallets, Program, ReverseResult, Wallet } from '../../api';
import { Async, Notice } from '../../components/feedback';
import { customerName, formatPoints, formatTime, parseId, points } from '../../components/format';
import { useLoad } from '../../components/hooks';
import { DataTable, Screen, Section } from '../../components/layout';
import { Link } from '../../router';
import { useApi } from '../../session';
import { GroupLink, programLabel } from '../../components/links';
import { CreditForm } from './CreditForm';
import { LedgerHistory } from './LedgerHistory';
import { ProfileForm } from './ProfileForm';
import { RedemptionList } from './RedemptionList';

export function CustomerPage({ idText }: { idText: string }) {
  const id = parseId(idText);
  if (id === undefined) {
    return (
      <Screen title="Customer not found">
        <p>
          “{idText}” is not a customer id. <Link to="/customers">Find a customer</Link>.
        </p>
      </Screen>
    );
  }
  return <CustomerView id={id} />;
}

function CustomerView({ id }: { id: number }) {
  const api = useApi();
  const customer = useLoad(() => api.getCustomer(id), [id]);
  const lots = useLoad(() => api.listLots(id), [id]);
  const programs = useLoad(() => api.listPrograms(), []);
  const programList = programs.state.status === 'ok' ? programs.state.data : undefined;
  const [version, setVersion] = useState(0);
  const [reversal, setReversal] = useState<ReverseResult | null>(null);

  /** After a credit or a reversal: balances, lots, ledger and redemptions have all moved. */
  const refresh = () => {
    customer.reload();
    lots.reload();
    setVersion((v) => v + 1);
  };

  return (
    <Screen title={`Customer ${id}`} actions={<Link to="/customers">Back to customers</Link>}>
      <Async state={customer.state} retry={customer.reload} what="the customer">
        {(c) => (
          <>
            <Section title="Profile">
              <Profile customer={c} />
              <ProfileForm
                customer={c}
                onSaved={(saved) => customer.setData({ ...saved, wallets: c.wallets })}
              />
            </Section>
            <Section title="Wallets">
              <WalletTable wallets={c.wallets} programs={programList} />
            </Section>
          </>
        )}
      </Async>

      <Section title="Credit points">
        <CreditForm customerId={id} programs={programList} onCredited={refresh} />
      </Section>

      <Section title="Open lots">
        <Async state={lots.state} retry={lots.reload} what="lots">
          {(rows) => (
            <DataTable
              columns={[
                { header: 'Lot', cell: (l) => l.id },
                { header: 'Program', cell: (l) => programLabel(programList, l.program_id) },
                {
                  header: 'Group',
                  cell: (l) => (l.group_id === null ? '' : <GroupLink id={l.group_id} />),
                },
                { header: 'Amount', cell: (l) => formatPoints(l.amount), className: 'num' },
                { header: 'Remaining', cell: (l) => formatPoints(l.remaining), className: 'num' },
                { header: 'Earned', cell: (l) => formatTime(l.earned_at) },
                {
                  header: 'Expires',
                  cell: (l) => (l.expires_at ? formatTime(l.expires_at) : 'Never'),
                },
                { header: 'Note', cell: (l) => l.note },
              ]}
              rows={rows}
              rowKey={(l) => l.id}
              empty="No open lots."
            />
          )}
        </Async>
      </Section>

      <Section title="Redemptions">
        {reversal && (
          <Notice>
            <strong>
              Redemption {reversal.redemption_id} reversed (reversal {reversal.reversal_id}).
            </strong>{' '}
            {points(reversal.points_reversed)} came back to the wallet;{' '}
            {points(reversal.points_expired)} had expired and did not come back. New balance:{' '}
            {formatPoints(reversal.balance)}.
          </Notice>
        )}
        <RedemptionList
          customerId={id}
          version={version}
          programs={programList}
          onReversed={(result) => {
            setReversal(result);
            refresh();
          }}
        />
      </Section>

      <Section title="Ledger history">
        <LedgerHistory customerId={id} version={version} programs={programList} />
      </Section>
    </Screen>
  );
}

function Profile({ customer: c }: { customer: CustomerWithWallets }) {
  const facts: [string, string][] = [
    ['Name', customerName(c) || '—'],
    ['Mobile', c.mobile ?? '—'],
    ['Email', c.email ?? '—'],
    ['External id', c.external_id ?? '—'],
    ['Card number', c.card_number ?? '—'],
    ['Card external id', c.card_external_id ?? '—'],
    ['Fraud status', c.fraud_status],
    ['Created', formatTime(c.created_at)],
  ];
  return (
    <dl className="facts">
      {facts.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function WalletTable({
  wallets,
  programs,
  empty = 'No wallets yet (the first credit opens one).',
}: {
  wallets: Wallet[];
  programs: Program[] | undefined;
  empty?: string;
}) {
  return (
    <DataTable
      columns={[
        { header: 'Program', cell: (w) => programLabel(programs, w.program_id) },
        {
          header: 'Group',
          cell: (w) => (w.group_id === null ? 'Own wallet' : <GroupLink id={w.group_id} />),
        },
        { header: 'Balance', cell: (w) => formatPoints(w.balance), className: 'num' },
        {
          header: 'Lifetime points',
          cell: (w) => formatPoints(w.lifetime_points),
          className: 'num',
        },
        { header: 'Redeemed', cell: (w) => formatPoints(w.redeemed), className: 'num' },
        { header: 'Expired', cell: (w) => formatPoints(w.expired), className: 'num' },
        { header: 'Returned', cell: (w) => formatPoints(w.returned), className: 'num' },
      ]}
      rows={wallets}
      rowKey={(w) => w.wallet_id}
      empty={empty}
    />
  );
}
