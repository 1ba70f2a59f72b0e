// 党建工作平台 — progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  // Confirm dialogs for destructive buttons marked data-confirm; on a checkbox, only when it is being ticked.
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (!target) { return; }
    if (target.type === "checkbox" && !target.checked) { return; }
    if (!window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // "返回上一页修改" on an error page: the browser keeps what was typed in the form it goes back to.
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-back]") : null;
    if (target) { window.history.back(); }
  });
  // Attendance: a button per member that cycles 出席 → 请假 → 缺席; the select stays in the form (and is what is sent).
  Array.prototype.forEach.call(document.querySelectorAll("select[data-cycle]"), function (select) {
    var button = document.createElement("button");
    button.type = "button";
    button.setAttribute("aria-label", select.getAttribute("aria-label") || "");
    function show() {
      var option = select.options[select.selectedIndex];
      button.textContent = option.text;
      button.className = "att-cycle " + option.value;
    }
    button.addEventListener("click", function () {
      select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      show();
    });
    select.addEventListener("change", show);
    select.style.display = "none";
    select.parentNode.insertBefore(button, select);
    show();
  });
  // On a phone the navigation and long filter forms fold behind a button ("菜单", "筛选").
  function collapsible(container, body, label) {
    if (!container || !body) { return; }
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "collapse-toggle";
    toggle.textContent = label;
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function () {
      var open = container.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    body.classList.add("collapse-body");
    container.classList.add("collapsible");
    container.insertBefore(toggle, body);
  }
  var nav = document.querySelector(".site-nav");
  if (nav) { collapsible(nav, nav.querySelector("ul"), "菜单"); }
  Array.prototype.forEach.call(document.querySelectorAll("[data-collapse]"), function (wrapper) {
    collapsible(wrapper, wrapper.querySelector(".collapse-target") || wrapper.firstElementChild, wrapper.getAttribute("data-collapse"));
  });
  // Drafts (issue 17, item 6): what is typed into a form is kept in this tab (sessionStorage, gone when the tab
  // closes) until the form is saved. After a refusal, an idle timeout or a lost connection the page that shows the
  // form again puts it back and says so. A form marked data-no-draft (sign-in, passwords) is never kept.
  var store = null;
  try { store = window.sessionStorage; } catch (e) { store = null; }
  var DRAFT = "dj-draft:", SENT = "dj-draft-sent";
  function draftForms() {
    return Array.prototype.filter.call(document.querySelectorAll("form[method=post]"), function (form) {
      return !form.hasAttribute("data-no-draft") && form.querySelector("input[name=_once]") &&
        form.querySelector("textarea, input[type=text], input:not([type]), select[data-cycle]");
    });
  }
  function draftKey(form, forms) {
    var action = form.getAttribute("action") || location.pathname, same = 0;
    for (var i = 0; i < forms.length && forms[i] !== form; i++) { if ((forms[i].getAttribute("action") || location.pathname) === action) { same++; } }
    return DRAFT + action + "|" + same;
  }
  function kept(el) {
    return el.name && !/^(hidden|file|password|submit|button|reset)$/i.test(el.type || "") && el.name !== "_csrf" && el.name !== "_once" &&
      !el.hasAttribute("data-no-draft");
  }
  function collect(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) { return; }
      if (el.type === "checkbox" || el.type === "radio") { values[el.name + "=" + el.value] = el.checked; } else { values[el.name] = el.value; }
    });
    return values;
  }
  function restore(form, values) {
    var changed = false;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        var k = el.name + "=" + el.value;
        if (k in values && el.checked !== values[k]) { el.checked = values[k]; changed = true; }
      } else if (el.name in values && el.value !== values[el.name]) {
        el.value = values[el.name];
        el.dispatchEvent(new Event("change", { bubbles: true }));
        changed = true;
      }
    });
    return changed;
  }
  if (store) {
    var forms = draftForms();
    var main = document.getElementById("main");
    var refused = main && main.querySelector(".error, .errors, .error-page, [role=alert]");
    var sent = store.getItem(SENT);
    // The page after a submission: saved (a success notice, or a page without the form that is neither a refusal
    // nor on the way through sign-in) — the draft is no longer needed. Back on the form itself (after signing in
    // again), it is put back below.
    var signingIn = location.pathname.indexOf("/login") === 0 || location.pathname.indexOf("/account/password") === 0;
    var here = forms.map(function (form) { return draftKey(form, forms); });
    // A page that shows its own form again with a success notice (党费登记: the entries and the next payment's
    // form) is saved too.
    var savedNotice = document.getElementById("flash") || (main && main.querySelector(".success[role=status]"));
    if (sent && (savedNotice || (here.indexOf(sent) < 0 && !refused && !signingIn))) {
      store.removeItem(sent);
      store.removeItem(SENT);
    } else if (sent && here.indexOf(sent) >= 0) {
      store.removeItem(SENT);
    }
    forms.forEach(function (form) {
      var key = draftKey(form, forms);
      var saved = null;
      try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
      if (saved && saved.v && Date.now() - saved.t < 12 * 3600 * 1000 && !refused && restore(form, saved.v)) {
        var note = document.createElement("p");
        note.className = "notice draft-restored";
        note.setAttribute("role", "status");
        var at = new Date(saved.t);
        note.textContent = "已恢复您在本页未保存的内容（" + at.getHours() + ":" + ("0" + at.getMinutes()).slice(-2) + " 填写），请核对后提交。 ";
        var discard = document.createElement("button");
        discard.type = "button";
        discard.className = "link-button";
        discard.textContent = "不用恢复";
        discard.addEventListener("click", function () { store.removeItem(key); location.reload(); });
        note.appendChild(discard);
        form.parentNode.insertBefore(note, form);
      }
      function save() {
        try { store.setItem(key, JSON.stringify({ t: Date.now(), v: collect(form) })); } catch (e) { /* storage full: nothing kept */ }
      }
      form.addEventListener("input", save);
      form.addEventListener("change", save);
      form.addEventListener("submit", function () { if (store.getItem(key)) { store.setItem(SENT, key); } });
    });
    // Signing out forgets every draft of this tab.
    Array.prototype.forEach.call(document.querySelectorAll("form[action='/logout']"), function (form) {
      form.addEventListener("submit", function () {
        for (var i = store.length - 1; i >= 0; i--) { var k = store.key(i); if (k && k.indexOf(DRAFT) === 0) { store.removeItem(k); } }
      });
    });
  }
  // What must stop before this page is replaced in place by an upload's answer (see "Progress" below).
  var teardown = [];
  // Before the session ends (idle timeout): a warning with "继续使用", which asks the server and so keeps the session.
  var body = document.body, left = body && parseInt(body.getAttribute("data-session-left") || "", 10);
  if (left > 0) {
    var ping = body.getAttribute("data-session-ping"), deadline, bar = null, timer = null;
    function warnAt(seconds) {
      deadline = Date.now() + seconds * 1000;
      if (bar) { bar.hidden = true; }
      clearTimeout(timer);
      timer = setTimeout(warn, Math.max(0, seconds - Math.min(120, Math.floor(seconds / 2))) * 1000);
    }
    function warn() {
      if (!bar) {
        bar = document.createElement("div");
        bar.className = "session-warning";
        bar.id = "session-warning";
        bar.setAttribute("role", "alert");
        bar.appendChild(document.createElement("span"));
        var more = document.createElement("button");
        more.type = "button";
        more.className = "primary";
        more.textContent = "继续使用";
        more.addEventListener("click", function () {
          fetch(ping, { credentials: "same-origin", headers: { Accept: "application/json" }, redirect: "manual" })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (data) { if (data && data.seconds > 0) { warnAt(data.seconds); } else { expired(); } })
            .catch(expired);
        });
        bar.appendChild(more);
        document.body.appendChild(bar);
      }
      bar.hidden = false;
      var minutes = Math.max(1, Math.round((deadline - Date.now()) / 60000));
      bar.firstChild.textContent = "您已较长时间没有操作，约 " + minutes + " 分钟后将自动退出登录。正在填写的内容会保留在本页，重新登录后可恢复。";
      clearTimeout(timer);
      timer = setTimeout(deadline - Date.now() > 0 ? warn : expired, Math.min(30000, Math.max(0, deadline - Date.now())));
    }
    function expired() {
      if (!bar) { warn(); }
      bar.firstChild.textContent = "登录已超时。正在填写的内容已保存在本浏览器中：重新登录后回到本页即可恢复。";
      bar.lastChild.textContent = "重新登录";
      bar.lastChild.onclick = function (e) { e.stopImmediatePropagation(); location.href = "/login?expired=1&next=" + encodeURIComponent(location.pathname + location.search); };
    }
    warnAt(left);
    teardown.push(function () { clearTimeout(timer); });
  }
  // Progress (issue 17, item 19): anything that can take more than a second says what it is doing. An upload (a
  // form with a chosen file: roster and organisation imports, evidence) shows how much has been sent, then that the
  // server is checking it with the seconds so far, and the answer replaces the page as a normal submission would. A
  // download (.xlsx, .docx, .csv, .pdf, or format=xlsx/docx/csv) shows that the file is being prepared, then how
  // much has arrived. Without this script the browser does both natively.
  var status = null;
  function showProgress(label, fraction) {
    if (!status) {
      status = document.createElement("div");
      status.id = "progress-status";
      status.className = "progress-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      status.appendChild(document.createElement("span"));
      status.appendChild(document.createElement("progress"));
      document.body.appendChild(status);
    }
    status.hidden = false;
    status.firstChild.textContent = label;
    var bar = status.lastChild;
    bar.max = 1;
    if (fraction === null) { bar.removeAttribute("value"); } else { bar.value = Math.max(0, Math.min(1, fraction)); }
  }
  var ticker = null;
  function ticking(label) {
    var started = Date.now();
    clearInterval(ticker);
    showProgress(label + "……", null);
    ticker = setInterval(function () { showProgress(label + "，已用 " + Math.round((Date.now() - started) / 1000) + " 秒……", null); }, 500);
  }
  function done(label) {
    clearInterval(ticker);
    if (label) { showProgress(label, 1); setTimeout(function () { if (status) { status.hidden = true; } }, 3000); } else if (status) { status.hidden = true; }
  }
  function size(bytes) { return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB"; }
  function isDownload(href) {
    var url;
    try { url = new URL(href, location.href); } catch (e) { return false; }
    return url.origin === location.origin && (/\.(xlsx|docx|csv|pdf)$/.test(url.pathname) || /(^|&)format=(xlsx|docx|csv)(&|$)/.test(url.search.slice(1)));
  }
  function fileName(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var star = /filename\*=UTF-8''([^;]+)/i.exec(header), plain = /filename="?([^";]+)"?/i.exec(header);
    try { if (star) { return decodeURIComponent(star[1]); } } catch (e) {}
    return plain ? plain[1] : fallback;
  }
  function save(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 10000);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || link.target) { return; }
    if (!isDownload(link.href) || !window.fetch || !window.ReadableStream) { return; }
    event.preventDefault();
    var href = link.href;
    ticking("正在生成文件");
    fetch(href, { credentials: "same-origin" }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      // A page instead of a file (sign-in again, confirm identity, an error): show it as the link would have.
      if (!response.ok || type.indexOf("text/html") === 0 || !response.body) { done(); location.href = response.url || href; return; }
      clearInterval(ticker);
      var total = parseInt(response.headers.get("Content-Length") || "0", 10), received = 0, chunks = [], reader = response.body.getReader();
      function pump() {
        return reader.read().then(function (part) {
          if (part.done) { return; }
          chunks.push(part.value);
          received += part.value.length;
          showProgress("正在下载 " + size(received) + (total ? " / " + size(total) : ""), total ? received / total : null);
          return pump();
        });
      }
      return pump().then(function () {
        var name = fileName(response, href.split("/").pop().split("?")[0]);
        save(new Blob(chunks, { type: type }), name);
        done("已下载 " + name + "（" + size(received) + "）");
      });
    }).catch(function () { done(); location.href = href; });
  });
  Array.prototype.forEach.call(document.querySelectorAll("form[method=post][enctype='multipart/form-data']"), function (form) {
    form.addEventListener("submit", function (event) {
      var chosen = Array.prototype.filter.call(form.querySelectorAll("input[type=file]"), function (input) { return input.files && input.files.length; });
      if (event.defaultPrevented || !chosen.length || !window.FormData || !window.XMLHttpRequest) { return; }
      event.preventDefault();
      var data = new FormData(form), submitter = event.submitter;
      if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
      var file = chosen[0].files[0], label = "“" + file.name + "”（" + size(file.size) + "）";
      // The attribute, not form.action: a field named "action" (the task and problem forms) shadows the property.
      var target = new URL(form.getAttribute("action") || location.href, location.href).href;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", target);
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) { showProgress("正在上传 " + label + " " + Math.round(e.loaded * 100 / e.total) + "%", e.loaded / e.total); } };
      xhr.upload.onload = function () { ticking("已上传 " + label + "，正在校验和处理"); };
      xhr.onload = function () {
        clearInterval(ticker);
        var type = xhr.getResponseHeader("Content-Type") || "";
        if (type.indexOf("text/html") !== 0) { done(); location.href = xhr.responseURL || location.href; return; }
        // The answer replaces this page, as a normal submission would; a redirect's address becomes the page's.
        teardown.forEach(function (stop) { stop(); });
        if (xhr.responseURL && xhr.responseURL !== target) { history.replaceState(null, "", xhr.responseURL); }
        document.open();
        document.write(xhr.responseText);
        document.close();
      };
      xhr.onerror = function () { done(); showProgress("网络连接中断，文件没有提交成功，请检查网络后重新提交。", 0); };
      showProgress("正在上传 " + label, 0);
      xhr.send(data);
    });
  });
  // Print buttons (reports): the page's print layout hides navigation and forms.
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) { window.print(); }
  });
})();
