package dev.ironcore.boot.api.metal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ironcore.boot.api.schema.LocalObjectReferenceSchema;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LocalObjectReference;

/** The SBC spec fields we read. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ServerBootConfigurationSpec {
  @Required
  @SchemaFrom(type = LocalObjectReferenceSchema.class)
  private LocalObjectReference serverRef;
  private String image;
  @SchemaFrom(type = LocalObjectReferenceSchema.class)
  private LocalObjectReference ignitionSecretRef;

  public LocalObjectReference getServerRef() {
    return serverRef;
  }

  public void setServerRef(LocalObjectReference serverRef) {
    this.serverRef = serverRef;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public LocalObjectReference getIgnitionSecretRef() {
    return ignitionSecretRef;
  }

  public void setIgnitionSecretRef(LocalObjectReference ignitionSecretRef) {
    this.ignitionSecretRef = ignitionSecretRef;
  }
}
