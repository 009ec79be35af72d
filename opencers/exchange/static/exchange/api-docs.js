// Starts Swagger UI on the API documentation page (no inline script: the site's CSP forbids it).
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "BaseLayout",
    deepLinking: true,
    persistAuthorization: false,
    // The API takes bearer tokens only: never send the portal's cookies with "Try it out".
    requestInterceptor: function (request) {
      request.credentials = "omit";
      return request;
    },
  });
})();
