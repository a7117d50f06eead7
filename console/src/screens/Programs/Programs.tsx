import { useState } from 'react';
import type { Program, ProgramCreate, ProgramInput } from '../../api';
import { Async, fieldError, FormError, Notice } from '../../components/feedback';
import { CheckboxField, SubmitForm, TextField } from '../../components/fields';
import { formatPoints, numberOrText } from '../../components/format';
import { useLoad, useSubmit } from '../../components/hooks';
import { DataTable, Screen, Section } from '../../components/layout';
import { useApi } from '../../session';

interface Values {
  name: string;
  is_default: boolean;
  min_redeem: string;
  max_redeem: string;
  redeem_multiple_of: string;
  decimal_places: string;
  points_currency_ratio: string;
}

const EMPTY: Values = {
  name: '',
  is_default: false,
  min_redeem: '',
  max_redeem: '',
  redeem_multiple_of: '',
  decimal_places: '',
  points_currency_ratio: '',
};

const text = (n: number | null) => (n === null ? '' : String(n));

function valuesOf(p: Program): Values {
  return {
    name: p.name,
    is_default: p.is_default,
    min_redeem: text(p.min_redeem),
    max_redeem: text(p.max_redeem),
    redeem_multiple_of: text(p.redeem_multiple_of),
    decimal_places: text(p.decimal_places),
    points_currency_ratio: text(p.points_currency_ratio),
  };
}

const DECIMALS = [
  'min_redeem',
  'max_redeem',
  'redeem_multiple_of',
  'points_currency_ratio',
] as const;
const NULLABLE = new Set<string>(['max_redeem', 'redeem_multiple_of']);

/** The request body: everything filled in (create), or what changed (edit; empty clears). */
function bodyOf(values: Values, before?: Values): ProgramInput {
  const body: ProgramInput = {};
  const changed = (k: keyof Values) => !before || values[k] !== before[k];
  if (changed('name') && (before || values.name.trim())) body.name = values.name.trim();
  if (before ? changed('is_default') : values.is_default) body.is_default = values.is_default;
  for (const k of DECIMALS) {
    if (!changed(k)) continue;
    const v = values[k].trim();
    if (v) body[k] = v;
    else if (before && NULLABLE.has(k)) (body as Record<string, unknown>)[k] = null;
  }
  if (changed('decimal_places') && values.decimal_places.trim()) {
    body.decimal_places = numberOrText(values.decimal_places);
  }
  return body;
}

export function Programs() {
  const api = useApi();
  const programs = useLoad(() => api.listPrograms(), []);
  const [editing, setEditing] = useState<Program | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <Screen title="Programs">
      <Section title="All programs">
        {notice && <Notice>{notice}</Notice>}
        <Async state={programs.state} retry={programs.reload} what="programs">
          {(rows) => (
            <DataTable
              columns={[
                { header: 'Id', cell: (p) => p.id, className: 'num' },
                { header: 'Name', cell: (p) => p.name },
                { header: 'Default', cell: (p) => (p.is_default ? 'Yes' : 'No') },
                { header: 'Min redeem', cell: (p) => formatPoints(p.min_redeem), className: 'num' },
                {
                  header: 'Max redeem',
                  cell: (p) => (p.max_redeem === null ? 'No limit' : formatPoints(p.max_redeem)),
                  className: 'num',
                },
                {
                  header: 'Multiple of',
                  cell: (p) =>
                    p.redeem_multiple_of === null ? 'Any' : formatPoints(p.redeem_multiple_of),
                  className: 'num',
                },
                { header: 'Decimal places', cell: (p) => p.decimal_places, className: 'num' },
                {
                  header: 'Points currency ratio',
                  cell: (p) => String(p.points_currency_ratio),
                  className: 'num',
                },
                {
                  header: 'Edit',
                  cell: (p) => (
                    <button
                      type="button"
                      onClick={() => {
                        setNotice(null);
                        setEditing(p);
                      }}
                    >
                      Edit<span className="visually-hidden"> program {p.name}</span>
                    </button>
                  ),
                },
              ]}
              rows={rows}
              rowKey={(p) => p.id}
              empty="No programs."
            />
          )}
        </Async>
      </Section>

      {editing ? (
        <ProgramForm
          key={`edit-${editing.id}`}
          program={editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) {
              setNotice(`Program ${saved.name} saved.`);
              programs.reload();
            }
          }}
        />
      ) : (
        <ProgramForm
          key="create"
          onDone={(saved) => {
            if (saved) {
              setNotice(`Program ${saved.name} created.`);
              programs.reload();
            }
          }}
        />
      )}
    </Screen>
  );
}

function ProgramForm({
  program,
  onDone,
}: {
  program?: Program;
  onDone: (saved: Program | null) => void;
}) {
  const api = useApi();
  const before = program && valuesOf(program);
  const [values, setValues] = useState<Values>(before ?? EMPTY);
  const [nothing, setNothing] = useState(false);
  const { busy, error, submit, setError } = useSubmit(async (body: ProgramInput) => {
    const saved = program
      ? await api.patchProgram(program.id, body)
      : await api.createProgram(body as ProgramCreate);
    if (!program) setValues(EMPTY);
    onDone(saved);
  });

  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues((old) => ({ ...old, [key]: value }));

  function save() {
    setError(null);
    setNothing(false);
    const body = bodyOf(values, before);
    if (program && Object.keys(body).length === 0) {
      setNothing(true);
      return;
    }
    void submit(body);
  }

  const field = (key: Exclude<keyof Values, 'is_default'>, label: string, hint?: string) => (
    <TextField
      label={label}
      hint={hint}
      inputMode={key === 'name' ? undefined : 'decimal'}
      value={values[key]}
      onChange={(v) => set(key, v)}
      error={fieldError(error, key)}
      autoComplete="off"
    />
  );

  return (
    <Section title={program ? `Edit program ${program.name}` : 'Create program'}>
      <SubmitForm className="form-grid" onSubmit={save}>
        {field('name', 'Name')}
        <CheckboxField
          label="Default program"
          checked={values.is_default}
          onChange={(v) => set('is_default', v)}
          error={fieldError(error, 'is_default')}
        />
        {field('min_redeem', 'Min redeem')}
        {field('max_redeem', 'Max redeem', 'Empty: no limit')}
        {field('redeem_multiple_of', 'Redeem multiple of', 'Empty: any amount')}
        {field('decimal_places', 'Decimal places', '0 to 3')}
        {field('points_currency_ratio', 'Points currency ratio')}
        <div className="form-actions">
          <FormError error={error} inline={Object.keys(EMPTY)} />
          {nothing && <Notice>Nothing to save: no field was changed.</Notice>}
          <div className="buttons">
            <button type="submit" className="primary" disabled={busy}>
              {program ? 'Save' : 'Create program'}
            </button>
            {program && (
              <button type="button" onClick={() => onDone(null)}>
                Cancel
              </button>
            )}
          </div>
        </div>
      </SubmitForm>
    </Section>
  );
}
