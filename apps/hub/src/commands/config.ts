import { describePriorityRule, minutesOf, QueueError, resetCutsWorkingDay, WEEKDAYS_SHORT_VI } from '@xephang/core';
import type {
  AdminConfig,
  AuditEntry,
  CenterTexts,
  CitizenIdRule,
  CitizenIdRules,
  CounterView,
  OpeningHours,
  ParsedCommand,
  PriorityRule,
  RatingSettings,
  ServiceView,
  VoiceSettings,
  Ack,
} from '@xephang/protocol';
import type { Result } from '../commit';
import { rateLimiter, retryInVi } from '../rate-limit';
import { verifySecret } from '../secrets';
import type { Stores } from '../store';
import { counterView } from '../store/config-store';
import type { Changes } from './changes';
import { dossierSettings } from './visits';

export interface ConfigDeps {
  stores: Pick<Stores, 'config' | 'admin' | 'citizen'>;
  changes: Pick<Changes, 'adminChange'>;
  /** Stores a new admin password's hash (secrets.ts); it awaits the hash, so it runs before the logged change. */
  setAdminPassword: (password: string, at: number) => Promise<void>;
  /** Stores how calls sound (voice.ts). */
  updateVoice: (settings: unknown) => Ack<VoiceSettings>;
  /** The rating tablet's wording and reasons (commands/ratings.ts). */
  ratingSettings: () => RatingSettings;
  now: () => number;
}

/**
 * The admin's configuration commands. Every change runs in one commit, is logged with who made
 * it and reaches every screen as config:updated.
 */
