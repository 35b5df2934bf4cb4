import { useState } from 'react';
import type { ProvinceUser } from '@xephang/protocol';
import { request } from './api';

/** Username and password → a session token (`POST /api/v1/session`); the server's Vietnamese refusal shown as it is. */
export function Login({ message, onLogin }: { message: string | undefined; onLogin: (s: { token: string; user: ProvinceUser }) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const shown = error ?? message;
  return (
    <div className="admin admin-login-page province-login">
      <form
        className="login"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!username.trim() || !password) return;
          setBusy(true);
          const r = await request<{ token: string; user: ProvinceUser }>('POST', '/api/v1/session', { body: { username: username.trim(), password } });
          setBusy(false);
          if (r.ok) {
            setError(undefined);
            onLogin({ token: r.data.token, user: r.data.user });
          } else {
            setPassword('');
            // The server's own words: a wrong password, a locked account, too many guesses.
            setError(r.error.message);
          }
        }}
      >
        <h1>
          Tổng hợp các xã — Đăng nhập <small>Province sign-in</small>
        </h1>
        <p>Tài khoản do quản trị viên của tỉnh cấp. Mỗi lần đăng nhập được ghi vào nhật ký.</p>
        <label>
          <span>
            Tên đăng nhập <small>Username</small>
          </span>
          <input value={username} onChange={(e) => setUsername(e.target.value)} maxLength={40} autoComplete="username" autoCapitalize="none" aria-label="Tên đăng nhập" />
        </label>
        <label>
          <span>
            Mật khẩu <small>Password</small>
          </span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} maxLength={200} autoComplete="current-password" aria-label="Mật khẩu" />
        </label>
        <button type="submit" className="primary" disabled={busy || !username.trim() || !password}>
          {busy ? 'Đang đăng nhập…' : 'Đăng nhập'}
        </button>
        {shown && (
          <div className="message error" role="alert">
            {shown}
          </div>
        )}
      </form>
    </div>
  );
}
