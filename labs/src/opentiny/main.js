// OpenTiny (@opentiny/vue) lab console.
import { createApp, reactive, ref, computed, watch, onMounted } from 'vue'
import {
  TinyAlert,
  TinyButton,
  TinyDrawer,
  TinyForm,
  TinyFormItem,
  TinyGrid,
  TinyGridColumn,
  TinyInput,
  TinyLink,
  TinyLoading,
  TinyModal,
  TinyNotify,
  TinyOption,
  TinySelect,
  TinySteps,
  TinySwitch,
  TinyTabItem,
  TinyTabs,
  TinyTooltip,
  TinyTreeMenu,
} from '@opentiny/vue'
import { iconApplication } from '@opentiny/vue-icon'
import { use as useLocale, enUS } from '@opentiny/vue-locale'
import '../shared/layout.css'
import { knobs } from '../shared/knobs.js'
import { api } from '../shared/api.js'
import { route, navigate } from '../shared/router.js'
import * as S from '../shared/store.js'

// OpenTiny defaults to Chinese; switch its built-in texts (OK, Cancel, ...) to English.
useLocale(enUS)

const { store, TEXT } = S
const IconApplication = iconApplication()
const vLoading = TinyLoading.directive

// ?toast=MS overrides the library's own durations (3000 ms messages, 5000/10000 ms notifications).
const toast = (opts) => (knobs.toast === null ? opts : { ...opts, duration: knobs.toast })
const success = () => TinyNotify(toast({ type: 'success', message: TEXT.ok }))
const failure = () => TinyNotify(toast({ type: 'error', title: TEXT.error, message: TEXT.failed }))
const confirm = (message) =>
  TinyModal.confirm({ message, title: 'Confirm', confirmContent: 'OK' }).then((res) => res === 'confirm')

const AppHeader = {
  components: { TinyTooltip, TinyButton, TinySelect, TinyOption, TinyDrawer, TinyLink },
  setup() {
    const open = ref(false)
    const go = (href) => {
      open.value = false
      window.location.hash = href
    }
    return { store, regions: S.REGIONS, services: S.SERVICES, open, go, IconApplication }
  },
  template: `
    <header class="lab-header">
      <tiny-tooltip content="Service List" placement="bottom">
        <tiny-button :icon="IconApplication" type="text" @click="open = true"></tiny-button>
      </tiny-tooltip>
      <span class="lab-brand">Console</span>
      <span class="lab-spacer"></span>
      <span class="lab-region-label">Region</span>
      <tiny-select v-model="store.region" style="width: 200px">
        <tiny-option v-for="r in regions" :key="r" :label="r" :value="r"></tiny-option>
      </tiny-select>
    </header>
    <tiny-drawer v-model:visible="open" placement="left" width="320px" :show-header="false">
      <div class="lab-services">
        <template v-for="g in services" :key="g.group">
          <h4>{{ g.group }}</h4>
          <div v-for="s in g.items" :key="s.href">
            <tiny-link type="primary" @click="go(s.href)">{{ s.label }}</tiny-link>
          </div>
        </template>
      </div>
    </tiny-drawer>`,
}

const MtdMenu = {
  components: { TinyTreeMenu },
  setup() {
    const data = [
      { id: '/mtd/result', label: 'Detection Result' },
      { id: 'settings', label: 'Settings', children: [{ id: '/mtd/settings', label: 'Detection Settings' }] },
    ]
    const current = route.name === 'mtd-settings' ? '/mtd/settings' : '/mtd/result'
    const go = (node) => {
      if (node.id.startsWith('/')) navigate(node.id)
    }
    return { data, current, go }
  },
  template: `
    <tiny-tree-menu class="lab-side" :data="data" node-key="id" :default-expanded-keys="current === '/mtd/settings' ? ['settings'] : []"
      :show-filter="false" @current-change="go"></tiny-tree-menu>`,
}

const Login = {
  components: { TinyTabs, TinyTabItem, TinyForm, TinyFormItem, TinyInput, TinyButton },
  setup() {
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
        TinyModal.message(toast({ message: TEXT.badLogin, status: 'error' }))
      } finally {
        loading.value = false
      }
    }
    return { tab, iam, account, loading, login }
  },
  template: `
    <div class="lab-login">
      <h2>Log In</h2>
      <tiny-tabs v-model="tab">
        <tiny-tab-item title="IAM User" name="iam">
          <tiny-form :model="iam" label-position="top">
            <tiny-form-item label="Account Name"><tiny-input v-model="iam.account"></tiny-input></tiny-form-item>
            <tiny-form-item label="IAM User Name"><tiny-input v-model="iam.user"></tiny-input></tiny-form-item>
            <tiny-form-item label="Password"><tiny-input v-model="iam.password" type="password" show-password></tiny-input></tiny-form-item>
          </tiny-form>
        </tiny-tab-item>
        <tiny-tab-item title="Account" name="account">
          <tiny-form :model="account" label-position="top">
            <tiny-form-item label="Account Name"><tiny-input v-model="account.account"></tiny-input></tiny-form-item>
            <tiny-form-item label="Password"><tiny-input v-model="account.password" type="password" show-password></tiny-input></tiny-form-item>
          </tiny-form>
        </tiny-tab-item>
      </tiny-tabs>
      <tiny-button type="primary" :loading="loading" @click="login">Log In</tiny-button>
    </div>`,
}

