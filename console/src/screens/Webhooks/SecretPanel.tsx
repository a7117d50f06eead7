import { useEffect, useId, useRef, useState } from 'react';
import { formatTime } from '../../components/format';
import { UrlText } from './UrlText';

/** A secret just made: by creating an endpoint, or by rotating its secret. */
export interface ShownSecret {
  endpointId: number;
  url: string;
  secret: string;
  /** After a rotation: until when the secret before it keeps signing. */
  previousUntil?: string;
}

/**
 * The one time a secret is shown. Copy uses the clipboard where the browser allows it (a secure
 * origin); elsewhere the secret is selected for the person to copy by hand.
 */
export function SecretPanel({ shown, onDone }: { shown: ShownSecret; onDone: () => void }) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'copied' | 'selected' | null>(null);

  // Each new secret is announced by moving to it, and starts uncopied.
  useEffect(() => {
    setCopied(null);
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'nearest' });
  }, [shown]);

  const select = () => {
    field.current?.focus();
    field.current?.select();
  };
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(shown.secret);
      setCopied('copied');
    } catch {
      select();
      setCopied('selected');
    }
  };

  const rotated = shown.previousUntil !== undefined;
  return (
    <section className="panel secret-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} tabIndex={-1} ref={heading}>
        {rotated ? 'New secret' : 'Secret'} of endpoint {shown.endpointId}
      </h2>
      <p>
        For <UrlText url={shown.url} />. The receiver verifies each request with it (Standard
        Webhooks).
      </p>
      <div className="message warning">
        <p>
          <strong>Copy it now: it will not be shown again.</strong> Keep it where the receiver reads
          it. If it is lost, rotate the secret to get a new one.
        </p>
        {rotated && (
          <p>
            The old secret keeps signing beside this one until{' '}
            <strong>{formatTime(shown.previousUntil)}</strong>, so the receiver can switch without
            losing an event.
          </p>
        )}
      </div>
      <div className="field secret-field">
        <label htmlFor={`${id}-secret`}>Signing secret</label>
        <input
          id={`${id}-secret`}
          ref={field}
          className="secret-value"
          readOnly
          value={shown.secret}
          onFocus={(e) => e.target.select()}
          spellCheck={false}
          autoComplete="off"
        />
      </div>
      <div className="buttons copy-row">
        <button type="button" className="primary" onClick={() => void copy()}>
          Copy secret
        </button>
        <button type="button" onClick={onDone}>
          Done, I have stored it
        </button>
        <p role="status" className={`copy-status${copied === 'selected' ? ' by-hand' : ''}`}>
          {copied === 'copied' && 'Copied to the clipboard.'}
          {copied === 'selected' &&
            'This browser did not allow copying here: the secret is selected, press Ctrl+C (⌘C on a Mac) to copy it.'}
        </p>
      </div>
    </section>
  );
}
