import { useState } from 'react';
import type { LedgerCheck } from '../../api';
import { programLabel } from '../../components/links';
import { Async, FormError, JsonView, Notice } from '../../components/feedback';
import { SelectField } from '../../components/fields';
import { formatHour, formatPoints, formatTime } from '../../components/format';
import { useLoad, useSubmit } from '../../components/hooks';
import { DataTable, Screen, Section } from '../../components/layout';
import { useApi } from '../../session';
import { HourlyChart } from './HourlyChart';
import { fillHours, round3, totalsByProgram } from './hourly';

export function Dashboard() {
  const api = useApi();
  const stats = useLoad(() => api.getStats(24), []);
  const programs = useLoad(() => api.listPrograms(), []);
  const programList = programs.state.status === 'ok' ? programs.state.data : undefined;
  const [programFilter, setProgramFilter] = useState('');

  return (
    <Screen
      title="Dashboard"
      actions={
        <button type="button" onClick={stats.reload}>
          Refresh
        </button>
      }
    >
      <Async state={stats.state} retry={stats.reload} what="statistics">
        {(s) => {
          const programId = programFilter ? Number(programFilter) : undefined;
          const buckets = fillHours(s.from, s.to, s.hourly, programId);
          const count = buckets.reduce((n, b) => n + b.redemptions, 0);
          const points = round3(buckets.reduce((n, b) => n + b.points, 0));
          const programIds = [
            ...new Set([
              ...(programList ?? []).map((p) => p.id),
              ...s.hourly.map((h) => h.program_id),
            ]),
          ];
          return (
            <>
              <Section title="Redemptions per hour (last 24 hours)">
                <div className="inline-form">
                  <SelectField
                    label="Program shown in the chart"
                    value={programFilter}
                    onChange={setProgramFilter}
                    options={[
                      { value: '', label: 'All programs' },
                      ...programIds.map((id) => ({
                        value: String(id),
                        label: programLabel(programList, id),
                      })),
                    ]}
                  />
                </div>
                <p className="totals">
                  <span>
                    Redemptions: <strong data-testid="total-redemptions">{count}</strong>
                  </span>
                  <span>
                    Points redeemed:{' '}
                    <strong data-testid="total-points">{formatPoints(points)}</strong>
                  </span>
                  <span className="muted">
                    {formatTime(s.from)} to {formatTime(s.to)}
                  </span>
                </p>
                <HourlyChart
                  buckets={buckets}
                  summary={`Chart of redemptions and points redeemed per hour: ${count} redemptions, ${formatPoints(points)} points in the last 24 hours`}
                />
                <details>
                  <summary>Hourly figures as a table</summary>
                  <DataTable
                    columns={[
                      { header: 'Hour', cell: (b) => formatHour(b.at) },
                      { header: 'Redemptions', cell: (b) => b.redemptions, className: 'num' },
                      { header: 'Points', cell: (b) => formatPoints(b.points), className: 'num' },
                    ]}
                    rows={buckets.filter((b) => b.redemptions > 0)}
                    rowKey={(b) => b.at}
                    empty="No redemptions in the last 24 hours."
                  />
                </details>
              </Section>

              <div className="grid-2">
                <Section title="By program">
                  <DataTable
                    columns={[
                      { header: 'Program', cell: (t) => programLabel(programList, t.program_id) },
                      { header: 'Redemptions', cell: (t) => t.redemptions, className: 'num' },
                      { header: 'Points', cell: (t) => formatPoints(t.points), className: 'num' },
                    ]}
                    rows={totalsByProgram(s.hourly)}
                    rowKey={(t) => t.program_id}
                    empty="No redemptions in the last 24 hours."
                  />
                </Section>

                <Section title="Refused redemptions">
                  <DataTable
                    columns={[
                      { header: 'Item code', cell: (r) => r.code, className: 'num' },
                      { header: 'Message', cell: (r) => r.message },
                      { header: 'Count', cell: (r) => r.count, className: 'num' },
                    ]}
                    rows={s.refusals}
                    rowKey={(r) => r.code}
                    empty="No refused redemptions in the last 24 hours."
                  />
                </Section>

                <Section title="Outbox">
                  <dl className="facts">
                    <dt>Unsent messages</dt>
                    <dd data-testid="outbox-unsent">{s.outbox.unsent}</dd>
                    <dt>Oldest unsent</dt>
                    <dd>
                      {s.outbox.oldest_unsent_at ? formatTime(s.outbox.oldest_unsent_at) : 'None'}
                    </dd>
                  </dl>
                </Section>
              </div>
            </>
          );
        }}
      </Async>
      <LedgerCheckPanel />
    </Screen>
  );
}

function LedgerCheckPanel() {
  const api = useApi();
  const [result, setResult] = useState<LedgerCheck | null>(null);
  const { busy, error, submit } = useSubmit(async () => {
    setResult(null);
    setResult(await api.verifyLedger());
  });

  return (
    <Section title="Ledger check">
      <p className="muted">
        Checks that every wallet balance equals its ledger and open lots, and that every redemption
        adds up.
      </p>
      <button type="button" onClick={() => void submit()} disabled={busy}>
        Run ledger check
      </button>
      {busy && (
        <p className="loading" role="status">
          Checking the ledger…
        </p>
      )}
      <FormError error={error} />
      {result && result.ok && (
        <Notice>
          <strong>Ledger check passed.</strong> {result.wallets_checked} wallets
          {result.redemptions_checked !== undefined &&
            ` and ${result.redemptions_checked} redemptions`}{' '}
          checked, no failures.
        </Notice>
      )}
      {result && !result.ok && (
        <div className="message error" role="alert">
          <p>
            <strong>Ledger check failed: {result.failures.length} problem(s).</strong>{' '}
            {result.wallets_checked} wallets checked.
          </p>
          <JsonView value={result.failures} />
        </div>
      )}
    </Section>
  );
}
