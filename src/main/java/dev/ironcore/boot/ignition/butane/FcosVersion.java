package dev.ironcore.boot.ignition.butane;

import java.util.Arrays;
import java.util.Optional;

/** The stable fcos Butane spec versions and the Ignition spec version each one produces. */
enum FcosVersion {
  V1_0("1.0.0", "3.0.0"),
  V1_1("1.1.0", "3.1.0"),
  V1_2("1.2.0", "3.2.0"),
  V1_3("1.3.0", "3.2.0"),
  V1_4("1.4.0", "3.3.0"),
  V1_5("1.5.0", "3.4.0"),
  V1_6("1.6.0", "3.5.0"),
  V1_7("1.7.0", "3.6.0");

  private final String butane;
  private final String ignition;

  FcosVersion(String butane, String ignition) {
    this.butane = butane;
    this.ignition = ignition;
  }

  String butane() {
    return butane;
  }

  String ignition() {
    return ignition;
  }

  /** The Ignition spec as a comparable minor number: 3.0.0 -> 0, 3.6.0 -> 6. */
  int ignitionMinor() {
    return ignition.charAt(2) - '0';
  }

  boolean atLeast(FcosVersion other) {
    return compareTo(other) >= 0;
  }

  static Optional<FcosVersion> of(String version) {
    return Arrays.stream(values()).filter(v -> v.butane.equals(version)).findFirst();
  }
}
