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
 * - Back from the receipt, the form says it was sent and carries its used key again: sent
 *   unchanged, it gives back the same receipt.
 */
(function () {
  "use strict";
  var DRAFT_PREFIX = "awas-draft:";
  function store() {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null; // storage refused (private mode, settings): the form still works
    }
  }

  function readDraft(s, key) {
    try {
      return JSON.parse((s && s.getItem(key)) || "null");
    } catch (e) {
      return null;
    }
  }

  // The receipt page has loaded: the draft that led to it is marked as seen. Until then it stays
  // as it was, with its one-time key, so that a connection lost between "filed" and the receipt
  // page loses nothing: the form shows the way to the receipt, and sending it again gives back the
  // same receipt. Seen, it is still kept for the Back button (below); opened anew, the form is empty.
  function markSeen(receipt) {
    var s = store();
    if (!s) return;
    for (var i = s.length - 1; i >= 0; i--) {
      var key = s.key(i);
      if (key && key.indexOf(DRAFT_PREFIX) === 0) {
        var data = readDraft(s, key);
        if (data && data.__receipt === receipt) {
          data.__seen = true;
          try {
            s.setItem(key, JSON.stringify(data));
          } catch (e) {
            s.removeItem(key);
          }
        }
      }
    }
  }

  if (document.querySelector("[data-receipt-page]")) {
    markSeen(location.pathname);
    return;
  }
  var form = document.querySelector("form[data-kirim]");
  var box = document.getElementById("send-status");
  if (!form || !box || !window.XMLHttpRequest || !window.FormData) return;
  var note = document.getElementById("draft-restored");
  var filedNote = document.getElementById("draft-filed");
  var fileInput = form.querySelector("input[type=file][data-max-bytes]");
  var progress = box.querySelector("progress");
  var percentText = box.querySelector(".percent");
  var draftKey = DRAFT_PREFIX + location.pathname;
  var NOT_KEPT = { csrfmiddlewaretoken: true, kept: true };
  var STALL_MS = 60000; // no upload progress for this long: the connection is gone
  var ANSWER_MS = 120000; // everything sent, no answer for this long: likewise
  var sending = false;
  var timer = null;
  var percent = window.Intl ? new Intl.NumberFormat(document.documentElement.lang || "id", { style: "percent" }) : null;


  function kept() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !NOT_KEPT[el.name] && ["file", "submit", "button"].indexOf(el.type) < 0;
    });
  }

  function saveDraft(receipt) {
    var s = store();
    if (!s) return;
    var data = {};
    var before = readDraft(s, draftKey);
    receipt = typeof receipt === "string" ? receipt : before && before.__receipt;
    if (receipt) data.__receipt = receipt;
    if (receipt && before && before.__receipt === receipt && before.__seen) data.__seen = true;
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

  // What a field holds on a fresh form (a select's preselected option, e.g. the nationality).
  function initialValue(el) {
    if (el.options) {
      for (var i = 0; i < el.options.length; i++) if (el.options[i].defaultSelected) return el.options[i].value;
      return el.options.length ? el.options[0].value : "";
    }
    return el.defaultValue;
  }

  function fireChange(el) {
    var event;
    try {
      event = new Event("change", { bubbles: true });
    } catch (e) {
      event = document.createEvent("Event"); // browsers before the Event constructor
      event.initEvent("change", true, false);
    }
    el.dispatchEvent(event);
  }

  // Puts the draft back; returns it when something in it was typed by the filer (a draft that
  // only holds the form's own defaults is not worth a notice).
  function restoreDraft() {
    var data = readDraft(store(), draftKey);
    if (!data) return null;
    var typed = false;
    kept().forEach(function (el) {
      var values = data[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = !!values && values.indexOf(el.value) >= 0;
        typed = typed || el.checked !== el.defaultChecked;
      } else if (values) {
        el.value = values[0];
        typed = typed || (el.type !== "hidden" && values[0] !== initialValue(el));
      }
      fireChange(el); // e.g. the 7-day warning
    });
    return typed || data.__receipt ? data : null;
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
    box.scrollIntoView({ block: "nearest" }); // the message grew: its "Send again" in sight, not below
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
      saveDraft(receipt); // marked as seen when the receipt page loads (markSeen)
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

  // Files the office would refuse for their size or number are left out as soon as they are
  // chosen, with the server's own message, instead of after minutes of uploading them.
  function checkFiles() {
    var problem = document.getElementById("bukti-problem");
    var maxBytes = Number(fileInput.getAttribute("data-max-bytes"));
    var room = Number(fileInput.getAttribute("data-max-files")) - form.querySelectorAll("input[name=kept]:checked").length;
    var good = [];
    var messages = [];
    Array.prototype.forEach.call(fileInput.files, function (file) {
      if (file.size > maxBytes) {
        messages.push(fileInput.getAttribute("data-too-big").replace("__NAME__", file.name));
      } else if (good.length >= room) {
        messages.push(fileInput.getAttribute("data-too-many").replace("__NAME__", file.name));
      } else {
        good.push(file);
      }
    });
    problem.hidden = !messages.length;
    problem.textContent = messages.join(" ");
    if (!messages.length) return;
    if (window.DataTransfer) {
      try {
        var keep = new DataTransfer();
        good.forEach(function (file) {
          keep.items.add(file);
        });
        fileInput.files = keep.files;
        return;
      } catch (e) {
        /* an older browser: choose again */
      }
    }
    fileInput.value = "";
    problem.textContent += " " + fileInput.getAttribute("data-choose-again");
  }

  // The header's language switch is a button of this form (core/base.html): the browser sends the
  // form itself, and the page comes back in the other language with everything typed and attached.
  // It files nothing, so it is not sent from here. (A browser without event.submitter: the click.)
  var switching = false;
  Array.prototype.forEach.call(document.querySelectorAll("button[name=language]"), function (button) {
    if (button.form === form) {
      button.addEventListener("click", function () {
        switching = true;
      });
    }
  });
  form.addEventListener("submit", function (event) {
    var by = event.submitter;
    if ((by ? by.name === "language" : switching) && !sending) {
      switching = false;
      return;
    }
    switching = false;
    event.preventDefault();
    if (!sending) send();
  });
  box.addEventListener("click", function (event) {
    if (event.target.getAttribute("data-action") === "retry" && !sending) send();
  });
  Array.prototype.forEach.call([note, filedNote], function (el) {
    if (!el) return;
    el.addEventListener("click", function (event) {
      if (event.target.getAttribute("data-action") !== "clear-draft") return;
      var s = store();
      if (s) s.removeItem(draftKey);
      location.replace(location.href); // a fresh form, with a fresh one-time key
    });
  });
  if (fileInput && document.getElementById("bukti-problem")) fileInput.addEventListener("change", checkFiles);
  // The way back to what this tab already sent. Sent unchanged, the form gives back its receipt
  // (it carries the used one-time key again). Once the filer changes anything it is a new report:
  // it takes this page's fresh key, or the office would answer with the old receipt and the new
  // report would be lost.
  var keyInput = form.querySelector("input[name=idempotency_key]");
  var freshKey = keyInput ? keyInput.value : "";
  function showFiled(draft) {
    filedNote.querySelector("a").href = draft.__receipt;
    filedNote.hidden = false;
    // Back from the receipt, the browser would put the page where it was left, by the send button
    // at the bottom: the filer would see the form filled in and not that it was received.
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    filedNote.setAttribute("tabindex", "-1");
    filedNote.scrollIntoView({ block: "start" });
    filedNote.focus({ preventScroll: true });
    if (keyInput && draft.idempotency_key) keyInput.value = draft.idempotency_key[0];
    var edited = function (event) {
      var el = event.target;
      // Attaching the files again (the page asks for them) leaves it the same report.
      if (el && (el.type === "file" || NOT_KEPT[el.name])) return;
      form.removeEventListener("input", edited);
      form.removeEventListener("change", edited);
      if (keyInput) keyInput.value = freshKey;
      filedNote.hidden = true;
      saveDraft(""); // no longer the sent one
    };
    form.addEventListener("input", edited);
    form.addEventListener("change", edited);
  }
  if (form.hasAttribute("data-fresh")) {
    // A fresh form takes back what this tab had typed, or shows the way to the receipt of what it
    // already sent; a form sent back for corrections keeps the server's copy. A report whose
    // receipt was seen is kept only for the Back button (the browser puts the typed text back:
    // sent again, it would be a second report); a form opened anew starts empty.
    var navigation = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    // Back, or a reload of a page reached by Back (below): the sent report's way to its receipt.
    var cameBack = !!navigation && (navigation.type === "back_forward" || navigation.type === "reload");
    var stored = readDraft(store(), draftKey);
    if (stored && stored.__seen && !cameBack) store().removeItem(draftKey);
    var draft = restoreDraft();
    if (draft && draft.__receipt && filedNote) {
      showFiled(draft);
    } else if (draft && note) {
      note.hidden = false;
    }
  }
  // Back from the receipt to a page the browser kept whole: its one-time key is the used one, so
  // an edit could not take a fresh key and the new report would get the old receipt. Loaded again,
  // the page has a fresh key and shows the way to the receipt (above).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) location.reload();
  });
  // Sent back for corrections (the page may have been written over the old one, scrolled down),
  // or refused as too large: the list of what to correct, or the late-filing notice, is where the
  // eye goes first.
  var first = document.getElementById("errors") || document.getElementById("late-notice");
  if (first) {
    first.setAttribute("tabindex", "-1");
    first.scrollIntoView({ block: "start" });
    first.focus({ preventScroll: true });
  }
  saveDraft();
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
})();
