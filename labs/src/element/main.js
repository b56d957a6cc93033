// Element Plus lab console.
import { createApp, computed } from 'vue'
import ElementPlus, { ElMessage, ElMessageBox, ElNotification } from 'element-plus'
import 'element-plus/dist/index.css'
import { Grid } from '@element-plus/icons-vue'
import '../shared/layout.css'
import { knobs } from '../shared/knobs.js'
import { route, navigate } from '../shared/router.js'
import * as S from '../shared/store.js'
import { useHeader, useLogin, useResult, useSettings, useTrackers, useConfigure, useGallery, labApp } from '../shared/views.js'

const { TEXT } = S
// ?toast=MS overrides the library's own durations (3000 ms messages, 4500 ms notifications).
const toast = (opts) => (knobs.toast === null ? opts : { ...opts, duration: knobs.toast })
const success = () => ElNotification(toast({ type: 'success', message: TEXT.ok }))
const failure = () => ElNotification(toast({ type: 'error', title: TEXT.error, message: TEXT.failed }))
// ElMessageBox.confirm rejects on Cancel.
const confirm = (message) =>
  ElMessageBox.confirm(message, 'Confirm', {
    confirmButtonText: 'OK',
    cancelButtonText: 'Cancel',
    type: 'warning',
  }).then(
    () => true,
    () => false,
  )

const AppHeader = {
  setup: () => ({ ...useHeader(), regions: S.REGIONS, services: S.SERVICES, Grid }),
  template: `
    <header class="lab-header">
      <el-tooltip content="Service List" placement="bottom">
        <el-button :icon="Grid" text @click="open = true" />
      </el-tooltip>
      <span class="lab-brand">Console</span>
      <span class="lab-spacer"></span>
      <span class="lab-region-label">Region</span>
      <el-select v-model="store.region" style="width: 200px">
        <el-option v-for="r in regions" :key="r" :label="r" :value="r" />
      </el-select>
    </header>
    <el-drawer v-model="open" direction="ltr" size="320px" :with-header="false">
      <el-menu @select="go">
        <el-menu-item-group v-for="g in services" :key="g.group" :title="g.group">
          <el-menu-item v-for="s in g.items" :key="s.href" :index="s.href">{{ s.label }}</el-menu-item>
        </el-menu-item-group>
      </el-menu>
    </el-drawer>`,
}

const MtdMenu = {
  setup() {
    const active = computed(() => (route.name === 'mtd-settings' ? '/mtd/settings' : '/mtd/result'))
    return { active, navigate }
  },
  template: `
    <el-menu class="lab-side" :default-active="active" @select="navigate">
      <el-menu-item index="/mtd/result">Detection Result</el-menu-item>
      <el-sub-menu index="settings">
        <template #title>Settings</template>
        <el-menu-item index="/mtd/settings">Detection Settings</el-menu-item>
      </el-sub-menu>
    </el-menu>`,
}

const Login = {
  setup: () => useLogin(() => ElMessage(toast({ type: 'error', message: TEXT.badLogin }))),
  template: `
    <div class="lab-login">
      <h2>Log In</h2>
      <el-tabs v-model="tab">
        <el-tab-pane label="IAM User" name="iam">
          <el-form :model="iam" label-position="top">
            <el-form-item label="Account Name"><el-input v-model="iam.account" /></el-form-item>
            <el-form-item label="IAM User Name"><el-input v-model="iam.user" /></el-form-item>
            <el-form-item label="Password"><el-input v-model="iam.password" type="password" show-password /></el-form-item>
          </el-form>
        </el-tab-pane>
        <el-tab-pane label="Account" name="account">
          <el-form :model="account" label-position="top">
            <el-form-item label="Account Name"><el-input v-model="account.account" /></el-form-item>
            <el-form-item label="Password"><el-input v-model="account.password" type="password" show-password /></el-form-item>
          </el-form>
        </el-tab-pane>
      </el-tabs>
      <el-button type="primary" :loading="loading" @click="login">Log In</el-button>
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
        <el-alert type="info" title="Notice" show-icon :closable="false">
          MTD can detect threats in CTS logs only after a tracker transfers them to LTS.
          <el-link type="primary" href="#/cts/trackers">Creating a Tracker</el-link>
        </el-alert>
        <el-alert type="warning" title="Some data sources have not been analysed in the last 24 hours." show-icon :closable="false" />
        <el-alert type="error" title="Log collection failed in 1 of 12 regions." show-icon :closable="false" />
        <div v-loading="loading" class="lab-status">
          <p v-if="!loading">{{ analysing ? S.STATUS_ANALYSING : S.STATUS_IDLE }}</p>
        </div>
      </main>
    </div>`,
}

const Settings = {
  components: { MtdMenu },
  setup() {
    const settings = useSettings({ confirm, onSaved: success, onFailed: failure })
    // before-change flips the switch itself once this resolves true.
    const beforeChange = (key) => settings.setSource(key, !settings.values[key], () => {})
    return { ...settings, beforeChange }
  },
  template: `
    <div class="lab-body">
      <MtdMenu />
      <main class="lab-main">
        <h2>Detection Settings</h2>
        <el-form v-loading="loading" label-width="auto" class="lab-sources">
          <el-form-item v-for="s in sources" :key="s.key" :label="s.label">
            <el-tooltip v-if="s.key === 'CTS' && hk" :content="HK_TOOLTIP" placement="right">
              <el-switch v-model="values[s.key]" disabled />
            </el-tooltip>
            <el-switch v-else v-model="values[s.key]" :loading="busy[s.key]" :before-change="() => beforeChange(s.key)" />
          </el-form-item>
        </el-form>
      </main>
    </div>`,
}

