package dev.ironcore.boot.api.boot;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.ironcore.boot.api.schema.LocalObjectReferenceSchema;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.ArrayList;
import java.util.List;

/** Desired state of an IPXEBootConfig; JSON names are the Go API's. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPXEBootConfigSpec {
  @JsonProperty("systemUUID")
  @JsonPropertyDescription("SystemUUID is the unique identifier (UUID) of the server.")
  private String systemUUID;

  @JsonProperty("systemIPs")
  @JsonPropertyDescription("SystemIPs is a list of IP addresses assigned to the server.")
  private List<String> systemIPs = new ArrayList<>();

  @JsonPropertyDescription("Image is deprecated and will be removed.")
  private String image;

  @Required
  @Size(min = 1)
  @JsonProperty("kernelURL")
  @JsonPropertyDescription("KernelURL is the URL where the kernel of the OS is hosted.")
  private String kernelURL;

  @Required
  @Size(min = 1)
  @JsonProperty("initrdURL")
  @JsonPropertyDescription("InitrdURL is the URL where the initrd of the OS is hosted.")
  private String initrdURL;

  @JsonProperty("squashfsURL")
  @JsonPropertyDescription("SquashfsURL is the URL where the squashfs of the OS is hosted.")
  private String squashfsURL;

  @JsonProperty("ipxeServerURL")
  @JsonPropertyDescription("IPXEServerURL is deprecated and will be removed.")
  private String ipxeServerURL;

  @SchemaFrom(type = LocalObjectReferenceSchema.class)
  @JsonPropertyDescription("IgnitionSecretRef names the Secret holding the Ignition configuration.")
  private LocalObjectReference ignitionSecretRef;

  @SchemaFrom(type = LocalObjectReferenceSchema.class)
  @JsonProperty("ipxeScriptSecretRef")
  @JsonPropertyDescription("IPXEScriptSecretRef names the Secret holding a custom iPXE script.")
  private LocalObjectReference ipxeScriptSecretRef;

  public String getSystemUUID() {
    return systemUUID;
  }

  public void setSystemUUID(String systemUUID) {
    this.systemUUID = systemUUID;
  }

  public List<String> getSystemIPs() {
    return systemIPs;
  }

  public void setSystemIPs(List<String> systemIPs) {
    this.systemIPs = systemIPs == null ? new ArrayList<>() : systemIPs;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getKernelURL() {
    return kernelURL;
  }

  public void setKernelURL(String kernelURL) {
    this.kernelURL = kernelURL;
  }

  public String getInitrdURL() {
    return initrdURL;
  }

  public void setInitrdURL(String initrdURL) {
    this.initrdURL = initrdURL;
  }

  public String getSquashfsURL() {
    return squashfsURL;
  }

  public void setSquashfsURL(String squashfsURL) {
    this.squashfsURL = squashfsURL;
  }

  public String getIpxeServerURL() {
    return ipxeServerURL;
  }

  public void setIpxeServerURL(String ipxeServerURL) {
    this.ipxeServerURL = ipxeServerURL;
  }

  public LocalObjectReference getIgnitionSecretRef() {
    return ignitionSecretRef;
  }

  public void setIgnitionSecretRef(LocalObjectReference ignitionSecretRef) {
    this.ignitionSecretRef = ignitionSecretRef;
  }

  public LocalObjectReference getIpxeScriptSecretRef() {
    return ipxeScriptSecretRef;
  }

  public void setIpxeScriptSecretRef(LocalObjectReference ipxeScriptSecretRef) {
    this.ipxeScriptSecretRef = ipxeScriptSecretRef;
  }
}
