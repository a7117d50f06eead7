import { useRef, useState } from 'react';
import type { WebhookEndpoint } from '../../api';
import { Async, fieldError, FormError, Notice } from '../../components/feedback';
import { SubmitForm } from '../../components/fields';
import { formatTime } from '../../components/format';
import { useLoad, useSubmit } from '../../components/hooks';
import { DataTable, Screen, Section } from '../../components/layout';
import { useApi } from '../../session';
import { CreateEndpoint } from './CreateEndpoint';
import { Deliveries } from './Deliveries';
import { EventChoice } from './EventChoice';
import { SecretPanel, type ShownSecret } from './SecretPanel';
import { UrlText } from './UrlText';

/** Events out (signed webhooks): the org's endpoints, their secrets and their deliveries. */
export function Webhooks() {
  const api = useApi();
  const endpoints = useLoad(() => api.listWebhooks(), []);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const [deliveriesOf, setDeliveriesOf] = useState<number | null>(null);

  const changed = (message: string) => {
    setNotice(message);
    endpoints.reload();
  };
  const rows = endpoints.state.status === 'ok' ? endpoints.state.data : [];
  const shown = rows.find((e) => e.id === deliveriesOf);
  const failing = rows.filter((e) => e.failing).length;

  return (
    <Screen title="Webhooks">
      <p className="lead">
        Signed events (Standard Webhooks) sent to the systems around the service when points are
        credited, redeemed or reversed, when they expire, and when a customer's fraud status
        changes.
      </p>
      {secret && (
        <SecretPanel
          shown={secret}
          onDone={() => {
            setSecret(null);
            document.querySelector<HTMLElement>('main h1')?.focus();
          }}
        />
      )}
      <Section
        title="Endpoints"
        actions={
          <button type="button" onClick={endpoints.reload}>
            Refresh endpoints
          </button>
        }
      >
        {notice && <Notice>{notice}</Notice>}
        {failing > 0 && (
          <div className="message error">
            <p>
              <strong>
                {failing === 1 ? '1 endpoint is failing' : `${failing} endpoints are failing`}
              </strong>
              : a delivery {failing === 1 ? 'to it' : 'to each'} failed on every attempt. The mark
              clears with the next successful delivery; open the deliveries to see the answers and
              send them again.
            </p>
          </div>
        )}
        <Async state={endpoints.state} retry={endpoints.reload} what="webhook endpoints">
          {(list) => (
            <DataTable
              columns={[
                { header: 'Id', cell: (e) => e.id, className: 'num' },
                { header: 'URL', cell: (e) => <UrlText url={e.url} />, className: 'url' },
                {
                  header: 'Events',
                  cell: (e) => <EventsCell endpoint={e} onChanged={changed} />,
                },
                { header: 'Status', cell: (e) => <EndpointState endpoint={e} /> },
                {
                  header: 'Secret',
                  cell: (e) => <SecretState endpoint={e} />,
                  className: 'secret-state',
                },
                {
                  header: 'Actions',
                  cell: (e) => (
                    <div className="row-actions">
                      <ToggleEnabled endpoint={e} onChanged={changed} />
                      <RotateSecret
                        endpoint={e}
                        onRotated={(rotation) => {
                          setSecret({
                            endpointId: e.id,
                            url: e.url,
                            secret: rotation.secret,
                            previousUntil: rotation.previous_secret_until,
                          });
                          changed(`Secret of endpoint ${e.id} rotated.`);
                        }}
                      />
                      <button
                        type="button"
                        aria-pressed={deliveriesOf === e.id}
                        onClick={() => setDeliveriesOf(deliveriesOf === e.id ? null : e.id)}
                      >
                        Deliveries<span className="visually-hidden"> of endpoint {e.id}</span>
                      </button>
                    </div>
                  ),
                },
              ]}
              rows={list}
              rowKey={(e) => e.id}
              empty="No endpoints yet: add one below."
            />
          )}
        </Async>
      </Section>

      {shown && <Deliveries endpoint={shown} onStatusesChanged={endpoints.reload} />}

      <CreateEndpoint
        onCreated={(created) => {
          setSecret({ endpointId: created.id, url: created.url, secret: created.secret });
          changed(`Endpoint ${created.id} added.`);
        }}
      />
    </Screen>
  );
}

function EndpointState({ endpoint }: { endpoint: WebhookEndpoint }) {
  return (
    <div className="badges">
      {endpoint.enabled ? (
        <span className="badge good">Enabled</span>
      ) : (
        <span className="badge">Disabled</span>
      )}
      {endpoint.failing && <span className="badge bad">Failing</span>}
    </div>
  );
}

function SecretState({ endpoint }: { endpoint: WebhookEndpoint }) {
  const until = endpoint.previous_secret_until;
  if (until && Date.parse(until) > Date.now()) {
    return (
      <div>
        Rotated: the old secret also signs until <strong>{formatTime(until)}</strong>
      </div>
    );
  }
  if (until)
    return <span className="muted">Current only (the old one ended {formatTime(until)})</span>;
  return <span className="muted">Current only</span>;
}

