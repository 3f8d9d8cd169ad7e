package dev.ironcore.boot.ignition.butane;

import java.util.List;

/** The Ignition config (compact JSON) translated from a Butane config, and the warnings seen on the way. */
public record Translation(String ignitionJson, List<String> warnings) {

  public Translation {
    warnings = List.copyOf(warnings);
  }
}
