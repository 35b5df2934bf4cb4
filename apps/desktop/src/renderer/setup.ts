// The first-run setup screen (and the one the admin PIN reopens): which hub, which role, the
// pairing code, the kiosk's printer, the technician's PIN. The main process validates it all again.
(() => {
  type DesktopRole = import('../config').DesktopRole;
  type PrinterSetting = import('../config').PrinterSetting;
  type PrinterSettingInput = import('../config').PrinterSettingInput;
  type FinishSetupInput = import('../ipc').FinishSetupInput;
  type TestPrintResult = import('../bridge').TestPrintResult;
  type PrinterState = TestPrintResult['status']['state'];
  type PrinterType = PrinterSetting['type'];

  const T = {
    title: 'Cài đặt máy xephang',
    titleAgain: 'Cài đặt lại máy xephang',
    problem: (m: string) => `Cấu hình đã lưu không dùng được, hãy cài đặt lại: ${m}`,
    hubTitle: '1. Máy chủ',
    discover: 'Tìm máy chủ trong mạng',
    searching: 'Đang tìm…',
    found: (n: number) => (n ? `Tìm thấy ${n} máy chủ.` : 'Không tìm thấy máy chủ nào. Hãy nhập địa chỉ bên dưới.'),
    incompatible: ' (phiên bản khác, cần cập nhật)',
    manual: 'Hoặc nhập địa chỉ máy chủ:',
    check: 'Kiểm tra',
    hubOk: (name: string, url: string) => `Đã kết nối: ${name} (${url})`,
    roleTitle: '2. Máy này dùng làm gì?',
    roles: {
      kiosk: 'Ki-ốt lấy số (có máy in phiếu)',
      display: 'Màn hình phòng chờ (TV)',
      'counter-display': 'Màn hình trên quầy',
      counter: 'Máy tính quầy (cán bộ)',
    } satisfies Record<DesktopRole, string>,
    counter: 'Quầy số:',
    printerTitle: '3. Máy in phiếu của ki-ốt',
    printerHint:
      'Máy chủ soạn và vẽ sẵn phiếu; ki-ốt chỉ gửi phiếu tới máy in gắn vào nó. Trước mỗi số, ki-ốt hỏi máy in: hết giấy, mở nắp hay mất kết nối thì ki-ốt báo và không cấp số.',
    printerNone: 'Không in tại máy này (máy chủ in phiếu)',
    printerSystem: 'Máy in của hệ điều hành, theo tên (nên dùng): máy in Windows với trình điều khiển của hãng, hoặc hàng đợi CUPS trên Linux',
    printerUsb: 'USB trực tiếp (libusb): chỉ cho máy in không có trình điều khiển nào',
    printerSerial: 'Cổng COM / cổng nối tiếp (COM3, /dev/ttyUSB0, /dev/usb/lp0)',
    printerTcp: 'Máy in mạng (TCP, cổng 9100):',
    systemNone: 'Không thấy máy in nào. Hãy cài máy in trong hệ điều hành rồi bấm Tìm lại.',
    systemMissing: (name: string) => `Máy in đã lưu «${name}» không có trong danh sách lúc này: hãy kiểm tra máy in rồi bấm Tìm lại.`,
    systemUnknown: 'Qua hàng đợi của hệ điều hành, ki-ốt chỉ biết điều hàng đợi biết (dừng, kẹt phiếu, mất kết nối): không biết máy in còn giấy hay không.',
    usbFirst: 'Máy in USB đầu tiên tìm thấy',
    usbHint: 'Trên Windows, cách này cần thay trình điều khiển bằng WinUSB (Zadig): chỉ dùng khi máy in không có trình điều khiển nào (xem docs/deploy.md).',
    serialPick: '— chọn cổng —',
    serialPath: 'Tên cổng (có thể nhập tay):',
    baud: 'Tốc độ baud (in trên trang tự kiểm tra của máy in):',
    serialHint: 'Cổng nối tiếp trả lời trạng thái (hết giấy, mở nắp); tệp /dev/usb/lp0 chỉ nhận dữ liệu, không hỏi được giấy.',
    refresh: 'Tìm lại',
    paper: 'Khổ giấy:',
    testPrint: 'In thử / Test print',
    testing: 'Đang in thử…',
    stateLabel: 'Trạng thái máy in',
    states: {
      ok: 'sẵn sàng',
      paper_near_end: 'sắp hết giấy',
      paper_out: 'hết giấy',
      cover_open: 'nắp đang mở',
      offline: 'không kết nối',
      error: 'đang báo lỗi',
      no_status: 'không biết (máy in không trả lời trạng thái qua cách kết nối này)',
    } satisfies Record<PrinterState, string>,
    pairTitle: 'Ghép nối với máy chủ',
    pairHint:
      'Trên trang quản trị của máy chủ, tạo mã ghép nối cho đúng vai trò (và số quầy) rồi nhập 8 chữ số vào đây. Mã dùng được một lần, trong 10 phút. Máy chạy chung với máy chủ thì không cần mã.',
    pairedHint: 'Máy này đã được ghép nối. Để trống mã nếu không đổi máy chủ, vai trò hay số quầy.',
    name: 'Tên máy (hiện trên trang quản trị):',
    code: 'Mã ghép nối:',
    pinTitle: 'Mã PIN quản trị của máy này',
    pinHint: 'Dùng để thoát ứng dụng hoặc mở lại cài đặt (chạm 5 lần vào góc trên bên trái màn hình). Hãy ghi lại.',
    pinHintAgain: 'Để trống để giữ mã PIN cũ.',
    pin: 'Mã PIN (4–8 chữ số):',
    pin2: 'Nhập lại mã PIN:',
    save: 'Lưu và khởi động',
    saving: 'Đang lưu và ghép nối…',
    restarting: 'Đã lưu. Ứng dụng đang khởi động lại…',
    needHub: 'Hãy chọn hoặc nhập địa chỉ máy chủ rồi bấm Kiểm tra.',
    needRole: 'Hãy chọn vai trò của máy này.',
    pinMismatch: 'Hai lần nhập mã PIN không giống nhau.',
    badPort: 'Cổng máy in từ 1 đến 65535.',
    needSystem: 'Hãy chọn một máy in của hệ điều hành (bấm Tìm lại nếu danh sách trống).',
    needSerial: 'Hãy chọn hoặc nhập tên cổng COM (COM3) hay đường dẫn (/dev/ttyUSB0).',
  };

  const el = <E extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as E;
  const text = (id: string, value: string) => (el(id).textContent = value);
  const bridge = window.xephangLocal;
  let hubUrl: string | null = null;
  let hubId: string | null = null;
  let counters: number[] = Array.from({ length: 9 }, (_, i) => i + 1);
  let paired = false;
  let firstRun = true;

  const setStatus = (id: string, message: string, kind: 'ok' | 'error' | 'hint') => {
    const p = el(id);
    p.textContent = message;
    p.className = kind;
  };

  function role(): DesktopRole | undefined {
    return (document.querySelector<HTMLInputElement>('input[name=role]:checked')?.value as DesktopRole | undefined) ?? undefined;
  }

  function refreshRole(): void {
    const r = role();
    el('counter-row').classList.toggle('hidden', r !== 'counter' && r !== 'counter-display');
    el('printer-section').classList.toggle('hidden', r !== 'kiosk');
  }

  function fillCounters(selected: number | null): void {
    const select = el<HTMLSelectElement>('counter');
    select.replaceChildren(...counters.map((n) => new Option(String(n), String(n), false, n === selected)));
  }

  async function useHub(address: string, id: string | null): Promise<void> {
    setStatus('hub-status', T.searching, 'hint');
    const reply = await bridge.checkHub(address);
    if (!reply.ok) {
      hubUrl = null;
      setStatus('hub-status', reply.error.message, 'error');
      return;
    }
    hubUrl = reply.data.url;
    hubId = id;
    if (reply.data.counterIds.length) counters = reply.data.counterIds;
    fillCounters(Number(el<HTMLSelectElement>('counter').value) || null);
    setStatus('hub-status', T.hubOk(reply.data.centerName, reply.data.url), 'ok');
  }

  async function discover(): Promise<void> {
    text('discover-status', T.searching);
    const list = el('hubs');
    list.replaceChildren();
    const reply = await bridge.discover();
    const hubs = reply.ok ? reply.data : [];
    text('discover-status', reply.ok ? T.found(hubs.length) : reply.error.message);
    for (const h of hubs) {
      const label = document.createElement('label');
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = 'hub';
      radio.disabled = !h.compatible;
      radio.addEventListener('change', () => void useHub(h.url, h.hubId));
      label.append(radio, ` ${h.name} — ${h.url}${h.compatible ? '' : T.incompatible}`);
      list.append(label);
    }
    const only = hubs.filter((h) => h.compatible);
    if (only.length === 1 && !hubUrl) {
      list.querySelector<HTMLInputElement>('input[name=hub]:not([disabled])')!.checked = true;
      await useHub(only[0]!.url, only[0]!.hubId);
    }
  }

  function printerType(): PrinterType {
    return (document.querySelector<HTMLInputElement>('input[name=printer]:checked')?.value as PrinterType | undefined) ?? 'none';
  }

  /** Shows the chosen connection's own fields, and lists its printers the first time it is chosen. */
  function refreshPrinterType(): void {
    const type = printerType();
    for (const t of ['system', 'usb', 'serial', 'tcp'] as const) el(`${t}-row`).classList.toggle('hidden', t !== type);
    if (type === 'system' && !listed.has('system')) void refreshSystem();
    if (type === 'usb' && !listed.has('usb')) void refreshUsb();
    if (type === 'serial' && !listed.has('serial')) void refreshSerial();
  }

  /** Lists asked for once; "Tìm lại" asks again. */
  const listed = new Set<string>();

  async function refreshSystem(selected?: string): Promise<void> {
    listed.add('system');
    const select = el<HTMLSelectElement>('system-list');
    const keep = selected ?? select.value;
    const reply = await bridge.listSystemPrinters();
    const printers = reply.ok ? reply.data : [];
    const options = printers.map((p) => new Option(p.name, p.name, false, p.name === keep));
    // A saved name no longer listed stays visible, so saving again does not drop it unnoticed.
    if (keep && !printers.some((p) => p.name === keep)) options.unshift(new Option(keep, keep, false, true));
    select.replaceChildren(...options);
    const detail = () => {
      const chosen = printers.find((p) => p.name === select.value);
      const problem = reply.ok ? (printers.length ? '' : T.systemNone) : reply.error.message;
      const detail = chosen?.detail ?? (select.value ? T.systemMissing(select.value) : '');
      setStatus('system-detail', [problem, detail, T.systemUnknown].filter(Boolean).join('\n'), reply.ok ? 'hint' : 'error');
    };
    select.onchange = detail;
    detail();
  }

  async function refreshUsb(selected?: PrinterSetting): Promise<void> {
    listed.add('usb');
    const select = el<HTMLSelectElement>('usb-list');
    const reply = await bridge.listUsbPrinters();
    const options = [new Option(T.usbFirst, '')];
    for (const p of reply.ok ? reply.data : []) {
      const value = `${p.vendorId}:${p.productId}`;
      const isSelected = selected?.type === 'usb' && selected.vendorId === p.vendorId && selected.productId === p.productId;
      options.push(new Option(p.label, value, false, isSelected));
    }
    select.replaceChildren(...options);
  }

  async function refreshSerial(): Promise<void> {
    listed.add('serial');
    const select = el<HTMLSelectElement>('serial-list');
    const path = el<HTMLInputElement>('serial-path');
    const reply = await bridge.listSerialPorts();
    const ports = reply.ok ? reply.data : [];
    select.replaceChildren(new Option(T.serialPick, ''), ...ports.map((p) => new Option(p.label, p.path, false, p.path === path.value)));
    setStatus('serial-hint', reply.ok ? T.serialHint : `${reply.error.message}\n${T.serialHint}`, reply.ok ? 'hint' : 'error');
  }

  /** The printer as chosen on screen, or what is missing, in Vietnamese. */
  function printer(): PrinterSettingInput | string {
    const type = printerType();
    const paperWidth = el<HTMLSelectElement>('paper').value === '58' ? 58 : 80;
    switch (type) {
      case 'none':
        return { type: 'none' };
      case 'system': {
        const name = el<HTMLSelectElement>('system-list').value;
        return name ? { type: 'system', name, paperWidth } : T.needSystem;
      }
      case 'usb': {
        const [vendor, product] = el<HTMLSelectElement>('usb-list').value.split(':');
        return vendor && product ? { type: 'usb', vendorId: Number(vendor), productId: Number(product), paperWidth } : { type: 'usb', paperWidth };
      }
      case 'serial': {
        const path = el<HTMLInputElement>('serial-path').value.trim();
        return path ? { type: 'serial', path, baudRate: Number(el<HTMLSelectElement>('baud').value), paperWidth } : T.needSerial;
      }
      case 'tcp': {
        const port = Number(el<HTMLInputElement>('tcp-port').value || '9100');
        if (!Number.isInteger(port) || port < 1 || port > 65535) return T.badPort;
        return { type: 'tcp', host: el<HTMLInputElement>('tcp-host').value.trim(), port, paperWidth };
      }
    }
  }

  /** "In thử": prints the test ticket through the setting on screen, saved or not, and says how the printer is. */
  async function testPrint(): Promise<void> {
    const p = printer();
    text('test-state', '');
    if (typeof p === 'string') return setStatus('test-status', p, 'error');
    const button = el<HTMLButtonElement>('test-print');
    button.disabled = true;
    setStatus('test-status', T.testing, 'hint');
    const reply = await bridge.testPrint(p);
    button.disabled = false;
    if (!reply.ok) {
      const fields = Object.entries(reply.error.fields ?? {}).map(([field, problem]) => `${field}: ${problem}`);
      return setStatus('test-status', fields.length ? `${reply.error.message} (${fields.join('; ')})` : reply.error.message, 'error');
    }
    const r = reply.data;
    setStatus('test-status', r.message, r.printed ? 'ok' : 'error');
    text('test-state', `${T.stateLabel}: ${T.states[r.status.state]}. ${r.status.message}`);
  }

  async function save(): Promise<void> {
    const r = role();
    if (!hubUrl) return setStatus('save-status', T.needHub, 'error');
    if (!r) return setStatus('save-status', T.needRole, 'error');
    const pin = el<HTMLInputElement>('pin').value;
    if (pin !== el<HTMLInputElement>('pin2').value) return setStatus('save-status', T.pinMismatch, 'error');
    const p = r === 'kiosk' ? printer() : ({ type: 'none' } as const);
    if (typeof p === 'string') return setStatus('save-status', p, 'error');
    const request: FinishSetupInput = {
      role: r,
      counterId: r === 'counter' || r === 'counter-display' ? Number(el<HTMLSelectElement>('counter').value) : null,
      hubUrl,
      hubId,
      deviceName: el<HTMLInputElement>('device-name').value,
      // People copy a long code in groups ("1234 5678"): only the digits are sent.
      pairingCode: el<HTMLInputElement>('code').value.replace(/[\s.-]/g, ''),
      adminPin: pin,
      printer: p,
    };
    const button = el<HTMLButtonElement>('save');
    button.disabled = true;
    setStatus('save-status', T.saving, 'hint');
    const reply = await bridge.finishSetup(request);
    if (reply.ok) return setStatus('save-status', T.restarting, 'ok');
    button.disabled = false;
    setStatus('save-status', reply.error.message, 'error');
  }

  async function init(): Promise<void> {
    const state = await bridge.state();
    const c = state.current;
    firstRun = c === null;
    paired = c?.paired ?? false;
    text('title', firstRun ? T.title : T.titleAgain);
    if (state.problem) setStatus('problem', T.problem(state.problem), 'error');
    text('hub-title', T.hubTitle);
    text('discover', T.discover);
    text('manual-label', T.manual);
    text('check', T.check);
    text('role-title', T.roleTitle);
    text('counter-label', T.counter);
    text('printer-title', T.printerTitle);
    text('printer-hint', T.printerHint);
    text('printer-none', T.printerNone);
    text('printer-system', T.printerSystem);
    text('printer-usb', T.printerUsb);
    text('usb-hint', T.usbHint);
    text('printer-serial', T.printerSerial);
    text('serial-path-label', T.serialPath);
    text('baud-label', T.baud);
    text('serial-hint', T.serialHint);
    text('printer-tcp', T.printerTcp);
    for (const id of ['system-refresh', 'usb-refresh', 'serial-refresh']) text(id, T.refresh);
    text('paper-label', T.paper);
    text('test-print', T.testPrint);
    text('pair-title', T.pairTitle);
    text('pair-hint', paired ? T.pairedHint : T.pairHint);
    text('name-label', T.name);
    text('code-label', T.code);
    text('pin-title', T.pinTitle);
    text('pin-hint', firstRun ? T.pinHint : `${T.pinHint} ${T.pinHintAgain}`);
    text('pin-label', T.pin);
    text('pin2-label', T.pin2);
    text('save', T.save);

    const roles = el('roles');
    for (const [value, label] of Object.entries(T.roles)) {
      const row = document.createElement('label');
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = 'role';
      radio.value = value;
      radio.checked = c?.role === value;
      radio.addEventListener('change', refreshRole);
      row.append(radio, ` ${label}`);
      roles.append(row);
    }
    el<HTMLInputElement>('device-name').value = c?.deviceName ?? state.hostName;
    const p = c?.printer ?? { type: 'none' };
    document.querySelector<HTMLInputElement>(`input[name=printer][value=${p.type}]`)!.checked = true;
    if (p.type === 'tcp') {
      el<HTMLInputElement>('tcp-host').value = p.host;
      el<HTMLInputElement>('tcp-port').value = String(p.port);
    }
    if (p.type === 'serial') {
      el<HTMLInputElement>('serial-path').value = p.path;
      el<HTMLSelectElement>('baud').value = String(p.baudRate);
    }
    if (p.type !== 'none') el<HTMLSelectElement>('paper').value = String(p.paperWidth);
    fillCounters(c?.counterId ?? null);
    refreshRole();

    el('discover').addEventListener('click', () => void discover());
    el('check').addEventListener('click', () => void useHub(el<HTMLInputElement>('manual').value, null));
    for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=printer]')) radio.addEventListener('change', refreshPrinterType);
    el('system-refresh').addEventListener('click', () => void refreshSystem());
    el('usb-refresh').addEventListener('click', () => void refreshUsb());
    el('serial-refresh').addEventListener('click', () => void refreshSerial());
    el<HTMLSelectElement>('serial-list').addEventListener('change', (e) => {
      const path = (e.target as HTMLSelectElement).value;
      if (path) el<HTMLInputElement>('serial-path').value = path;
    });
    el('test-print').addEventListener('click', () => void testPrint());
    el('save').addEventListener('click', () => void save());
    if (p.type === 'system') void refreshSystem(p.name);
    else if (p.type === 'usb') void refreshUsb(p);
    refreshPrinterType();
    if (c) {
      el<HTMLInputElement>('manual').value = c.hubUrl;
      await useHub(c.hubUrl, c.hubId);
    } else {
      await discover();
    }
  }

  void init();
})();
