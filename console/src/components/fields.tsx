import { useId, type InputHTMLAttributes, type SelectHTMLAttributes } from 'react';

interface Described {
  label: string;
  /** More of the label for assistive technology only (e.g. which row a repeated field is in). */
  labelDetail?: string;
  /** The API's message for this field, shown next to it. */
  error?: string;
  hint?: string;
  /** Keep the hint for assistive technology only (compact rows). */
  hideHint?: boolean;
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function LabelText({ label, detail }: { label: string; detail?: string }) {
  return (
    <>
      {label}
      {detail && <span className="visually-hidden"> {detail}</span>}
    </>
  );
}

function Extra({
  id,
  hint,
  hideHint,
  error,
}: {
  id: string;
  hint?: string;
  hideHint?: boolean;
  error?: string;
}) {
  return (
    <>
      {hint && (
        <p className={hideHint ? 'visually-hidden' : 'hint'} id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </>
  );
}

type TextFieldProps = Described &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'id'> & {
    value: string;
    onChange: (value: string) => void;
  };

export function TextField({
  label,
  labelDetail,
  error,
  hint,
  hideHint,
  value,
  onChange,
  ...input
}: TextFieldProps) {
  const id = useId();
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>
        <LabelText label={label} detail={labelDetail} />
      </label>
      <input
        id={id}
        type="text"
        {...input}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
      <Extra id={id} hint={hint} hideHint={hideHint} error={error} />
    </div>
  );
}

type SelectFieldProps = Described &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'id'> & {
    value: string;
    onChange: (value: string) => void;
    options: { value: string; label: string }[];
  };

export function SelectField({
  label,
  labelDetail,
  error,
  hint,
  hideHint,
  value,
  onChange,
  options,
  ...select
}: SelectFieldProps) {
  const id = useId();
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>
        <LabelText label={label} detail={labelDetail} />
      </label>
      <select
        id={id}
        {...select}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Extra id={id} hint={hint} hideHint={hideHint} error={error} />
    </div>
  );
}

type CheckboxFieldProps = Described & {
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
};

export function CheckboxField({
  label,
  labelDetail,
  error,
  hint,
  checked,
  onChange,
  disabled,
}: CheckboxFieldProps) {
  const id = useId();
  return (
    <div className={`field checkbox${error ? ' invalid' : ''}`}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
      <label htmlFor={id}>
        <LabelText label={label} detail={labelDetail} />
      </label>
      <Extra id={id} hint={hint} error={error} />
    </div>
  );
}
