// The HALO browser login: ask the site for a code bound to this browser, show it, and wait until a wallet has
// used it; the site then hands this browser its session (an HttpOnly cookie) and the page goes on.
(function () {
  'use strict';
  var base = location.pathname.replace(/[^/]*$/, '');
  var next = new URLSearchParams(location.search).get('next') || '/'; // passed to the site, which checks it
  var status = document.getElementById('status');
  var again = document.getElementById('again');
  var timer = null;

  function show(text) {
    status.textContent = text;
  }

  function start() {
    again.hidden = true;
    show('');
    fetch(base + 'code?next=' + encodeURIComponent(next), {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json'},
      body: '{}'
    }).then(function (r) {
      return r.json().then(function (body) { return {ok: r.ok, body: body}; });
    }).then(function (r) {
      if (!r.ok) {
        show(r.body.message || 'The site cannot start a login now.');
        again.hidden = false;
        return;
      }
      document.getElementById('code').textContent = r.body.code;
      document.getElementById('command').textContent = r.body.command;
      document.getElementById('qr').innerHTML = r.body.qr; // an SVG the site drew
      document.getElementById('waiting').hidden = false;
      show('Waiting for your wallet…');
      poll();
    }).catch(function () {
      show('The site cannot be reached.');
      again.hidden = false;
    });
  }

  function poll() {
    timer = setTimeout(function () {
      fetch(base + 'code-status', {credentials: 'same-origin'}).then(function (r) {
        return r.json();
      }).then(function (s) {
        if (s.state === 'done') {
          show('Logged in as ' + s.did + '.');
          location.assign(s.next); // the site's own check of where to go (a path of this site only)
        } else if (s.state === 'waiting') {
          poll();
        } else {
          document.getElementById('waiting').hidden = true;
          show('The code expired.');
          again.hidden = false;
        }
      }).catch(function () {
        poll();
      });
    }, 1000);
  }

  again.addEventListener('click', start);
  start();
})();
