package dev.ironcore.boot.api.schema;

import io.fabric8.generator.annotation.Default;

/**
 * CRD schema of a core/v1 LocalObjectReference as Kubernetes declares it (an atomic struct whose
 * name defaults to ""), for {@code @SchemaFrom} on a LocalObjectReference field. Schema only.
 */
@MapType("atomic")
public class LocalObjectReferenceSchema {
  @Default("\"\"") // read as YAML: a bare "" would be no default at all
  public String name;
}
