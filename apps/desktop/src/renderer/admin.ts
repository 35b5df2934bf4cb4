// The PIN prompt behind the hidden gesture: reopen setup, reload the screen, or quit.
(() => {
  const T = {
    title: 'Quản trị máy này',
    pin: 'Mã PIN quản trị:',
    setup: 'Mở cài đặt',
    reload: 'Tải lại màn hình',
    quit: 'Thoát ứng dụng',
    cancel: 'Huỷ',
    needPin: 'Hãy nhập mã PIN (4 đến 8 chữ số).',
  };
  const el = <E extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as E;
  el('title').textContent = T.title;
  el('pin-label').textContent = T.pin;
  for (const id of ['setup', 'reload', 'quit', 'cancel'] as const) el(id).textContent = T[id];
  const pin = el<HTMLInputElement>('pin');
  const status = el('status');
  const act = async (action: 'setup' | 'quit' | 'reload') => {
    if (!/^\d{4,8}$/.test(pin.value)) {
      status.textContent = T.needPin;
      return;
    }
    const reply = await window.xephangLocal.adminUnlock({ pin: pin.value, action });
    pin.value = '';
    status.textContent = reply.ok ? '' : reply.error.message;
  };
  el('setup').addEventListener('click', () => void act('setup'));
  el('reload').addEventListener('click', () => void act('reload'));
  el('quit').addEventListener('click', () => void act('quit'));
  el('cancel').addEventListener('click', () => window.close());
  pin.focus();
})();