const Trackers = {
  setup: () => useTrackers({ confirm, onDeleted: () => ElMessage(toast({ type: 'success', message: TEXT.ok })) }),
  template: `
    <main class="lab-main lab-wide">
      <h2>Tracker List</h2>
      <el-table v-loading="loading" :data="rows" row-key="name">
        <el-table-column prop="name" label="Tracker Name" />
        <el-table-column prop="type" label="Type" />
        <el-table-column label="Transfer to LTS">
          <template #default="{ row }">{{ row.lts ? 'Enabled' : 'Disabled' }}</template>
        </el-table-column>
        <el-table-column label="Operation">
          <template #default="{ row }">
            <el-button link type="primary" @click="configure(row)">Configure</el-button>
            <el-button link type="primary" @click="remove(row)">Delete</el-button>
          </template>
        </el-table-column>
      </el-table>
    </main>`,
}

const Configure = {
  setup() {
    const saved = () => ElMessage(toast({ type: 'success', message: TEXT.ok }))
    return { ...useConfigure(saved, failure), groups: S.LOG_GROUPS }
  },
  template: `
    <main class="lab-main lab-wide" v-loading="loading">
      <h2>Configure Tracker</h2>
      <el-steps :active="step" finish-status="success" class="lab-steps">
        <el-step title="Basic Information" />
        <el-step title="Configure Transfer" />
        <el-step title="Preview and Finish" />
      </el-steps>
      <el-form label-width="auto" class="lab-form">
        <template v-if="step === 0">
          <el-form-item label="Tracker Name"><el-input v-model="form.name" readonly /></el-form-item>
          <el-form-item label="Tracker Type"><span>{{ form.type }}</span></el-form-item>
        </template>
        <template v-else-if="step === 1">
          <el-form-item label="Transfer to LTS"><el-switch v-model="form.lts" /></el-form-item>
          <el-form-item v-if="form.lts" label="Log Group">
            <el-select v-model="form.logGroup" style="width: 240px">
              <el-option v-for="g in groups" :key="g" :label="g" :value="g" />
            </el-select>
          </el-form-item>
        </template>
        <template v-else>
          <p>Transfer to LTS: {{ form.lts ? 'Enabled' : 'Disabled' }}</p>
          <p v-if="form.lts">Log Group: {{ form.logGroup }}</p>
        </template>
      </el-form>
      <div class="lab-actions">
        <el-button :disabled="step === 0" @click="step--">Previous</el-button>
        <el-button v-if="step < 2" type="primary" @click="step++">Next</el-button>
        <el-button v-else type="primary" :loading="saving" @click="submit">Configure</el-button>
      </div>
    </main>`,
}

const Gallery = {
  setup() {
    const gallery = useGallery([
      () => ElMessage({ type: 'success', message: 'Gallery success message', duration: 0 }),
      () => ElMessage({ type: 'error', message: 'Gallery error message', duration: 0 }),
      () => ElNotification({ type: 'success', message: 'Gallery success notification', duration: 0 }),
      () => ElNotification({ type: 'error', title: 'Error', message: 'Gallery error notification', duration: 0 }),
      () => ElMessage({ type: 'warning', message: 'Gallery warning message', duration: 0 }),
      () => ElNotification({ type: 'info', title: 'Info', message: 'Gallery info notification', duration: 0 }),
    ])
    return { ...gallery, Grid }
  },
  template: `
    <main class="lab-main lab-wide lab-gallery">
      <h2>Gallery</h2>
      <el-form label-width="auto">
        <el-form-item label="Switch on"><el-switch v-model="form.on" /></el-form-item>
        <el-form-item label="Switch off"><el-switch v-model="form.off" /></el-form-item>
        <el-form-item label="Switch disabled on"><el-switch :model-value="true" disabled /></el-form-item>
        <el-form-item label="Switch disabled off"><el-switch :model-value="false" disabled /></el-form-item>
        <el-form-item label="Switch loading"><el-switch :model-value="true" loading /></el-form-item>
        <el-form-item label="Read-only input"><el-input v-model="form.ro" readonly /></el-form-item>
        <el-form-item label="Select">
          <el-select v-model="form.sel" style="width: 240px"><el-option label="CTS" value="CTS" /><el-option label="lts-group-default" value="lts-group-default" /></el-select>
        </el-form-item>
        <el-form-item label="Tooltip button">
          <el-tooltip content="Gallery tooltip"><el-button :icon="Grid" text /></el-tooltip>
        </el-form-item>
      </el-form>
      <el-alert type="success" title="Success alert" show-icon />
      <el-alert type="info" title="Info alert" description="Info alert description" show-icon />
      <el-alert type="warning" title="Warning alert" show-icon />
      <el-alert type="error" title="Error alert" show-icon />
      <div v-loading="true" class="lab-status">Loading area</div>
    </main>`,
}

const App = labApp({ AppHeader, Login, Result, Settings, Trackers, Configure, Gallery })

createApp(App).use(ElementPlus).mount('#app')
