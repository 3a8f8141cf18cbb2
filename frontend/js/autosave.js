/*
 * Autosave for the business-plan editor: progressive enhancement of a plain form.
 *
 * A textarea marked by the server with
 *   data-autosave-url     where to POST its text (JSON answer)
 *   data-revision-input   the id of the hidden input with the revision it was written on
 *   data-status           the id of its live region (role="status"), whose data-msg-*
 *                         attributes hold the translated messages
 * is saved 1.5 s after the last key and when it loses focus. The answer is one of
 *   {status: "saved", revision, message}       the revision input is brought up to date
 *   {status: "conflict", message, compare_url} another tab or device saved newer text: the
 *                                              server kept ours beside it; autosave stops
 *                                              so a stale revision is never sent again
 *   {status: "error", message}                 shown as "Not saved: …"
 * The form and its Save button keep working as without JavaScript: a submit waits for a
 * save in flight, so it is sent on the revision that save returned.
 *
 * CSP: no inline script, no HTML strings; text goes in with textContent.
 */

const DELAY = 1500

function csrfToken(form) {
  const input = form.querySelector('input[name="csrfmiddlewaretoken"]')
  return input ? input.value : ''
}

function countWords(text) {
  const trimmed = text.trim()
  return trimmed ? trimmed.split(/\s+/).length : 0
}

function say(region, text, link) {
  if (!region) return
  region.textContent = text
  if (link) {
    region.appendChild(document.createTextNode(' '))
    const anchor = document.createElement('a')
    anchor.href = link.href
    anchor.textContent = link.text
    region.appendChild(anchor)
  }
}

function notSaved(region, reason) {
  say(region, `${region.dataset.msgNotSaved} ${reason}`)
}

function enhance(textarea) {
  const form = textarea.form
  const revision = document.getElementById(textarea.dataset.revisionInput)
  const region = document.getElementById(textarea.dataset.status)
  if (!form || !revision || !region || !window.fetch) return null

  const state = {
    saved: textarea.value,
    inFlight: null,
    again: false,
    stopped: false,
    timer: null,
  }

  function save() {
    clearTimeout(state.timer)
    if (state.stopped || textarea.value === state.saved) return state.inFlight || Promise.resolve()
    if (state.inFlight) {
      state.again = true
      return state.inFlight
    }
    const text = textarea.value
    const body = new URLSearchParams()
    body.set('text', text)
    body.set('revision', revision.value)
    say(region, region.dataset.msgSaving)
    state.inFlight = fetch(textarea.dataset.autosaveUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRFToken': csrfToken(form), Accept: 'application/json' },
      body,
    })
      .then((response) =>
        response
          .json()
          .catch(() => ({ status: 'error', message: region.dataset.msgFailed })),
      )
      .then((answer) => {
        if (answer.status === 'saved') {
          revision.value = String(answer.revision)
          state.saved = text
          say(region, answer.message)
        } else if (answer.status === 'conflict') {
          state.stopped = true
          say(region, region.dataset.msgConflict, {
            href: answer.compare_url,
            text: region.dataset.msgCompare,
          })
          textarea.dispatchEvent(new CustomEvent('autosave:conflict', { detail: answer }))
        } else {
          notSaved(region, answer.message || region.dataset.msgFailed)
        }
      })
      .catch(() => notSaved(region, region.dataset.msgOffline))
      .finally(() => {
        state.inFlight = null
        if (state.again) {
          state.again = false
          save()
        }
      })
    return state.inFlight
  }

  textarea.addEventListener('input', () => {
    clearTimeout(state.timer)
    if (!state.stopped) state.timer = setTimeout(save, DELAY)
  })
  textarea.addEventListener('blur', save)
  return { state, save }
}

function wordCounters() {
  document.querySelectorAll('[data-word-count-of]').forEach((counter) => {
    const textarea = document.getElementById(counter.dataset.wordCountOf)
    if (!textarea) return
    const update = () => {
      counter.textContent = String(countWords(textarea.value))
    }
    textarea.addEventListener('input', update)
    update()
  })
}

function init() {
  wordCounters()
  document.querySelectorAll('form[data-autosave-form]').forEach((form) => {
    const editors = []
    form.querySelectorAll('textarea[data-autosave-url]').forEach((textarea) => {
      const editor = enhance(textarea)
      if (editor) editors.push(editor)
    })
    if (!editors.length) return
    // A submit while a save is in flight waits for it, then goes with the new revisions.
    let waiting = false
    form.addEventListener('submit', (event) => {
      const busy = editors.filter((editor) => editor.state.inFlight)
      if (!busy.length || waiting) return
      event.preventDefault()
      waiting = true
      Promise.all(busy.map((editor) => editor.state.inFlight)).then(() => form.submit())
    })
  })
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', init, { once: true })
} else {
  init()
}
