import { useState } from 'react';
import type { Program, Redemption, ReverseResult } from '../../api';
import { fieldError, FormError } from '../../components/feedback';
import { SubmitForm, TextField } from '../../components/fields';
import { formatPoints, formatTime } from '../../components/format';
import { usePaged, useSubmit } from '../../components/hooks';
import { DataTable } from '../../components/layout';
import { PagedView } from '../../components/paged';
import { useApi } from '../../session';
import { GroupLink, programLabel } from '../../components/links';

const PAGE = 20;

export function RedemptionList({
  customerId,
  version,
  programs,
  onReversed,
}: {
  customerId: number;
  version: number;
  programs: Program[] | undefined;
  onReversed: (result: ReverseResult) => void;
}) {
  const api = useApi();
  const { state, loadMore } = usePaged(
    (before) =>
      api
        .getRedemptions(customerId, { limit: PAGE, before })
        .then((p) => ({ items: p.redemptions, next: p.next_before })),
    [customerId, version],
  );
  return (
    <PagedView state={state} loadMore={loadMore} what="redemptions">
      {(items) => (
        <DataTable
          columns={[
            { header: 'Redemption id', cell: (r) => <code>{r.redemption_id}</code> },
            { header: 'Time', cell: (r) => formatTime(r.redemption_time || r.created_at) },
            { header: 'Points', cell: (r) => formatPoints(r.points), className: 'num' },
            { header: 'Reversed', cell: (r) => formatPoints(r.reversed_points), className: 'num' },
            {
              header: 'Program',
              cell: (r) => (
                <>
                  {programLabel(programs, r.program_id)}
                  {r.group_id !== null && (
                    <>
                      {' '}
                      (<GroupLink id={r.group_id} />)
                    </>
                  )}
                </>
              ),
            },
            { header: 'Till', cell: (r) => r.till ?? '' },
            {
              header: 'Bill',
              cell: (r) =>
                [r.transaction_number, r.external_reference_number].filter(Boolean).join(' / '),
            },
            { header: 'Reversals', cell: (r) => <Reversals redemption={r} /> },
            {
              header: 'Reverse',
              cell: (r) => <ReverseForm redemption={r} onReversed={onReversed} />,
            },
          ]}
          rows={items}
          rowKey={(r) => r.id}
          empty="No redemptions."
        />
      )}
    </PagedView>
  );
}

function Reversals({ redemption }: { redemption: Redemption }) {
  if (redemption.reversals.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="plain">
      {redemption.reversals.map((v) => (
        <li key={v.reversal_id}>
          <code>{v.reversal_id}</code>: {formatPoints(v.points_reversed)} back
          {v.points_expired > 0 ? `, ${formatPoints(v.points_expired)} expired` : ''} (
          {formatTime(v.created_at)})
        </li>
      ))}
    </ul>
  );
}

/** Reverse all that is left (empty input) or part of a redemption. */
function ReverseForm({
  redemption,
  onReversed,
}: {
  redemption: Redemption;
  onReversed: (result: ReverseResult) => void;
}) {
  const api = useApi();
  const [points, setPoints] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    const typed = points.trim();
    const result = await api.reverseRedemption(
      redemption.redemption_id,
      typed ? { points: typed } : {},
    );
    setPoints('');
    onReversed(result);
  });
  const left = Math.round((redemption.points - redemption.reversed_points) * 1000) / 1000;

  if (left <= 0) return <span className="muted">Fully reversed</span>;

  return (
    <SubmitForm className="reverse-form" onSubmit={submit}>
      <TextField
        label="Points to reverse"
        inputMode="decimal"
        value={points}
        onChange={setPoints}
        labelDetail={`of ${redemption.redemption_id}`}
        placeholder={`all ${formatPoints(left)}`}
        hint={`Leave empty to reverse all ${formatPoints(left)} points left`}
        hideHint
        error={fieldError(error, 'points')}
        autoComplete="off"
        size={8}
      />
      <FormError error={error} inline={['points']} />
      <button type="submit" disabled={busy}>
        Reverse<span className="visually-hidden"> {redemption.redemption_id}</span>
      </button>
    </SubmitForm>
  );
}
