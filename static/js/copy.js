// Copy buttons for read-only address fields (progressive enhancement: the field works without this).
// Markup: <input readonly id="X" data-copy-label="Copy" data-copy-done="Copied" data-copy-failed="…">
// and <p role="status" id="X-status"></p> for the spoken result.
(function () {
  "use strict";

  function copyText(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    input.focus();
    input.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function enhance(input) {
    if (input.dataset.copyReady) return;
    input.dataset.copyReady = "1";
    var status = document.getElementById(input.id + "-status");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-secondary";
    button.textContent = input.dataset.copyLabel;
    button.setAttribute("aria-controls", input.id);
    button.addEventListener("click", function () {
      copyText(input).then(
        function () { if (status) status.textContent = input.dataset.copyDone; },
        function () {
          input.focus();
          input.select();
          if (status) status.textContent = input.dataset.copyFailed;
        }
      );
    });
    input.insertAdjacentElement("afterend", button);
    // A click in the field selects the whole address, ready to copy by hand.
    input.addEventListener("focus", function () { input.select(); });
  }

  function init() {
    document.querySelectorAll("input[readonly][data-copy-label]").forEach(enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
