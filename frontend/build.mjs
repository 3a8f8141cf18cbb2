// Avvio front-end build: Sass (dart-sass JS API) + esbuild, no network.
//
//   node frontend/build.mjs           build once (npm run build)
//   node frontend/build.mjs --watch   rebuild on changes (npm run watch)
//
// Writes site/static/portal_site/dist/: avvio.css, avvio.js, fonts/*.woff2
// (only the faces avvio.css declares) and sprites.svg.

import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'
import * as esbuild from 'esbuild'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..')
const bi = path.join(root, 'node_modules', 'bootstrap-italia')
const out = path.join(root, 'site', 'static', 'portal_site', 'dist')

const scssDir = path.join(here, 'scss')
const scssEntry = path.join(scssDir, 'main.scss')
const jsDir = path.join(here, 'js')
const jsEntry = path.join(jsDir, 'avvio.js')
const cssOut = path.join(out, 'avvio.css')
const jsOut = path.join(out, 'avvio.js')
const fontsOut = path.join(out, 'fonts')
const spritesOut = path.join(out, 'sprites.svg')

const watch = process.argv.includes('--watch')

const biVersion = JSON.parse(fs.readFileSync(path.join(bi, 'package.json'), 'utf8')).version
const banner =
  `/*! Avvio front-end | Bootstrap Italia ${biVersion} (BSD-3-Clause), ` +
  'Bootstrap (MIT), Popper (MIT); fonts: Titillium Web and Lora (OFL-1.1), Roboto Mono (Apache-2.0) */'

// Browsers the CSS is minified for (esbuild only uses syntax they all support).
const cssTargets = ['chrome109', 'edge109', 'firefox115', 'safari15.6', 'ios15.6']

function log(message) {
  process.stdout.write(`${message}\n`)
}

// --- CSS ---------------------------------------------------------------------

async function buildCss() {
  const warnings = []
  const result = sass.compile(scssEntry, {
    loadPaths: [scssDir, path.join(bi, 'src', 'scss')],
    style: 'expanded',
    charset: false, // esbuild escapes non-ASCII, so no @charset is needed
    sourceMap: false,
    // Bootstrap Italia's own deprecation warnings (global built-ins,
    // color functions, if(), …): not ours to fix.
    quietDeps: true,
    // Bootstrap Italia is composed of partials that share variables through
    // global @import, so our entry file must @import them too. Everything
    // else in our own files is reported (and should be fixed).
    silenceDeprecations: ['import'],
    logger: {
      warn(message, { deprecation, span }) {
        const where = span && span.url ? `${path.relative(root, fileURLToPath(span.url))}:${span.start.line + 1}` : ''
        warnings.push(`${deprecation ? 'DEPRECATION' : 'WARNING'} ${where} ${message}`)
      },
      debug() {},
    },
  })
  for (const warning of warnings) {
    log(`sass: ${warning}`)
  }

  // Sass's compressed style keeps every rule as written; esbuild's CSS
  // minifier also merges duplicate rules and shortens values.
  const min = await esbuild.transform(result.css, {
    loader: 'css',
    minify: true,
    target: cssTargets,
    banner,
    logLevel: 'warning',
  })
  fs.writeFileSync(cssOut, min.code)
  copyFonts(min.code)
  return { warnings: warnings.length }
}

