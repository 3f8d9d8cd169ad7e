package dev.ironcore.boot.secrets;

import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.web.NotFoundException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Reads one key of a Secret in a config's namespace from the index; the value is never logged. */
public final class SecretData {
  private SecretData() {}

  /** The decoded bytes of {@code key}, or 404 naming the Secret and the key. */
  public static byte[] require(BootConfigIndex index, HasMetadata config, String secretName, String key) {
    return requireKey(requireSecret(index, config, secretName), key);
  }

  /** The Secret in the config's namespace, or 404 naming it. */
  public static Secret requireSecret(BootConfigIndex index, HasMetadata config, String secretName) {
    String namespace = config.getMetadata().getNamespace();
    return index.secret(namespace, secretName)
        .orElseThrow(() -> new NotFoundException("Secret " + namespace + "/" + secretName + " not found"));
  }

  /** The decoded bytes of {@code key}, or 404 naming the Secret and the key. */
  public static byte[] requireKey(Secret secret, String key) {
    return value(secret, key).orElseThrow(() -> new NotFoundException("Secret "
        + secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName() + " has no key " + key));
  }

  /** A key from {@code data} (base64) or, as the API server would merge it, {@code stringData}. */
  public static Optional<byte[]> value(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return Optional.of(Base64.getMimeDecoder().decode(secret.getData().get(key)));
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return Optional.of(secret.getStringData().get(key).getBytes(StandardCharsets.UTF_8));
    }
    return Optional.empty();
  }
}
