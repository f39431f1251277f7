// dxlab class pages: progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Copy the personal link.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    field.select();
    if (navigator.clipboard) navigator.clipboard.writeText(field.value).catch(function () {});
    else document.execCommand("copy");
  });

  // Put the keyboard on the list of problems after a refused page.
  var errors = document.getElementById("errors");
  if (errors) errors.focus();

  // Save each change at once (go=stay), so a lost connection or a closed tab costs nothing.
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var timer = null;
    function save() {
      var data = new FormData(form);
      data.set("go", "stay");
      fetch(form.action, { method: "POST", body: new URLSearchParams(data), credentials: "same-origin",
                           headers: { "X-Requested-With": "fetch" } }).catch(function () {});
    }
    form.addEventListener("change", function (event) {
      var box = event.target.closest("[data-criterion]");
      if (box && event.target.type === "radio") {
        var counter = document.querySelector("[data-answered]");
        if (counter && !box.hasAttribute("data-done")) {
          box.setAttribute("data-done", "");
          var n = parseInt(counter.getAttribute("data-answered"), 10) + 1;
          counter.setAttribute("data-answered", String(n));
          counter.textContent = counter.getAttribute("data-template").replace("{n}", String(n));
        }
        box.classList.remove("invalid");
        var message = box.querySelector(".error");
        if (message) message.remove();
      }
      clearTimeout(timer);
      timer = setTimeout(save, 300);
    });
  });

  // The teacher's page: refresh the live part every 2 seconds.
  var live = document.querySelector("[data-live]");
  if (live) {
    setInterval(function () {
      fetch(live.getAttribute("data-live"), { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || !data.html) return;
          var open = !!live.querySelector("details[open]");
          live.innerHTML = data.html;
          var details = live.querySelector("details");
          if (details && open) details.open = true;
        })
        .catch(function () {});
    }, 2000);
  }
})();
