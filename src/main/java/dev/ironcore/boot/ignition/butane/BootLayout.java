package dev.ironcore.boot.ignition.butane;

import java.util.Arrays;
import java.util.Optional;

/** The boot_device layouts: which boot partitions each architecture's image has. */
enum BootLayout {
  X86_64("x86_64", FcosVersion.V1_3, true, true, false),
  AARCH64("aarch64", FcosVersion.V1_3, false, true, false),
  PPC64LE("ppc64le", FcosVersion.V1_3, false, false, true),
  S390X_ECKD("s390x-eckd", FcosVersion.V1_6, false, false, false),
  S390X_ZFCP("s390x-zfcp", FcosVersion.V1_6, false, false, false),
  S390X_VIRT("s390x-virt", FcosVersion.V1_6, false, false, false);

  private final String name;
  private final FcosVersion since;
  final boolean bios;
  final boolean esp;
  final boolean prep;

  BootLayout(String name, FcosVersion since, boolean bios, boolean esp, boolean prep) {
    this.name = name;
    this.since = since;
    this.bios = bios;
    this.esp = esp;
    this.prep = prep;
  }

  boolean isS390x() {
    return name.startsWith("s390x-");
  }

  /** The layout named in the config; absent means x86_64. Empty if unknown in this version. */
  static Optional<BootLayout> of(String name, FcosVersion version) {
    if (name == null) {
      return Optional.of(X86_64);
    }
    return Arrays.stream(values()).filter(l -> l.name.equals(name) && version.atLeast(l.since)).findFirst();
  }
}
