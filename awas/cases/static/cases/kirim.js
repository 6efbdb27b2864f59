/* Sending a public form over a weak connection. Optional: without it the form posts as usual.
 *
 * - The upload's progress is shown (a video over a slow link takes minutes).
 * - When the connection drops, stalls or the server fails, nothing leaves the page: what was typed
 *   and the files attached stay, and "Send again" (or the connection coming back) resends it. The
 *   form's one-time key makes a filing that did arrive give back its first receipt, never a
 *   second report.
 * - What is typed is kept in this tab's sessionStorage (gone when the tab is closed, never sent
 *   anywhere), with the one-time key: a reload, or a tab the phone threw away, gets it back.
 *   Files cannot be kept there; the page asks for them again.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-kirim]");
  var box = document.getElementById("send-status");
  if (!form || !box || !window.XMLHttpRequest || !window.FormData) return;
  var note = document.getElementById("draft-restored");
  var progress = box.querySelector("progress");
  var percentText = box.querySelector(".percent");
  var draftKey = "awas-draft:" + location.pathname;
  var NOT_KEPT = { csrfmiddlewaretoken: true, kept: true };
  var STALL_MS = 60000; // no upload progress for this long: the connection is gone
  var ANSWER_MS = 120000; // everything sent, no answer for this long: likewise
  var sending = false;
  var timer = null;
  var percent = window.Intl ? new Intl.NumberFormat(document.documentElement.lang || "id", { style: "percent" }) : null;

  function store() {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null; // storage refused (private mode, settings): the form still works
    }
  }

  function kept() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !NOT_KEPT[el.name] && ["file", "submit", "button"].indexOf(el.type) < 0;
    });
  }

  function saveDraft() {
    var s = store();
    if (!s) return;
    var data = {};
    kept().forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
      } else {
        data[el.name] = [el.value];
      }
    });
    try {
      s.setItem(draftKey, JSON.stringify(data));
    } catch (e) {
      /* full: the form still works */
    }
  }

  function restoreDraft() {
    var s = store();
    var data = null;
    try {
      data = JSON.parse((s && s.getItem(draftKey)) || "null");
    } catch (e) {
      data = null;
    }
    if (!data) return false;
    var typed = false;
    kept().forEach(function (el) {
      var values = data[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = !!values && values.indexOf(el.value) >= 0;
        typed = typed || el.checked;
      } else if (values) {
        el.value = values[0];
        typed = typed || (el.type !== "hidden" && values[0] !== "");
      }
      el.dispatchEvent(new Event("change", { bubbles: true })); // e.g. the 7-day warning
    });
    return typed;
  }

  function show(state) {
    box.hidden = false;
    Array.prototype.forEach.call(box.querySelectorAll("[data-state]"), function (el) {
      el.hidden = el.getAttribute("data-state") !== state;
    });
  }

  function showProgress(fraction) {
    progress.value = Math.floor(fraction * 100);
    percentText.textContent = percent ? percent.format(Math.floor(fraction * 100) / 100) : Math.floor(fraction * 100) + "%";
  }

  function setButtons(disabled) {
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (button) {
      button.disabled = disabled;
    });
  }

  function watch(xhr, ms) {
    clearTimeout(timer);
    timer = setTimeout(function () {
      xhr.abort();
    }, ms);
  }

  function failed(state) {
    clearTimeout(timer);
    sending = false;
    setButtons(false);
    show(state);
    if (state === "offline") {
      window.addEventListener("online", function again() {
        window.removeEventListener("online", again);
        if (!sending) send();
      });
    }
  }

  function answered(xhr) {
    clearTimeout(timer);
    var receipt = xhr.getResponseHeader("X-Awas-Tanda-Terima");
    if (xhr.status === 204 && receipt) {
      var s = store();
      if (s) s.removeItem(draftKey);
      location.assign(receipt);
      return;
    }
    if (xhr.status === 0 || xhr.status >= 500) {
      failed("server");
      return;
    }
    // The form sent back with what to correct (typed values and received files kept by the
    // server), or any other page: shown as the browser would have shown it.
    document.open();
    document.write(xhr.responseText);
    document.close();
  }

  function send() {
    sending = true;
    setButtons(true);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Awas-Kirim", "1");
    xhr.upload.onprogress = function (event) {
      watch(xhr, STALL_MS);
      if (event.lengthComputable && event.total) showProgress(event.loaded / event.total);
    };
    xhr.upload.onload = function () {
      watch(xhr, ANSWER_MS);
      show("waiting");
    };
    xhr.onload = function () {
      answered(xhr);
    };
    xhr.onerror = xhr.onabort = function () {
      failed(navigator.onLine === false ? "offline" : "dropped");
    };
    showProgress(0);
    show("sending");
    box.scrollIntoView({ block: "nearest" });
    watch(xhr, STALL_MS);
    xhr.send(new FormData(form));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!sending) send();
  });
  box.addEventListener("click", function (event) {
    if (event.target.getAttribute("data-action") === "retry" && !sending) send();
  });
  if (note) {
    note.addEventListener("click", function (event) {
      if (event.target.getAttribute("data-action") !== "clear-draft") return;
      var s = store();
      if (s) s.removeItem(draftKey);
      location.replace(location.href); // a fresh form, with a fresh one-time key
    });
  }
  // A fresh form takes back what this tab had typed; a form sent back for corrections keeps the
  // server's copy. Either way, from now on the page's values are the draft.
  if (form.hasAttribute("data-fresh") && restoreDraft() && note) note.hidden = false;
  saveDraft();
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
})();
