// A fake asynchronous API with latency and fault knobs.
import { knobs } from './knobs.js'
import { store, sourceOn, ltsEnabled } from './store.js'

const clone = (v) => JSON.parse(JSON.stringify(v))

function call(kind, fn) {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      if (kind && knobs.fail === kind) {
        reject(new Error('Operation failed.'))
        return
      }
      try {
        resolve(fn())
      } catch (e) {
        reject(e)
      }
    }, knobs.latency)
  })
}

export const api = {
  login(user, password) {
    return call('login', () => {
      if (user !== 'demo' || password !== 'docent-demo') throw new Error('Incorrect user name or password.')
      store.user = user
      return { user }
    })
  },
  logout() {
    store.user = null
  },
  detection() {
    return call(null, () => ({ analysing: ltsEnabled.value && store.ctsRestartedAfterLts && sourceOn('CTS') }))
  },
  sources() {
    return call(null, () => ({ ...store.sources, CTS: sourceOn('CTS') }))
  },
  setSource(key, on) {
    return call('switch', () => {
      store.sources[key] = !!on
      if (key === 'CTS' && ltsEnabled.value) {
        if (!on) store.ctsOffAfterLts = true
        else if (store.ctsOffAfterLts) store.ctsRestartedAfterLts = true
      }
      return { key, on: !!on }
    })
  },
  trackers() {
    return call(null, () => clone(store.trackers))
  },
  tracker(name) {
    return call(null, () => {
      const t = store.trackers.find((x) => x.name === name)
      if (!t) throw new Error(`No tracker ${name}`)
      return clone(t)
    })
  },
  configureTracker(name, { lts, logGroup }) {
    return call('configure', () => {
      const t = store.trackers.find((x) => x.name === name)
      if (!t) throw new Error(`No tracker ${name}`)
      const turnedOn = lts && !t.lts
      t.lts = !!lts
      t.logGroup = lts ? logGroup : ''
      if (turnedOn) {
        // A fresh transfer: CTS detection must be cycled again to pick it up.
        store.ctsOffAfterLts = false
        store.ctsRestartedAfterLts = false
      }
      return clone(t)
    })
  },
  deleteTracker(name) {
    return call(null, () => {
      store.trackers = store.trackers.filter((x) => x.name !== name)
    })
  },
}
