// Starts Swagger UI on the docs page (an external script: the page's CSP allows no inline script).
// The document URL comes from the page, relative to it, so the service works under any origin.
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: new URL(root.dataset.spec, window.location.href).href,
    domNode: root,
    deepLinking: true,
    // No badge from an outside validator service, no outside requests at all.
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
    tryItOutEnabled: false,
  });
})();
