// The document slot page: move focus to an error summary so that it is read first, and show the detail
// field of the chosen option only (the element, the date, the address). Without this script every
// detail field is shown.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  var form = document.querySelector("[data-option-form]");
  if (!form) {
    return;
  }
  var details = form.querySelectorAll("[data-option-detail]");

  function chosen() {
    var checked = form.querySelector('input[name="option"]:checked');
    return checked ? checked.value : "";
  }

  function update() {
    var option = chosen();
    Array.prototype.forEach.call(details, function (detail) {
      var keep = detail.getAttribute("data-option-detail") === option || detail.querySelector(".usa-form-group--error") !== null;
      detail.hidden = !keep;
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "option") {
      update();
    }
  });
  update();
})();
