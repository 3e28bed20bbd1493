"""trunkline's generator: OpenAPI specs in, async services and attrs models out.

Run it as ``python -m trunkline.codegen {specs,generate,diff}``. It needs the ``codegen``
extra (jinja2, datamodel-code-generator); nothing outside this package does.
"""

__all__: list[str] = []
