// While the mobile menu is open, USWDS hides the rest of the page from assistive technology
// (aria-hidden plus data-nav-hidden). Make the same elements inert, so that they cannot take focus or
// clicks either: hidden content must never be focusable (WCAG 4.1.2). The overlay stays clickable, as
// clicking it closes the menu.
(function () {
  "use strict";
  var MARK = "data-nav-hidden";
  var observer = new MutationObserver(function (records) {
    records.forEach(function (record) {
      var element = record.target;
      if (element.classList.contains("usa-overlay")) {
        return;
      }
      element.inert = element.hasAttribute(MARK);
    });
  });
  observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: [MARK] });
})();
