// Fault knobs, read once from the query string at page load and kept in
// sessionStorage so that later loads (and hash navigation) keep them.
//   ?fail=configure|switch   make that API call fail
//   ?latency=MS              fake API latency (default 300)
//   ?toast=MS                message/notification duration (default: library's own)
//   ?reset                   forget the stored procedure state (and knobs)
const KEY = 'docent-lab-knobs'
const STATE_KEY = 'docent-lab-state'

function load() {
  const params = new URLSearchParams(window.location.search)
  if (params.has('reset')) {
    sessionStorage.removeItem(STATE_KEY)
    sessionStorage.removeItem(KEY)
  }
  let stored = {}
  try {
    stored = JSON.parse(sessionStorage.getItem(KEY) || '{}')
  } catch (_) {
    stored = {}
  }
  const knobs = {
    fail: stored.fail || '',
    latency: Number.isFinite(stored.latency) ? stored.latency : 300,
    toast: Number.isFinite(stored.toast) ? stored.toast : null,
  }
  if (params.has('fail')) knobs.fail = params.get('fail') || ''
  if (params.has('latency')) {
    const n = parseInt(params.get('latency'), 10)
    if (Number.isFinite(n) && n >= 0) knobs.latency = n
  }
  if (params.has('toast')) {
    const n = parseInt(params.get('toast'), 10)
    knobs.toast = Number.isFinite(n) && n >= 0 ? n : null
  }
  sessionStorage.setItem(KEY, JSON.stringify(knobs))
  return Object.freeze(knobs)
}

export const knobs = load()
export { STATE_KEY }
