/* Marks a table box whose table is wider than the box (data-overflow), so CSS can show a
   "scroll sideways" hint; checked after each change of the page and on resize. */
(function () {
  var queued = false;
  function check() {
    queued = false;
    var boxes = document.querySelectorAll('.table-box');
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var wide = box.scrollWidth > box.clientWidth + 1;
      if (wide !== box.hasAttribute('data-overflow')) {
        if (wide) { box.setAttribute('data-overflow', ''); } else { box.removeAttribute('data-overflow'); }
      }
    }
  }
  function queue() {
    if (!queued) { queued = true; window.requestAnimationFrame(check); }
  }
  new MutationObserver(queue).observe(document.documentElement, {childList: true, subtree: true});
  window.addEventListener('resize', queue);
})();
