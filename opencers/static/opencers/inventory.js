// The material form of the Hazardous Materials Inventory: show the waste fields (California waste code,
// annual waste amount) only for a waste and the components only for a mixture or a waste, and move focus
// to the error summary so that it is read first. Without this script every field is shown.
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

  // A part with a problem, a message or a value stays in view whatever the type.
  function needsAttention(element) {
    if (element.querySelector(".usa-form-group--error, [data-testid='field-guidance']") !== null) {
      return true;
    }
    return Array.prototype.some.call(element.querySelectorAll("input, select, textarea"), function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        return input.checked;
      }
      return input.type !== "hidden" && input.value.trim() !== "";
    });
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
