import { useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { fieldError, FormError } from '../../components/feedback';
import { SubmitForm, TextField } from '../../components/fields';
import { useSubmit } from '../../components/hooks';
import { NEW_PASSWORD_HINT, newPasswordProblem } from '../../components/passwords';
import { useSession } from '../../session';

const PASSWORD_CHANGED =
  'Your password has been changed. The console now signs in with the new one.';

/** The signed-in admin's own password: a button for the header and the dialog it opens. */
export function ChangeOwnPassword({ onChanged }: { onChanged: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  // A modal <dialog> keeps focus inside, closes on Escape and gives focus back to the button.
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  return (
    <>
      <button type="button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Change password
      </button>
      {/* Outside the header, whose colours are for the header's own controls. */}
      {createPortal(
        <dialog
          ref={dialog}
          className="dialog"
          aria-labelledby={titleId}
          onClose={() => setOpen(false)}
        >
          {open && (
            <OwnPasswordForm
              titleId={titleId}
              onCancel={() => setOpen(false)}
              onChanged={() => {
                setOpen(false);
                onChanged(PASSWORD_CHANGED);
              }}
            />
          )}
        </dialog>,
        document.body,
      )}
    </>
  );
}

interface Problems {
  current_password?: string;
  new_password?: string;
  repeat?: string;
}

function OwnPasswordForm({
  titleId,
  onCancel,
  onChanged,
}: {
  titleId: string;
  onCancel: () => void;
  onChanged: () => void;
}) {
  const { api, username, adoptPassword } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const { busy, error, submit, setError } = useSubmit(async () => {
    await api.changeOwnPassword({ current_password: current, new_password: next });
    // The old password stopped working with this answer: every later call needs the new one.
    adoptPassword(next);
    onChanged();
  });

  function save() {
    setError(null);
    const found: Problems = {
      current_password: current ? undefined : 'Enter your current password',
      new_password: newPasswordProblem(next),
      // A slip of the finger here would leave nobody knowing the password once this session ends.
      repeat: repeat === next ? undefined : 'Does not match the new password',
    };
    setProblems(found);
    if (!found.current_password && !found.new_password && !found.repeat) void submit();
  }

  return (
    <SubmitForm className="dialog-form" onSubmit={save}>
      <h2 id={titleId}>Change your password</h2>
      <p className="muted">
        Signed in as <strong>{username}</strong>. Tills and other admins keep their own passwords.
      </p>
      {/* For password managers: which account this password belongs to. */}
      <input type="text" hidden readOnly autoComplete="username" value={username} />
      <TextField
        label="Current password"
        type="password"
        value={current}
        onChange={setCurrent}
        error={problems.current_password ?? fieldError(error, 'current_password')}
        autoComplete="current-password"
      />
      <TextField
        label="New password"
        type="password"
        value={next}
        onChange={setNext}
        hint={NEW_PASSWORD_HINT}
        error={problems.new_password ?? fieldError(error, 'new_password')}
        autoComplete="new-password"
      />
      <TextField
        label="Repeat new password"
        type="password"
        value={repeat}
        onChange={setRepeat}
        error={problems.repeat}
        autoComplete="new-password"
      />
      <FormError error={error} inline={['current_password', 'new_password']} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save new password'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </SubmitForm>
  );
}
