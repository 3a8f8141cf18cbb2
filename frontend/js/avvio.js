/*
 * Avvio — JavaScript entry point (bundled by esbuild into dist/avvio.js).
 *
 * Progressive enhancement only: every page is complete without it (see the
 * `scripting: none` rules in scss/_avvio.scss). It imports single Bootstrap
 * Italia plugin modules, not the full bundle: no video.js, no carousel, no
 * font loader (fonts are declared in the CSS), no TrackFocus (the CSS uses
 * :focus-visible instead).
 *
 * Importing a plugin module registers its "data API": delegated listeners on
 * `document` for the usual attributes, so these work for content added later
 * too:
 *   data-bs-toggle="navbarcollapsible"  main navigation panel below lg
 *   data-bs-toggle="dropdown"           dropdown menus (needs Popper)
 *   data-bs-toggle="collapse"           accordions, slim header mobile menu
 * The DOMContentLoaded step below then creates instances up front where that
 * sets ARIA state or keyboard handling before the first click.
 *
 * CSP (script-src 'self'; style-src 'self'): none of these modules use eval,
 * new Function or inject <script>/<style> elements. They do set inline styles
 * through the CSSOM (element.style.x = …: NavBarCollapsible's display,
 * Collapse's height during the animation, the scroll-bar helper's padding,
 * Popper's positioning), which CSP allows.
 */

import NavBarCollapsible from 'bootstrap-italia/dist/plugins/navbar-collapsible.js'
import Dropdown from 'bootstrap-italia/dist/plugins/dropdown.js'
import Collapse from 'bootstrap-italia/dist/plugins/collapse.js'
import Accordion from 'bootstrap-italia/dist/plugins/accordion.js'
import './autosave.js'

function targetOf(toggle) {
  const selector = toggle.getAttribute('data-bs-target') || toggle.getAttribute('href')
  if (!selector || selector.charAt(0) !== '#') {
    return null
  }
  return document.getElementById(selector.slice(1))
}

function init() {
  // Main navigation: sets tabindex on the panel and aria-expanded on the
  // burger button, and binds Escape and the close button.
  document.querySelectorAll('[data-bs-toggle="navbarcollapsible"]').forEach((toggle) => {
    const panel = targetOf(toggle)
    if (panel) {
      NavBarCollapsible.getOrCreateInstance(panel)
    }
  })

  // Dropdowns: arrow-key navigation and aria-expanded from the start.
  document.querySelectorAll('[data-bs-toggle="dropdown"]').forEach((toggle) => {
    Dropdown.getOrCreateInstance(toggle)
  })

  // Collapsible panels: created with toggle: false so that nothing opens or
  // closes on load; the state stays the one written in the HTML (.show).
  document.querySelectorAll('[data-bs-toggle="collapse"]').forEach((toggle) => {
    const panel = targetOf(toggle)
    if (panel) {
      Collapse.getOrCreateInstance(panel, { toggle: false })
    }
  })

  // Accordions: arrow keys, Home and End move between the headers.
  document.querySelectorAll('.accordion').forEach((accordion) => {
    Accordion.getOrCreateInstance(accordion)
  })
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', init, { once: true })
} else {
  init()
}
