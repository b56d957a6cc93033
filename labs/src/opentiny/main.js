// OpenTiny (@opentiny/vue) lab console.
import { createApp } from 'vue'
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
import { route, navigate } from '../shared/router.js'
import * as S from '../shared/store.js'
import { useHeader, useLogin, useResult, useSettings, useTrackers, useConfigure, useGallery, labApp } from '../shared/views.js'

// OpenTiny defaults to Chinese; switch its built-in texts (OK, Cancel, ...) to English.
useLocale(enUS)

const { TEXT } = S
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
  setup: () => ({ ...useHeader(), regions: S.REGIONS, services: S.SERVICES, IconApplication }),
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
  setup: () => useLogin(() => TinyModal.message(toast({ message: TEXT.badLogin, status: 'error' }))),
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
  setup: useResult,
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
    const settings = useSettings({ confirm, onSaved: success, onFailed: failure })
    // before-change hands over `done`, which flips the switch.
    const beforeChange = (key, done) => settings.setSource(key, !settings.values[key], done)
    return { ...settings, beforeChange }
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
  setup: () =>
    useTrackers({ confirm, onDeleted: () => TinyModal.message(toast({ message: TEXT.ok, status: 'success' })) }),
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
    // TinyModal (and so Modal.message) closes itself on every hashchange:
    // show the message once the hash route has moved on.
    const saved = () =>
      window.addEventListener('hashchange', () => TinyModal.message(toast({ message: TEXT.ok, status: 'success' })), {
        once: true,
      })
    const steps = [{ name: 'Basic Information' }, { name: 'Configure Transfer' }, { name: 'Preview and Finish' }]
    return { ...useConfigure(saved, failure), steps, groups: S.LOG_GROUPS }
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
    // TinyNotify treats duration 0 as "use the default"; a negative duration never closes.
    const gallery = useGallery([
      () => TinyModal.message({ message: 'Gallery success message', status: 'success', duration: 0 }),
      () => TinyModal.message({ message: 'Gallery error message', status: 'error', duration: 0 }),
      () => TinyNotify({ type: 'success', message: 'Gallery success notification', duration: -1 }),
      () => TinyNotify({ type: 'error', title: 'Error', message: 'Gallery error notification', duration: -1 }),
      () => TinyModal.message({ message: 'Gallery warning message', status: 'warning', duration: 0 }),
      () => TinyNotify({ type: 'info', title: 'Info', message: 'Gallery info notification', duration: -1 }),
    ])
    return { ...gallery, IconApplication }
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

const App = labApp({ AppHeader, Login, Result, Settings, Trackers, Configure, Gallery })

createApp(App).mount('#app')
