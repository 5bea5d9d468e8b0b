/* Dash 4's option lists and dropdowns, made readable by screen readers and keyboards:
   - RadioItems and Checklist render role="listbox" with role="option" labels around real
     inputs (interactive inside interactive, and the list has no name): the inputs already say
     everything, so the list becomes a named radiogroup/group and the labels plain labels.
   - A dropdown is reached through a hidden, focusable input that passes focus on to the button:
     the button takes the focus itself, and its name starts with the field's visible label. */
(function () {
  var seq = 0;
  function labelOf(el) {
    var field = el.closest('.field');
    var label = field && field.querySelector(':scope > label');
    if (!label) { return null; }
    if (!label.id) { label.id = 'field-label-' + (++seq); }
    return label;
  }
  function fixLists(root) {
    root.querySelectorAll('.dash-options-list[role="listbox"]').forEach(function (list) {
      list.setAttribute('role', list.classList.contains('dash-radioitems') ? 'radiogroup' : 'group');
      var label = labelOf(list);
      var named = list.parentElement && list.parentElement.getAttribute('aria-label');
      if (label) { list.setAttribute('aria-labelledby', label.id); }
      else if (named) { list.setAttribute('aria-label', named); }
    });
    root.querySelectorAll('.dash-options-list-option[role="option"], .dash-options-list-option[aria-selected]')
      .forEach(function (option) {
        option.removeAttribute('role');
        option.removeAttribute('aria-selected');
      });
  }
  function fixDropdowns(root) {
    root.querySelectorAll('.dash-dropdown-focus-target').forEach(function (input) {
      if (input.tabIndex !== -1) { input.tabIndex = -1; }
      var button = input.nextElementSibling;
      if (!button || button.tagName !== 'BUTTON') { return; }
      if (button.tabIndex !== 0 && !button.disabled) { button.tabIndex = 0; }
      var label = labelOf(button);
      var by = button.getAttribute('aria-labelledby') || '';
      if (label && by.split(' ').indexOf(label.id) !== 0) {
        button.setAttribute('aria-labelledby', (label.id + ' ' + by).trim());
      }
    });
  }
  var queued = false;
  function run() {
    queued = false;
    fixLists(document);
    fixDropdowns(document);
  }
  function queue() {
    if (!queued) { queued = true; window.requestAnimationFrame(run); }
  }
  new MutationObserver(queue).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ['role', 'aria-selected', 'tabindex']
  });
})();
