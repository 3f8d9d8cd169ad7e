package dev.ironcore.boot.api.boot;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.ironcore.boot.api.schema.LocalObjectReferenceSchema;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.ArrayList;
import java.util.List;

/** Desired state of an HTTPBootConfig; JSON names are the Go API's. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HTTPBootConfigSpec {
  @JsonProperty("systemUUID")
  @JsonPropertyDescription("SystemUUID is the unique identifier (UUID) of the server.")
  private String systemUUID;

  @SchemaFrom(type = LocalObjectReferenceSchema.class)
  @JsonPropertyDescription("IgnitionSecretRef names the Secret holding the Ignition configuration.")
  private LocalObjectReference ignitionSecretRef;

  @JsonPropertyDescription("NetworkIdentifiers are the IP and MAC addresses the server is known by.")
  private List<String> networkIdentifiers = new ArrayList<>();

  @JsonProperty("ukiURL")
  @JsonPropertyDescription("UKIURL is the URL of the Unified Kernel Image the server boots.")
  private String ukiURL;

  public String getSystemUUID() {
    return systemUUID;
  }

  public void setSystemUUID(String systemUUID) {
    this.systemUUID = systemUUID;
  }

  public LocalObjectReference getIgnitionSecretRef() {
    return ignitionSecretRef;
  }

  public void setIgnitionSecretRef(LocalObjectReference ignitionSecretRef) {
    this.ignitionSecretRef = ignitionSecretRef;
  }

  public List<String> getNetworkIdentifiers() {
    return networkIdentifiers;
  }

  public void setNetworkIdentifiers(List<String> networkIdentifiers) {
    this.networkIdentifiers = networkIdentifiers == null ? new ArrayList<>() : networkIdentifiers;
  }

  public String getUkiURL() {
    return ukiURL;
  }

  public void setUkiURL(String ukiURL) {
    this.ukiURL = ukiURL;
  }
}