const Result = {
  components: { MtdMenu, TinyAlert, TinyLink },
  directives: { loading: vLoading },
  setup() {
    const loading = ref(true)
    const analysing = ref(false)
    onMounted(async () => {
      analysing.value = (await api.detection()).analysing
      loading.value = false
    })
    return { loading, analysing, S }
  },
  template: `
    <div class="lab-body">
      <MtdMenu />
      <main class="lab-main">
        <h2>Detection Result</h2>
        <tiny-alert type="info" size="large" title="Notice" :closable="false">
          <template #description>
            MTD can detect threats in CTS logs only after a tracker transfers them to LTS.
            <tiny-link type="primary" href="#/cts/trackers">Creating a Tracker</tiny-link>
          </template>
        </tiny-alert>
        <tiny-alert type="warning" description="Some data sources have not been analysed in the last 24 hours." :closable="false"></tiny-alert>
        <tiny-alert type="error" description="Log collection failed in 1 of 12 regions." :closable="false"></tiny-alert>
        <div v-loading="loading" class="lab-status">
          <p v-if="!loading">{{ analysing ? S.STATUS_ANALYSING : S.STATUS_IDLE }}</p>
        </div>
      </main>
    </div>`,
}

const Settings = {
  components: { MtdMenu, TinyForm, TinyFormItem, TinySwitch, TinyTooltip },
  directives: { loading: vLoading },
  setup() {
    const loading = ref(true)
    const values = reactive({})
    const busy = reactive({})
    async function load() {
      loading.value = true
      Object.assign(values, await api.sources())
      loading.value = false
    }
    onMounted(load)
    watch(() => store.region, load)
    async function beforeChange(key, done) {
      const on = !values[key]
      if (!on && !(await confirm(S.disableText(key)))) return
      busy[key] = true
      try {
        await api.setSource(key, on)
        done()
        success()
      } catch (_) {
        failure()
      } finally {
        busy[key] = false
      }
    }
    const hk = computed(() => store.region === S.HK)
    return { loading, values, busy, beforeChange, sources: S.SOURCES, hk, HK_TOOLTIP: S.HK_TOOLTIP }
  },
  template: `
    <div class="lab-body">
      <MtdMenu />
      <main class="lab-main">
        <h2>Detection Settings</h2>
        <tiny-form v-loading="loading" label-width="220px" class="lab-sources">
          <tiny-form-item v-for="s in sources" :key="s.key" :label="s.label">
            <tiny-tooltip v-if="s.key === 'CTS' && hk" :content="HK_TOOLTIP" placement="right">
              <tiny-switch v-model="values[s.key]" disabled></tiny-switch>
            </tiny-tooltip>
            <tiny-switch v-else v-model="values[s.key]" :loading="busy[s.key]" :before-change="(done) => beforeChange(s.key, done)"></tiny-switch>
          </tiny-form-item>
        </tiny-form>
      </main>
    </div>`,
}

const Trackers = {
  components: { TinyGrid, TinyGridColumn, TinyButton },
  setup() {
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
      TinyModal.message(toast({ message: TEXT.ok, status: 'success' }))
      load()
    }
    return { loading, rows, configure, remove }
  },
  template: `
    <main class="lab-main lab-wide">
      <h2>Tracker List</h2>
      <tiny-grid :data="rows" :loading="loading">
        <tiny-grid-column field="name" title="Tracker Name"></tiny-grid-column>
        <tiny-grid-column field="type" title="Type"></tiny-grid-column>
        <tiny-grid-column field="lts" title="Transfer to LTS">
          <template #default="{ row }">{{ row.lts ? 'Enabled' : 'Disabled' }}</template>
        </tiny-grid-column>
        <tiny-grid-column title="Operation">
          <template #default="{ row }">
            <tiny-button type="text" @click="configure(row)">Configure</tiny-button>
            <tiny-button type="text" @click="remove(row)">Delete</tiny-button>
          </template>
        </tiny-grid-column>
      </tiny-grid>
    </main>`,
}

