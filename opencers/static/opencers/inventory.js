// The material form of the Hazardous Materials Inventory: show the waste fields (California waste code,
// annual waste amount, the waste's components) only for a waste, and move focus to the error summary so
// that it is read first. Without this script every field is shown.
(function () {
  "use strict";
  var form = document.querySelector("[data-inventory-form]");
  if (!form) {
    return;
  }
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  function currentType() {
    var checked = form.querySelector('input[name="HMType"]:checked');
    return checked ? checked.value : "a";
  }

  function needsAttention(element) {
    return element.querySelector(".usa-form-group--error, [data-testid='field-guidance']") !== null;
  }

  function update() {
    var type = currentType();
    document.querySelectorAll("[data-show-for-type]").forEach(function (element) {
      var types = element.getAttribute("data-show-for-type").split(" ");
      element.hidden = types.indexOf(type) === -1 && !needsAttention(element);
    });
  }

  form.querySelectorAll('input[name="HMType"]').forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
