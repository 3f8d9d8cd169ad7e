package dev.ironcore.boot.api.metal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.ObjectReference;

/** The Server spec fields we read; every other field is ignored. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ServerSpec {
  @JsonProperty("systemUUID")
  private String systemUUID;

  private ObjectReference bootConfigurationRef;
  private ObjectReference maintenanceBootConfigurationRef;

  public String getSystemUUID() {
    return systemUUID;
  }

  public void setSystemUUID(String systemUUID) {
    this.systemUUID = systemUUID;
  }

  public ObjectReference getBootConfigurationRef() {
    return bootConfigurationRef;
  }

  public void setBootConfigurationRef(ObjectReference bootConfigurationRef) {
    this.bootConfigurationRef = bootConfigurationRef;
  }

  public ObjectReference getMaintenanceBootConfigurationRef() {
    return maintenanceBootConfigurationRef;
  }

  public void setMaintenanceBootConfigurationRef(ObjectReference ref) {
    this.maintenanceBootConfigurationRef = ref;
  }
}
