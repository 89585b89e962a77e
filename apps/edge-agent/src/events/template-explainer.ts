import type { EventKind, Explanation } from '@vigil/contracts';

export interface EventEvidence {
  kind: EventKind;
  cameraName: string;
  location?: string;
  /** Wall-clock ms of the first window over the threshold. */
  firstAt: number;
  peakScore: number;
  threshold: number;
  windows: number;
  windowSeconds: number;
  hopSeconds: number;
  timeZone?: string;
}

export type Language = 'en' | 'zh-CN';

const KIND_NAMES: Record<Language, Record<EventKind, string>> = {
  en: { fall: 'fall', fire: 'fire', smoke: 'smoke' },
  'zh-CN': { fall: '跌倒', fire: '火情', smoke: '烟雾' },
};

const ACTIONS: Record<Language, Record<EventKind, string>> = {
  en: {
    fall: 'Check on the person now and call for help if they do not get up.',
    fire: 'Look at the camera view now; if the fire is real, raise the alarm, evacuate and call the fire service.',
    smoke: 'Find the source of the smoke now; if it is not expected, treat it as a possible fire.',
  },
  'zh-CN': {
    fall: '请立即查看此人情况，如其无法起身请呼叫救援。',
    fire: '请立即查看画面；如确认起火，请拉响警报、组织疏散并拨打火警电话。',
    smoke: '请立即查找烟雾来源；如非预期烟雾，请按可能起火处理。',
  },
};

/**
 * The offline explanation: built only from the evidence (no claims the model did not make), in the
 * configured language. It is also the fallback whenever an LLM is unavailable.
 */
export function templateExplanation(e: EventEvidence, language: Language): Explanation {
  const time = new Intl.DateTimeFormat(language === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZone: e.timeZone,
  }).format(new Date(e.firstAt));
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  const seconds = Math.round((e.windowSeconds + (e.windows - 1) * e.hopSeconds) * 10) / 10;
  const kind = KIND_NAMES[language][e.kind];
  const text =
    language === 'zh-CN'
      ? `摄像头“${e.cameraName}”${e.location ? `（${e.location}）` : ''}于 ${time} 检测到疑似${kind}：模型${kind}评分最高 ${pct(e.peakScore)}（阈值 ${pct(e.threshold)}），连续 ${e.windows} 个窗口（约 ${seconds} 秒视频）超过阈值。${ACTIONS[language][e.kind]}`
      : `Possible ${kind} on camera "${e.cameraName}"${e.location ? ` (${e.location})` : ''} at ${time}: the model's ${kind} score reached ${pct(e.peakScore)} (threshold ${pct(e.threshold)}) in ${e.windows} consecutive windows covering about ${seconds} s of video. ${ACTIONS[language][e.kind]}`;
  return { text, source: 'template', language };
}
