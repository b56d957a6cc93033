// Bundles the three lab consoles with esbuild:
//   node labs/build.mjs [OUTDIR]     (OUTDIR defaults to <repo>/target/labs)
// Each lab lands in OUTDIR/<lib>/{index.html,app.js,app.css,...assets}.
import * as esbuild from 'esbuild'
import { mkdirSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const outRoot = resolve(process.argv[2] || join(here, '..', 'target', 'labs'))

const LABS = [
  { dir: 'opentiny', title: 'OpenTiny lab console', lib: '@opentiny/vue' },
  { dir: 'antd', title: 'Ant Design Vue lab console', lib: 'ant-design-vue' },
  { dir: 'element', title: 'Element Plus lab console', lib: 'element-plus' },
]

const html = (title) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="./app.css">
</head>
<body>
<div id="app"></div>
<script src="./app.js"></script>
</body>
</html>
`

const started = Date.now()
for (const lab of LABS) {
  const outdir = join(outRoot, lab.dir)
  rmSync(outdir, { recursive: true, force: true })
  mkdirSync(outdir, { recursive: true })
  await esbuild.build({
    absWorkingDir: here,
    entryPoints: { app: join(here, 'src', lab.dir, 'main.js') },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110'],
    outdir,
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    alias: { vue: 'vue/dist/vue.esm-bundler.js' },
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    // Fonts and images referenced from the libraries' CSS are copied beside
    // the bundle and referenced relatively; nothing is fetched from elsewhere.
    loader: {
      '.woff': 'file',
      '.woff2': 'file',
      '.ttf': 'file',
      '.eot': 'file',
      '.svg': 'file',
      '.png': 'file',
      '.jpg': 'file',
      '.gif': 'file',
    },
    assetNames: '[name]-[hash]',
  })
  writeFileSync(join(outdir, 'index.html'), html(lab.title))
}

writeFileSync(
  join(outRoot, 'index.html'),
  `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>docent lab consoles</title></head>
<body>
<h1>docent lab consoles</h1>
<ul>
${LABS.map((l) => `<li><a href="./${l.dir}/">${l.title}</a> (${l.lib})</li>`).join('\n')}
</ul>
</body>
</html>
`,
)

for (const lab of LABS) {
  const dir = join(outRoot, lab.dir)
  const sizes = readdirSync(dir)
    .map((f) => `${f} ${(statSync(join(dir, f)).size / 1024).toFixed(0)} KiB`)
    .join(', ')
  console.log(`${lab.dir}: ${sizes}`)
}
console.log(`built ${LABS.length} labs into ${outRoot} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
