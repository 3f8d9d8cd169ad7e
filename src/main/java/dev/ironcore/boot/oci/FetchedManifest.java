package dev.ironcore.boot.oci;

/** A manifest or index as the registry sent it, verified against its digest. */
public record FetchedManifest(byte[] bytes, String mediaType, String digest) {
  public FetchedManifest {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }
}
