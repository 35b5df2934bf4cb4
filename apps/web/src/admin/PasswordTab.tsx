import { useState } from 'react';
import { ADMIN_PASSWORD_RULE, adminPasswordProblem } from '@xephang/protocol';
import { useAdmin } from './api';

/**
 * Changes the admin password: the current one, then the new one twice, checked against the
 * rule as it is typed. The hub logs every other admin screen out; this one stays, with the new one.
 */
export function PasswordTab() {
  const { act, online, passwordChanged } = useAdmin();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const ruleProblem = next ? adminPasswordProblem(next) : undefined;
  const repeatProblem = repeat && repeat !== next ? 'Hai lần nhập mật khẩu mới chưa giống nhau.' : undefined;
  const sameProblem = next && next === current ? 'Mật khẩu mới phải khác mật khẩu hiện tại.' : undefined;
  const ready = current !== '' && next !== '' && repeat === next && !ruleProblem && !sameProblem;

  return (
    <section className="admin-section" data-testid="password-tab">
      <h2>
        Mật khẩu quản trị <small>Admin password</small>
      </h2>
      <p className="hint">
        Mật khẩu mới cần {ADMIN_PASSWORD_RULE}. Sau khi đổi, mọi màn hình quản trị khác đang mở sẽ bị đăng xuất và phải đăng nhập lại bằng mật khẩu mới; màn hình
        này vẫn tiếp tục. Quên mật khẩu: đặt lại bằng dòng lệnh trên máy chủ (xem docs/deploy.md).
      </p>
      <form
        className="admin-form password-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!ready) return;
          void act('admin:changePassword', { currentPassword: current, newPassword: next, repeatPassword: repeat }, (r) =>
            r.loggedOut ? `Đã đổi mật khẩu quản trị. ${r.loggedOut} màn hình quản trị khác đã bị đăng xuất.` : 'Đã đổi mật khẩu quản trị.',
          ).then((done) => {
            if (!done) return;
            setCurrent('');
            setNext('');
            setRepeat('');
            passwordChanged(next);
          });
        }}
      >
        <label className="field">
          Mật khẩu hiện tại
          <input type="password" value={current} onChange={(e) => setCurrent(e.target.value)} maxLength={200} autoComplete="current-password" aria-label="Mật khẩu hiện tại" />
        </label>
        <label className="field">
          Mật khẩu mới
          <input
            type="password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            maxLength={200}
            autoComplete="new-password"
            aria-label="Mật khẩu mới"
            className={ruleProblem || sameProblem ? 'invalid' : undefined}
          />
          {(ruleProblem ?? sameProblem) && (
            <span className="field-error" data-testid="password-problem">
              {ruleProblem ?? sameProblem}
            </span>
          )}
        </label>
        <label className="field">
          Nhập lại mật khẩu mới
          <input
            type="password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            maxLength={200}
            autoComplete="new-password"
            aria-label="Nhập lại mật khẩu mới"
            className={repeatProblem ? 'invalid' : undefined}
          />
          {repeatProblem && (
            <span className="field-error" data-testid="repeat-problem">
              {repeatProblem}
            </span>
          )}
        </label>
        <button type="submit" className="primary" disabled={!online || !ready}>
          Đổi mật khẩu
        </button>
      </form>
    </section>
  );
}