function EventsCell({
  endpoint,
  onChanged,
}: {
  endpoint: WebhookEndpoint;
  onChanged: (message: string) => void;
}) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [events, setEvents] = useState(endpoint.events);
  const [problem, setProblem] = useState<string | undefined>();
  const toggle = useRef<HTMLButtonElement>(null);
  const { busy, error, submit, setError } = useSubmit(async () => {
    const saved = await api.patchWebhook(endpoint.id, { events });
    close();
    onChanged(`Events of endpoint ${saved.id} saved: ${saved.events.join(', ')}.`);
  });
  const close = () => {
    setOpen(false);
    setProblem(undefined);
    setError(null);
    toggle.current?.focus();
  };
  const save = () => {
    setError(null);
    const found = events.length ? undefined : 'Choose at least one event';
    setProblem(found);
    if (!found) void submit();
  };

  return (
    <div className="disclosure events-cell">
      <ul className="plain">
        {endpoint.events.map((e) => (
          <li key={e}>
            <code>{e}</code>
          </li>
        ))}
      </ul>
      <button
        type="button"
        ref={toggle}
        aria-expanded={open}
        onClick={() => {
          if (open) return close();
          setEvents(endpoint.events);
          setOpen(true);
        }}
      >
        Edit events<span className="visually-hidden"> of endpoint {endpoint.id}</span>
      </button>
      {open && (
        <SubmitForm className="events-form" onSubmit={save}>
          <EventChoice
            legend="Events"
            legendDetail={`of endpoint ${endpoint.id}`}
            value={events}
            onChange={setEvents}
            error={problem ?? fieldError(error, 'events')}
          />
          <FormError error={error} inline={['events']} />
          <div className="buttons">
            <button type="submit" className="primary" disabled={busy}>
              Save events<span className="visually-hidden"> of endpoint {endpoint.id}</span>
            </button>
            <button type="button" onClick={close}>
              Cancel
              <span className="visually-hidden"> editing events of endpoint {endpoint.id}</span>
            </button>
          </div>
        </SubmitForm>
      )}
    </div>
  );
}

function ToggleEnabled({
  endpoint,
  onChanged,
}: {
  endpoint: WebhookEndpoint;
  onChanged: (message: string) => void;
}) {
  const api = useApi();
  const { busy, error, submit } = useSubmit(async () => {
    const saved = await api.patchWebhook(endpoint.id, { enabled: !endpoint.enabled });
    onChanged(
      saved.enabled
        ? `Endpoint ${saved.id} enabled: new events are sent to it.`
        : `Endpoint ${saved.id} disabled: it gets no new events and nothing is sent to it.`,
    );
  });
  return (
    <div>
      <button type="button" onClick={() => void submit()} disabled={busy}>
        {endpoint.enabled ? 'Disable' : 'Enable'}
        <span className="visually-hidden"> endpoint {endpoint.id}</span>
      </button>
      <FormError error={error} />
    </div>
  );
}

/** Rotation asks first: a second one while the old secret still signs cuts that one off. */
function RotateSecret({
  endpoint,
  onRotated,
}: {
  endpoint: WebhookEndpoint;
  onRotated: (rotation: { secret: string; previous_secret_until: string }) => void;
}) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const { busy, error, submit, setError } = useSubmit(async () => {
    const rotation = await api.rotateWebhookSecret(endpoint.id);
    setOpen(false);
    onRotated(rotation);
  });
  const close = () => {
    setOpen(false);
    setError(null);
    toggle.current?.focus();
  };
  const until = endpoint.previous_secret_until;
  const overlapping = until !== null && Date.parse(until) > Date.now();

  return (
    <div className="disclosure">
      <button
        type="button"
        ref={toggle}
        aria-expanded={open}
        onClick={() => (open ? close() : setOpen(true))}
      >
        Rotate secret<span className="visually-hidden"> of endpoint {endpoint.id}</span>
      </button>
      {open && (
        <div className="confirm">
          <p>
            A new secret signs from now on, shown once. The current one keeps signing beside it for
            a while, so the receiver can switch without losing an event.
          </p>
          {overlapping && (
            <p className="field-error">
              The secret before the last rotation (signing until {formatTime(until)}) stops signing
              at once.
            </p>
          )}
          <div className="buttons">
            <button type="button" className="primary" disabled={busy} onClick={() => void submit()}>
              Rotate now
              <span className="visually-hidden"> the secret of endpoint {endpoint.id}</span>
            </button>
            <button type="button" onClick={close}>
              Cancel<span className="visually-hidden"> rotating endpoint {endpoint.id}</span>
            </button>
          </div>
          <FormError error={error} />
        </div>
      )}
    </div>
  );
}
