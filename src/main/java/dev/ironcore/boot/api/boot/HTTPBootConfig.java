package dev.ironcore.boot.api.boot;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** boot.ironcore.dev/v1alpha1 HTTPBootConfig: which UKI one machine boots over UEFI HTTP. */
@Group(BootGroup.NAME)
@Version(BootGroup.VERSION)
@Kind("HTTPBootConfig")
@Plural("httpbootconfigs")
@Singular("httpbootconfig")
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.state", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class HTTPBootConfig extends CustomResource<HTTPBootConfigSpec, BootConfigStatus> implements Namespaced {
  @Override
  protected HTTPBootConfigSpec initSpec() {
    return new HTTPBootConfigSpec();
  }

  @Override
  protected BootConfigStatus initStatus() {
    return new BootConfigStatus();
  }
}
