import { useState } from 'react';
import type { WebhookCreated } from '../../api';
import { fieldError, FormError } from '../../components/feedback';
import { SubmitForm, TextField } from '../../components/fields';
import { useSubmit } from '../../components/hooks';
import { Section } from '../../components/layout';
import { useApi } from '../../session';
import { EventChoice } from './EventChoice';

export function CreateEndpoint({ onCreated }: { onCreated: (created: WebhookCreated) => void }) {
  const api = useApi();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [local, setLocal] = useState<{ url?: string; events?: string }>({});
  const { busy, error, submit, setError } = useSubmit(async () => {
    const created = await api.createWebhook({ url: url.trim(), events });
    setUrl('');
    setEvents([]);
    onCreated(created);
  });

  const create = () => {
    const found = {
      url: url.trim() ? undefined : "Enter the receiver's URL",
      events: events.length ? undefined : 'Choose at least one event',
    };
    setLocal(found);
    if (found.url || found.events) {
      setError(null);
      return;
    }
    void submit();
  };

  return (
    <Section title="Add an endpoint">
      <SubmitForm className="webhook-form" onSubmit={create}>
        <TextField
          label="Endpoint URL"
          type="url"
          inputMode="url"
          value={url}
          onChange={setUrl}
          placeholder="https://example.com/points-events"
          hint="http or https; events are sent to it by POST, signed with the endpoint's secret"
          error={local.url ?? fieldError(error, 'url')}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
        />
        <EventChoice
          legend="Events to send"
          value={events}
          onChange={setEvents}
          error={local.events ?? fieldError(error, 'events')}
        />
        <div className="form-actions">
          <FormError error={error} inline={['url', 'events']} />
          <button type="submit" className="primary" disabled={busy}>
            Add endpoint
          </button>
        </div>
      </SubmitForm>
    </Section>
  );
}
