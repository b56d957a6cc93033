// Ant Design Vue 4 lab console.
import { createApp, reactive, ref, computed, watch, onMounted } from 'vue'
import Antd, { message, notification, Modal } from 'ant-design-vue'
import 'ant-design-vue/dist/reset.css'
import { AppstoreOutlined } from '@ant-design/icons-vue'
import '../shared/layout.css'
import { knobs } from '../shared/knobs.js'
import { api } from '../shared/api.js'
import { route, navigate } from '../shared/router.js'
import * as S from '../shared/store.js'

const { store, TEXT } = S
// antd durations are in seconds (3 s messages, 4.5 s notifications by default).
const toast = (opts) => (knobs.toast === null ? opts : { ...opts, duration: knobs.toast / 1000 })
const success = () => notification.success(toast({ message: TEXT.ok }))
const failure = () => notification.error(toast({ message: TEXT.error, description: TEXT.failed }))
const confirm = (content) =>
  new Promise((resolve) =>
    Modal.confirm({
      title: 'Confirm',
      content,
      okText: 'OK',
      cancelText: 'Cancel',
      onOk: () => resolve(true),
      onCancel: () => resolve(false),
    }),
  )

const AppHeader = {
  components: { AppstoreOutlined },
  setup() {
    const open = ref(false)
    const items = S.SERVICES.map((g) => ({
      type: 'group',
      label: g.group,
      children: g.items.map((s) => ({ key: s.href, label: s.label })),
    }))
    const go = ({ key }) => {
      open.value = false
      window.location.hash = key
    }
    const regions = S.REGIONS.map((r) => ({ value: r, label: r }))
    return { store, regions, items, open, go }
  },
  template: `
    <header class="lab-header">
      <a-tooltip title="Service List" placement="bottom">
        <a-button type="text" @click="open = true">
          <template #icon><AppstoreOutlined /></template>
        </a-button>
      </a-tooltip>
      <span class="lab-brand">Console</span>
      <span class="lab-spacer"></span>
      <span class="lab-region-label">Region</span>
      <a-select v-model:value="store.region" :options="regions" style="width: 200px" />
    </header>
    <a-drawer v-model:open="open" placement="left" :width="320">
      <a-menu mode="inline" :selectable="false" :items="items" @click="go" />
    </a-drawer>`,
}

const MtdMenu = {
  setup() {
    const selectedKeys = computed(() => [route.name === 'mtd-settings' ? '/mtd/settings' : '/mtd/result'])
    const openKeys = ref(route.name === 'mtd-settings' ? ['settings'] : [])
    const items = [
      { key: '/mtd/result', label: 'Detection Result' },
      { key: 'settings', label: 'Settings', children: [{ key: '/mtd/settings', label: 'Detection Settings' }] },
    ]
    return { selectedKeys, openKeys, items, go: ({ key }) => navigate(key) }
  },
  template: `<a-menu class="lab-side" mode="inline" :selected-keys="selectedKeys" v-model:openKeys="openKeys" :items="items" @click="go" />`,
}

const Login = {
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
        message.error(toast({ content: TEXT.badLogin }))
      } finally {
        loading.value = false
      }
    }
    return { tab, iam, account, loading, login }
  },
  template: `
    <div class="lab-login">
      <h2>Log In</h2>
      <a-tabs v-model:activeKey="tab">
        <a-tab-pane key="iam" tab="IAM User">
          <a-form name="iam" :model="iam" layout="vertical">
            <a-form-item label="Account Name" name="account"><a-input v-model:value="iam.account" /></a-form-item>
            <a-form-item label="IAM User Name" name="user"><a-input v-model:value="iam.user" /></a-form-item>
            <a-form-item label="Password" name="password"><a-input-password v-model:value="iam.password" /></a-form-item>
          </a-form>
        </a-tab-pane>
        <a-tab-pane key="account" tab="Account">
          <a-form name="account" :model="account" layout="vertical">
            <a-form-item label="Account Name" name="account"><a-input v-model:value="account.account" /></a-form-item>
            <a-form-item label="Password" name="password"><a-input-password v-model:value="account.password" /></a-form-item>
          </a-form>
        </a-tab-pane>
      </a-tabs>
      <a-button type="primary" :loading="loading" @click="login">Log In</a-button>
    </div>`,
}

