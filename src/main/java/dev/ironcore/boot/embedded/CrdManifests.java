package dev.ironcore.boot.embedded;

import java.util.List;

/** The CRD manifests packed into the artifact (from {@code k8s/crd} and {@code k8s/embedded}). */
public final class CrdManifests {
  /** Ours: installed by {@code kubectl apply -k k8s/} too. */
  public static final List<String> BOOT = List.of(
      "k8s/crd/ipxebootconfigs.boot.ironcore.dev-v1.yml",
      "k8s/crd/httpbootconfigs.boot.ironcore.dev-v1.yml");
  /** Minimal stand-ins for metal-operator's CRDs: embedded mode and tests only. */
  public static final List<String> METAL_STAND_INS = List.of(
      "k8s/embedded/servers.metal.ironcore.dev-v1.yml",
      "k8s/embedded/serverbootconfigurations.metal.ironcore.dev-v1.yml");

  private CrdManifests() {}
}
