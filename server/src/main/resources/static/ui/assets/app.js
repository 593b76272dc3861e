// The dashboard's progressive enhancement. Every page works without it; it only
//  - refreshes live parts: an element with data-live="URL" is replaced, every data-live-every ms
//    (default 2000), by the HTML fragment that URL answers; the fragment carries data-live again
//    while there is more to come (a build in progress, a script still running) and drops it when done;
//    a hidden tab does not ask; a 4xx ends the refreshing with a notice, a 5xx or no answer backs off;
//  - asks before destructive forms: <form data-confirm="Delete this?">;
//  - copies text: <button data-copy="element-id">;
//  - a page that answers a form itself (a secret shown once is never put in the session, which lives
//    in the database) names its own address, <section data-address="/ui/sshkeys">: the address bar
//    is set to it, so a reload asks for that page and never sends the form again.
(function () {
  'use strict';

  function sessionEnded() {
    if (document.getElementById('session-ended')) {
      return;
    }
    const notice = document.createElement('p');
    notice.id = 'session-ended';
    notice.className = 'form-error';
    notice.setAttribute('role', 'alert');
    notice.textContent = 'Your session ended; log in again to see live updates.';
    document.querySelector('main').prepend(notice);
  }

  function followedOutputs(element) {
    return Array.from(element.querySelectorAll('[data-follow]')).concat(
      element.matches('[data-follow]') ? [element] : []);
  }

  function gone(element, status) {
    const notice = document.createElement('p');
    notice.className = 'form-error';
    notice.setAttribute('role', 'alert');
    notice.textContent = status === 404
      ? 'This is gone (deleted?): reload the page.'
      : 'The server refused to refresh this part (' + status + '): reload the page.';
    element.before(notice);
  }

  function live(element, failures) {
    const every = parseInt(element.dataset.liveEvery || '2000', 10);
    // after failures (server away, 5xx): 2, 4, 8... times the interval, at most a minute
    const wait = Math.min(every * Math.pow(2, failures || 0), 60000);
    const refresh = async function () {
      if (!element.isConnected) {
        return;
      }
      if (document.hidden) {
        // a tab nobody looks at does not ask (nor keep its session alive)
        document.addEventListener('visibilitychange', () => live(element, failures), { once: true });
        return;
      }
      let response;
      try {
        response = await fetch(element.dataset.live, {
          credentials: 'same-origin',
          headers: { Accept: 'text/html' },
          redirect: 'manual'
        });
      } catch (e) {
        live(element, (failures || 0) + 1);
        return;
      }
      if (response.type === 'opaqueredirect' || response.status === 401 || response.status === 403) {
        sessionEnded();
        return;
      }
      if (response.status >= 400 && response.status < 500) {
        gone(element, response.status);
        return;
      }
      if (!response.ok) {
        live(element, (failures || 0) + 1);
        return;
      }
      const template = document.createElement('template');
      template.innerHTML = (await response.text()).trim();
      const fresh = template.content.firstElementChild;
      if (!fresh) {
        return;
      }
      const atBottom = followedOutputs(element).map(
        (out) => out.scrollTop + out.clientHeight >= out.scrollHeight - 4);
      element.replaceWith(fresh);
      followedOutputs(fresh).forEach((out, i) => {
        if (atBottom[i] !== false) {
          out.scrollTop = out.scrollHeight;
        }
      });
      if (fresh.dataset.live) {
        live(fresh, 0);
      }
    };
    setTimeout(refresh, wait);
  }

  document.addEventListener('submit', (event) => {
    const question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener('click', (event) => {
    const button = event.target.closest('[data-copy]');
    if (!button) {
      return;
    }
    const source = document.getElementById(button.dataset.copy);
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.textContent.trim()).then(() => {
        button.textContent = 'Copied';
      });
    }
  });

  const address = document.querySelector('[data-address]');
  if (address && window.history && window.history.replaceState) {
    window.history.replaceState(null, '', address.dataset.address);
  }

  document.querySelectorAll('[data-live]').forEach((element) => live(element, 0));
  document.querySelectorAll('[data-follow]').forEach((out) => {
    out.scrollTop = out.scrollHeight;
  });
})();
