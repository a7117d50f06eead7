import { useRef, useState } from 'react';
import type { AccessGroup, Till } from '../../api';
import { Async, fieldError, FormError, Notice } from '../../components/feedback';
import { SelectField, SubmitForm, TextField } from '../../components/fields';
import { formatTime } from '../../components/format';
import { useLoad, useSubmit } from '../../components/hooks';
import { NEW_PASSWORD_HINT, newPasswordProblem } from '../../components/passwords';
import { DataTable, Screen, Section } from '../../components/layout';
import { useApi, useSession } from '../../session';

export function Tills() {
  const api = useApi();
  const tills = useLoad(() => api.listTills(), []);
  const groups = useLoad(() => api.listAccessGroups(), []);
  const groupList = groups.state.status === 'ok' ? groups.state.data : undefined;
  const [notice, setNotice] = useState<string | null>(null);

  const changed = (message: string) => {
    setNotice(message);
    tills.reload();
  };

  return (
    <Screen title="Tills">
      <Section title="All tills">
        {notice && <Notice>{notice}</Notice>}
        <Async state={tills.state} retry={tills.reload} what="tills">
          {(rows) => (
            <DataTable
              columns={[
                { header: 'Id', cell: (t) => t.id, className: 'num' },
                { header: 'Username', cell: (t) => t.username },
                { header: 'Access group', cell: (t) => t.access_group },
                { header: 'Status', cell: (t) => (t.active ? 'Active' : 'Inactive') },
                { header: 'Created', cell: (t) => formatTime(t.created_at) },
                {
                  header: 'Change access group',
                  cell: (t) => <ChangeGroup till={t} groups={groupList} onChanged={changed} />,
                },
                {
                  header: 'Activation',
                  cell: (t) => <ToggleActive till={t} onChanged={changed} />,
                },
                {
                  header: 'Password',
                  cell: (t) => <ChangePassword till={t} onChanged={changed} />,
                },
              ]}
              rows={rows}
              rowKey={(t) => t.id}
              empty="No tills."
            />
          )}
        </Async>
      </Section>

      <CreateTill groups={groupList} onCreated={(t) => changed(`Till ${t.username} created.`)} />

      <Section title="Access groups">
        <Async state={groups.state} retry={groups.reload} what="access groups">
          {(rows) => (
            <DataTable
              columns={[
                { header: 'Id', cell: (g) => g.id, className: 'num' },
                { header: 'Name', cell: (g) => g.name },
                { header: 'Points', cell: (g) => g.points },
                { header: 'Customer', cell: (g) => g.customer },
                { header: 'Admin', cell: (g) => g.admin },
              ]}
              rows={rows}
              rowKey={(g) => g.id}
              empty="No access groups."
            />
          )}
        </Async>
      </Section>
    </Screen>
  );
}

function ChangeGroup({
  till,
  groups,
  onChanged,
}: {
  till: Till;
  groups: AccessGroup[] | undefined;
  onChanged: (message: string) => void;
}) {
  const api = useApi();
  const [group, setGroup] = useState(till.access_group);
  const { busy, error, submit } = useSubmit(async () => {
    const saved = await api.patchTill(till.id, { access_group: group });
    onChanged(`Till ${saved.username} is now in access group ${saved.access_group}.`);
  });
  if (!groups) return null;

  return (
    <SubmitForm className="row-form" onSubmit={submit}>
      <SelectField
        label={`Group for ${till.username}`}
        value={group}
        onChange={setGroup}
        options={groups.map((g) => ({ value: g.name, label: g.name }))}
        error={fieldError(error, 'access_group')}
      />
      <FormError error={error} inline={['access_group']} />
      <button type="submit" disabled={busy || group === till.access_group}>
        Change group<span className="visually-hidden"> of {till.username}</span>
      </button>
    </SubmitForm>
  );
}

