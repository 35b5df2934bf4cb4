import { useState } from 'react';
import type { CounterView } from '@xephang/protocol';

/** The clerk's name and PIN: nothing else of the counter shows before them. */
export function Login(props: {
  counter: CounterView;
  clerks: { id: number; name: string }[];
  online: boolean;
  message: string | undefined;
  onLogin: (clerkId: number, pin: string) => Promise<void>;
}) {
  const [clerkId, setClerkId] = useState<number | undefined>(props.clerks.length === 1 ? props.clerks[0]!.id : undefined);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const why = !props.online
    ? 'Mất kết nối với máy chủ: chờ kết nối lại.'
    : busy
      ? 'Đang kiểm tra mã PIN…'
      : clerkId === undefined
        ? 'Hãy chọn tên cán bộ.'
        : pin.length < 4
          ? 'Hãy nhập mã PIN (4 đến 8 chữ số).'
          : undefined;
  return (
    <form
      className="login"
      onSubmit={async (e) => {
        e.preventDefault();
        if (clerkId === undefined || pin.length < 4) return;
        setBusy(true);
        await props.onLogin(clerkId, pin);
        setBusy(false);
        setPin('');
      }}
    >
      <h1>{props.counter.name} — Đăng nhập</h1>
      {props.counter.clerkName && <p>Hiện {props.counter.clerkName} đang đăng nhập ở quầy này.</p>}
      {props.clerks.length === 0 ? (
        <p className="error">Chưa có cán bộ nào được phân công ở quầy này. Hãy nhờ quản trị thêm cán bộ.</p>
      ) : (
        <div className="choices" role="radiogroup" aria-label="Cán bộ">
          {props.clerks.map((k) => (
            <button type="button" key={k.id} role="radio" aria-checked={clerkId === k.id} className={clerkId === k.id ? 'selected' : undefined} onClick={() => setClerkId(k.id)}>
              {k.name}
            </button>
          ))}
        </div>
      )}
      <label>
        Mã PIN
        <input autoFocus type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))} aria-label="Mã PIN" />
      </label>
      <button type="submit" className="primary" disabled={why !== undefined} title={why} aria-describedby={why ? 'why-login' : undefined}>
        Đăng nhập
      </button>
      {why && (
        <small className="why" id="why-login">
          {why}
        </small>
      )}
      {props.message && <div className="message error" role="alert">{props.message}</div>}
    </form>
  );
}