// Copy exactly the woff2 files that avvio.css refers to.
function copyFonts(css) {
  const available = new Map()
  const fontsSrc = path.join(bi, 'dist', 'fonts')
  for (const dir of fs.readdirSync(fontsSrc, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue
    for (const file of fs.readdirSync(path.join(fontsSrc, dir.name))) {
      if (file.endsWith('.woff2')) available.set(file, path.join(fontsSrc, dir.name, file))
    }
  }
  const wanted = new Set([...css.matchAll(/url\(\s*["']?fonts\/([^"')]+)["']?\s*\)/g)].map((m) => m[1]))
  if (wanted.size === 0) {
    throw new Error('avvio.css declares no fonts/*.woff2: check frontend/scss/_fonts.scss')
  }
  fs.rmSync(fontsOut, { recursive: true, force: true })
  fs.mkdirSync(fontsOut, { recursive: true })
  for (const file of wanted) {
    const src = available.get(file)
    if (!src) {
      throw new Error(`font ${file} is declared in avvio.css but not shipped in bootstrap-italia/dist/fonts`)
    }
    fs.copyFileSync(src, path.join(fontsOut, file))
  }
}

// --- JS ----------------------------------------------------------------------

const jsOptions = {
  entryPoints: [jsEntry],
  outfile: jsOut,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2019',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  banner: { js: banner },
  logLevel: 'warning',
  metafile: true,
  absWorkingDir: root,
}

// Our Content-Security-Policy allows neither eval nor inline <script>/<style>.
function checkCsp() {
  const js = fs.readFileSync(jsOut, 'utf8')
  const forbidden = [
    [/\beval\s*\(/, 'eval('],
    [/new\s+Function\s*\(/, 'new Function('],
    [/createElement\(\s*["'`](style|script)["'`]\s*\)/, 'createElement("style"/"script")'],
    [/setAttribute\(\s*["'`]style["'`]/, 'setAttribute("style", …)'],
    [/\.innerHTML\s*=/, 'innerHTML ='],
    [/insertAdjacentHTML|document\.write/, 'HTML string injection'],
  ]
  for (const [pattern, label] of forbidden) {
    if (pattern.test(js)) {
      throw new Error(`dist/avvio.js contains ${label}, which breaks the CSP (script-src/style-src 'self')`)
    }
  }
}

// --- other assets --------------------------------------------------------------

function copySprites() {
  fs.copyFileSync(path.join(bi, 'dist', 'svg', 'sprites.svg'), spritesOut)
}

function sizes() {
  const row = (label, files) => {
    let raw = 0
    let gz = 0
    for (const file of files) {
      const data = fs.readFileSync(file)
      raw += data.length
      gz += zlib.gzipSync(data, { level: 9 }).length
    }
    const kib = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(10)
    const bytes = (n) => `(${n} B)`.padStart(10)
    return `  ${label.padEnd(24)}${kib(raw)} ${bytes(raw)} raw  ${kib(gz)} ${bytes(gz)} gzip -9`
  }
  const fonts = fs.readdirSync(fontsOut).sort().map((f) => path.join(fontsOut, f))
  log(`Output in ${path.relative(root, out)}/`)
  log(row('avvio.css', [cssOut]))
  log(row('avvio.js', [jsOut]))
  log(row(`fonts/ (${fonts.length} woff2)`, fonts))
  log(row('sprites.svg', [spritesOut]))
}

// --- main ----------------------------------------------------------------------

async function buildAll() {
  const started = Date.now()
  // Empty dist/ (keeping a .gitkeep, if any) so no stale file survives.
  fs.mkdirSync(out, { recursive: true })
  for (const entry of fs.readdirSync(out)) {
    if (entry !== '.gitkeep') fs.rmSync(path.join(out, entry), { recursive: true, force: true })
  }
  const css = await buildCss()
  await esbuild.build(jsOptions)
  checkCsp()
  copySprites()
  sizes()
  log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s${css.warnings ? `, ${css.warnings} Sass warning(s) above` : ''}.`)
}

async function watchAll() {
  await buildAll()
  const ctx = await esbuild.context({
    ...jsOptions,
    plugins: [
      {
        name: 'avvio-log',
        setup(build) {
          build.onEnd((result) => {
            if (result.errors.length === 0) {
              try {
                checkCsp()
                log(`js: rebuilt ${path.relative(root, jsOut)}`)
              } catch (error) {
                log(`js: ${error.message}`)
              }
            }
          })
        },
      },
    ],
  })
  await ctx.watch()

  let timer = null
  fs.watch(scssDir, { recursive: true }, () => {
    clearTimeout(timer)
    timer = setTimeout(async () => {
      try {
        await buildCss()
        log(`css: rebuilt ${path.relative(root, cssOut)}`)
      } catch (error) {
        log(`css: ${error.message}`)
      }
    }, 100)
  })
  log('Watching frontend/scss and frontend/js (Ctrl-C to stop).')
}

try {
  await (watch ? watchAll() : buildAll())
} catch (error) {
  process.stderr.write(`build failed: ${error.message}\n`)
  process.exit(1)
}
