// Progressive enhancement of the inquiry form: without this file the form posts as a plain
// HTML form; with it the form is sent in place and errors appear next to each field.
(function () {
  "use strict";
  var form = document.getElementById("contact-form");
  var status = document.getElementById("contact-status");
  if (!form || !status || !window.fetch) return;

  function say(text, ok) {
    status.innerHTML = "";
    var p = document.createElement("p");
    p.className = ok ? "rounded-md bg-emerald-50 p-4 text-emerald-900" : "rounded-md bg-red-50 p-4 text-red-800";
    p.textContent = text;
    status.appendChild(p);
  }

  function showErrors(errors) {
    var slots = form.querySelectorAll("[data-error-for]");
    for (var i = 0; i < slots.length; i++) {
      var name = slots[i].getAttribute("data-error-for");
      var message = (errors && errors[name]) || "";
      slots[i].textContent = message;
      var input = form.elements[name];
      if (input && input.setAttribute) {
        if (message) {
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", name + "-error");
        } else {
          input.removeAttribute("aria-invalid");
        }
      }
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(new FormData(form)).toString(),
      credentials: "same-origin",
    })
      .then(function (res) {
        return res.json().then(function (body) { return { status: res.status, body: body }; });
      })
      .then(function (r) {
        showErrors(r.body.errors);
        say(r.body.message || "요청을 처리하지 못했습니다.", r.body.ok === true);
        if (r.body.ok) form.reset();
        if (r.body.errors) {
          var first = form.querySelector("[aria-invalid=true]");
          if (first) first.focus();
        }
      })
      .catch(function () {
        say("전송하지 못했습니다. 네트워크를 확인하고 다시 시도해 주세요.", false);
      })
      .then(function () {
        if (button) button.disabled = false;
      });
  });
})();
