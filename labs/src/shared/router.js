// A tiny hash router: route.name / route.params follow location.hash.
import { reactive } from 'vue'
import { store } from './store.js'

const ROUTES = [
  { name: 'login', re: /^\/login$/, open: true },
  { name: 'gallery', re: /^\/gallery$/, open: true },
  { name: 'mtd-result', re: /^\/mtd\/result$/ },
  { name: 'mtd-settings', re: /^\/mtd\/settings$/ },
  { name: 'trackers', re: /^\/cts\/trackers$/ },
  { name: 'configure', re: /^\/cts\/trackers\/([^/]+)\/configure$/, keys: ['name'] },
]

export const route = reactive({ name: '', path: '', params: {} })

export function navigate(path) {
  if (window.location.hash === `#${path}`) resolve()
  else window.location.hash = path
}

function resolve() {
  const path = window.location.hash.replace(/^#/, '') || '/'
  const found = ROUTES.map((r) => ({ r, m: path.match(r.re) })).find((x) => x.m)
  if (!found) {
    navigate(store.user ? '/mtd/result' : '/login')
    return
  }
  if (!found.r.open && !store.user) {
    navigate('/login')
    return
  }
  const params = {}
  ;(found.r.keys || []).forEach((k, i) => (params[k] = decodeURIComponent(found.m[i + 1])))
  route.name = found.r.name
  route.path = path
  route.params = params
}

window.addEventListener('hashchange', resolve)
resolve()
