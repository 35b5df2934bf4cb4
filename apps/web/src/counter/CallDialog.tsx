import { useState } from 'react';
import { Modal } from './Modal';

/** Calls one number typed by the clerk, out of the queue's order. */
export function CallDialog(props: { onCall: (n: number) => void; onClose: () => void; why: string | undefined; alert: React.ReactNode }) {
  const [value, setValue] = useState('');
  return (
    <Modal title="Gọi một số cụ thể" onClose={props.onClose} alert={props.alert} focusFirst={false}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(value);
          if (Number.isInteger(n) && n > 0) props.onCall(n);
        }}
      >
        <input
          autoFocus
          inputMode="numeric"
          value={value}
          onChange={(e) => setValue(e.target.value.replace(/\D/g, '').slice(0, 5))}
          onKeyDown={(e) => e.key === 'Escape' && props.onClose()}
          placeholder="Số thứ tự, ví dụ 2005"
          aria-label="Số thứ tự"
        />
        <button type="submit" disabled={props.why !== undefined || value === ''} title={props.why ?? (value === '' ? 'Hãy gõ số cần gọi.' : undefined)}>
          Gọi
        </button>
      </form>
    </Modal>
  );
}
