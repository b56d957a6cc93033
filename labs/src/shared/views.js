// The views' logic, shared by the three labs: each lab keeps only its
// templates and its library's message/notification/confirm calls.
import { reactive, ref, computed, watch, onMounted } from 'vue'
import { api } from './api.js'
import { route, navigate } from './router.js'
import * as S from './store.js'

/** The header: its service drawer's `go(href)` closes the drawer and follows the link. */
export function useHeader() {
  const open = ref(false)
  const go = (href) => {
    open.value = false
    window.location.hash = href
  }
  return { store: S.store, open, go }
}

export function useLogin(onBadLogin) {
  const tab = ref('iam')
  const iam = reactive({ account: '', user: '', password: '' })
  const account = reactive({ account: '', password: '' })
  const loading = ref(false)
  async function login() {
    const [user, password] = tab.value === 'iam' ? [iam.user, iam.password] : [account.account, account.password]
    loading.value = true
    try {
      await api.login(user, password)
      navigate('/mtd/result')
    } catch (_) {
      onBadLogin()
    } finally {
      loading.value = false
    }
  }
  return { tab, iam, account, loading, login }
}

export function useResult() {
  const loading = ref(true)
  const analysing = ref(false)
  onMounted(async () => {
    analysing.value = (await api.detection()).analysing
    loading.value = false
  })
  return { loading, analysing, S }
}

/**
 * `setSource(key, on, commit)` asks before turning a source off, then calls
 * the API; on success runs `commit` (the lab's way of flipping its switch)
 * and `onSaved`. Resolves whether the switch changed.
 */
export function useSettings({ confirm, onSaved, onFailed }) {
  const loading = ref(true)
  const values = reactive({})
  const busy = reactive({})
  async function load() {
    loading.value = true
    Object.assign(values, await api.sources())
    loading.value = false
  }
  onMounted(load)
  watch(() => S.store.region, load)
  async function setSource(key, on, commit) {
    if (!on && !(await confirm(S.disableText(key)))) return false
    busy[key] = true
    try {
      await api.setSource(key, on)
      commit()
      onSaved()
      return true
    } catch (_) {
      onFailed()
      return false
    } finally {
      busy[key] = false
    }
  }
  const hk = computed(() => S.store.region === S.HK)
  return { loading, values, busy, setSource, sources: S.SOURCES, hk, HK_TOOLTIP: S.HK_TOOLTIP }
}

export function useTrackers({ confirm, onDeleted }) {
  const loading = ref(true)
  const rows = ref([])
  async function load() {
    loading.value = true
    rows.value = await api.trackers()
    loading.value = false
  }
  onMounted(load)
  const configure = (row) => navigate(`/cts/trackers/${encodeURIComponent(row.name)}/configure`)
  async function remove(row) {
    if (!(await confirm(`Delete tracker ${row.name}?`))) return
    await api.deleteTracker(row.name)
    onDeleted()
    load()
  }
  return { loading, rows, configure, remove }
}

export function useConfigure(onSaved, onFailed) {
  const step = ref(0)
  const loading = ref(true)
  const saving = ref(false)
  const form = reactive({ name: route.params.name, type: '', lts: false, logGroup: 'CTS' })
  onMounted(async () => {
    const t = await api.tracker(form.name)
    Object.assign(form, { type: t.type, lts: t.lts, logGroup: t.logGroup || 'CTS' })
    loading.value = false
  })
  async function submit() {
    saving.value = true
    try {
      await api.configureTracker(form.name, { lts: form.lts, logGroup: form.logGroup })
      onSaved()
      navigate('/cts/trackers')
    } catch (_) {
      onFailed()
    } finally {
      saving.value = false
    }
  }
  return { step, loading, saving, form, submit }
}

/**
 * The gallery's form state; once mounted, `shows` are fired one after another
 * (not in one tick): antd's static notification API makes a separate
 * container per call until its first holder has mounted.
 */
export function useGallery(shows) {
  onMounted(() => shows.forEach((show, i) => setTimeout(show, i * 150)))
  return { form: reactive({ on: true, off: false, ro: 'read-only value', sel: 'CTS' }) }
}

const VIEWS = {
  login: 'Login',
  gallery: 'Gallery',
  'mtd-result': 'Result',
  'mtd-settings': 'Settings',
  trackers: 'Trackers',
  configure: 'Configure',
}

/** The App shell; `components` are the lab's AppHeader and the views of VIEWS. */
export function labApp(components) {
  return {
    components,
    setup() {
      const view = computed(() => VIEWS[route.name])
      return { route, view }
    },
    template: `
    <AppHeader v-if="route.name !== 'login'" />
    <component v-if="view" :is="view" :key="route.path" />`,
  }
}
