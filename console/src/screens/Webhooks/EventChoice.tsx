import { useId } from 'react';
import { RESERVED_WEBHOOK_EVENTS, WEBHOOK_EVENTS } from '../../api';

const ABOUT: Record<string, string> = {
  'redemption.created': "a till's redemption",
  'redemption.reversed': 'a reversal',
  'points.credited': 'points credited (a new lot)',
  'points.expired': 'lapsed points written off',
  'customer.fraud_status_changed': "a customer's fraud status changed",
};

const KNOWN: readonly string[] = [...WEBHOOK_EVENTS, ...RESERVED_WEBHOOK_EVENTS];

/** The event types an endpoint wants, as a group of checkboxes named by its legend. */
export function EventChoice({
  legend,
  legendDetail,
  value,
  onChange,
  error,
}: {
  legend: string;
  /** More of the legend for assistive technology only (which endpoint a repeated group is for). */
  legendDetail?: string;
  value: string[];
  onChange: (events: string[]) => void;
  error?: string;
}) {
  const id = useId();
  // A type a newer service knows and this console does not: kept, so saving does not drop it.
  const newer = value.filter((e) => !KNOWN.includes(e));
  const toggle = (type: string, on: boolean) =>
    onChange(on ? [...value, type] : value.filter((e) => e !== type));
  const box = (type: string, about: string) => (
    <li key={type}>
      <input
        type="checkbox"
        id={`${id}-${type}`}
        checked={value.includes(type)}
        onChange={(e) => toggle(type, e.target.checked)}
      />
      <label htmlFor={`${id}-${type}`}>
        <code>{type}</code> <span className="muted">{about}</span>
      </label>
    </li>
  );

  return (
    <fieldset
      className={`events${error ? ' invalid' : ''}`}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>
        {legend}
        {legendDetail && <span className="visually-hidden"> {legendDetail}</span>}
      </legend>
      <ul className="checks">
        {WEBHOOK_EVENTS.map((type) => box(type, ABOUT[type]))}
        {newer.map((type) => box(type, 'not known to this console'))}
      </ul>
      <p className="hint">Reserved for holds, accepted but not sent yet:</p>
      <ul className="checks">{RESERVED_WEBHOOK_EVENTS.map((type) => box(type, 'not sent yet'))}</ul>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
