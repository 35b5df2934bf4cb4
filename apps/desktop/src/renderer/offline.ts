// The offline page: the main process retries by itself; this page only says so, in Vietnamese.
(() => {
  const T = {
    title: 'Mất kết nối với máy chủ',
    retryIn: (s: number) => `Tự động thử lại sau ${s} giây…`,
    retrying: 'Đang thử kết nối lại…',
    hub: (url: string) => `Máy chủ: ${url}`,
    advice: 'Xin vui lòng chờ trong giây lát. Nếu kéo dài, hãy báo cán bộ kỹ thuật kiểm tra máy chủ và cáp mạng.',
  };
  const q = new URLSearchParams(location.search);
  const retryAt = Number(q.get('retryAt') ?? '0');
  const el = (id: string) => document.getElementById(id)!;
  el('title').textContent = T.title;
  el('message').textContent = `${q.get('message') ?? ''} ${T.advice}`.trim();
  el('hub').textContent = T.hub(q.get('hub') ?? '');
  const tick = () => {
    const s = Math.ceil((retryAt - Date.now()) / 1000);
    el('retry').textContent = s > 0 ? T.retryIn(s) : T.retrying;
  };
  tick();
  setInterval(tick, 1000);
})();
