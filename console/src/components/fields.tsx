import {
  useId,
  type FormHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
} from 'react';

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

/** What a field's control carries: its id and the ARIA that ties it to the hint and error. */
interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** The `Described` props apart from the rest (the control's own attributes). */
function splitDescribed<T extends Described>({
  label,
  labelDetail,
  error,
  hint,
  hideHint,
  ...rest
}: T) {
  return [{ label, labelDetail, error, hint, hideHint }, rest] as const;
}

/**
 * A labelled control with its hint and error: label first, or after the control (`checkbox`).
 * `children` renders the control with the props it is given.
 */
function Field({
  label,
  labelDetail,
  error,
  hint,
  hideHint,
  checkbox,
  children,
}: Described & { checkbox?: boolean; children: (control: ControlProps) => ReactNode }) {
  const id = useId();
  const labelElement = (
    <label htmlFor={id}>
      {label}
      {labelDetail && <span className="visually-hidden"> {labelDetail}</span>}
    </label>
  );
  return (
    <div className={`field${checkbox ? ' checkbox' : ''}${error ? ' invalid' : ''}`}>
      {!checkbox && labelElement}
      {children({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy(id, hint, error),
      })}
      {checkbox && labelElement}
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
    </div>
  );
}

type TextFieldProps = Described &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'id'> & {
    value: string;
    onChange: (value: string) => void;
  };

export function TextField({ value, onChange, type = 'text', ...props }: TextFieldProps) {
  const [described, input] = splitDescribed(props);
  return (
    <Field {...described}>
      {(control) => (
        <input
          {...input}
          {...control}
          type={type}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

type SelectFieldProps = Described &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'id'> & {
    value: string;
    onChange: (value: string) => void;
    options: { value: string; label: string }[];
  };

export function SelectField({ value, onChange, options, ...props }: SelectFieldProps) {
  const [described, select] = splitDescribed(props);
  return (
    <Field {...described}>
      {(control) => (
        <select {...select} {...control} value={value} onChange={(e) => onChange(e.target.value)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

type CheckboxFieldProps = Omit<Described, 'hideHint'> & {
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
};

export function CheckboxField({ checked, onChange, disabled, ...described }: CheckboxFieldProps) {
  return (
    <Field {...described} checkbox>
      {(control) => (
        <input
          type="checkbox"
          {...control}
          checked={checked}
          disabled={disabled}
          onChange={(e) => onChange(e.target.checked)}
        />
      )}
    </Field>
  );
}

/**
 * A form the browser does not validate (the API's messages are shown instead) and that never
 * reloads the page: Enter or a submit button calls `onSubmit`.
 */
export function SubmitForm({
  onSubmit,
  ...form
}: Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit' | 'noValidate'> & {
  onSubmit: () => unknown;
}) {
  return (
    <form
      {...form}
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit();
      }}
      noValidate
    />
  );
}
