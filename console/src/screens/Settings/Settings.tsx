import { useState } from 'react';
import type { OrgConfig, OrgConfigPatch } from '../../api';
import { Async, fieldError, FormError, Notice } from '../../components/feedback';
import { CheckboxField, SelectField, SubmitForm, TextField } from '../../components/fields';
import { numberOrText } from '../../components/format';
import { useLoad, useSubmit } from '../../components/hooks';
import { Screen, Section } from '../../components/layout';
import { useApi } from '../../session';

type Key = keyof OrgConfig;

type FieldSpec =
  | { key: Key; label: string; kind: 'int' | 'text'; hint?: string }
  | { key: Key; label: string; kind: 'bool'; hint?: string }
  | { key: Key; label: string; kind: 'select'; options: string[]; hint?: string };

/** Every org setting, OTP validity first. */
export const SETTINGS_FIELDS: FieldSpec[] = [
  { key: 'otp_validity_minutes', label: 'OTP validity (minutes)', kind: 'int', hint: '1 to 1440' },
  { key: 'otp_length', label: 'OTP length (digits)', kind: 'int', hint: '4 to 12' },
  { key: 'otp_max_attempts', label: 'OTP max attempts', kind: 'int', hint: '1 to 100' },
  { key: 'otp_issue_limit', label: 'OTP issue limit', kind: 'int', hint: '1 to 100' },
  { key: 'otp_channel', label: 'OTP channel', kind: 'select', options: ['SMS', 'EMAIL'] },
  { key: 'otp_required', label: 'OTP required', kind: 'bool' },
  { key: 'require_validation', label: 'Require validation', kind: 'bool' },
  { key: 'missed_call_enabled', label: 'Missed call enabled', kind: 'bool' },
  {
    key: 'enable_group_programs_redemption',
    label: 'Group programs redemption enabled',
    kind: 'bool',
  },
  {
    key: 'failed_item_http_status',
    label: 'Failed item HTTP status',
    kind: 'select',
    options: ['200', '400'],
    hint: 'HTTP status of a redeem answer whose item failed',
  },
  { key: 'demo_mode', label: 'Demo mode', kind: 'bool', hint: 'Shows OTP codes in the outbox' },
  {
    key: 'default_country_code',
    label: 'Default country code',
    kind: 'text',
    hint: '1 to 4 digits',
  },
  {
    key: 'national_number_length',
    label: 'National number length',
    kind: 'int',
    hint: '4 to 14 digits',
  },
];

type FormValues = Partial<Record<Key, string | boolean>>;

function toForm(config: OrgConfig): FormValues {
  const values: FormValues = {};
  for (const f of SETTINGS_FIELDS) {
    const v = config[f.key];
    values[f.key] = f.kind === 'bool' ? Boolean(v) : String(v ?? '');
  }
  return values;
}

export function Settings() {
  const api = useApi();
  const config = useLoad(() => api.getConfig(), []);
  return (
    <Screen title="Settings">
      <Async state={config.state} retry={config.reload} what="settings">
        {(c) => <SettingsForm config={c} onSaved={config.setData} />}
      </Async>
    </Screen>
  );
}

function SettingsForm({
  config,
  onSaved,
}: {
  config: OrgConfig;
  onSaved: (config: OrgConfig) => void;
}) {
  const api = useApi();
  const [values, setValues] = useState<FormValues>(() => toForm(config));
  const [notice, setNotice] = useState<string | null>(null);
  const initial = toForm(config);

  function patch(): OrgConfigPatch {
    const body: Record<string, unknown> = {};
    for (const f of SETTINGS_FIELDS) {
      const v = values[f.key];
      if (v === initial[f.key]) continue;
      if (f.kind === 'bool') body[f.key] = Boolean(v);
      else if (f.kind === 'int') body[f.key] = numberOrText(String(v));
      else if (f.key === 'failed_item_http_status') body[f.key] = Number(v);
      else body[f.key] = String(v).trim();
    }
    return body;
  }

  const { busy, error, submit, setError } = useSubmit(async (body: OrgConfigPatch) => {
    const saved = await api.patchConfig(body);
    onSaved(saved);
    setValues(toForm(saved));
    setNotice('Settings saved.');
  });

  function save() {
    const body = patch();
    setError(null);
    setNotice(null);
    if (Object.keys(body).length === 0) {
      setNotice('Nothing to save: no setting was changed.');
      return;
    }
    void submit(body);
  }

  const set = (key: Key, value: string | boolean) => {
    setValues((old) => ({ ...old, [key]: value }));
    setNotice(null);
  };

  return (
    <Section title="Organisation settings">
      <SubmitForm className="form-grid" onSubmit={save}>
        {SETTINGS_FIELDS.map((f) => {
          const err = fieldError(error, f.key);
          switch (f.kind) {
            case 'bool':
              return (
                <CheckboxField
                  key={f.key}
                  label={f.label}
                  hint={f.hint}
                  checked={values[f.key] === true}
                  onChange={(v) => set(f.key, v)}
                  error={err}
                />
              );
            case 'select':
              return (
                <SelectField
                  key={f.key}
                  label={f.label}
                  hint={f.hint}
                  value={String(values[f.key] ?? '')}
                  onChange={(v) => set(f.key, v)}
                  options={f.options.map((o) => ({ value: o, label: o }))}
                  error={err}
                />
              );
            case 'int':
            case 'text':
              return (
                <TextField
                  key={f.key}
                  label={f.label}
                  hint={f.hint}
                  inputMode="numeric"
                  autoComplete="off"
                  value={String(values[f.key] ?? '')}
                  onChange={(v) => set(f.key, v)}
                  error={err}
                />
              );
          }
        })}
        <div className="form-actions">
          <FormError error={error} inline={SETTINGS_FIELDS.map((f) => f.key)} />
          {notice && <Notice>{notice}</Notice>}
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
        </div>
      </SubmitForm>
    </Section>
  );
}
