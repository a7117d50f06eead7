import { useEffect, useId, useRef, useState } from 'react';
import type { WebhookDelivery, WebhookEndpoint } from '../../api';
import { FormError, Notice } from '../../components/feedback';
import { formatTime } from '../../components/format';
import { usePaged, useSubmit } from '../../components/hooks';
import { DataTable } from '../../components/layout';
import { PagedView } from '../../components/paged';
import { useApi } from '../../session';
import { UrlText } from './UrlText';

const PAGE = 20;
/** The most the API gives in one page. */
const MOST = 100;
const EXCERPT = 120;

/** How soon to look again while a delivery is pending: often when one is due soon. */
function pollDelay(items: WebhookDelivery[], retried: Set<string>): number | undefined {
  const pending = items.filter((d) => d.status === 'pending' || retried.has(d.id));
  if (pending.length === 0) return undefined;
  const soonest = Math.min(...pending.map((d) => Date.parse(d.next_attempt_at)));
  return retried.size > 0 || soonest - Date.now() < 60_000 ? 2_000 : 30_000;
}

/** An endpoint's deliveries, newest first, each with its last answer and a way to send it again. */
export function Deliveries({
  endpoint,
  onStatusesChanged,
}: {
  endpoint: WebhookEndpoint;
  onStatusesChanged: () => void;
}) {
  const api = useApi();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [retried, setRetried] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const { state, loadMore, refresh } = usePaged(
    (before, atLeast = 0) =>
      api
        .getWebhookDeliveries(endpoint.id, {
          limit: Math.min(MOST, Math.max(PAGE, atLeast)),
          before,
        })
        .then((p) => ({ items: p.deliveries, next: p.next_before })),
    [endpoint.id],
  );
  const items = state.status === 'ok' ? state.items : undefined;

  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'nearest' });
    setNotice(null);
  }, [endpoint.id]);

  // What the service says now replaces what a retry made this screen assume.
  useEffect(() => setRetried(new Set()), [items]);

  // The endpoint's Failing mark follows its deliveries: read the list again when they move on.
  const statuses = items?.map((d) => `${d.id}:${d.status}`).join(',');
  const seen = useRef(statuses);
  useEffect(() => {
    if (seen.current !== undefined && statuses !== seen.current) onStatusesChanged();
    seen.current = statuses;
  }, [statuses, onStatusesChanged]);

  useEffect(() => {
    if (!items) return;
    const delay = pollDelay(items, retried);
    if (delay === undefined) return;
    const timer = setTimeout(refresh, delay);
    return () => clearTimeout(timer);
  }, [items, retried, refresh]);

  const onRetried = (delivery: WebhookDelivery) => {
    setRetried((r) => new Set(r).add(delivery.id));
    setNotice(
      `Delivery ${delivery.id} (${delivery.type}) is sent again now, with the same webhook-id.`,
    );
    refresh();
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <div className="panel-head">
        <h2 id={`${id}-title`} tabIndex={-1} ref={heading}>
          Deliveries to endpoint {endpoint.id}
        </h2>
        <div className="actions">
          <button type="button" onClick={refresh} disabled={state.status !== 'ok'}>
            Refresh deliveries
          </button>
        </div>
      </div>
      <p>
        <UrlText url={endpoint.url} />
      </p>
      {!endpoint.enabled && (
        <p className="message info">
          This endpoint is disabled: nothing is sent to it, and pending deliveries wait until it is
          enabled again.
        </p>
      )}
      {notice && <Notice>{notice}</Notice>}
      <PagedView state={state} loadMore={loadMore} what="deliveries">
        {(rows) => (
          <DataTable
            columns={[
              { header: 'Id', cell: (d) => d.id, className: 'num' },
              {
                header: 'Event',
                cell: (d) => (
                  <div>
                    <code>{d.type}</code>
                    <div className="small muted wrap">
                      <span className="visually-hidden">webhook-id </span>
                      {d.message_id}
                    </div>
                    <div className="small muted">Happened {formatTime(d.created_at)}</div>
                  </div>
                ),
              },
              {
                header: 'Status',
                cell: (d) => <DeliveryState delivery={d} retried={retried.has(d.id)} />,
              },
              { header: 'Attempts', cell: (d) => d.attempts, className: 'num' },
              { header: 'Last answer', cell: (d) => <LastAnswer delivery={d} /> },
              {
                header: 'Response',
                cell: (d) => <Excerpt text={d.last_response} />,
                className: 'wrap',
              },
              {
                header: 'Next attempt',
                cell: (d) => <NextAttempt delivery={d} retried={retried.has(d.id)} />,
              },
              {
                header: 'Send again',
                cell: (d) => <RetryButton delivery={d} onRetried={onRetried} />,
              },
            ]}
            rows={rows}
            rowKey={(d) => d.id}
            empty="No deliveries yet: events of the types it wants are listed here once they happen."
          />
        )}
      </PagedView>
    </section>
  );
}

function DeliveryState({ delivery, retried }: { delivery: WebhookDelivery; retried: boolean }) {
  const status = retried ? 'pending' : delivery.status;
  switch (status) {
    case 'delivered':
      return (
        <div>
          <span className="badge good">Delivered</span>
        </div>
      );
    case 'pending':
      return (
        <div>
          <span className="badge">Pending</span>
        </div>
      );
    case 'failed':
      return (
        <div>
          <span className="badge bad">Failed</span>
        </div>
      );
  }
}

function LastAnswer({ delivery }: { delivery: WebhookDelivery }) {
  if (delivery.attempts === 0 || !delivery.last_attempt_at) {
    return <span className="muted">Not tried yet</span>;
  }
  return (
    <div>
      {delivery.last_status !== null && <div>HTTP {delivery.last_status}</div>}
      {delivery.last_error && <div className="wrap">{delivery.last_error}</div>}
      <div className="small muted">{formatTime(delivery.last_attempt_at)}</div>
    </div>
  );
}

function Excerpt({ text }: { text: string | null }) {
  if (!text) return <span className="muted">None</span>;
  const short = text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text;
  return (
    <code className="excerpt" title={text}>
      {short}
    </code>
  );
}

function NextAttempt({ delivery, retried }: { delivery: WebhookDelivery; retried: boolean }) {
  if (retried) return <span>Now</span>;
  switch (delivery.status) {
    case 'pending': {
      const at = Date.parse(delivery.next_attempt_at);
      return <span>{at <= Date.now() ? 'Now' : formatTime(delivery.next_attempt_at)}</span>;
    }
    case 'delivered':
      return <span className="muted">None</span>;
    case 'failed':
      return <span className="muted">None: every attempt failed</span>;
  }
}

function RetryButton({
  delivery,
  onRetried,
}: {
  delivery: WebhookDelivery;
  onRetried: (delivery: WebhookDelivery) => void;
}) {
  const api = useApi();
  const { busy, error, submit } = useSubmit(async () => {
    await api.retryWebhookDelivery(delivery.id);
    onRetried(delivery);
  });
  return (
    <div>
      <button type="button" onClick={() => void submit()} disabled={busy}>
        Retry<span className="visually-hidden"> delivery {delivery.id}</span>
      </button>
      <FormError error={error} />
    </div>
  );
}
