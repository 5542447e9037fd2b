// Vindbaar: progressive enhancement only. Everything works without this file; with it, filters and the
// sort order apply as soon as they are chosen, and the search box suggests titles as one types.
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  // Filters and sort: submit on change (the "apply" buttons are hidden when this runs). The page that
  // comes back puts the keyboard on the same box or list again, not at the top of the page: someone
  // ticking filters or trying sort orders with the keyboard goes on from where they were.
  var FOCUS = 'vindbaar-focus';
  // A list (the sort order) changed with the arrow keys is not applied at every key, which would load a
  // new page for each option passed on the way (WCAG 3.2.2): it applies on Enter or when the keyboard
  // leaves it. Picked with a mouse or finger, it applies at once, as a box ticked does.
  document.querySelectorAll('form[data-autosubmit]').forEach(function (form) {
    var keyed = null, lastKey = '', pending = null;
    var apply = function (control) {
      pending = null;
      try {
        window.sessionStorage.setItem(FOCUS, JSON.stringify({ name: control.name, value: control.type === 'checkbox' ? control.value : null }));
      } catch { /* no storage: the filter still applies */ }
      form.submit();
    };
    form.addEventListener('keydown', function (e) {
      lastKey = e.key;
      keyed = e.target.tagName === 'SELECT' ? e.target : null;
      if (e.key === 'Enter' && pending && e.target === pending) {
        e.preventDefault();
        apply(pending);
      }
    });
    form.addEventListener('pointerdown', function () { keyed = null; lastKey = ''; });
    form.addEventListener('change', function (e) {
      var control = e.target;
      if (control.tagName === 'SELECT' && keyed === control && lastKey !== 'Enter') {
        pending = control;
        return;
      }
      apply(control);
    });
    form.addEventListener('focusout', function (e) {
      if (pending && e.target === pending) apply(pending);
    });
  });
  // On a narrow screen the filters fold under their summary, so that the results are in the first view;
  // on a wide one they are always open (its summary is hidden).
  var panel = document.querySelector('details.filter-panel');
  if (panel && window.matchMedia) {
    var narrow = window.matchMedia('(max-width: 50rem)');
    var fit = function () { panel.open = !narrow.matches; };
    fit();
    if (narrow.addEventListener) narrow.addEventListener('change', fit);
  }
  try {
    var last = JSON.parse(window.sessionStorage.getItem(FOCUS) || 'null');
    window.sessionStorage.removeItem(FOCUS);
    if (last) {
      var again = Array.prototype.find.call(document.querySelectorAll('form[data-autosubmit] [name]:not([type=hidden])'), function (c) {
        return c.name === last.name && (last.value === null || c.value === last.value);
      });
      if (again) {
        for (var fold = again.closest('details'); fold; fold = fold.parentElement && fold.parentElement.closest('details')) fold.open = true;
        again.focus();
      }
    }
  } catch { /* no storage: focus starts at the top, as without this script */ }
  // Autocomplete: titles from /api/v1/suggest in the box's <datalist>, native keyboard support.
  document.querySelectorAll('input[data-suggest]').forEach(function (input) {
    var list = document.getElementById(input.getAttribute('list'));
    if (!list) return;
    var timer, asked = '';
    input.addEventListener('input', function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2 || q === asked) return;
      timer = setTimeout(function () {
        asked = q;
        fetch(input.getAttribute('data-suggest') + (input.getAttribute('data-suggest').indexOf('?') < 0 ? '?' : '&') + 'limit=8&q=' + encodeURIComponent(q), { headers: { accept: 'application/json' } })
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (body) {
            if (input.value.trim() !== q) return;
            list.replaceChildren.apply(list, body.suggestions.map(function (s) {
              var o = document.createElement('option');
              o.value = s.title;
              return o;
            }));
          })
          .catch(function () { /* suggestions are a convenience: the search itself still works */ });
      }, 150);
    });
  });
})();
