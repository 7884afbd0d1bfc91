// /docs: Swagger UI on the OpenAPI document, labelled 3.0.3 for the bundled Swagger UI 4.
fetch("/openapi.json").then(function (r) { return r.json(); }).then(function (spec) {
  spec.openapi = "3.0.3";
  window.ui = SwaggerUIBundle({
    spec: spec,
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
    defaultModelsExpandDepth: 0,
    docExpansion: "list",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
