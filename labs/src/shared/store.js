// The procedure's state, shared by the three labs; kept in sessionStorage so
// that a reload keeps it.
import { reactive, watch, computed } from 'vue'
import { STATE_KEY } from './knobs.js'

export const REGIONS = ['CN North-Beijing4', 'CN East-Shanghai1', 'CN-Hong Kong']
export const HK = 'CN-Hong Kong'
export const SOURCES = [
  { key: 'IAM', label: 'IAM' },
  { key: 'OBS', label: 'OBS' },
  { key: 'DNS', label: 'DNS' },
  { key: 'CTS', label: 'Cloud Trace Service (CTS)' },
]
export const LOG_GROUPS = ['CTS', 'lts-group-default']
export const SERVICES = [
  { group: 'Security & Compliance', items: [{ label: 'Managed Threat Detection', href: '#/mtd/result' }] },
  { group: 'Management & Governance', items: [{ label: 'Cloud Trace Service', href: '#/cts/trackers' }] },
]

function initial() {
  return {
    user: null,
    region: REGIONS[0],
    trackers: [
      { name: 'system', type: 'Management', lts: false, logGroup: '' },
      { name: 'data-tracker', type: 'Data', lts: false, logGroup: '' },
    ],
    sources: { IAM: true, OBS: true, DNS: true, CTS: true },
    // CTS detection switched off after a tracker started transferring to LTS,
    // then switched on again: only then does MTD analyse the CTS logs.
    ctsOffAfterLts: false,
    ctsRestartedAfterLts: false,
  }
}

function restore() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STATE_KEY) || 'null')
    if (saved && typeof saved === 'object') return { ...initial(), ...saved }
  } catch (_) {
    /* fall through */
  }
  return initial()
}

export const store = reactive(restore())

watch(store, (s) => sessionStorage.setItem(STATE_KEY, JSON.stringify(s)), { deep: true, immediate: true })

export const ltsEnabled = computed(() => store.trackers.some((t) => t.lts))
export const analysing = computed(() => ltsEnabled.value && store.ctsRestartedAfterLts && sourceOn('CTS'))

/** Whether a data source's detection is on, in the current region. */
export function sourceOn(key) {
  if (key === 'CTS' && store.region === HK) return false
  return !!store.sources[key]
}

export function sourceLabel(key) {
  return SOURCES.find((s) => s.key === key).label
}

export const STATUS_IDLE = 'No threats have been found in the latest log data of IAM log, OBS log, DNS log, CTS log up to now'
export const STATUS_ANALYSING =
  'Threat detection is analysing the latest log data of IAM log, OBS log, DNS log, CTS log. No alarms have been generated.'
export const HK_TOOLTIP = 'CTS threat detection is not supported in the CN-Hong Kong region.'

/** The confirm text shown before turning a data source's detection off. */
export function disableText(key) {
  return `Disabling ${key} threat detection stops analysis of ${key} logs. Continue?`
}

export const TEXT = {
  ok: 'Operation successfully!',
  failed: 'Operation failed.',
  error: 'Error',
  badLogin: 'Incorrect user name or password.',
}
