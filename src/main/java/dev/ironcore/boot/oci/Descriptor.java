package dev.ironcore.boot.oci;

import java.util.Map;
import java.util.Optional;

/**
 * An OCI content descriptor: a layer, a config or an entry of an image index.
 *
 * @param platformArchitecture {@code platform.architecture} of an index entry, empty elsewhere
 */
public record Descriptor(
    String mediaType, String digest, long size, Map<String, String> annotations, Optional<String> platformArchitecture) {

  public Descriptor {
    annotations = Map.copyOf(annotations);
  }

  public static Descriptor of(String mediaType, String digest, long size) {
    return new Descriptor(mediaType, digest, size, Map.of(), Optional.empty());
  }

  public Optional<String> annotation(String name) {
    return Optional.ofNullable(annotations.get(name));
  }
}
