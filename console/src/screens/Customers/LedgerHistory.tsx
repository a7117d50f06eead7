import type { Program } from '../../api';
import { formatPoints, formatTime } from '../../components/format';
import { usePaged } from '../../components/hooks';
import { DataTable } from '../../components/layout';
import { PagedView } from '../../components/paged';
import { useApi } from '../../session';
import { GroupLink, programLabel } from '../../components/links';

const PAGE = 20;

export function LedgerHistory({
  customerId,
  version,
  programs,
}: {
  customerId: number;
  version: number;
  programs: Program[] | undefined;
}) {
  const api = useApi();
  const { state, loadMore } = usePaged(
    (before) =>
      api
        .getLedger(customerId, { limit: PAGE, before })
        .then((p) => ({ items: p.entries, next: p.next_before })),
    [customerId, version],
  );
  return (
    <PagedView state={state} loadMore={loadMore} what="ledger entries">
      {(items) => (
        <DataTable
          columns={[
            { header: 'Time', cell: (e) => formatTime(e.created_at) },
            { header: 'Kind', cell: (e) => e.kind },
            {
              header: 'Amount',
              cell: (e) => (e.amount > 0 ? '+' : '') + formatPoints(e.amount),
              className: 'num',
            },
            {
              header: 'Balance after',
              cell: (e) => formatPoints(e.balance_after),
              className: 'num',
            },
            { header: 'Program', cell: (e) => programLabel(programs, e.program_id) },
            {
              header: 'Group',
              cell: (e) => (e.group_id === null ? '' : <GroupLink id={e.group_id} />),
            },
            {
              header: 'Redemption',
              cell: (e) => (e.redemption_id ? <code>{e.redemption_id}</code> : ''),
            },
            { header: 'By', cell: (e) => e.actor_type },
          ]}
          rows={items}
          rowKey={(e) => e.id}
          empty="No ledger entries."
        />
      )}
    </PagedView>
  );
}
