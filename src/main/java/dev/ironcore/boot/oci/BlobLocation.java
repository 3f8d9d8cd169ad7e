package dev.ironcore.boot.oci;

import java.net.URI;
import java.util.Map;

/**
 * Where to GET a blob and with which headers (the Authorization, if the registry wants one). The
 * blob streamer fetches it itself, following redirects with {@link RedirectPolicy#next}; after a
 * 401 it calls {@link RegistryClient#forgetCredentials} and locates the blob again.
 */
public record BlobLocation(URI uri, Map<String, String> headers) {
  public BlobLocation {
    headers = Map.copyOf(headers);
  }

  @Override
  public String toString() {
    return "BlobLocation[" + uri + "]"; // never the token
  }
}
