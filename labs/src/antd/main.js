// Ant Design Vue 4 lab console.
import { createApp, ref, computed } from 'vue'
import Antd, { message, notification, Modal } from 'ant-design-vue'
import 'ant-design-vue/dist/reset.css'
import { AppstoreOutlined } from '@ant-design/icons-vue'
import '../shared/layout.css'
import { knobs } from '../shared/knobs.js'
import { route, navigate } from '../shared/router.js'
import * as S from '../shared/store.js'
import { useHeader, useLogin, useResult, useSettings, useTrackers, useConfigure, useGallery, labApp } from '../shared/views.js'

const { TEXT } = S
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
    const header = useHeader()
    const items = S.SERVICES.map((g) => ({
      type: 'group',
      label: g.group,
      children: g.items.map((s) => ({ key: s.href, label: s.label })),
    }))
    const regions = S.REGIONS.map((r) => ({ value: r, label: r }))
    return { ...header, regions, items, go: ({ key }) => header.go(key) }
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
  setup: () => useLogin(() => message.error(toast({ content: TEXT.badLogin }))),
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
  setup: useResult,
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
    const settings = useSettings({ confirm, onSaved: success, onFailed: failure })
    // A controlled switch: it shows the new state only once the API call succeeded.
    const toggle = (key, on) => settings.setSource(key, on, () => (settings.values[key] = on))
    return { ...settings, toggle }
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
    const columns = [
      { title: 'Tracker Name', dataIndex: 'name', key: 'name' },
      { title: 'Type', dataIndex: 'type', key: 'type' },
      { title: 'Transfer to LTS', dataIndex: 'lts', key: 'lts' },
      { title: 'Operation', key: 'operation' },
    ]
    return { ...useTrackers({ confirm, onDeleted: () => message.success(toast({ content: TEXT.ok })) }), columns }
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
    const saved = () => message.success(toast({ content: TEXT.ok }))
    const steps = [{ title: 'Basic Information' }, { title: 'Configure Transfer' }, { title: 'Preview and Finish' }]
    const groups = S.LOG_GROUPS.map((g) => ({ value: g, label: g }))
    return { ...useConfigure(saved, failure), steps, groups }
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
    const gallery = useGallery([
      () => message.success({ content: 'Gallery success message', duration: 0 }),
      () => message.error({ content: 'Gallery error message', duration: 0 }),
      () => notification.success({ message: 'Gallery success notification', duration: 0 }),
      () => notification.error({ message: 'Error', description: 'Gallery error notification', duration: 0 }),
      () => message.warning({ content: 'Gallery warning message', duration: 0 }),
      () => notification.info({ message: 'Info', description: 'Gallery info notification', duration: 0 }),
    ])
    const opts = S.LOG_GROUPS.map((g) => ({ value: g, label: g }))
    return { ...gallery, opts }
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

const App = labApp({ AppHeader, Login, Result, Settings, Trackers, Configure, Gallery })

createApp(App).use(Antd).mount('#app')