const Configure = {
  components: { TinySteps, TinyForm, TinyFormItem, TinyInput, TinySwitch, TinySelect, TinyOption, TinyButton },
  directives: { loading: vLoading },
  setup() {
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
        // TinyModal (and so Modal.message) closes itself on every hashchange:
        // show the message once the hash route has moved on.
        window.addEventListener('hashchange', () => TinyModal.message(toast({ message: TEXT.ok, status: 'success' })), {
          once: true,
        })
        navigate('/cts/trackers')
      } catch (_) {
        failure()
      } finally {
        saving.value = false
      }
    }
    const steps = [{ name: 'Basic Information' }, { name: 'Configure Transfer' }, { name: 'Preview and Finish' }]
    return { step, loading, saving, form, submit, steps, groups: S.LOG_GROUPS }
  },
  template: `
    <main class="lab-main lab-wide" v-loading="loading">
      <h2>Configure Tracker</h2>
      <tiny-steps :data="steps" :active="step" class="lab-steps"></tiny-steps>
      <tiny-form :model="form" label-width="160px" class="lab-form">
        <template v-if="step === 0">
          <tiny-form-item label="Tracker Name"><tiny-input v-model="form.name" readonly></tiny-input></tiny-form-item>
          <tiny-form-item label="Tracker Type"><span>{{ form.type }}</span></tiny-form-item>
        </template>
        <template v-else-if="step === 1">
          <tiny-form-item label="Transfer to LTS"><tiny-switch v-model="form.lts"></tiny-switch></tiny-form-item>
          <tiny-form-item v-if="form.lts" label="Log Group">
            <tiny-select v-model="form.logGroup" style="width: 240px">
              <tiny-option v-for="g in groups" :key="g" :label="g" :value="g"></tiny-option>
            </tiny-select>
          </tiny-form-item>
        </template>
        <template v-else>
          <p>Transfer to LTS: {{ form.lts ? 'Enabled' : 'Disabled' }}</p>
          <p v-if="form.lts">Log Group: {{ form.logGroup }}</p>
        </template>
      </tiny-form>
      <div class="lab-actions">
        <tiny-button :disabled="step === 0" @click="step--">Previous</tiny-button>
        <tiny-button v-if="step < 2" type="primary" @click="step++">Next</tiny-button>
        <tiny-button v-else type="primary" :loading="saving" @click="submit">Configure</tiny-button>
      </div>
    </main>`,
}

const Gallery = {
  components: { TinyForm, TinyFormItem, TinySwitch, TinyInput, TinySelect, TinyOption, TinyTooltip, TinyButton, TinyAlert },
  directives: { loading: vLoading },
  setup() {
    // Fired one after another, as in the other labs. TinyNotify treats duration 0
    // as "use the default"; a negative duration never closes.
    onMounted(() =>
      [
        () => TinyModal.message({ message: 'Gallery success message', status: 'success', duration: 0 }),
        () => TinyModal.message({ message: 'Gallery error message', status: 'error', duration: 0 }),
        () => TinyNotify({ type: 'success', message: 'Gallery success notification', duration: -1 }),
        () => TinyNotify({ type: 'error', title: 'Error', message: 'Gallery error notification', duration: -1 }),
        () => TinyModal.message({ message: 'Gallery warning message', status: 'warning', duration: 0 }),
        () => TinyNotify({ type: 'info', title: 'Info', message: 'Gallery info notification', duration: -1 }),
      ].forEach((show, i) => setTimeout(show, i * 150)),
    )
    return { form: reactive({ on: true, off: false, ro: 'read-only value', sel: 'CTS' }), IconApplication }
  },
  template: `
    <main class="lab-main lab-wide lab-gallery">
      <h2>Gallery</h2>
      <tiny-form :model="form" label-width="160px">
        <tiny-form-item label="Switch on"><tiny-switch v-model="form.on"></tiny-switch></tiny-form-item>
        <tiny-form-item label="Switch off"><tiny-switch v-model="form.off"></tiny-switch></tiny-form-item>
        <tiny-form-item label="Switch disabled on"><tiny-switch :model-value="true" disabled></tiny-switch></tiny-form-item>
        <tiny-form-item label="Switch disabled off"><tiny-switch :model-value="false" disabled></tiny-switch></tiny-form-item>
        <tiny-form-item label="Switch loading"><tiny-switch :model-value="true" loading></tiny-switch></tiny-form-item>
        <tiny-form-item label="Read-only input"><tiny-input v-model="form.ro" readonly></tiny-input></tiny-form-item>
        <tiny-form-item label="Select">
          <tiny-select v-model="form.sel" style="width: 240px"><tiny-option label="CTS" value="CTS"></tiny-option><tiny-option label="lts-group-default" value="lts-group-default"></tiny-option></tiny-select>
        </tiny-form-item>
        <tiny-form-item label="Tooltip button">
          <tiny-tooltip content="Gallery tooltip"><tiny-button :icon="IconApplication" type="text"></tiny-button></tiny-tooltip>
        </tiny-form-item>
      </tiny-form>
      <tiny-alert type="success" description="Success alert"></tiny-alert>
      <tiny-alert type="info" size="large" title="Info alert" description="Info alert description"></tiny-alert>
      <tiny-alert type="warning" description="Warning alert"></tiny-alert>
      <tiny-alert type="error" description="Error alert"></tiny-alert>
      <div v-loading="true" class="lab-status">Loading area</div>
    </main>`,
}

const App = {
  components: { AppHeader, Login, Result, Settings, Trackers, Configure, Gallery },
  setup() {
    const view = computed(
      () =>
        ({
          login: 'Login',
          gallery: 'Gallery',
          'mtd-result': 'Result',
          'mtd-settings': 'Settings',
          trackers: 'Trackers',
          configure: 'Configure',
        })[route.name],
    )
    return { route, view }
  },
  template: `
    <AppHeader v-if="route.name !== 'login'" />
    <component v-if="view" :is="view" :key="route.path" />`,
}

createApp(App).mount('#app')