const Result = {
  components: { MtdMenu },
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
        <a-alert type="info" message="Notice" show-icon>
          <template #description>
            MTD can detect threats in CTS logs only after a tracker transfers them to LTS.
            <a href="#/cts/trackers">Creating a Tracker</a>
          </template>
        </a-alert>
        <a-alert type="warning" message="Some data sources have not been analysed in the last 24 hours." show-icon />
        <a-alert type="error" message="Log collection failed in 1 of 12 regions." show-icon />
        <a-spin :spinning="loading">
          <div class="lab-status"><p v-if="!loading">{{ analysing ? S.STATUS_ANALYSING : S.STATUS_IDLE }}</p></div>
        </a-spin>
      </main>
    </div>`,
}

const Settings = {
  components: { MtdMenu },
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
    async function toggle(key, on) {
      if (!on && !(await confirm(S.disableText(key)))) return
      busy[key] = true
      try {
        await api.setSource(key, on)
        values[key] = on
        success()
      } catch (_) {
        failure()
      } finally {
        busy[key] = false
      }
    }
    const hk = computed(() => store.region === S.HK)
    return { loading, values, busy, toggle, sources: S.SOURCES, hk, HK_TOOLTIP: S.HK_TOOLTIP }
  },
  template: `
    <div class="lab-body">
      <MtdMenu />
      <main class="lab-main">
        <h2>Detection Settings</h2>
        <a-spin :spinning="loading">
          <a-form class="lab-sources" :label-col="{ span: 10 }">
            <a-form-item v-for="s in sources" :key="s.key" :label="s.label">
              <a-tooltip v-if="s.key === 'CTS' && hk" :title="HK_TOOLTIP" placement="right">
                <a-switch :checked="values[s.key]" disabled />
              </a-tooltip>
              <a-switch v-else :checked="values[s.key]" :loading="busy[s.key]" @change="(on) => toggle(s.key, on)" />
            </a-form-item>
          </a-form>
        </a-spin>
      </main>
    </div>`,
}

const Trackers = {
  setup() {
    const loading = ref(true)
    const rows = ref([])
    const columns = [
      { title: 'Tracker Name', dataIndex: 'name', key: 'name' },
      { title: 'Type', dataIndex: 'type', key: 'type' },
      { title: 'Transfer to LTS', dataIndex: 'lts', key: 'lts' },
      { title: 'Operation', key: 'operation' },
    ]
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
      message.success(toast({ content: TEXT.ok }))
      load()
    }
    return { loading, rows, columns, configure, remove }
  },
  template: `
    <main class="lab-main lab-wide">
      <h2>Tracker List</h2>
      <a-table :columns="columns" :data-source="rows" :loading="loading" :pagination="false" row-key="name">
        <template #bodyCell="{ column, record }">
          <template v-if="column.key === 'lts'">{{ record.lts ? 'Enabled' : 'Disabled' }}</template>
          <template v-else-if="column.key === 'operation'">
            <a-button type="link" size="small" @click="configure(record)">Configure</a-button>
            <a-button type="link" size="small" @click="remove(record)">Delete</a-button>
          </template>
        </template>
      </a-table>
    </main>`,
}

const Configure = {
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
        message.success(toast({ content: TEXT.ok }))
        navigate('/cts/trackers')
      } catch (_) {
        failure()
      } finally {
        saving.value = false
      }
    }
    const steps = [{ title: 'Basic Information' }, { title: 'Configure Transfer' }, { title: 'Preview and Finish' }]
    const groups = S.LOG_GROUPS.map((g) => ({ value: g, label: g }))
    return { step, loading, saving, form, submit, steps, groups }
  },
  template: `
    <main class="lab-main lab-wide">
      <h2>Configure Tracker</h2>
      <a-spin :spinning="loading">
        <a-steps :current="step" :items="steps" class="lab-steps" />
        <a-form name="tracker" :model="form" :label-col="{ span: 6 }" class="lab-form">
          <template v-if="step === 0">
            <a-form-item label="Tracker Name" name="name"><a-input v-model:value="form.name" readonly /></a-form-item>
            <a-form-item label="Tracker Type"><span>{{ form.type }}</span></a-form-item>
          </template>
          <template v-else-if="step === 1">
            <a-form-item label="Transfer to LTS" name="lts"><a-switch v-model:checked="form.lts" /></a-form-item>
            <a-form-item v-if="form.lts" label="Log Group" name="logGroup">
              <a-select v-model:value="form.logGroup" :options="groups" style="width: 240px" />
            </a-form-item>
          </template>
          <template v-else>
            <p>Transfer to LTS: {{ form.lts ? 'Enabled' : 'Disabled' }}</p>
            <p v-if="form.lts">Log Group: {{ form.logGroup }}</p>
          </template>
        </a-form>
        <a-space>
          <a-button :disabled="step === 0" @click="step--">Previous</a-button>
          <a-button v-if="step < 2" type="primary" @click="step++">Next</a-button>
          <a-button v-else type="primary" :loading="saving" @click="submit">Configure</a-button>
        </a-space>
      </a-spin>
    </main>`,
}

const Gallery = {
  components: { AppstoreOutlined },
  setup() {
    // Fired one after another (not in one tick): antd's static notification API
    // makes a separate container per call until its first holder has mounted.
    onMounted(() =>
      [
        () => message.success({ content: 'Gallery success message', duration: 0 }),
        () => message.error({ content: 'Gallery error message', duration: 0 }),
        () => notification.success({ message: 'Gallery success notification', duration: 0 }),
        () => notification.error({ message: 'Error', description: 'Gallery error notification', duration: 0 }),
        () => message.warning({ content: 'Gallery warning message', duration: 0 }),
        () => notification.info({ message: 'Info', description: 'Gallery info notification', duration: 0 }),
      ].forEach((show, i) => setTimeout(show, i * 150)),
    )
    const opts = S.LOG_GROUPS.map((g) => ({ value: g, label: g }))
    return { form: reactive({ on: true, off: false, ro: 'read-only value', sel: 'CTS' }), opts }
  },
  template: `
    <main class="lab-main lab-wide lab-gallery">
      <h2>Gallery</h2>
      <a-form name="gallery" :model="form" :label-col="{ span: 6 }">
        <a-form-item label="Switch on" name="on"><a-switch v-model:checked="form.on" /></a-form-item>
        <a-form-item label="Switch off" name="off"><a-switch v-model:checked="form.off" /></a-form-item>
        <a-form-item label="Switch disabled on"><a-switch :checked="true" disabled /></a-form-item>
        <a-form-item label="Switch disabled off"><a-switch :checked="false" disabled /></a-form-item>
        <a-form-item label="Switch loading"><a-switch :checked="true" loading /></a-form-item>
        <a-form-item label="Read-only input" name="ro"><a-input v-model:value="form.ro" readonly /></a-form-item>
        <a-form-item label="Select" name="sel"><a-select v-model:value="form.sel" :options="opts" style="width: 240px" /></a-form-item>
        <a-form-item label="Tooltip button">
          <a-tooltip title="Gallery tooltip"><a-button type="text"><template #icon><AppstoreOutlined /></template></a-button></a-tooltip>
        </a-form-item>
      </a-form>
      <a-alert type="success" message="Success alert" show-icon />
      <a-alert type="info" message="Info alert" description="Info alert description" show-icon />
      <a-alert type="warning" message="Warning alert" show-icon />
      <a-alert type="error" message="Error alert" show-icon />
      <a-spin :spinning="true"><div class="lab-status">Loading area</div></a-spin>
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

createApp(App).use(Antd).mount('#app')