function ToggleActive({ till, onChanged }: { till: Till; onChanged: (message: string) => void }) {
  const { api, username } = useSession();
  const { busy, error, submit } = useSubmit(async () => {
    const saved = await api.patchTill(till.id, { active: !till.active });
    onChanged(`Till ${saved.username} ${saved.active ? 'activated' : 'deactivated'}.`);
  });
  // Deactivating the account in use would lock this session out.
  if (till.active && till.username === username) {
    return <span className="muted">Signed in with this account</span>;
  }

  return (
    <>
      <button type="button" onClick={() => void submit()} disabled={busy}>
        {till.active ? 'Deactivate' : 'Activate'}
        <span className="visually-hidden"> {till.username}</span>
      </button>
      <FormError error={error} />
    </>
  );
}

function ChangePassword({ till, onChanged }: { till: Till; onChanged: (message: string) => void }) {
  const { api, username } = useSession();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const toggle = useRef<HTMLButtonElement>(null);
  const { busy, error, submit, setError } = useSubmit(async () => {
    const saved = await api.patchTill(till.id, { password });
    close();
    onChanged(`Password of ${saved.username} changed. The old one no longer works.`);
  });
  const close = () => {
    setOpen(false);
    setPassword('');
    setProblem(undefined);
    setError(null);
    toggle.current?.focus();
  };
  // Changed here, the console's own sign-in would stop working: the account menu's dialog
  // asks for the current password and keeps the console signed in.
  if (till.username === username) {
    return <span className="muted">Yours: use Change password at the top</span>;
  }

  const save = () => {
    setError(null);
    const found = newPasswordProblem(password);
    setProblem(found);
    if (!found) void submit();
  };

  return (
    <div className="disclosure">
      <button
        type="button"
        ref={toggle}
        aria-expanded={open}
        onClick={() => (open ? close() : setOpen(true))}
      >
        Change password<span className="visually-hidden"> of {till.username}</span>
      </button>
      {open && (
        <SubmitForm className="row-form" onSubmit={save}>
          <TextField
            label="New password"
            labelDetail={`for ${till.username}`}
            type="password"
            value={password}
            onChange={setPassword}
            hint={NEW_PASSWORD_HINT}
            error={problem ?? fieldError(error, 'password')}
            autoComplete="new-password"
            autoFocus
          />
          <button type="submit" disabled={busy}>
            Save password<span className="visually-hidden"> of {till.username}</span>
          </button>
          <FormError error={error} inline={['password']} />
        </SubmitForm>
      )}
    </div>
  );
}

function CreateTill({
  groups,
  onCreated,
}: {
  groups: AccessGroup[] | undefined;
  onCreated: (till: Till) => void;
}) {
  const api = useApi();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [group, setGroup] = useState('');
  const groupValue =
    group || groups?.find((g) => g.name === 'Default')?.name || groups?.[0]?.name || '';
  const { busy, error, submit } = useSubmit(async () => {
    const till = await api.createTill({
      username: username.trim(),
      password,
      access_group: groupValue,
    });
    setUsername('');
    setPassword('');
    onCreated(till);
  });

  return (
    <Section title="Create till">
      <SubmitForm className="form-grid" onSubmit={submit}>
        <TextField
          label="Username"
          value={username}
          onChange={setUsername}
          hint="Starts with your org's code and a dot, e.g. demo.store42"
          error={fieldError(error, 'username')}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
        />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          hint={NEW_PASSWORD_HINT}
          error={fieldError(error, 'password')}
          autoComplete="new-password"
        />
        {groups ? (
          <SelectField
            label="Access group"
            value={groupValue}
            onChange={setGroup}
            options={groups.map((g) => ({ value: g.name, label: g.name }))}
            error={fieldError(error, 'access_group')}
          />
        ) : (
          <TextField
            label="Access group"
            value={group}
            onChange={setGroup}
            error={fieldError(error, 'access_group')}
          />
        )}
        <div className="form-actions">
          <FormError error={error} inline={['username', 'password', 'access_group']} />
          <button type="submit" className="primary" disabled={busy}>
            Create till
          </button>
        </div>
      </SubmitForm>
    </Section>
  );
}
