import { useState } from 'react';
import type { CreditRequest, CreditResult, Program } from '../../api';
import { fieldError, FormError, Notice } from '../../components/feedback';
import { SelectField, SubmitForm, TextField } from '../../components/fields';
import { formatPoints, formatTime, localInputToIso } from '../../components/format';
import { useSubmit } from '../../components/hooks';
import { useApi } from '../../session';

const INLINE = ['points', 'program_id', 'expires_at', 'note'];

export function CreditForm({
  customerId,
  programs,
  onCredited,
}: {
  customerId: number;
  programs: Program[] | undefined;
  onCredited: () => void;
}) {
  const api = useApi();
  const [points, setPoints] = useState('');
  const [program, setProgram] = useState('');
  const [expires, setExpires] = useState('');
  const [note, setNote] = useState('');
  const [result, setResult] = useState<{ answer: CreditResult; typed: string } | null>(null);

  const defaultProgram = programs?.find((p) => p.is_default) ?? programs?.[0];
  const programValue = program || (defaultProgram ? String(defaultProgram.id) : '');

  const { busy, error, submit } = useSubmit(async () => {
    const body: CreditRequest = { customer_id: customerId, points: points.trim() };
    if (programValue) body.program_id = Number(programValue);
    const expiresAt = localInputToIso(expires);
    if (expiresAt) body.expires_at = expiresAt;
    if (note.trim()) body.note = note.trim();
    setResult(null);
    const answer = await api.creditPoints(body);
    setResult({ answer, typed: String(body.points) });
    setPoints('');
    setNote('');
    setExpires('');
    onCredited();
  });

  return (
    <SubmitForm className="form-grid" onSubmit={submit}>
      <TextField
        label="Points to credit"
        inputMode="decimal"
        value={points}
        onChange={setPoints}
        error={fieldError(error, 'points')}
        autoComplete="off"
      />
      {programs && programs.length > 0 && (
        <SelectField
          label="Program"
          value={programValue}
          onChange={setProgram}
          options={programs.map((p) => ({
            value: String(p.id),
            label: p.is_default ? `${p.name} (default)` : p.name,
          }))}
          error={fieldError(error, 'program_id')}
        />
      )}
      <TextField
        label="Expires at"
        type="datetime-local"
        value={expires}
        onChange={setExpires}
        hint="Your local time. Leave empty for points that do not expire."
        error={fieldError(error, 'expires_at')}
      />
      <TextField
        label="Note"
        value={note}
        onChange={setNote}
        maxLength={500}
        error={fieldError(error, 'note')}
      />
      <div className="form-actions">
        <FormError error={error} inline={INLINE} />
        {result && (
          <Notice>
            Credited{' '}
            {result.answer.lot.points !== undefined
              ? formatPoints(result.answer.lot.points)
              : result.typed}{' '}
            points (lot {result.answer.lot.id}
            {result.answer.lot.expires_at
              ? `, expires ${formatTime(result.answer.lot.expires_at)}`
              : ''}
            ). New balance: {formatPoints(result.answer.balance)}.
          </Notice>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Credit points
        </button>
      </div>
    </SubmitForm>
  );
}
