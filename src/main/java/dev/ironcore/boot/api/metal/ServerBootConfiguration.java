package dev.ironcore.boot.api.metal;

import dev.ironcore.boot.api.boot.BootConfigStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** metal.ironcore.dev/v1alpha1 ServerBootConfiguration: metal-operator's request to boot a Server. */
@Group(MetalGroup.NAME)
@Version(MetalGroup.VERSION)
@Kind("ServerBootConfiguration")
@Plural("serverbootconfigurations")
@ShortNames("sbc")
@AdditionalPrinterColumn(name = "ServerRef", jsonPath = ".spec.serverRef.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Image", jsonPath = ".spec.image", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "IgnitionRef", jsonPath = ".spec.ignitionSecretRef.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.state", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ServerBootConfiguration
    extends CustomResource<ServerBootConfigurationSpec, BootConfigStatus> implements Namespaced {
  @Override
  protected ServerBootConfigurationSpec initSpec() {
    return new ServerBootConfigurationSpec();
  }

  @Override
  protected BootConfigStatus initStatus() {
    return new BootConfigStatus();
  }
}
