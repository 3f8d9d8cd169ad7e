package dev.ironcore.boot.api.boot;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** boot.ironcore.dev/v1alpha1 IPXEBootConfig: what one machine boots over iPXE. */
@Group(BootGroup.NAME)
@Version(BootGroup.VERSION)
@Kind("IPXEBootConfig")
@Plural("ipxebootconfigs")
@Singular("ipxebootconfig")
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.state", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class IPXEBootConfig extends CustomResource<IPXEBootConfigSpec, BootConfigStatus> implements Namespaced {
  @Override
  protected IPXEBootConfigSpec initSpec() {
    return new IPXEBootConfigSpec();
  }

  @Override
  protected BootConfigStatus initStatus() {
    return new BootConfigStatus();
  }
}
