/* wenku: small progressive enhancements; every page works without it. */
(function () {
  'use strict';

  /* 回到顶部: smooth scroll to the top. */
  var top = document.getElementById('back-to-top');
  if (top) {
    top.addEventListener('click', function (e) {
      e.preventDefault();
      var still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      window.scrollTo({ top: 0, behavior: still ? 'auto' : 'smooth' });
      if (history.replaceState) history.replaceState(null, '', location.pathname + location.search);
    });
  }

  /* Reply / 取消回复: move the comment form under the comment replied to. */
  var form = document.getElementById('comment-form');
  var cancel = document.getElementById('cancel-reply');
  if (form && cancel) {
    var home = form.parentNode, next = form.nextSibling;
    var parent = form.querySelector('input[name=parent]');
    var replying = form.querySelector('.replying');
    var name = form.querySelector('.reply-name');
    document.querySelectorAll('.reply-link').forEach(function (a) {
      a.addEventListener('click', function (e) {
        e.preventDefault();
        var li = a.closest('.comment');
        li.appendChild(form);
        parent.value = a.getAttribute('data-id');
        name.textContent = a.getAttribute('data-name');
        replying.hidden = false;
        cancel.hidden = false;
      });
    });
    cancel.addEventListener('click', function (e) {
      e.preventDefault();
      home.insertBefore(form, next);
      parent.value = '';
      replying.hidden = true;
      cancel.hidden = true;
    });
  }

  /* 确认删除?: any form with data-confirm asks first. */
  var dialog = document.getElementById('confirm-delete');
  document.querySelectorAll('form[data-confirm]').forEach(function (f) {
    f.addEventListener('submit', function (e) {
      if (f.dataset.confirmed) return;
      e.preventDefault();
      if (!dialog || !dialog.showModal) { if (confirm(dialog ? dialog.textContent : '?')) { f.dataset.confirmed = 1; f.submit(); } return; }
      dialog.returnValue = '';
      dialog.showModal();
      dialog.addEventListener('close', function h() {
        dialog.removeEventListener('close', h);
        if (dialog.returnValue === 'ok') { f.dataset.confirmed = 1; f.submit(); }
      });
    });
  });
})();
