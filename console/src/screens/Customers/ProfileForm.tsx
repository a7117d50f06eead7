import { useState } from 'react';
import type { Customer, CustomerPatch, FraudStatus } from '../../api';
import { fieldError, FormError, Notice } from '../../components/feedback';
import { SelectField, SubmitForm, TextField } from '../../components/fields';
import { useSubmit } from '../../components/hooks';
import { useApi } from '../../session';

const FRAUD_OPTIONS: { value: FraudStatus; label: string }[] = [
  { value: 'NONE', label: 'NONE (may redeem)' },
  { value: 'MARKED', label: 'MARKED (redemption blocked)' },
  { value: 'CONFIRMED', label: 'CONFIRMED (redemption blocked)' },
];

export function ProfileForm({
  customer,
  onSaved,
}: {
  customer: Customer;
  onSaved: (customer: Customer) => void;
}) {
  const api = useApi();
  const [firstname, setFirstname] = useState(customer.firstname ?? '');
  const [lastname, setLastname] = useState(customer.lastname ?? '');
  const [fraud, setFraud] = useState<FraudStatus>(customer.fraud_status);
  const [saved, setSaved] = useState(false);
  const { busy, error, submit } = useSubmit(async () => {
    const body: CustomerPatch = {};
    if (fraud !== customer.fraud_status) body.fraud_status = fraud;
    if (firstname !== (customer.firstname ?? '')) body.firstname = firstname;
    if (lastname !== (customer.lastname ?? '')) body.lastname = lastname;
    if (Object.keys(body).length === 0) body.fraud_status = fraud;
    setSaved(false);
    onSaved(await api.patchCustomer(customer.id, body));
    setSaved(true);
  });

  return (
    <SubmitForm className="form-grid" onSubmit={submit}>
      <SelectField
        label="Fraud status"
        value={fraud}
        onChange={(v) => setFraud(v as FraudStatus)}
        options={FRAUD_OPTIONS}
        error={fieldError(error, 'fraud_status')}
      />
      <TextField
        label="First name"
        value={firstname}
        onChange={setFirstname}
        error={fieldError(error, 'firstname')}
      />
      <TextField
        label="Last name"
        value={lastname}
        onChange={setLastname}
        error={fieldError(error, 'lastname')}
      />
      <div className="form-actions">
        <FormError error={error} inline={['fraud_status', 'firstname', 'lastname']} />
        {saved && <Notice>Saved.</Notice>}
        <button type="submit" className="primary" disabled={busy}>
          Save
        </button>
      </div>
    </SubmitForm>
  );
}