export function createConfigCommands(deps: ConfigDeps) {
  const { config, admin: store, citizen } = deps.stores;
  // Wrong current passwords on the change form: five at once, then one every 12 s per admin screen's address.
  const passwordTries = rateLimiter(5, 12_000, deps.now);

  const texts = (): CenterTexts => {
    const kiosk = config.kioskTexts();
    return {
      centerName: config.meta('center_name') ?? '',
      notice: config.meta('notice') ?? '',
      kioskTitleVi: kiosk.titleVi,
      kioskTitleEn: kiosk.titleEn,
      kioskNote: kiosk.note,
    };
  };

  /** One logged change: `type` names the setting, `what` says in Vietnamese what changed. */
  const change = <T>(type: AdminSetting, what: string, by: string, body: () => T): Result<T> =>
    deps.changes.adminChange(`admin:${type}`, { by, what }, () => body());

  return {
    config: (): AdminConfig => ({
      texts: texts(),
      hours: config.openingHours(),
      priorityRule: config.priorityRule(),
      clerks: store.clerks(),
      dossier: dossierSettings(config),
      rating: deps.ratingSettings(),
      citizenIdRules: citizen.activeRules(),
    }),

    log: (limit = 100): AuditEntry[] => store.audit(limit),

    /**
     * Creates or updates a field.
     * @throws QueueError when another field already numbers from the same block.
     */
    saveService(cmd: ParsedCommand<'config:saveService'>, by: string): Result<ServiceView> {
      const before = config.service(cmd.id);
      const changes: string[] = [];
      if (before) {
        if (before.nameVi !== cmd.nameVi) changes.push(`tên "${before.nameVi}" → "${cmd.nameVi}"`);
        if (before.nameEn !== cmd.nameEn) changes.push(`tên tiếng Anh "${before.nameEn}" → "${cmd.nameEn}"`);
        if (before.kind !== cmd.kind) changes.push(cmd.kind === 'partner' ? 'thành cơ quan phối hợp' : 'thành lĩnh vực của xã');
        if (before.blockStart !== cmd.blockStart) changes.push(`dãy số ${before.blockStart} → ${cmd.blockStart}`);
        if (before.active !== cmd.active) changes.push(cmd.active ? 'mở lại cấp số' : 'tạm ngừng cấp số');
        if (cmd.officialCode !== undefined && before.officialCode !== cmd.officialCode) {
          changes.push(cmd.officialCode === null ? `bỏ mã lĩnh vực ${before.officialCode}` : `mã lĩnh vực ${before.officialCode ?? '(chưa có)'} → ${cmd.officialCode}`);
        }
      }
      const what = before
        ? `Sửa lĩnh vực ${cmd.id}: ${changes.join('; ') || 'không đổi gì'}`
        : `Thêm lĩnh vực ${cmd.id} "${cmd.nameVi}", dãy số ${cmd.blockStart}…` + (cmd.officialCode ? `, mã lĩnh vực ${cmd.officialCode}` : '');
      return change('service', what, by, () => {
        const owner = store.blockOwner(cmd.blockStart, cmd.id);
        if (owner) {
          throw new QueueError('invalid_payload', `Dãy số ${cmd.blockStart}… đang là của lĩnh vực "${owner.name_vi}". Hãy chọn dãy khác.`);
        }
        store.saveService(cmd);
        return config.service(cmd.id)!;
      });
    },

    /**
     * Sets the kiosk's order of the fields.
     * @throws QueueError unless every field is listed exactly once.
     */
    orderServices(cmd: ParsedCommand<'config:orderServices'>, by: string): Result<ServiceView[]> {
      const known = config.services().map((s) => s.id);
      const listed = new Set(cmd.serviceIds);
      if (listed.size !== cmd.serviceIds.length || listed.size !== known.length || known.some((id) => !listed.has(id))) {
        throw new QueueError('invalid_payload', `Thứ tự phải liệt kê mỗi lĩnh vực đúng một lần: ${known.join(', ')}.`);
      }
      return change('serviceOrder', `Sắp xếp lĩnh vực trên ki-ốt: ${cmd.serviceIds.join(', ')}`, by, () => {
        store.orderServices(cmd.serviceIds);
        return config.services();
      });
    },

    /**
     * Sets which fields a counter calls, most important first.
     * @throws QueueError for an unknown counter or field, or a field listed twice.
     */
    counterServices(cmd: ParsedCommand<'config:counterServices'>, by: string): Result<CounterView> {
      const counter = config.counter(cmd.counterId);
      if (!counter) throw new QueueError('not_found', `Không có quầy số ${cmd.counterId}.`);
      const unknown = cmd.serviceIds.filter((id) => !config.service(id));
      if (unknown.length) throw new QueueError('not_found', `Không có lĩnh vực ${unknown.join(', ')}.`);
      if (new Set(cmd.serviceIds).size !== cmd.serviceIds.length) throw new QueueError('invalid_payload', 'Mỗi lĩnh vực chỉ chọn một lần.');
      const names = (ids: readonly string[]) => ids.map((id) => config.service(id)!.nameVi).join(', ');
      const what = `${counter.name} phục vụ: ${names(cmd.serviceIds) || '(không lĩnh vực nào)'} (trước: ${names(counter.serviceIds) || 'không'})`;
      return change('counterServices', what, by, () => {
        config.setCounterServices(cmd.counterId, cmd.serviceIds);
        return counterView(config.counter(cmd.counterId)!);
      });
    },

    setTexts(cmd: ParsedCommand<'config:setTexts'>, by: string): Result<CenterTexts> {
      const before = texts();
      const changed = (Object.keys(cmd) as (keyof CenterTexts)[]).filter((k) => before[k] !== cmd[k]);
      const names: Record<keyof CenterTexts, string> = {
        centerName: 'tên trung tâm',
        notice: 'dòng thông báo trên TV',
        kioskTitleVi: 'tiêu đề ki-ốt',
        kioskTitleEn: 'tiêu đề ki-ốt (tiếng Anh)',
        kioskNote: 'ghi chú ki-ốt',
      };
      const what = `Sửa nội dung hiển thị: ${changed.map((k) => `${names[k]} "${cmd[k]}"`).join('; ') || 'không đổi gì'}`;
      return change('texts', what, by, () => {
        config.setMeta('center_name', cmd.centerName);
        config.setMeta('notice', cmd.notice);
        config.setMeta('kiosk_texts', JSON.stringify({ kioskTitleVi: cmd.kioskTitleVi, kioskTitleEn: cmd.kioskTitleEn, kioskNote: cmd.kioskNote }));
        return texts();
      });
    },

    /** @throws QueueError (invalid_payload) when the reset time falls inside the working day. */
    setHours(cmd: ParsedCommand<'config:setHours'>, by: string): Result<OpeningHours> {
      const sessions = cmd.week.flat().map((s) => ({ open: minutesOf(s.open), close: minutesOf(s.close) }));
      const cut = resetCutsWorkingDay(minutesOf(cmd.resetTime), sessions);
      if (cut) {
        const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const message =
          `Giờ bắt đầu ngày mới ${cmd.resetTime} rơi vào giờ làm việc (từ ${hhmm(cut.open)} đến ${hhmm(cut.close)}): ` +
          'số thứ tự sẽ đánh lại và các số đang chờ sẽ hết hạn khi công dân còn ở trung tâm. ' +
          `Hãy chọn ${hhmm(cut.open)} hoặc sớm hơn (ví dụ 00:00), hoặc từ ${hhmm(Math.max(cut.close, 12 * 60 + 1))} trở đi.`;
        throw new QueueError('invalid_payload', message);
      }
      const week = cmd.week.map((sessions, i) => `${WEEKDAYS_SHORT_VI[i]} ${sessions.map((s) => `${s.open}–${s.close}`).join(', ') || 'nghỉ'}`).join('; ');
      return change('hours', `Sửa giờ làm việc: ${week}; ki-ốt cấp số trước giờ mở cửa ${cmd.earlyIssueMinutes} phút; giờ bắt đầu ngày mới ${cmd.resetTime}`, by, () => {
        config.setOpeningHours(cmd);
        return config.openingHours();
      });
    },

    /**
     * Changes the admin password once the current one is proven, and logs who did it (never the
     * password). The caller logs the other admin screens out.
     * @throws QueueError (unauthorized) for a wrong current password, (rate_limited) after too many.
     */
    async changePassword(cmd: ParsedCommand<'admin:changePassword'>, by: string, tryKey: string): Promise<Result<{ changedAt: number }>> {
      const wait = passwordTries.waitMs(tryKey);
      if (wait > 0) {
        // A try comes back every 12 s: say so, rather than a minute the admin would wait for nothing.
        throw new QueueError('rate_limited', `Nhập sai mật khẩu hiện tại quá nhiều lần. Hãy chờ ${retryInVi(wait)} rồi thử lại.`);
      }
      const hash = config.meta('admin_password_hash');
      if (!hash || !(await verifySecret(cmd.currentPassword, hash))) {
        passwordTries.take(tryKey);
        throw new QueueError('unauthorized', 'Mật khẩu hiện tại không đúng; mật khẩu quản trị chưa được đổi.');
      }
      const at = deps.now();
      await deps.setAdminPassword(cmd.newPassword, at);
      return change('password', 'Đổi mật khẩu quản trị; các màn hình quản trị khác phải đăng nhập lại', by, () => ({ changedAt: at }));
    },

    /** Sets how every counter orders priority and normal tickets; the log says the rule in words. */
    setPriorityRule(cmd: ParsedCommand<'config:setPriorityRule'>, by: string): Result<PriorityRule> {
      const what = `Quy tắc gọi số ưu tiên: ${describePriorityRule(cmd)} (trước: ${describePriorityRule(config.priorityRule())})`;
      return change('priorityRule', what, by, () => {
        config.setPriorityRule(cmd);
        return config.priorityRule();
      });
    },

    /**
     * A field's citizen ID rule (issue 20): logged and sent to every screen, so the kiosks ask (or
     * stop asking) at once. The reply is every rule that is not off.
     * @throws QueueError (not_found) for an unknown field.
     */
    setCitizenIdRule(cmd: ParsedCommand<'citizen:setRule'>, by: string): Result<CitizenIdRules> {
      const service = config.service(cmd.serviceId);
      if (!service) throw new QueueError('not_found', `Không có lĩnh vực "${cmd.serviceId}".`);
      const said = (r: CitizenIdRule) =>
        r.mode === 'off' ? 'tắt' : `${r.mode === 'required' ? 'bắt buộc quét' : 'hỏi, được bỏ qua'}, tối đa ${r.maxActive} số chưa xong mỗi người`;
      const what = `Quét thẻ căn cước ở ki-ốt, lĩnh vực "${service.nameVi}": ${said(cmd.rule)} (trước: ${said(citizen.rule(cmd.serviceId))})`;
      return change('citizenIdRule', what, by, () => {
        citizen.setRule(cmd.serviceId, cmd.rule);
        return citizen.activeRules();
      });
    },

    /** Stores how the TVs announce calls; logged and broadcast as a change, so they read it at once. */
    setVoice: (cmd: unknown, by: string): Result<VoiceSettings> =>
      change('voice', 'Đổi cài đặt giọng đọc gọi số', by, () => {
        const saved = deps.updateVoice(cmd);
        if (!saved.ok) throw new QueueError(saved.error.code, saved.error.message);
        return saved.data;
      }),
  };
}

/** The settings an admin change names in its log type (`admin:service`, …). */
type AdminSetting = 'service' | 'serviceOrder' | 'counterServices' | 'texts' | 'hours' | 'password' | 'priorityRule' | 'voice' | 'citizenIdRule';

export type ConfigCommands = ReturnType<typeof createConfigCommands>;
